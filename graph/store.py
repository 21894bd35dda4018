"""The graph's files in a data folder, and the embedded store that serves them.

    graph/graph.nt        every triple, as N-Triples: the portable dump.  Each document's part
                          (sorted) in document-id order, then the shared nodes and the
                          ontology (sorted): the same input always gives the same bytes
    graph/parts.jsonl     where each document's part lies in graph.nt, its key, the shared
                          nodes it names: the next build copies unchanged parts
    graph/store/          a pyoxigraph (RocksDB) store of the same triples, built at build time
    graph/ontology.ttl    the vocabulary, graph/shapes.ttl the SHACL shapes it passed
    graph/manifest.json   counts, hashes, versions, SHACL result

Readers open ``store/`` read-only (instant, shared between processes).  When
it cannot be opened (pyoxigraph's storage format changed, the folder was
copied without it) the N-Triples dump is bulk-loaded into memory instead.
"""
from __future__ import annotations

import json
from pathlib import Path

GRAPH_DIR = "graph"
NT_FILE = "graph.nt"
PARTS_INDEX = "parts.jsonl"
STORE_DIR = "store"
MANIFEST = "manifest.json"
SCHEMA_VERSION = 1


class GraphNotBuilt(Exception):
    pass


def graph_dir(data_dir: Path) -> Path:
    return Path(data_dir) / GRAPH_DIR


def read_manifest(data_dir: Path) -> dict:
    path = graph_dir(data_dir) / MANIFEST
    if not path.exists():
        raise GraphNotBuilt(f"{data_dir}: no graph here; run `policykg build --out {data_dir}`")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise GraphNotBuilt(
            f"{path}: graph schema version {manifest.get('schema_version')} is not {SCHEMA_VERSION}; "
            f"rebuild with `policykg build --out {data_dir}`")
    return manifest


def nt_lines(g) -> list[str]:
    """An rdflib graph as N-Triples lines: distinct, sorted, so the same graph always reads the same."""
    return sorted(set(g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})


def nt_bytes(lines: list[str]) -> bytes:
    """Lines of N-Triples as the bytes of a file (nothing for no lines)."""
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_store(nt_path: Path, store_path: Path) -> None:
    """Bulk-load the N-Triples dump into a new on-disk pyoxigraph store and close it."""
    import gc

    import pyoxigraph as ox

    store = ox.Store(str(store_path))
    store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    store.optimize()
    del store
    gc.collect()


def open_store(data_dir: Path):
    """The graph of ``data_dir`` as a pyoxigraph ``Store`` (read-only on disk, else in memory)."""
    import pyoxigraph as ox

    manifest = read_manifest(data_dir)
    folder = graph_dir(data_dir)
    if manifest.get("pyoxigraph") == ox.__version__ and (folder / STORE_DIR).is_dir():
        try:
            return ox.Store.read_only(str(folder / STORE_DIR))
        except OSError:
            pass
    return load_in_memory(folder / NT_FILE)


def load_in_memory(nt_path: Path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)
    return store
