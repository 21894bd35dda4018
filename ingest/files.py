"""The ingest stage's files in a data folder, and reading them back.

    documents/<doc id>.json   the ``policykg extract --json`` shape
    sources/<doc id>.txt      the source text every span indexes
    clauses.jsonl             one clause a line, with its document's fields

Plain files, so any stage (and any user) can open them.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from ingest.model import ParsedDocument
from ingest.safe_paths import document_file

DOC_FIELDS = ("id", "title", "number", "region", "level", "issuers", "valid", "date_written", "date_published")


def write_document(doc: ParsedDocument, data_dir: Path) -> None:
    (data_dir / "documents").mkdir(parents=True, exist_ok=True)
    (data_dir / "sources").mkdir(parents=True, exist_ok=True)
    payload = json.dumps(doc.to_json(), ensure_ascii=False, indent=1)
    _replace(document_file(data_dir, "documents", doc.meta.id, ".json"), payload)
    _replace(document_file(data_dir, "sources", doc.meta.id, ".txt"), doc.source_text)


def _replace(path: Path, text: str) -> None:
    """Write a new file in place of ``path``: never into the old one, which may be a hard link
    into a published version (see ``ingest.stage``)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_clause_table(data_dir: Path) -> int:
    """Flatten every document's clauses into ``clauses.jsonl`` (sorted by document id)."""
    count = 0
    with open(data_dir / "clauses.jsonl", "w", encoding="utf-8") as out:
        for doc in iter_documents(data_dir):
            for record in clause_records(doc):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def clause_records(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A document's clauses as the clause table holds them: with ``doc_id``, ``doc_title``, ``region`` … added."""
    head = {f"doc_{k}" if k not in ("region", "level") else k: doc["document"].get(k) for k in DOC_FIELDS}
    for clause in doc["clauses"]:
        yield {**clause, **head}


def iter_documents(data_dir: Path) -> Iterator[dict[str, Any]]:
    """The ingest records of ``data_dir``, one at a time, in document-id order."""
    for path in sorted((Path(data_dir) / "documents").glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def load_document(data_dir: Path, doc_id: str) -> dict[str, Any]:
    """One document's ingest record; ``FileNotFoundError`` if there is none, ``UnsafePath`` for a bad id."""
    return json.loads(document_file(data_dir, "documents", doc_id, ".json").read_text(encoding="utf-8"))


def load_documents(data_dir: Path) -> list[dict[str, Any]]:
    return list(iter_documents(data_dir))


def iter_clauses(data_dir: Path) -> Iterator[dict[str, Any]]:
    """Clause records with ``doc_id``, ``doc_title``, ``doc_number``, ``region`` … added."""
    with open(Path(data_dir) / "clauses.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load_source(data_dir: Path, doc_id: str) -> str:
    return document_file(data_dir, "sources", doc_id, ".txt").read_text(encoding="utf-8")
