"""How the graph scales: build, validate, store and query a corpus copied N times.

    python bench/graph_scale.py --data data --copies 100 [--skip-shacl] [--pyshacl]

Each copy of every document gets its own id, number and clause ids (so
nothing merges), and the timings of each stage are printed as JSON: the
graph build (rdflib), SHACL (the build's direct checker, and pyshacl
with ``--pyshacl``), writing N-Triples and the pyoxigraph
store, opening the store, and the worked queries and tables an interactive
user runs.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

import graph
from graph.build import manifest_info
from graph.schema import ONTOLOGY, ONTOLOGY_IRI, SHAPES, ontology_graph
from graph.store import GRAPH_DIR, NT_FILE, STORE_DIR, nt_bytes, nt_lines, write_store

QUERIES = Path(graph.__file__).resolve().parent / "queries"


def copies(documents: list[dict], n: int) -> list[dict]:
    out = []
    for k in range(n):
        for doc in documents:
            d = copy.deepcopy(doc)
            old, new = d["document"]["id"], f"{d['document']['id']}-c{k}" if k else d["document"]["id"]
            d["document"]["id"] = new
            if k and d["document"].get("number"):
                d["document"]["number"] = f"{d['document']['number']}-c{k}"
            if k:
                d["document"]["title"] = f"{d['document']['title']}（副本{k}）"
            for c in d["clauses"]:
                c["id"] = c["id"].replace(f"{old}#", f"{new}#", 1)
            out.append(d)
    return out


def run(data_dir: Path, n: int, shacl: bool = True, keep: Path | None = None, pyshacl: bool = False) -> dict:
    """Timings of every stage at ``n`` copies; with ``keep``, the graph folder is written there and kept."""
    from graph.shared import load_lexicons
    from graph.query import read_query, run_query
    from graph.rdf import build_rdf
    from graph.store import open_store
    from graph import tables
    from ingest.files import load_documents

    timings: dict[str, float | int | str] = {"copies": n}
    docs = copies(load_documents(data_dir), n)
    timings["documents"] = len(docs)
    t = time.perf_counter()
    g = build_rdf(docs, *load_lexicons())
    timings["build_s"] = round(time.perf_counter() - t, 2)
    timings["data_triples"] = len(g)
    for t in ontology_graph():          # as graph.build does: validate and write data + ontology as one graph
        g.add(t)
    if shacl:
        from graph.validate import validate

        t = time.perf_counter()
        result = validate(g)
        timings["shacl_s"] = round(time.perf_counter() - t, 2)
        timings["shacl"] = result.summary()
        if pyshacl:
            t = time.perf_counter()
            timings["pyshacl"] = validate(g, engine="pyshacl").summary()
            timings["pyshacl_s"] = round(time.perf_counter() - t, 2)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(keep or tmp)
        out.mkdir(parents=True, exist_ok=True)
        (out / "manifest.json").write_text("{}", encoding="utf-8")
        t = time.perf_counter()
        info = write_graph(g, out)
        (out / "graph" / "manifest.json").write_text(json.dumps(info), encoding="utf-8")
        timings["write_s"] = round(time.perf_counter() - t, 2)
        timings["triples"] = info["triples"]
        del g
        t = time.perf_counter()
        store = open_store(out)
        timings["open_store_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        from graph.store import load_in_memory

        load_in_memory(out / "graph" / "graph.nt")
        timings["load_nt_in_memory_s"] = round(time.perf_counter() - t, 2)
        for q in sorted(QUERIES.glob("*.rq")):
            t = time.perf_counter()
            rows = run_query(read_query(str(q)), store=store, limit=1_000_000).rows
            timings[f"{q.stem}_s"] = round(time.perf_counter() - t, 3)
            timings[f"{q.stem}_rows"] = len(rows)
        t = time.perf_counter()
        run_query(read_query(str(QUERIES / "agency-leads.rq")), data_dir=out)
        timings["agency-leads_child_process_s"] = round(time.perf_counter() - t, 3)
        for name, call in (("matrix_one_document", lambda: tables.agency_tasks(store, "jnygf-2024-195")),
                           ("matrix_all", lambda: tables.agency_tasks(store)),
                           ("targets_2030", lambda: tables.targets(store, year=2030)),
                           ("incentives_energy_intensive", lambda: tables.incentives(store, "energy-intensive"))):
            t = time.perf_counter()
            rows = call()
            timings[f"{name}_s"] = round(time.perf_counter() - t, 3)
            timings[f"{name}_rows"] = len(rows)
        del store
    return timings


def write_graph(g: Graph, data_dir: Path) -> dict:
    """Write a graph held in memory (this benchmark's) as ``data_dir/graph/``: sorted N-Triples
    of it and the ontology (added when ``g`` lacks it), and the store."""
    out = Path(data_dir) / GRAPH_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    has_ontology = (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    lines = nt_lines(g) if has_ontology else sorted(set(nt_lines(g)) | set(nt_lines(ontology_graph())))
    payload = nt_bytes(lines)
    (out / NT_FILE).write_bytes(payload)
    shutil.copyfile(ONTOLOGY, out / "ontology.ttl")
    shutil.copyfile(SHAPES, out / "shapes.ttl")
    write_store(out / NT_FILE, out / STORE_DIR)
    data_triples = len(g) - (len(ontology_graph()) if has_ontology else 0)
    return manifest_info(len(lines), data_triples, hashlib.sha256(payload).hexdigest())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/graph_scale.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a built data folder (its documents are copied)")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--skip-shacl", action="store_true", help="skip the SHACL check")
    parser.add_argument("--pyshacl", action="store_true", help="time pyshacl on the same graph too (the slowest stage)")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.data, args.copies, shacl=not args.skip_shacl, pyshacl=args.pyshacl),
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
