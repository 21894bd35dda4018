"""The entity graph for drawing: documents, clauses, agencies, industries and cited documents as one network.

A clause links to its document (包含), the agencies named responsible for it
(牵头 / 配合 …, from the records' label table), the industries it names (涉及)
and the documents it cites (引用), resolved as the knowledge graph resolves
them (:class:`graph.citations.CorpusIndex`: by number, else by title).  Node
ids are ``doc:<id>``, ``clause:<id>``, ``agency:<name>``,
``industry:<concept id>`` and ``cited:<title or number>`` for a document
outside the corpus.
"""
from __future__ import annotations

from typing import Any, Iterable

from graph.citations import CorpusIndex
from records import Role, zh

_KIND_ORDER = {"agency": 0, "industry": 1, "document": 2, "clause": 3}


def entity_graph(documents: Iterable[dict[str, Any]]):
    """A networkx ``MultiDiGraph`` of ingest records (``{"document": fields, "clauses": [...]}``)."""
    import networkx as nx

    documents = list(documents)
    index = CorpusIndex.of(documents)
    g = nx.MultiDiGraph()
    for doc in documents:
        g.add_node(f"doc:{doc['document']['id']}", kind="document", label=doc["document"]["title"])
    for doc in documents:
        for clause in doc["clauses"]:
            _add_clause(g, doc["document"]["id"], clause, index)
    return g


def _add_clause(g, doc_id: str, clause: dict[str, Any], index: CorpusIndex) -> None:
    node = f"clause:{clause['id']}"
    g.add_node(node, kind="clause", label=f"{clause['path']} {clause.get('heading') or clause['text'][:16]}".strip())
    g.add_edge(f"doc:{doc_id}", node, label="包含")
    for a in clause.get("agencies") or []:
        agency = f"agency:{a['name']}"
        g.add_node(agency, kind="agency", label=a["name"])
        if not g.has_edge(agency, node):
            g.add_edge(agency, node, label=zh(Role, a.get("role") or Role.SUPPORT))
    for i in clause.get("industries") or []:
        g.add_node(f"industry:{i['id']}", kind="industry", label=i["label"])
        if not g.has_edge(node, f"industry:{i['id']}"):
            g.add_edge(node, f"industry:{i['id']}", label="涉及")
    for x in clause.get("cites") or []:
        title, number = x.get("title") or "", x.get("number") or ""
        if not (title or number):
            continue
        cited = index.resolve(title, number)
        if cited.in_corpus:
            target = f"doc:{cited.doc_id}"
        else:
            target = f"cited:{title or number}"
            g.add_node(target, kind="cited", label=f"《{title}》" if title else number)
        if not g.has_edge(node, target):
            g.add_edge(node, target, label="引用")


def neighbourhood(g, node_id: str, depth: int = 1, limit: int = 60) -> dict[str, Any]:
    """The nodes within ``depth`` links of ``node_id``, nearest first, at most ``limit``.

    Returns ``{"center", "nodes": [{id, kind, label, depth}], "edges": [{source, target, label}],
    "truncated"}``; ``KeyError`` for an unknown node.
    """
    if node_id not in g:
        raise KeyError(node_id)
    seen = {node_id: 0}
    frontier = [node_id]
    truncated = False
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for other in sorted(set(g.successors(node)) | set(g.predecessors(node)), key=lambda n: (g.nodes[n]["kind"], n)):
                if other in seen:
                    continue
                if len(seen) >= limit:
                    truncated = True
                    break
                seen[other] = level
                nxt.append(other)
        frontier = nxt
    nodes = [{"id": n, "kind": g.nodes[n]["kind"], "label": g.nodes[n]["label"], "depth": d} for n, d in seen.items()]
    edges = [{"source": a, "target": b, "label": data["label"]}
             for a, b, data in g.edges(data=True) if a in seen and b in seen]
    return {"center": node_id, "nodes": nodes, "edges": edges, "truncated": truncated}


def entity_rows(g) -> list[dict[str, Any]]:
    """Agencies, industries, documents and clauses, for choosing a centre:
    ``[{id, kind, label, links}]``, most linked first within each kind."""
    rows = [{"id": n, "kind": data["kind"], "label": data["label"], "links": g.degree(n)}
            for n, data in g.nodes(data=True) if data["kind"] in _KIND_ORDER]
    return sorted(rows, key=lambda r: (_KIND_ORDER[r["kind"]], -r["links"], r["label"]))
