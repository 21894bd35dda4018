"""What the pages show about a clause or a hit, without running a page: citation lines, strength
labels, citation links, entitlements, and messages from the layers below in Chinese."""
from __future__ import annotations

import pytest

from app.ui import components, messages

CLAUSE = {"id": "d#一.1", "doc_id": "d", "doc_title": "某某实施方案", "doc_number": "晋能源规发〔2024〕195号",
          "path": "一.1", "heading": "以绿电吸引外资", "doc_date_published": "2024-06-01", "span": [100, 140],
          "text": "根据《关于推动绿电直连的通知》要求，对企业给予奖励。"}


def test_a_citation_line_has_title_number_path_and_date():
    assert components.citation_text(CLAUSE) == "《某某实施方案》（晋能源规发〔2024〕195号）一.1 以绿电吸引外资，2024-06-01"
    bare = {**CLAUSE, "doc_number": "", "heading": "", "doc_date_published": ""}
    assert components.citation_text(bare) == "《某某实施方案》一.1"     # a document without 文号 or date still cites


def test_a_cited_corpus_document_becomes_a_link_and_others_stay_text():
    start = CLAUSE["text"].index("《")
    cites = [{"title": "关于推动绿电直连的通知", "number": "", "span": [100 + start, 100 + start + 13]}]
    linked = components.cited_html(CLAUSE["text"], cites, 100, lambda t, n: "gx-2025-1")
    assert '<a class="pk-cite" href="documents?doc=gx-2025-1" target="_self">《关于推动绿电直连的通知》</a>' in linked
    assert "<a" not in components.cited_html(CLAUSE["text"], cites, 100, lambda t, n: None)


@pytest.mark.parametrize("query, hit, label", [
    ("绿电直连 电压等级", {"text": "绿电直连项目接入电压等级", "why": ["命中词：绿电直连、电压等级"], "signals": {"lexical": 3}}, "高度相关"),
    ("绿电直连 电压等级", {"text": "绿电直连项目", "why": ["命中词：绿电直连"], "signals": {"lexical": 2}}, "相关"),
    ("月球基地 宇航员 薪酬", {"text": "国家能源保供基地", "why": ["命中词：基地"], "signals": {"lexical": 1}}, "仅个别字词相同"),
    ("数据中心", {"text": "算力设施", "why": ["语义相似度 0.41"], "signals": {"lexical": 0, "dense": 0.41}}, "仅意思相近"),
    ("碳捕集", {"text": "CCUS 示范", "why": ["同义词：碳捕集 → CCUS"], "signals": {"lexical": 2}}, "高度相关"),
])
def test_strength_labels_say_how_much_of_the_question_matched(query, hit, label):
    assert components.strength(hit, query)[0] == label


def test_match_reasons_lose_raw_similarity_scores():
    assert components.plain_why(["命中词：储能", "语义相似度 0.55"]) == ["命中词：储能", "意思相近"]


def test_entitlements_read_as_rows_and_a_clause_without_them_as_none():
    clause = {"conditions": [{"text": "年度研发投入不低于500万元"}], "entitlements": [
        {"kind": "subsidy", "text": "按研发费用的50%给予补助，最高不超过200万元", "value": 50, "unit": "%", "per": "研发费用",
         "cap": 200, "cap_unit": "万元", "beneficiary": "高新技术企业", "accepted_by": "市科技局", "deadline": "2026年底前",
         "conditions": [0]}]}
    row = components.entitlement_rows(clause)[0]
    assert row["给予"] == "补贴" and row["金额或标准"] == "研发费用的50%，最高200万元"
    assert (row["对象"], row["条件"], row["受理单位"], row["期限"]) == ("高新技术企业", "年度研发投入不低于500万元", "市科技局", "2026年底前")
    assert components.entitlement_rows({"text": "无"}) == []
    capped = {"entitlements": [{"kind": "subsidy", "value": 100, "unit": "万元", "cap": 100, "cap_unit": "万元"}]}
    assert components.entitlement_rows(capped)[0]["金额或标准"] == "最高100万元"      # 给予最高100万元, said once


@pytest.mark.parametrize("raw, chinese", [
    ("照片.pdf: binary file (PNG image), not a supported document (.txt, .md)", "这是 PNG 图片，不是可以读取的政策文件"),
    ("update queries are refused: the graph is read-only here", "只能查询，不能修改图谱"),
    ("the query ran longer than the 30 s limit and was stopped", "查询超过 30 秒被停止"),
    ("something nobody foresaw", "处理时出错"),
])
def test_messages_from_below_are_shown_in_chinese(raw, chinese):
    assert messages.zh(raw).startswith(chinese)
    assert messages.technical(raw) == raw                                # the original, for the administrator


def test_build_progress_names_no_server_path():
    assert messages.progress_zh("Reading 6 files from /srv/policykg/corpus") == "读取 6 个文件"


def test_reports_speak_plain_words_and_name_no_server_path(built_data):
    import re

    from app.service import PolicyService
    from app.service.applying import plain_words

    assert plain_words("项目类型：绿电直连（direct_line_km=60、self_consumption_pct=55）") == \
        "项目类型：绿电直连（直连线路长度60公里、自发自用电量占总可用发电量的比例55%）"
    assert plain_words("待定：填写“上网电量占总可用发电量的比例（%）”（feed_in_pct）后可判断") == \
        "待定：填写“上网电量占总可用发电量的比例（%）”后可判断"
    svc = PolicyService(built_data)
    profile = {"region": "广西", "industry": "钢铁", "grid_connected": True, "direct_line_km": 60, "self_consumption_pct": 55}
    text = svc.apply_report(profile, "md")
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert str(built_data.resolve()) not in text and str(built_data) not in text
    assert "direct_line_km=60" in svc.apply(profile)["rules"][0]["why"]    # the JSON for scripts keeps its keys


def test_a_hits_tags_are_announced_in_chinese_and_escaped():
    tags = components.hit_tags({"agencies": [{"name": "省能源局<b>", "role": "lead"}],
                                "targets": [{"year": 2030, "indicator": "非化石能源消费比重", "comparator": "达到", "value": 25, "unit": "%"}]})
    assert 'aria-label="部门"' in tags and 'aria-label="目标"' in tags
    assert ":material/" not in tags                                      # Streamlit's own icon reads "account_balance icon"
    assert "省能源局&lt;b&gt;（牵头）" in tags and "2030年 非化石能源消费比重 达到 25%" in tags
