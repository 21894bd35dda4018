"""networkx projections of the graph: agency co-responsibility, agency centrality, document citations.

Nodes carry only GraphML-friendly attributes (str, int, float, bool; never None),
so :func:`write_graphml` can write any of them.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

from graph import tables
from records import Role, zh

LEAD = zh(Role, Role.LEAD)   # the matrix rows carry roles in Chinese


def _nx():
    try:
        import networkx as nx
    except ImportError as err:  # pragma: no cover - networkx is a dependency
        raise ImportError("the network projections need networkx: pip install networkx") from err
    return nx


def agency_network(store, document: str | None = None):
    """Agencies as nodes; an edge for every pair that shares a task, ``weight`` = tasks shared.

    Node attributes: ``label``, ``led`` and ``supported`` (task counts), ``tasks``.
    Edge attributes: ``weight``, ``led_by_one`` (shared tasks that one of the two leads)."""
    nx = _nx()
    rows = tables.agency_tasks(store, document)
    g = nx.Graph(name="agency co-responsibility")
    by_task: dict[str, dict[str, str]] = {}
    for r in rows:
        by_task.setdefault(r["clause_id"], {})[r["agency"]] = r["role"]
        if r["agency"] not in g:
            g.add_node(r["agency"], label=r["agency"], led=0, supported=0, tasks=0)
        node = g.nodes[r["agency"]]
        node["tasks"] += 1
        node["led" if r["role"] == LEAD else "supported"] += 1
    for roles in by_task.values():
        for a, b in combinations(sorted(roles), 2):
            if not g.has_edge(a, b):
                g.add_edge(a, b, weight=0, led_by_one=0)
            g[a][b]["weight"] += 1
            g[a][b]["led_by_one"] += int(LEAD in (roles[a], roles[b]))
    return g


def agency_centrality(store, document: str | None = None) -> list[dict[str, Any]]:
    """Who coordinates most: tasks led and supported, partners, weighted degree, betweenness.

    Betweenness uses ``1 / weight`` as the distance, so agencies that often
    share tasks are close.  Sorted by weighted degree, then tasks led."""
    nx = _nx()
    g = agency_network(store, document)
    if g.number_of_nodes() == 0:
        return []
    for _a, _b, data in g.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    degree = nx.degree_centrality(g) if g.number_of_nodes() > 1 else {n: 0.0 for n in g}
    betweenness = nx.betweenness_centrality(g, weight="distance", normalized=True)
    strength = dict(g.degree(weight="weight"))
    out = [{
        "agency": n, "tasks_led": g.nodes[n]["led"], "tasks_supported": g.nodes[n]["supported"],
        "partners": g.degree(n), "shared_tasks": strength[n],
        "degree_centrality": round(degree[n], 4), "betweenness": round(betweenness[n], 4),
    } for n in g]
    out.sort(key=lambda r: (-r["shared_tasks"], -r["tasks_led"], r["agency"]))
    return out


CENTRALITY_COLUMNS = ["agency", "tasks_led", "tasks_supported", "partners", "shared_tasks",
                      "degree_centrality", "betweenness"]


def citation_network(store):
    """Documents as nodes (corpus and cited), an edge citing → cited, ``weight`` = citing clauses."""
    nx = _nx()
    g = nx.DiGraph(name="document citations")
    docs = tables.select(store, """
SELECT ?doc ?id ?title ?number ?corpus WHERE {
  ?doc a eli:LegalResource ; dcterms:identifier ?id .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc eli:id_local ?number }
  BIND(EXISTS { ?doc dcterms:source ?src } AS ?corpus)
}""")
    ids = {}
    for d in docs:
        ids[d["doc"]] = d["id"]
        g.add_node(d["id"], label=d["title"] or d["number"] or d["id"], title=d["title"] or "",
                   number=d["number"] or "", in_corpus=d["corpus"] in ("true", True, "1"))
    cites = tables.select(store, """
SELECT ?clause_id ?to WHERE {
  ?x a pkg:Citation ; pkg:statedIn ?c ; pkg:citedResource ?to .
  ?c dcterms:identifier ?clause_id .
}""")
    citing: dict[tuple[str, str], set[str]] = {}
    for c in cites:
        source, target = c["clause_id"].partition("#")[0], ids.get(c["to"])
        if target is not None and source != target and source in g:
            citing.setdefault((source, target), set()).add(c["clause_id"])
    for (source, target), clauses in sorted(citing.items()):
        g.add_edge(source, target, weight=len(clauses))
    return g


def write_graphml(g, out) -> None:
    """Write ``g`` as GraphML to a path or a binary file object."""
    _nx().write_graphml(g, str(out) if isinstance(out, (str, Path)) else out, encoding="utf-8")
