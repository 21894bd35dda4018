"""One document's part of the graph, made and checked on its own (in a worker process).

The build stage never holds the whole graph: each document's triples are
made from its ingest file, checked against the SHACL shapes together with
just the shared nodes they point at (:func:`graph.shared.write_shared` with
``whole=False``) and the ontology, and handed back as sorted N-Triples.  The
shapes constrain one node and the nodes it points at, and every node of a
part is minted under its document's id, so checking the parts one by one
and the shared nodes once checks the same constraints as the whole graph.

A part's :func:`part_key` covers everything its triples depend on: the
ingest file, how its citations resolve against the rest of the corpus, and
the graph code, shapes and lexicons; an unchanged key lets the next build
copy the part instead of making it again.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.citations import Cited

GRAPH_ROOT = Path(__file__).resolve().parent


@dataclass
class PartTask:
    """What a worker needs to make one document's part."""
    doc_id: str
    path: str                                # documents/<id>.json
    cited: dict[str, Cited]                  # its citations, resolved against the corpus
    stubs: dict[str, tuple[str, str]]        # cited corpus documents → (title, number)
    key: str = ""


@dataclass
class Part:
    """A made part: sorted N-Triples, the shared nodes it names, and what its check found."""
    doc_id: str
    key: str
    nt: bytes = b""
    triples: int = 0
    facts: dict = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    error: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """The graph code, ontology and shapes, and the ingest lexicons: a part made by other code is made again."""
    from ingest.fingerprint import files_fingerprint, ingest_fingerprint

    return hashlib.sha256((files_fingerprint(GRAPH_ROOT) + ingest_fingerprint()).encode()).hexdigest()


def part_key(file_sha256: str, task: PartTask) -> str:
    resolved = {k: c.to_json() for k, c in sorted(task.cited.items())}
    payload = json.dumps([graph_fingerprint(), file_sha256, resolved, sorted(task.stubs.items())],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_part(task: PartTask) -> Part:
    """Make and check one document's part; errors come back as values, naming the document."""
    from graph.errors import GraphDataError

    try:
        return _make_part(task)
    except GraphDataError as err:
        return Part(task.doc_id, task.key, error=str(err))
    except Exception as err:  # a bug: name the document, let the build report it
        return Part(task.doc_id, task.key, error=f"{task.path}: {type(err).__name__}: {err}")


def _make_part(task: PartTask) -> Part:
    from graph.rdf import document_graph
    from graph.shared import load_lexicons, write_shared
    from graph.store import nt_bytes, nt_lines
    from graph.validate import validate

    started = time.perf_counter()
    doc = json.loads(Path(task.path).read_text(encoding="utf-8"))
    agencies, industries = load_lexicons()     # cached by ingest.extract.lexicon
    g, facts = document_graph(doc, task.cited, agencies, industries)
    lines = nt_lines(g)
    made = time.perf_counter()
    write_shared(g, facts, agencies, industries, whole=False, stubs=task.stubs)
    result = validate(g)                       # with the ontology, read alongside rather than copied in
    checked = time.perf_counter()
    return Part(
        doc_id=task.doc_id, key=task.key,
        nt=nt_bytes(lines),
        triples=len(lines), facts=facts.to_json(), violations=result.violations,
        seconds={"build": made - started, "validate": checked - made},
    )
