"""The graph of the real corpus: SHACL, worked queries, the agency–task matrix, exports, networks, speed."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from rdflib import Graph

from app.cli import main

QUERIES = sorted((Path(__file__).resolve().parent.parent / "graph" / "queries").glob("*.rq"))
DOC = "jnygf-2024-195"

# 晋能源规发〔2024〕195号, checked by hand against corpus/000_8c5fb7dd1e6216fe.txt: each item's
# parenthesised agency list, first listed = lead (no item says 牵头 otherwise).  省综改示范区管委会 =
# 山西转型综合改革示范区管理委员会, 各市人民政府 = 山西省各设区市人民政府.
ZONE, CITIES = "山西转型综合改革示范区管理委员会", "山西省各设区市人民政府"
EXPECTED_195 = {
    "一.1": ("山西省商务厅", ["山西省工业和信息化厅", "山西省投资促进局", ZONE, CITIES]),
    "一.2": ("山西省商务厅", ["山西省能源局", "山西省投资促进局", ZONE, CITIES]),
    "一.3": ("山西省能源局", ["山西省商务厅", "山西省工业和信息化厅", "山西省投资促进局", ZONE, CITIES]),
    "一.4": ("山西省发展和改革委员会", ["山西省数据局", "山西省能源局", ZONE, CITIES]),
    "二.5": ("山西省工业和信息化厅", ["山西省能源局", "山西省交通运输厅", ZONE, CITIES]),
    "二.6": ("山西省能源局", [ZONE, CITIES]),
    "三.7": ("山西省工业和信息化厅", ["山西省能源局", "山西省统计局", ZONE, CITIES]),
    "三.8": ("山西省工业和信息化厅", ["山西省能源局", ZONE, CITIES]),
    "三.9": ("山西省能源局", ["山西省工业和信息化厅", ZONE, CITIES]),
    "四.10": ("山西省能源局", ["国网山西省电力公司"]),
    "四.11": ("山西省能源局", ["国网山西省电力公司"]),
    "四.12": ("山西省能源局", ["山西省发展和改革委员会"]),
    "四.13": ("山西省能源局", ["山西电力交易中心"]),
    "五.14": ("山西省能源局", []),
    "五.15": ("山西省能源局", ["山西省统计局"]),
    "五.16": ("山西省生态环境厅", ["山西省工业和信息化厅", "山西省市场监督管理局", "山西省能源局"]),
}
MATRIX_HEADER = ["agency", "role", "document", "clause_id", "heading", "path", "excerpt"]
_INC = ["industry", "industry_id", "stance", "instrument", "amount", "match", "document", "clause_id", "heading", "text"]


@pytest.fixture(scope="module")
def data(built_data) -> Path:
    """The session's build of the corpus (read only here)."""
    return built_data


@pytest.fixture(scope="module")
def reference_triples(data) -> set:
    return set(Graph().parse(data / "graph" / "graph.nt", format="nt"))


def _csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(text[1:])))


def test_corpus_graph_passes_shacl(service):
    manifest = service.graph_manifest
    assert manifest["shacl"] == "conforms"
    assert manifest["triples"] > 20_000
    print(f"\ncorpus graph: {manifest['triples']} triples, SHACL {manifest['shacl']}")


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.name)
def test_worked_query_returns_rows(data, query, capsys):
    assert main(["sparql", str(query), "--data", str(data), "--format", "csv"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert len(rows) > 1, f"{query.name} returned no rows"
    print(f"\n{query.name}: {len(rows) - 1} rows")


def test_matrix_csv_has_the_header_and_a_bom(data, capsys):
    assert main(["export", "matrix", "--data", str(data), "--ascii-headers"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows[0][:len(MATRIX_HEADER)] == MATRIX_HEADER          # the scripts' columns, new ones after them
    assert {r[1] for r in rows[1:]} <= {"牵头", "配合", "责任单位", "责任主体"}
    assert {"牵头", "责任单位"} <= {r[1] for r in rows[1:]}


def test_table_csv_speaks_chinese_with_titles_and_whole_clauses(data, capsys, service):
    assert main(["export", "matrix", "--document", DOC, "--data", str(data)]) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows[0] == ["部门", "职责", "文件", "条款位置", "条款标题", "条款原文", "文件编号", "条款编号"]
    title = service.documents[DOC]["document"]["title"]
    assert {r[2] for r in rows[1:]} == {title}
    assert all(r[5] == service.clause(r[7])["text"] and not r[5].endswith("…") for r in rows[1:])
    assert main(["export", "incentives", "--industry", "钢铁", "--data", str(data)]) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows[0][:5] == ["行业", "类型", "政策工具", "可享额度", "提及方式"]
    assert {r[4] for r in rows[1:]} <= {"本句直接提及", "本句提及其上位类别", "条款其他句子提及"}


def test_matrix_of_195_matches_the_document(data, capsys):
    # 195号 closes each item with a plain list: led by its first agency only when asked.
    assert main(["export", "matrix", "--document", DOC, "--first-listed-leads", "--data", str(data),
                 "--ascii-headers"]) == 0
    rows = [dict(zip(MATRIX_HEADER, r)) for r in _csv(capsys.readouterr().out)[1:]]
    found: dict[str, tuple[list[str], list[str]]] = {}
    for r in rows:
        leads, supports = found.setdefault(r["path"], ([], []))
        (leads if r["role"] == "牵头" else supports).append(r["agency"])
    items = {path: v for path, v in found.items() if not path.startswith("p")}
    assert {p: (v[0], v[1]) for p, v in items.items()} == {p: ([lead], sup) for p, (lead, sup) in EXPECTED_195.items()}


def test_matrix_shows_plain_lists_as_listed_by_default(data, capsys):
    assert main(["export", "matrix", "--document", DOC, "--data", str(data), "--ascii-headers"]) == 0
    rows = [dict(zip(MATRIX_HEADER, r)) for r in _csv(capsys.readouterr().out)[1:]]
    item1 = [(r["agency"], r["role"]) for r in rows if r["path"] == "一.1"]
    assert item1 and {role for _, role in item1} == {"责任单位"}, "no lead is invented for a plain list"


def test_matrix_of_195_has_no_task_outside_the_items(service):
    assert {r["path"] for r in service.agency_task_matrix(DOC)} == set(EXPECTED_195)


def test_matrix_workbook_has_a_summary_and_a_sheet_per_document(data, tmp_path, service):
    from openpyxl import load_workbook

    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", "-o", str(out), "--first-listed-leads", "--data", str(data)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总"
    assert len(wb.sheetnames[1:]) == len({r["document"] for r in service.agency_task_matrix()})
    assert not set(wb.sheetnames) & set(service.documents)              # sheets named by short titles, not ids
    summary = {row[0]: row[1:] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["山西省能源局"][0] >= 9           # tasks led: the nine of 195号
    number = service.documents[DOC]["document"]["number"]
    ws = next(wb[n] for n in wb.sheetnames[1:] if number in str(wb[n]["A1"].value))
    assert "推动绿电资源就地转化" in ws.title
    paths = [c.value for c in ws[2]][3:]
    assert set(EXPECTED_195) <= set(paths)
    grid = {row[0]: dict(zip(paths, row[3:])) for row in ws.iter_rows(min_row=4, values_only=True)}
    assert grid["山西省商务厅"]["一.1"] == "牵头"
    assert grid["山西省工业和信息化厅"]["一.1"] == "配合"
    assert grid["山西省能源局"]["四.10"] == "牵头" and grid["国网山西省电力公司"]["四.10"] == "配合"
    assert main(["export", "matrix", "-o", str(out), "--first-listed-leads", "--data", str(data)]) == 2  # exists: needs --force


def test_targets_export(data, capsys):
    assert main(["export", "targets", "--year", "2030", "--data", str(data), "--ascii-headers"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows[0][:11] == ["year", "region", "indicator", "comparator", "value", "unit", "baseline", "firmness",
                            "document", "clause_id", "source_text"]
    assert len(rows) > 5 and {r[0] for r in rows[1:]} == {"2030"}
    assert all(r[9].startswith(r[8] + "#") for r in rows[1:])


def test_incentives_include_narrower_industries(data, capsys, service):
    assert main(["export", "incentives", "--industry", "高耗能行业", "--data", str(data), "--ascii-headers"]) == 0
    rows = [dict(zip(_INC, r)) for r in _csv(capsys.readouterr().out)[1:]]
    assert {r["stance"] for r in rows} <= {"支持", "限制"}
    assert any("steel" in r["industry_id"].split() for r in rows), "钢铁 is narrower than 高耗能行业"
    by_synonym = service.incentives("钢铁行业")
    assert by_synonym == service.incentives("steel") and by_synonym
    assert main(["export", "incentives", "--industry", "不存在的行业", "--data", str(data)]) == 2


def test_agency_network_and_centrality(service):
    g = service.agency_network()
    assert g["山西省能源局"]["国网山西省电力公司"]["weight"] >= 2          # 四.10 and 四.11
    ranking = service.agency_centrality()
    assert [r["shared_tasks"] for r in ranking] == sorted((r["shared_tasks"] for r in ranking), reverse=True)
    assert all(0.0 <= r["degree_centrality"] <= 1.0 and 0.0 <= r["betweenness"] <= 1.0 for r in ranking)
    top = ranking[0]["agency"]
    assert g.degree(top, weight="weight") == ranking[0]["shared_tasks"]
    print("\nmost coordinating agencies:", [(r["agency"], r["tasks_led"], r["shared_tasks"]) for r in ranking[:5]])


def test_citation_network(service):
    g = service.citation_network()
    assert g.has_edge("sxsgylytdfssfa", "sx-wzzqqmgcxfzlnqszhtdf")    # cites the province's 实施意见 by title
    assert all(g.nodes[n]["in_corpus"] for n in ("sxsgylytdfssfa", "sx-wzzqqmgcxfzlnqszhtdf"))


@pytest.mark.parametrize("network", ["agencies", "citations"])
def test_graphml_export_reads_back(data, tmp_path, network, service):
    import networkx as nx

    out = tmp_path / f"{network}.graphml"
    assert main(["export", "graphml", "--network", network, "-o", str(out), "--data", str(data)]) == 0
    g = nx.read_graphml(out)
    expected = service.agency_network() if network == "agencies" else service.citation_network()
    assert g.number_of_nodes() == expected.number_of_nodes() and g.number_of_edges() == expected.number_of_edges()


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("json-ld", "json-ld"), ("nt", "nt")])
def test_graph_dumps_hold_the_same_triples(data, tmp_path, fmt, rdflib_format, reference_triples):
    out = tmp_path / f"graph.{fmt}"
    assert main(["export", "graph", "--format", fmt, "-o", str(out), "--data", str(data)]) == 0
    dumped = Graph().parse(out, format=rdflib_format)
    assert set(dumped) == reference_triples       # no blank nodes: set equality is isomorphism


def test_loading_the_graph_and_querying_is_interactive(data):
    from graph.query import read_query, run_query
    from graph.store import open_store

    started = time.perf_counter()
    store = open_store(data)
    opened = time.perf_counter() - started
    query = read_query(str(QUERIES[0]))
    started = time.perf_counter()
    result = run_query(query, store=store)
    in_process = time.perf_counter() - started
    started = time.perf_counter()
    run_query(query, data_dir=data)            # the CLI's way: a child process with a time limit
    in_child = time.perf_counter() - started
    print(f"\nopen store {opened * 1000:.0f} ms; {QUERIES[0].name}: {len(result.rows)} rows in "
          f"{in_process * 1000:.0f} ms in process, {in_child * 1000:.0f} ms in a child process")
    assert opened < 1.0 and in_process < 1.0 and in_child < 10.0


def test_rdflib_view_of_the_store(service):
    from rdflib import URIRef

    g = service.graph
    assert len(g) == service.graph_manifest["triples"]
    doc = URIRef("https://w3id.org/policykg/doc/jnygf-2024-195")
    assert str(g.value(doc, URIRef("http://data.europa.eu/eli/ontology#id_local"))) == "晋能源规发〔2024〕195号"


def test_graph_info(data, capsys):
    assert main(["graph", "info", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "SHACL:   conforms" in out and "documents 5" in out
