"""The entity graph the graph page draws: clauses linked to documents, agencies, industries and citations."""
from __future__ import annotations

from graph.entities import entity_graph, entity_rows, neighbourhood


def _doc(doc_id, title, number, clauses):
    return {"document": {"id": doc_id, "title": title, "number": number}, "clauses": clauses}


def _clause(cid, **mentions):
    return {"id": cid, "path": cid.partition("#")[2], "heading": "", "text": "加快推进绿电直连。", **mentions}


PLAN = _doc("sx-plan", "中共山西省委 山西省人民政府关于做好碳达峰碳中和工作的实施意见", "", [_clause("sx-plan#一")])
SCHEME = _doc("sx-scheme", "山西省绿电直连方案", "晋能源规发〔2024〕195号", [_clause(
    "sx-scheme#一.1",
    agencies=[{"name": "山西省能源局", "role": "lead"}, {"name": "山西省发展和改革委员会", "role": "support"}],
    industries=[{"id": "new-energy", "label": "新能源"}],
    cites=[{"title": "中共山西省委山西省人民政府关于做好碳达峰碳中和工作的实施意见", "number": ""},
           {"title": "电力法", "number": ""}],
)])


def test_a_citation_resolves_to_the_corpus_document_as_the_knowledge_graph_does():
    g = entity_graph([PLAN, SCHEME])
    cited = {b for a, b, d in g.edges(data=True) if d["label"] == "引用"}
    # the title is written without the space the document's own title has
    assert cited == {"doc:sx-plan", "cited:电力法"}


def test_agency_roles_carry_their_chinese_labels():
    g = entity_graph([SCHEME])
    roles = {a: d["label"] for a, b, d in g.edges(data=True) if a.startswith("agency:")}
    assert roles == {"agency:山西省能源局": "牵头", "agency:山西省发展和改革委员会": "配合"}


def test_neighbourhood_lists_nearest_nodes_and_stops_at_the_limit():
    g = entity_graph([PLAN, SCHEME])
    hood = neighbourhood(g, "agency:山西省能源局", depth=2)
    assert {n["id"]: n["depth"] for n in hood["nodes"]}["clause:sx-scheme#一.1"] == 1
    assert {"source": "doc:sx-scheme", "target": "clause:sx-scheme#一.1", "label": "包含"} in hood["edges"]
    assert neighbourhood(g, "agency:山西省能源局", depth=2, limit=2)["truncated"]
    assert [r["kind"] for r in entity_rows(g)][:2] == ["agency", "agency"]
