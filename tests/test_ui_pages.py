"""Every page of the Streamlit app through AppTest, over the real built corpus.

The 文件 page (uploads) has its own file, ``test_ui_documents.py``.
"""
from __future__ import annotations

import re
from pathlib import Path


def texts(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success])


def downloads(at) -> dict[str, bytes]:
    """Download buttons by label; AppTest keeps their payload in ``proto.url`` only, so report the labels."""
    return {b.proto.label: b for b in at.get("download_button")}


# -- 检索 -----------------------------------------------------------------------------

def test_search_reads_the_query_and_filters_from_the_url(open_page):
    at = open_page("views/search_page.py", {"q": "绿电直连 电压等级", "region": "广西壮族自治区"})
    assert at.text_input(key="search_q").value == "绿电直连 电压等级"
    assert at.multiselect(key="search_region").value == ["广西壮族自治区"]
    shown = texts(at)
    assert "找到" in shown
    assert '<mark class="pk">绿电直连</mark>' in shown           # highlighted matches
    assert re.search(r":green-badge\[高度相关\]　命中词：绿电直连", shown)    # how strong and why, in Chinese
    assert "语义相似度" not in shown                                      # no raw similarity score
    citations = [c.value for c in at.code]
    assert citations and citations[0].startswith("《广西推动绿电直连发展实施方案》")   # a line to copy per clause
    crumbs = [m.value for m in at.markdown if 'class="pk-crumb"' in str(m.value)]
    assert crumbs and all("广西推动绿电直连发展实施方案" in c for c in crumbs)   # the filter holds


def test_a_new_search_goes_into_the_url_so_it_can_be_shared(open_page):
    at = open_page("views/search_page.py")
    assert at.info and "输入检索词" in at.info[0].value
    at.text_input(key="search_q").input("零碳产业示范区")
    at.multiselect(key="search_measure").set_value(["incentive"])
    at.button[0].click().run()
    assert at.query_params["q"] == "零碳产业示范区"
    assert at.query_params["measure"] == "incentive"
    assert "找到" in texts(at)


def test_each_hit_shows_its_clause_in_the_document_context(open_page):
    at = open_page("views/search_page.py", {"q": "以绿电吸引外资及供应链项目"})
    first = at.expander[1]  # [0] is the filter panel
    context = "\n".join(str(m.value) for m in first.markdown)
    assert "以绿电集聚出口型新兴制造业项目" in context        # the clause before
    assert "以绿电吸引优质载能深加工项目" in context          # and after
    assert any("第 4/19 条" in str(c.value) for c in first.caption)
    link = at.get("page_link")[0].proto
    assert link.label == "打开整份文件"
    assert "doc=jnygf-2024-195" in link.query_string and "clause=" in link.query_string


def test_a_question_the_corpus_cannot_answer_says_so(open_page):
    at = open_page("views/search_page.py", {"q": "月球基地 宇航员 薪酬"})
    assert any("没有找到直接回答这个问题的条款" in w.value for w in at.warning)


def test_an_unknown_filter_value_in_a_link_is_dropped_not_fatal(open_page):
    at = open_page("views/search_page.py", {"q": "储能", "region": "火星"})
    assert at.multiselect(key="search_region").value == []
    assert "找到" in texts(at)


# -- 我的项目 ---------------------------------------------------------------------------

def test_project_check_lists_rules_conditions_and_a_cited_report(open_page):
    at = open_page("views/project_page.py")
    assert "填写后点击" in at.info[0].value
    at.button(key="project_example").click().run()
    at.button(key="FormSubmitter:profile_form-检查适用政策").click().run()
    assert not at.exception
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["适用条款"] > 0 and metrics["条件不满足"] >= 1
    shown = texts(at)
    assert ":red-badge[:material/close: 不满足]" in shown and "直连线路长度" in shown           # 60 km against a 50 km limit
    # the engine's own Chinese, shown as it is: explanations, reasons, notes on the profile
    assert "本项目直连线路长度为60公里，超过上限50公里（超出10公里）；条款写“原则上”，可经批准例外" in shown
    assert "适用原因：地区：广西壮族自治区文件，项目位于广西壮族自治区；项目类型：绿电直连" in shown
    assert "项目涉及的政策主题：绿电直连" in shown
    assert "广西壮族自治区文件，不约束位于山西省的项目" not in shown      # the skipped list is for a Guangxi project
    assert "山西省文件，不约束位于广西壮族自治区的项目" in shown
    assert not re.search(r"\b(meets|does not meet|would decide|only for|over the limit|short)\b", shown)
    assert any(c.value.startswith("《广西推动绿电直连发展实施方案》") for c in at.code)   # citation lines to copy
    assert not re.search(r"[a-z]+_[a-z_]+", shown), "a raw field name (direct_line_km) reached the page"
    assert "情形条件" in shown                                          # 此期间… is a situation, not a failure
    assert "不适用于本项目" in shown
    assert at.query_params["direct_line_km"] == "60" and at.query_params["region"] == "广西壮族自治区"
    assert "山西省" in shown                                            # Shanxi documents listed as not binding
    assert {"下载 Excel", "下载 Markdown"} <= set(downloads(at))


def test_a_project_in_another_province_gets_that_provinces_rules(open_page):
    at = open_page("views/project_page.py")
    at.text_input(key="profile_region").input("山西")
    at.text_input(key="profile_industry").input("钢铁")
    at.button(key="FormSubmitter:profile_form-检查适用政策").click().run()
    cites = [c.value for c in at.code]
    assert cites and not any("广西" in line for line in cites)


def test_a_project_sees_what_its_documents_grant_with_each_condition_marked(open_page):
    at = open_page("views/project_page.py")
    at.text_input(key="profile_region").input("山西")
    at.text_input(key="profile_industry").input("钢铁")
    at.button(key="FormSubmitter:profile_form-检查适用政策").click().run()
    tab = next(t for t in at.tabs if t.label.startswith("可享受的支持"))
    assert int(re.search(r"（(\d+)）", tab.label)[1]) >= 1              # 山西's 经费补助 for standard-setting units
    table = next(d.value for d in at.dataframe if "本项目" in d.value.columns)
    assert {"给予", "金额或标准", "对象", "条件", "核对说明", "受理单位", "期限", "出处"} <= set(table.columns)
    row = table[table["原文"].str.contains("标准制修订")].iloc[0]
    assert row["本项目"] == "无量化条件" and row["金额或标准"] == "最高100万元"
    assert not any("广西" in str(v) for v in table["出处"])             # only documents that bind a Shanxi project


# -- 产业政策 ---------------------------------------------------------------------------

def test_incentives_by_industry_from_the_tree(open_page):
    at = open_page("views/incentives_page.py")
    box = at.selectbox(key="inc_industry")
    assert any(label.startswith("\u3000└ ") for label in box.options)     # narrower industries are indented
    assert box.value == "new-energy"
    shown = texts(at)
    assert "下位：" in shown and ":green-badge[支持]" in shown
    assert {m.label for m in at.metric} >= {"措施", "支持", "限制", "文件"}
    box.set_value("steel").run()
    assert at.query_params["industry"] == "steel"
    assert {"下载 CSV", "下载 Excel"} <= set(downloads(at))


def test_incentives_filter_to_restrictions(open_page):
    at = open_page("views/incentives_page.py", {"industry": "energy-intensive"})
    at.segmented_control(key="inc_stance").set_value("限制").run()
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["限制"] == metrics["措施"] > 0 and metrics["支持"] == 0


# -- 任务分工 ---------------------------------------------------------------------------

def test_matrix_heat_map_table_and_an_agencys_tasks(open_page):
    at = open_page("views/matrix_page.py")
    assert at.get("vega_lite_chart"), "no heat map"
    assert at.dataframe, "no table"
    at.selectbox(key="matrix_document").select("jnygf-2024-195").run()
    at.selectbox(key="matrix_focus").select("山西省能源局").run()
    shown = texts(at)
    assert "**山西省能源局**：牵头" in shown
    assert {"下载 CSV", "下载 Excel"} <= set(downloads(at))


def test_matrix_agency_filter_narrows_the_heat_map(open_page):
    at = open_page("views/matrix_page.py")
    at.multiselect(key="matrix_agencies").set_value(["山西省能源局", "山西省财政厅"]).run()
    shown = [label.split("（")[0] for label in at.selectbox(key="matrix_focus").options]   # "山西省能源局（46）"
    assert shown == ["山西省能源局", "山西省财政厅"]


# -- 目标 -------------------------------------------------------------------------------

def test_targets_timeline_grouped_and_filtered_by_year(open_page):
    at = open_page("views/targets_page.py")
    assert len(at.get("vega_lite_chart")) == 2                        # timeline and per-year bars
    total = int(next(m.value for m in at.metric if m.label == "目标"))
    at.selectbox(key="targets_year").select("2030").run()
    table = at.dataframe[0].value
    assert 0 < len(table) < total and set(table["年份"]) == {2030}
    assert any("非化石能源" in e.label for e in at.expander)          # grouped by indicator and region
    assert {"下载 CSV", "下载 Excel"} <= set(downloads(at))


# -- 图谱 -------------------------------------------------------------------------------

def test_graph_draws_the_neighbourhood_of_an_agency(open_page):
    at = open_page("views/graph_page.py", {"node": "agency:山西省能源局"})
    assert at.selectbox(key="graph_node").value == "agency:山西省能源局"
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"agency:山西省能源局"' in dot and 'color="#ea580c"' in dot          # a 责任单位 (listed) edge
    assert "subgraph cluster_" in dot                                            # clauses boxed by document
    at.radio(key="graph_kind").set_value("industry").run()
    assert at.query_params["node"].startswith("industry:")
    assert "industry:" in at.get("graphviz_chart")[0].proto.spec


def test_sparql_box_runs_a_query_and_refuses_updates(open_page):
    at = open_page("views/graph_page.py")
    at.button(key="sparql_run").click().run()
    assert at.dataframe[-1].value.shape[0] > 0
    at.text_area(key="sparql_query").input("DELETE WHERE { ?s ?p ?o }")
    at.button(key="sparql_run").click().run()
    assert at.error[0].value.startswith("查询未执行：只能查询，不能修改图谱")     # said in Chinese
    assert any("read-only" in c.value for c in at.code)                      # the original, for the administrator


QUERY_DIR = Path(__file__).resolve().parent.parent / "graph" / "queries"
# Latin a user may meet in an example's comments: SPARQL words, the command line, the store's name
QUERY_LATIN_OK = {"VALUES", "OPTIONAL", "skos", "broader", "Oxigraph", "policykg", "sparql", "graph", "queries", "rq"}


def test_example_queries_are_named_and_explained_in_chinese(open_page):
    for path in sorted(QUERY_DIR.glob("*.rq")):
        comments = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert comments, f"{path.name}: no comment says what the query does"
        latin = {w for line in comments for w in re.findall(r"[A-Za-z]+", line)} - QUERY_LATIN_OK
        latin -= {path.stem, *path.stem.split("-")}
        assert not latin, f"{path.name}: English in its comments: {sorted(latin)}"
    at = open_page("views/graph_page.py")
    box = at.selectbox(key="sparql_example")
    assert box.options[0] == "某部门负责的任务"                       # named by its comment, not its file name
    assert not any(re.search(r"[A-Za-z]", o) for o in box.options)
