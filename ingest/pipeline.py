"""One document in, one :class:`ParsedDocument` out.

read → paragraphs (clean-up, traced) → front matter / body → clauses →
mentions (agencies, targets, measures, industries, citations), every span
mapped back to the source text.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import IngestError
from ingest.ids import clause_id, document_id
from ingest.layout import Paragraph, paragraphs
from ingest.markers import match_marker
from ingest.metadata import apply_sidecar, extract_metadata, front_matter_kind
from ingest.model import Clause, ParsedDocument, Span
from ingest.normalize import Traced
from ingest.readers import read_source
from ingest.structure import RawClause, build_clauses


def split_front_matter(paras: list[Paragraph]) -> tuple[list[tuple[str, Paragraph]], list[Paragraph]]:
    """Separate title, number, recipients, signature … lines from the body.

    Only paragraphs before the first numbered part can be front matter
    (an attachment marker does not end it: its title is front matter too).
    """
    front: list[tuple[str, Paragraph]] = []
    body: list[Paragraph] = []
    in_front = True
    for para in paras:
        marker = match_marker(para.text.text)
        if marker is not None and marker.kind != "attachment":
            in_front = False
        kind = front_matter_kind(para.text.text) if in_front and marker is None else None
        if kind:
            front.append((kind, para))
        else:
            body.append(para)
    return front, body


def _to_source(traced: Traced, span: Span) -> Span:
    return Span(*traced.source_span(span.start, span.end))


def _extract_mentions(clause: Clause, traced: Traced, region: str) -> None:
    from ingest.extract import (
        classify_measures, find_agencies, find_citations, find_industries, find_targets,
    )

    text = clause.text
    clause.agencies = find_agencies(text, region)
    clause.targets = find_targets(text)
    clause.measures = classify_measures(text)
    clause.industries = find_industries(text)
    clause.cites = find_citations(text)
    for mention in [*clause.agencies, *clause.targets, *clause.measures, *clause.industries, *clause.cites]:
        mention.span = _to_source(traced, mention.span)


def _clause(doc_id: str, raw: RawClause) -> Clause:
    return Clause(
        id=clause_id(doc_id, raw.path),
        path=raw.path,
        heading=raw.heading,
        parents=raw.parents,
        text=raw.text.text,
        span=Span(*raw.text.source_span()),
        kind=raw.kind,
    )


def parse_text(
    source_text: str,
    name: str = "<text>",
    extract: bool = True,
    source_path: Path | None = None,
    source_format: str = "txt",
) -> ParsedDocument:
    """Parse a document already read into text.

    ``name`` labels errors and warnings; with ``source_path`` the file's hash
    is recorded and its sidecar applied.
    """
    paras = paragraphs(source_text)
    front, body = split_front_matter(paras)
    raw_clauses = build_clauses(body, source_text)
    if not raw_clauses:
        raise IngestError(name, "no text found after clean-up (is it empty or only page numbers?)")
    meta = extract_metadata(front, "\n".join(r.text.text for r in raw_clauses))
    meta.source_format = source_format
    if source_path is not None:
        meta.source_file = source_path.name
        meta.source_sha256 = hashlib.sha256(source_path.read_bytes()).hexdigest()
        meta = apply_sidecar(meta, source_path)
    meta.title = meta.title or (source_path.stem if source_path else name)
    meta.id = meta.id or document_id(meta.number, meta.title, meta.region)
    warnings = []
    if len(raw_clauses) > 1 and all(r.kind in ("preamble", "paragraph") for r in raw_clauses):
        warnings.append(f"{name}: no numbering found; each paragraph is a clause")
    clauses = []
    for raw in raw_clauses:
        clause = _clause(meta.id, raw)
        if extract:
            _extract_mentions(clause, raw.text, meta.region)
        clauses.append(clause)
    return ParsedDocument(meta=meta, clauses=clauses, source_text=source_text, warnings=warnings)


def parse_document(path: str | Path, extract: bool = True) -> ParsedDocument:
    """Read and parse one file; raises :class:`IngestError` naming the file."""
    path = Path(path)
    source = read_source(path)
    doc = parse_text(source.text, str(path), extract, source_path=path, source_format=source.format)
    doc.warnings[:0] = [f"{path}: {w}" for w in getattr(source, "warnings", ())]
    return doc
