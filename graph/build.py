"""``build_graph(data_dir)``: the graph stage of ``policykg build``.

Reads the ingest files in ``data_dir`` (``documents/*.json``), builds the
graph (:func:`graph.rdf.build_rdf`), checks it (:func:`graph.validate.validate`)
and writes ``data_dir/graph/`` (see :mod:`graph.store`).  A graph that fails
SHACL raises ``app.build.BuildError`` listing the violations, so the build
publishes nothing.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from graph.store import GRAPH_DIR, MANIFEST, NT_FILE, SCHEMA_VERSION, STORE_DIR, write_store
from graph.validate import ONTOLOGY, ONTOLOGY_IRI, SHAPES, ontology_graph, validate

MAX_LISTED = 50


def load_lexicons():
    """The agency lexicon and the industry scheme ingest used."""
    from ingest.extract.lexicon import load_agency_lexicon, load_industry_scheme

    return load_agency_lexicon(), load_industry_scheme()


def graph_from_data(data_dir: Path) -> Graph:
    from graph.rdf import build_rdf
    from ingest.store import load_documents

    agencies, industries = load_lexicons()
    return build_rdf(load_documents(data_dir), agencies, industries)


def build_graph(data_dir: Path) -> dict:
    from app.build import BuildError
    from graph.rdf import GraphDataError

    started = time.perf_counter()
    data_dir = Path(data_dir)
    try:
        g = graph_from_data(data_dir)
    except GraphDataError as err:
        raise BuildError(f"graph: {err}") from None
    data_triples = len(g)
    for t in ontology_graph():           # one graph of data + ontology: validated and written as is
        g.add(t)
    built = time.perf_counter()
    result = validate(g)
    if not result.conforms:
        listed = result.violations[:MAX_LISTED]
        more = len(result.violations) - len(listed)
        raise BuildError(
            f"the graph fails its SHACL shapes (graph/shapes.ttl) with {len(result.violations)} violation(s):\n  "
            + "\n  ".join(listed) + (f"\n  … and {more} more" if more > 0 else ""))
    validated = time.perf_counter()
    info = write_graph(g, data_dir)
    info["data_triples"] = data_triples
    info.update({
        "shacl": result.summary(),
        "seconds": {
            "build": round(built - started, 2),
            "validate": round(validated - built, 2),
            "write": round(time.perf_counter() - validated, 2),
        },
    })
    _write_manifest(data_dir, info)
    return {k: info[k] for k in ("triples", "data_triples", "shacl", "nt_sha256", "seconds")}


def write_graph(g: Graph, data_dir: Path) -> dict:
    """Write ``graph/`` into ``data_dir``: the sorted N-Triples dump (data + ontology) and the store.

    ``g`` may hold the ontology already; it is added to the dump when it does not."""
    import pyoxigraph as ox
    import rdflib

    out = Path(data_dir) / GRAPH_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lines = set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in g:
        lines |= set(ontology_graph().serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    lines = sorted(lines - {""})
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    (out / NT_FILE).write_bytes(payload)
    shutil.copyfile(ONTOLOGY, out / "ontology.ttl")
    shutil.copyfile(SHAPES, out / "shapes.ttl")
    write_store(out / NT_FILE, out / STORE_DIR)
    return {
        "schema_version": SCHEMA_VERSION,
        "triples": len(lines),
        "data_triples": len(g) - (len(ontology_graph()) if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g else 0),
        "nt_sha256": hashlib.sha256(payload).hexdigest(),
        "rdflib": rdflib.__version__,
        "pyoxigraph": ox.__version__,
        "base_iri": "https://w3id.org/policykg/",
        "files": {"nt": NT_FILE, "store": STORE_DIR, "ontology": "ontology.ttl", "shapes": "shapes.ttl"},
    }


def _write_manifest(data_dir: Path, info: dict) -> None:
    try:
        import pyshacl

        info["pyshacl"] = pyshacl.__version__
    except Exception:  # pragma: no cover - pyshacl is a dependency
        pass
    path = Path(data_dir) / GRAPH_DIR / MANIFEST
    path.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
