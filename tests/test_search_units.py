"""What a hit is: a law article whole for its items, the sentence that answers marked, places named."""
from __future__ import annotations

import json

import pytest


def _write(data, clauses: list[dict]) -> None:
    data.mkdir()
    with open(data / "clauses.jsonl", "w", encoding="utf-8") as f:
        for c in clauses:
            f.write(json.dumps({"heading": "", "parents": [], "kind": "item", "span": [0, len(c["text"])],
                                "agencies": [], "targets": [], "measures": [], "industries": [], "cites": [],
                                "doc_id": c["id"].split("#")[0], "doc_title": "测试", "doc_number": "",
                                "doc_issuers": [], "doc_valid": None, "path": c["id"].split("#")[1],
                                "region": "全国", **c}, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def law_engine(tmp_path_factory):
    from search.build import build_indexes
    from search.engine import SearchEngine

    data = tmp_path_factory.mktemp("law") / "data"
    long_clause = ("第三条 建设单位应当编制施工方案。施工方案应当报送主管部门备案。"
                   "在河道管理范围内新建取水设施的，应当先行取得取水许可，并按照批准的位置和规模建设。"
                   "工程竣工后，建设单位应当组织验收，验收合格后方可投入使用。"
                   "主管部门应当定期对工程运行情况进行监督检查，发现问题的，责令限期整改。"
                   "监督检查的结果应当向社会公开，并作为年度考核的依据。")
    _write(data, [
        {"id": "l#第一条", "text": "第一条 有下列行为之一的，由水行政主管部门责令停止违法行为：", "span": [0, 30]},
        {"id": "l#第一条.(一)", "text": "（一）在河道管理范围内采砂的；", "span": [31, 46], "parents": ["第一条"]},
        {"id": "l#第一条.(二)", "text": "（二）在河道管理范围内倾倒垃圾的。", "span": [47, 64], "parents": ["第一条"]},
        {"id": "l#第二条", "text": "第二条 本办法自公布之日起施行。", "span": [65, 80]},
        {"id": "l#第三条", "text": long_clause, "span": [81, 81 + len(long_clause)]},
        {"id": "w#一.1", "text": "对在温岭注册的企业给予研发费用补助。", "region": "浙江省台州市温岭市"},
        {"id": "p#一.1", "text": "对在平湖注册的企业给予研发费用补助。", "region": "浙江省嘉兴市平湖市"},
        {"id": "z#一.1", "text": "对在本省注册的企业给予研发费用补助。", "region": "浙江省"},
    ])
    build_indexes(data, {})
    return SearchEngine.load(data)


def test_article_path_reads_the_article_an_item_belongs_to():
    from search.units import article_path

    assert article_path("第二章.第十二条.(一)") == "第二章.第十二条"
    assert article_path("第十二条之一.1") == "第十二条之一"
    assert article_path("第十二条") is None          # the article itself
    assert article_path("一.(三).2") is None          # a policy document's items stay clauses


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_an_item_comes_back_inside_its_whole_article(law_engine, mode):
    hits = law_engine.search("河道管理范围内采砂", k=5, mode=mode)
    articles = [h for h in hits if h.clause_id.startswith("l#第一条")]
    assert len(articles) == 1, [h.clause_id for h in hits]      # one hit per article, never its items apart
    hit = articles[0]
    assert hit.clause_id == "l#第一条" and hit.path == "第一条"
    assert hit.text.startswith("第一条 有下列行为") and "（一）在河道管理范围内采砂的" in hit.text
    assert "（二）在河道管理范围内倾倒垃圾的" in hit.text
    assert hit.span == [0, 64]
    assert any(m["path"] == "第一条.(一)" and m["span"] == [31, 46] for m in hit.matched)
    if mode == "lexical":
        assert hit.matched[0]["clause_id"] == "l#第一条.(一)"
        assert "命中本条：(一)" in hit.why[0]


def test_a_one_clause_hit_names_no_items(law_engine):
    hit = law_engine.search("公布之日起施行", k=1, mode="lexical")[0]
    assert hit.clause_id == "l#第二条" and hit.matched == []


def test_a_long_clause_has_passages_and_its_answering_sentence_is_marked(law_engine):
    from search.passages import LONG_CLAUSE

    assert len(law_engine.store.record(law_engine.store.row_of("l#第三条"))["text"]) > LONG_CLAUSE
    assert law_engine.passages is not None and len(law_engine.passages) >= 2
    assert set(law_engine.passages.rows.tolist()) == {law_engine.store.row_of("l#第三条")}
    hit = next(h for h in law_engine.search("新建取水设施要先取得取水许可吗", k=3) if h.clause_id == "l#第三条")
    s = hit.sentence
    assert hit.text[s["start"]:s["end"]] == s["text"]
    assert "取水许可" in s["text"] and len(s["text"]) < len(hit.text)


def test_a_place_named_down_to_the_county_scores_its_documents(law_engine):
    a = law_engine.analyze("温岭企业研发费用补助")
    assert a.places == ["浙江省台州市温岭市"]
    c = law_engine.candidates(a)
    place = dict(zip((law_engine.store.ids[r] for r in c["rows"]), c["place"]))
    assert place["w#一.1"] == 1.0          # the county's own document
    assert place["z#一.1"] == 0.5          # its province's
    assert place["p#一.1"] == 0.0          # another county's


@pytest.mark.parametrize("query, places", [
    ("我们在平湖，还不是高新技术企业", ["浙江省嘉兴市平湖市"]),
    ("浙江省台州市黄岩区的企业", ["浙江省台州市黄岩区"]),     # a chain counts as its innermost place
    ("海南今年计划建设多少标准化胶园", ["海南省"]),             # a shared short name: the province
    ("洛阳地铁隧道外侧多少米以内", ["河南省洛阳市"]),           # 隧道外侧 is not 道外区
    ("公司请客户吃饭的招待费", []),
    ("互助养老服务有哪些补贴", []),                                # 互助 is a word before it is 互助县
    ("资源综合利用项目的合作补助", []),                            # …and 资源, 合作 (资源县, 合作市)
    ("青海互助的养老补贴", ["青海省海东市互助土族自治县"]),       # …and the county inside its province
    ("东方红小学附近能建加油站吗", []),
])
def test_places_are_read_as_whole_words(law_engine, query, places):
    assert law_engine.analyzer.places(query) == places


def test_all_settings_at_once_rank_as_one_setting_at_a_time(search_engine):
    import numpy as np

    from search import fit

    queries = [{"id": "a", "query": "绿电直连的专线最长能拉多远", "gold": ["直连线路长度原则上不超过50公里"]},
               {"id": "b", "query": "散煤清零", "gold": ["散煤清零"]}]
    collected = fit.collect(search_engine, queries)
    settings = fit.grid()[::97]
    together = fit.reciprocal_ranks_all(collected, settings)
    one_by_one = np.stack([fit.reciprocal_ranks(collected, s) for s in settings])
    assert np.allclose(together, one_by_one)
