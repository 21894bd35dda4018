"""``build_graph(data_dir)``: the graph stage of ``policykg build``, one document at a time.

Memory stays bounded by the largest document, not the corpus:

1. every ingest file (``documents/*.json``) is read once for its number,
   title and citations (:class:`graph.citations.CorpusIndex`);
2. each document's part is made and checked against the SHACL shapes on its
   own, in worker processes (:mod:`graph.parts`), and streamed into
   ``graph/graph.nt`` in document-id order;
3. the shared nodes all the parts name (agencies, schemes, documents outside
   the corpus) are written and checked once, then the ontology;
4. the N-Triples dump is bulk-loaded into the on-disk store, or, when few parts
   changed, the previous build's store is updated with just the triples that
   differ (:mod:`graph.store_update`).

A part whose key (:func:`graph.parts.part_key`) matches the previous build's
is copied from its ``graph.nt`` instead of being made again.  The folder is
written as ``graph.tmp/`` and renamed when complete; a graph that fails SHACL
raises :class:`graph.errors.GraphBuildError` listing the violations, and nothing is left.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from graph.citations import CorpusIndex, citations_of
from graph.errors import GraphBuildError, GraphDataError
from graph.parts import Part, PartTask, make_part, part_key
from graph.schema import ONTOLOGY, SHAPES, ontology_graph
from graph.shared import load_lexicons
from graph.store import (
    GRAPH_DIR, MANIFEST, NT_FILE, PARTS_INDEX, SCHEMA_VERSION, STORE_DIR, nt_bytes, nt_lines, write_store,
)
from graph.store_update import update_store
from graph.validate import validate

MAX_LISTED = 50
PARALLEL_FROM = 4    # below this many parts to make, worker start-up costs more than it saves


def build_graph(data_dir: Path, previous: Path | None = None, workers: int | None = None,
                progress: Callable[[str], None] = lambda _: None) -> dict:
    """Write ``data_dir/graph/``; ``previous`` is the data folder of the last build (parts are reused from it)."""
    data_dir = Path(data_dir)
    out, tmp = data_dir / GRAPH_DIR, data_dir / f"{GRAPH_DIR}.tmp"
    for folder in (out, tmp):
        if folder.exists():
            shutil.rmtree(folder)
    tmp.mkdir(parents=True)
    try:
        try:
            index, tasks = _plan(data_dir)
        except GraphDataError as err:
            raise GraphBuildError(f"graph: {err}") from None
        info = _write(tmp, index, tasks, _previous_parts(previous), previous, workers, progress)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {k: info[k] for k in ("triples", "data_triples", "shacl", "nt_sha256", "parts", "store", "seconds")}


# ------------------------------------------------------------------ plan
def _plan(data_dir: Path) -> tuple[CorpusIndex, list[PartTask]]:
    """Read each ingest file once (one at a time); resolve every citation; key every part."""

    index = CorpusIndex()
    scanned = []
    for path in sorted((data_dir / "documents").glob("*.json")):
        raw = path.read_bytes()
        doc = json.loads(raw)
        doc_id = doc["document"]["id"]
        if doc_id in index.titles:
            raise GraphDataError(f"document id {doc_id} appears twice ({path.name})")
        index.add(doc)
        scanned.append((doc_id, path, hashlib.sha256(raw).hexdigest(), citations_of(doc)))
    tasks = []
    for doc_id, path, sha, cites in scanned:
        cited = index.resolved(cites)
        stubs = {c.doc_id: index.titles[c.doc_id] for c in cited.values() if c.in_corpus and c.doc_id != doc_id}
        task = PartTask(doc_id, str(path), cited, stubs)
        task.key = part_key(sha, task)
        tasks.append(task)
    return index, tasks


def _previous_parts(previous: Path | None) -> dict[str, dict]:
    """Document id → its entry in the previous build's parts index (empty when there is none)."""
    path = Path(previous) / GRAPH_DIR / PARTS_INDEX if previous else None
    if path is None or not path.exists() or not (path.parent / NT_FILE).exists():
        return {}
    with open(path, encoding="utf-8") as f:
        return {entry["doc"]: entry for entry in map(json.loads, f)}


def _parts(tasks: list[PartTask], before: dict[str, dict], workers: int | None) -> Iterator[tuple[PartTask, Part | dict]]:
    """Each task in order with its part: made now (a :class:`Part`) or the previous build's entry."""
    to_make = [t for t in tasks if before.get(t.doc_id, {}).get("key") != t.key]
    workers = workers or os.cpu_count() or 1
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(to_make) >= PARALLEL_FROM else None
    try:
        made = pool.map(make_part, to_make, chunksize=1) if pool else map(make_part, to_make)
        making = {t.doc_id for t in to_make}
        for task in tasks:
            yield task, (next(made) if task.doc_id in making else before[task.doc_id])
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# ----------------------------------------------------------------- write
def _write(folder: Path, index: CorpusIndex, tasks: list[PartTask], before: dict[str, dict],
           previous: Path | None, workers: int | None, progress: Callable[[str], None]) -> dict:
    from graph.rdf import new_graph
    from graph.shared import Facts, write_shared

    started = time.perf_counter()
    facts, violations = Facts(), {}
    now: dict[str, dict] = {}                   # document id → where its part lies in the new graph.nt
    digest, offset, data_triples = hashlib.sha256(), 0, 0
    made = reused = 0
    worker_s = {"build": 0.0, "validate": 0.0}
    stopped_after = None
    old_nt = open(Path(previous) / GRAPH_DIR / NT_FILE, "rb") if before else None
    try:
        with open(folder / NT_FILE, "wb") as nt, open(folder / PARTS_INDEX, "w", encoding="utf-8") as parts_index:
            for n, (task, part) in enumerate(_parts(tasks, before, workers), 1):
                if isinstance(part, Part):
                    if part.error:
                        raise GraphBuildError(f"graph: {part.error}")
                    violations.update(dict.fromkeys(part.violations))
                    payload, triples, part_facts = part.nt, part.triples, part.facts
                    for k in worker_s:
                        worker_s[k] += part.seconds.get(k, 0.0)
                    made += 1
                else:
                    old_nt.seek(part["offset"])
                    payload, triples, part_facts = old_nt.read(part["length"]), part["triples"], part["facts"]
                    reused += 1
                nt.write(payload)
                digest.update(payload)
                now[task.doc_id] = {"key": task.key, "offset": offset, "length": len(payload)}
                parts_index.write(json.dumps({"doc": task.doc_id, **now[task.doc_id], "triples": triples,
                                              "facts": part_facts}, ensure_ascii=False) + "\n")
                offset += len(payload)
                data_triples += triples
                facts.merge(Facts.from_json(part_facts))
                if len(violations) >= MAX_LISTED:
                    stopped_after = n
                    break
                if n % 500 == 0:
                    progress(f"    {n}/{len(tasks)} documents ({made} made, {reused} reused)")
            parts_done = time.perf_counter()
            shared = new_graph()
            write_shared(shared, facts, *load_lexicons(), corpus=set(index.titles))
            shared_data = len(shared)
            data_triples += shared_data
            for t in ontology_graph():
                shared.add(t)
            if stopped_after is None:
                violations.update(dict.fromkeys(validate(shared).violations))
            if violations:
                raise GraphBuildError(_violations_message(list(violations), stopped_after, len(tasks)))
            lines = nt_lines(shared)
            part_triples, shared_lines = data_triples - shared_data, len(lines)
            payload = nt_bytes(lines)
            nt.write(payload)
            digest.update(payload)
    finally:
        if old_nt is not None:
            old_nt.close()
    shared_done = time.perf_counter()
    shutil.copyfile(ONTOLOGY, folder / "ontology.ttl")
    shutil.copyfile(SHAPES, folder / "shapes.ttl")
    triples = part_triples + shared_lines
    updated = update_store(Path(previous) / GRAPH_DIR, folder, before, now, triples) if before else None
    if updated is None:
        write_store(folder / NT_FILE, folder / STORE_DIR)
    info = manifest_info(triples, data_triples, digest.hexdigest())
    info.update({
        "shacl": "conforms",
        "parts": {"made": made, "reused": reused},
        "store": {"updated": updated} if updated else "bulk-loaded",
        "seconds": {
            "parts": round(parts_done - started, 2),
            "shared": round(shared_done - parts_done, 2),
            "store": round(time.perf_counter() - shared_done, 2),
            "workers_build": round(worker_s["build"], 2),       # summed over the worker processes
            "workers_validate": round(worker_s["validate"], 2),
        },
    })
    (folder / MANIFEST).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def _violations_message(violations: list[str], stopped_after: int | None, documents: int) -> str:
    listed = violations[:MAX_LISTED]
    more = len(violations) - len(listed)
    head = f"the graph fails its SHACL shapes (graph/shapes.ttl) with {len(violations)} violation(s)"
    if stopped_after is not None:
        head += f" in its first {stopped_after} of {documents} documents (checking stopped there)"
    return head + ":\n  " + "\n  ".join(listed) + (f"\n  … and {more} more" if more > 0 else "")


def manifest_info(triples: int, data_triples: int, nt_sha256: str) -> dict:
    import pyoxigraph as ox
    import rdflib

    return {
        "schema_version": SCHEMA_VERSION,
        "triples": triples,
        "data_triples": data_triples,
        "nt_sha256": nt_sha256,
        "rdflib": rdflib.__version__,
        "pyoxigraph": ox.__version__,
        "shacl_checker": "graph/shacl.py (the shapes' SHACL Core, checked directly; pyshacl is the tests' reference)",
        "base_iri": "https://w3id.org/policykg/",
        "files": {"nt": NT_FILE, "store": STORE_DIR, "ontology": "ontology.ttl", "shapes": "shapes.ttl",
                  "parts": PARTS_INDEX},
    }
