"""Targets of a year's agenda, the shared quantity grammar, entitlements and word-boundary matching."""
from __future__ import annotations

import pytest

from ingest.extract.context import ExtractContext, ReviewTracker, document_year, looks_back
from ingest.extract.entitlements import find_entitlements
from ingest.extract.industries import find_industries
from ingest.extract.quantity import find_quantities
from ingest.extract.targets import find_targets
from records.model import DocumentMeta

AGENDA_2025 = ExtractContext(year=2025, agenda=True)


def targets(text, context=AGENDA_2025):
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in find_targets(text, context)]


# ------------------------------------------------------------------ quantities

@pytest.mark.parametrize("text, expected", [
    ("增长5.5%左右", [(5.5, "%", "about")]),
    ("城镇调查失业率5.5%以内", [(5.5, "%", "<=")]),
    ("城镇新增就业70万人以上", [(70.0, "万人", ">=")]),
    ("引进亿元以上项目超500个", [(500.0, "个", ">")]),
    ("提高到不低于740元/月", [(740.0, "元/月", ">=")]),
    ("推动3900多个项目投产达效", [(3900.0, "个", ">")]),
    ("有效期不得超过两年", [(2.0, "年", "<=")]),
    ("凭证保存不满二年", [(2.0, "年", "<")]),
    ("贷款额度10万元及以下", [(10.0, "万元", "<=")]),
    ("装机500千瓦", [(500.0, "千瓦", "=")]),
])
def test_quantity_grammar_reads_value_unit_and_comparator(text, expected):
    assert [(q.value, q.unit, q.comparator) for q in find_quantities(text)] == expected


def test_project_conditions_read_quantities_with_the_same_grammar_as_targets():
    from ingest.extract.conditions import find_conditions
    from ingest.extract.units import parse_quantity

    text = "直连线路长度原则上不得超过50公里，新能源装机规模达到30万千瓦以上，约20公里"
    got = [(c.comparator, c.value, c.unit, c.canonical_value) for c in find_conditions(text)]
    # 达到 is a bound on a project (a target's value); 约20公里 is no condition
    assert got == [("<=", 50.0, "公里", 50.0), (">=", 30.0, "万千瓦", 300.0)]
    assert [(q.comparator, q.unit) for q in find_quantities(text)][:2] == [("<=", "公里"), (">=", "万千瓦")]
    assert parse_quantity("1,200公里").canonical_value == 1200.0
    assert parse_quantity("500千瓦").canonical_value == 0.5


def test_years_and_document_numbers_are_not_quantities():
    assert find_quantities("晋能源规发〔2024〕195号，2025年起施行，第3条") == []


# ------------------------------------------------------------------ agenda targets

def test_headline_list_is_split_one_target_per_indicator_with_the_reports_year():
    text = ("今年经济社会发展主要预期目标是：地区生产总值增长5.5%左右，地方一般公共预算收入增长2.5%，"
            "城镇调查失业率5.5%以内，城镇新增就业70万人，粮食产量616亿斤左右。")
    found = find_targets(text, AGENDA_2025)
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in found] == [
        ("地区生产总值", "about", 5.5, "%"), ("地方一般公共预算收入", "=", 2.5, "%"),
        ("城镇调查失业率", "<=", 5.5, "%"), ("城镇新增就业", "=", 70.0, "万人"),
        ("粮食产量", "about", 616.0, "亿斤"),
    ]
    assert all(t.year == 2025 and t.headline for t in found)
    assert [t.kind for t in found] == ["growth", "growth", "cap", "count", "level"]


def test_enumeration_after_a_quantity_is_split_and_indicators_come_from_the_right_item():
    found = targets("力争新增百亿企业10家、省级以上专精特新中小企业800家、单项冠军企业40家以上。")
    assert [(i, c, v) for i, c, v, _, _ in found] == [
        ("新增百亿企业", "=", 10.0), ("省级以上专精特新中小企业", "=", 800.0), ("单项冠军企业", ">=", 40.0)]


def test_respectively_distributes_values_over_heads():
    found = targets("今年力争交通、水利分别完成投资2500亿元、800亿元。")
    assert [(i, v) for i, _, v, _, _ in found] == [("交通完成投资", 2500.0), ("水利完成投资", 800.0)]


def test_past_results_and_quantities_that_qualify_a_noun_are_not_targets():
    assert targets("初步统计，2024年全省地区生产总值57761亿元、增长5.5%。") == []
    assert targets("加快旭龙、古水等大型水电站和690万千瓦火电项目建设。") == []
    assert targets("用好240小时过境免签、单方面免签政策。") == []


def test_a_count_keeps_its_verb_and_object_and_skips_the_qualifying_amount():
    assert targets("推进好总投资1.78万亿元的289个省重点项目。") == [("推进好省重点项目", "=", 289.0, "个", 2025)]


def test_a_later_deadline_in_the_sentence_wins_over_the_reports_year():
    assert targets("力争2027年建成6个万亿级产业。")[0][4] == 2027


def test_outside_an_agenda_this_year_is_read_against_the_documents_year():
    found = find_targets("今年力争全省光伏装机达到3000万千瓦。", ExtractContext(year=2024))
    assert [(t.year, t.value, t.unit) for t in found] == [(2024, 3000.0, "万千瓦")]


def test_looking_back_clause_gives_no_agenda_targets():
    back = ExtractContext(year=2025, agenda=False, looking_back=True)
    assert find_targets("城镇新增就业120万人，粮食产量达到1100亿斤。", back) == []


def test_review_tracker_marks_paragraphs_from_the_review_to_this_years_plan():
    tracker = ReviewTracker(2025)
    review = tracker.scan("", "过去一年，全省地区生产总值增长5.7%。\n今年发展主要预期目标是：地区生产总值增长5.5%以上。")
    assert review == [(0, len("过去一年，全省地区生产总值增长5.7%。"))]


def test_document_year_from_date_or_title_and_review_headings():
    assert document_year(DocumentMeta(id="x", title="2025年四川省政府工作报告")) == 2025
    assert document_year(DocumentMeta(id="x", title="t", date_written="2018-02-28")) == 2018
    assert looks_back(["2024年工作回顾"], 2025) and not looks_back(["2025年重点任务"], 2025)


# ------------------------------------------------------------------ entitlements

def test_one_off_award_with_amount_and_beneficiary():
    _, conditions, (ent,) = find_entitlements("对获得中国质量奖的企业，一次性给予450万元奖励。")
    assert (ent.kind, ent.value, ent.unit, ent.beneficiary, ent.frequency) == (
        "award", 450.0, "万元", "获得中国质量奖的企业", "one-off")
    assert conditions == []


def test_rate_with_its_base_cap_and_qualifying_condition_share_the_quantity_grammar():
    text = "企业实施的工业投资项目，投资额达到200万元以上的，按项目实际完成投资额的10%给予补助，单个项目补助最高不超过200万元。"
    _, conditions, (ent,) = find_entitlements(text)
    assert (ent.kind, ent.value, ent.unit, ent.per, ent.cap, ent.cap_unit) == (
        "subsidy", 10.0, "%", "项目实际完成投资额", 200.0, "万元")
    assert [(c.subject, c.comparator, c.value, c.unit) for c in conditions] == [("投资额", ">=", 200.0, "万元")]
    assert ent.conditions == [0]


def test_tiers_pair_each_amount_with_its_threshold():
    text = "对批发企业当年销售额达到10亿元、8亿元、5亿元的分别给予10万元、7万元、5万元的奖励。"
    _, conditions, ents = find_entitlements(text)
    assert [(e.value, conditions[e.conditions[0]].value) for e in ents] == [(10.0, 10.0), (7.0, 8.0), (5.0, 5.0)]
    assert {e.beneficiary for e in ents} == {"批发企业"}


def test_amount_per_item_with_an_annual_cap():
    (ent,) = find_entitlements("授权发明专利每件奖励1万元，每家企业每年最高奖励20万元。")[2]
    assert (ent.value, ent.per, ent.cap, ent.frequency) == (1.0, "每件", 20.0, "annual")


def test_sentences_without_a_grant_give_no_entitlement():
    assert find_entitlements("由孵化器按年度向当地财政部门提出申请。")[2] == []
    assert find_entitlements("本细则涉及资助、奖励经费由市、区两级按现行财政体制承担。")[2] == []


# ------------------------------------------------------------------ industries

@pytest.mark.parametrize("text", ["深化工业领域改革", "推进一体化工程建设", "优化工作流程"])
def test_industry_label_inside_another_word_is_not_a_mention(text):
    assert "化工" not in [i.label for i in find_industries(text)]


def test_industry_labels_still_match_as_words():
    assert [i.label for i in find_industries("发展化工产业和新能源汽车产业")] == ["化工", "新能源汽车"]


def test_counts_of_things_that_exist_and_described_shares_are_not_targets():
    assert targets("聚焦28条重点产业链，推动产业升级。") == []
    assert targets("形成以农户占60%、村集体公司占20%的利益联结机制。") == []
    assert targets("打造一批超百亿、超千亿产业链。") == []


def test_an_entitlement_is_described_in_words_for_the_incentives_page():
    from ingest.extract.entitlements import describe

    (ent,) = find_entitlements("授权发明专利每件奖励1万元，每家企业每年最高奖励20万元。")[2]
    assert describe({**ent.__dict__, "span": None}) == "每件1万元，最高20万元（每年）"


def test_a_definition_that_names_a_grant_grants_nothing():
    assert find_entitlements("本办法所称创业担保贷款，是指由财政予以贴息的贷款。")[2] == []


def test_a_sentence_that_restricts_one_industry_and_supports_another_is_two_measures():
    from ingest.extract.measures import classify_measures

    text = "加大对新能源等项目的投融资支持力度，严格控制钢铁、水泥等高碳项目投资。"
    found = [(m.type, m.text) for m in classify_measures(text)]
    assert found == [("incentive", "加大对新能源等项目的投融资支持力度，"), ("restriction", "严格控制钢铁、水泥等高碳项目投资。")]


def test_agencies_named_only_as_a_cited_policys_authors_or_in_a_word_are_not_mentions():
    from ingest.extract.agencies import find_agencies
    from ingest.extract.agency_names import Jurisdiction

    where = Jurisdiction("山西省")
    assert find_agencies("落实党中央、国务院关于碳达峰的决策部署。", "山西省", where=where) == []
    assert find_agencies("把碳达峰工作纳入全省生态文明建设整体布局。", "山西省", where=where) == []


def test_a_refusal_grants_nothing_and_a_lone_cap_is_both_amount_and_cap():
    assert find_entitlements("创业担保贷款本金或利息发生逾期的，不给予贴息。")[2] == []
    (ent,) = find_entitlements("单个企业最高奖励100万元。")[2]
    assert (ent.value, ent.cap, ent.beneficiary) == (100.0, 100.0, "单个企业")
    _, conditions, _ = find_entitlements("组织参会企业达到30（含）家以上，给予每场5000元的补贴。")
    assert [(c.comparator, c.value, c.unit) for c in conditions] == [(">=", 30.0, "家")]


# ------------------------------------------------------------ measures

def test_each_measure_carries_the_industries_agencies_and_conditions_of_its_own_sentence():
    from ingest.extract import classify_measures, find_agencies
    from ingest.extract.measures import attach_mentions

    text = ("一律不得新建乙烯、对二甲苯项目。支持电解铝企业技术改造，由省工业和信息化厅负责。"
            "研发费用占销售收入比重达到3%以上的，一次性给予10%奖励。")
    measures = classify_measures(text)
    industries, agencies = find_industries(text), find_agencies(text, "山西省")
    _, conditions, _ = find_entitlements(text)
    attach_mentions(measures, industries, agencies, conditions)
    got = [(m.type, [industries[i].label for i in m.industries], [agencies[i].name for i in m.agencies],
            [conditions[i].value for i in m.conditions]) for m in measures]
    assert got[0] == ("restriction", ["乙烯"], [], [])
    assert got[1] == ("incentive", ["电解铝"], ["山西省工业和信息化厅"], [])
    assert got[2][1:] == ([], [], [3.0])
