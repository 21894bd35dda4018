"""One document in, one :class:`ParsedDocument` out.

read → paragraphs (clean-up, traced) → front matter / body → clauses →
mentions (agencies, targets, measures, industries, citations), every span
mapped back to the source text.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest import limits
from ingest.errors import IngestError
from ingest.glued import unglue
from ingest.ids import clause_id, document_id
from ingest.layout import Paragraph, paragraphs
from ingest.markers import match_marker
from ingest.metadata import apply_sidecar, extract_metadata, front_matter_kind, is_org_line
from ingest.model import Clause, DocumentMeta, ParsedDocument, Span
from ingest.normalize import Traced
from ingest.readers import read_source
from ingest.safe_paths import UnsafePath, check_document_id
from ingest.structure import RawClause, build_clauses


# Kinds that stay metadata wherever they stand (a signature's date, 抄送, 印发, （此件公开发布）).
_BACK_KINDS = {"date", "publicity", "copy", "printed", "mark"}
# Kinds that are front matter only before the body starts.
_AFTER_BODY_FRONT = _BACK_KINDS | {"field", "number", "source"}


def split_front_matter(paras: list[Paragraph]) -> tuple[list[tuple[str, Paragraph]], list[Paragraph]]:
    """Separate title, number, recipients, signature … lines from the body.

    Only paragraphs before the first numbered part can be front matter (an
    attachment marker does not end it: its title is front matter too); once a
    body paragraph was seen, a title-like line is body text (an unnumbered
    heading) unless it is a signature, i.e. agency names followed by a date.
    """
    front, body, _ = split_matter(paras)
    return [(k, p) for k, p in front if k != "body"], body


def _signature_at(paras: list[Paragraph], i: int) -> bool:
    nxt = paras[i + 1].text.text.strip() if i + 1 < len(paras) else ""
    # the date test first: it is cheap, and most lines are not followed by one
    return front_matter_kind(nxt) == "date" and is_org_line(paras[i].text.text.strip())


def split_matter(paras: list[Paragraph]) -> tuple[list[tuple[str, Paragraph]], list[Paragraph], list[tuple[str, Paragraph]]]:
    """Front matter, body and back matter (signatures, dates, 抄送 lists, 印发 lines after the body starts)."""
    front: list[tuple[str, Paragraph]] = []
    body: list[Paragraph] = []
    back: list[tuple[str, Paragraph]] = []
    in_front, seen_body, copy_list, after_signature = True, False, False, False
    for i, para in enumerate(paras):
        text = para.text.text
        marker = match_marker(text)
        if marker is not None and marker.kind != "attachment":
            in_front = False
        kind = front_matter_kind(text) if marker is None else None
        if kind is None and marker is None and para.md_heading and not seen_body \
                and not any(k == "title" for k, _ in front) and not re.search(r"[。；]", text):
            kind = "title"   # a Markdown document's # heading is its title, 、 and all
        if kind in (None, "title") and marker is None and _signature_at(paras, i):
            kind = "signature"
        if copy_list and kind is None and not text.rstrip().endswith(("：", ":")):
            back.append(("copy", para))       # the list after a bare 抄送：
            copy_list = False
            continue
        copy_list = kind == "copy" and len(text.strip()) <= 4
        if in_front and kind and (not seen_body or after_signature or kind in _AFTER_BODY_FRONT or kind == "signature"):
            front.append(("title" if kind == "signature" else kind, para))
            # a cover notice ends with its signature and date; the attached document's title follows
            after_signature = after_signature or (seen_body and kind in ("date", "publicity"))
        elif not in_front and kind in _BACK_KINDS | {"signature"}:
            back.append(("title" if kind == "signature" else kind, para))
        else:
            body.append(para)
            if marker is not None and marker.kind == "attachment":
                continue   # 附件1 begins a part; its title is still front matter
            if in_front and (not seen_body or after_signature):
                front.append(("body", para))   # where the body began, for reading the front matter
            seen_body, after_signature = True, False
    return front, body, back


def _keep_glued_matter(paras, front, body, back) -> tuple[list[Paragraph], frozenset[int]]:
    """A signature, date or title cut from a line that runs into the body
    (``…财政局2018年4月20日2018年…管理办法总则``) stays in the body too, as closing clauses:
    the metadata reads it, and no part of a body line is in no clause.
    Returns the body and the ids of those paragraphs."""
    if not body:
        return body, frozenset()
    order = {id(p): i for i, p in enumerate(paras)}
    first, last = order[id(body[0])], order[id(body[-1])]
    inner = [p for k, p in [*front, *back] if k != "body" and p.glued and first < order[id(p)] < last]
    if not inner:
        return body, frozenset()
    merged = sorted({id(p): p for p in [*body, *inner]}.values(), key=lambda p: order[id(p)])
    return merged, frozenset(id(p) for p in inner)


def _to_source(traced: Traced, span: Span) -> Span:
    return Span(*traced.source_span(span.start, span.end))


def _extract_mentions(clause: Clause, traced: Traced, meta: DocumentMeta,
                      review: list[tuple[int, int]] | None = None, where=None) -> None:
    from ingest.extract import (
        classify_measures, find_agencies, find_citations, find_industries, find_targets,
    )
    from ingest.extract.agencies import LAW_LEVELS
    from ingest.extract.conditions import find_conditions
    from ingest.extract.context import clause_context
    from ingest.extract.entitlements import find_entitlements
    from ingest.extract.measures import attach_mentions

    text = clause.text
    context = clause_context(meta, [*clause.parents, clause.heading], review, len(clause.text))
    clause.agencies = find_agencies(text, meta.region, where=where,
                                    law=any(meta.level.startswith(x) for x in LAW_LEVELS) if meta.level else False)
    clause.targets = find_targets(text, context)
    clause.measures = classify_measures(text, context)
    clause.industries = find_industries(text)
    clause.cites = find_citations(text)
    clause.sentences, eligibility, clause.entitlements = find_entitlements(text)
    # one list of conditions per clause: its own, then those its entitlements are given on
    own = find_conditions(text, clause.sentences)
    clause.conditions = [*own, *eligibility]
    for entitlement in clause.entitlements:
        entitlement.conditions = [len(own) + i for i in entitlement.conditions]
    attach_mentions(clause.measures, clause.industries, clause.agencies, clause.conditions)
    for mention in [*clause.mentions(), *clause.sentences]:
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
    limits.check_text(source_text, name)
    paras = unglue(paragraphs(source_text))
    front, body, back = split_matter(paras)
    body, closing = _keep_glued_matter(paras, front, body, back)
    raw_clauses = build_clauses(body, source_text, closing)
    limits.check_clauses(len(raw_clauses), name)
    if not raw_clauses:
        raise IngestError(name, "no text found after clean-up (is it empty or only page numbers?)")
    meta = extract_metadata(front, "\n".join(r.text.text for r in raw_clauses), back)
    meta.source_format = source_format
    if source_path is not None:
        meta.source_file = source_path.name
        meta.source_sha256 = hashlib.sha256(source_path.read_bytes()).hexdigest()
        meta = apply_sidecar(meta, source_path)
    meta.title = meta.title or (source_path.stem if source_path else name)
    meta.id = meta.id or document_id(meta.number, meta.title, meta.region)
    try:
        check_document_id(meta.id)
    except UnsafePath as err:
        raise IngestError(name, str(err)) from None
    warnings = []
    if len(raw_clauses) > 1 and all(r.kind in ("preamble", "paragraph") for r in raw_clauses):
        warnings.append(f"{name}: no numbering found; each paragraph is a clause")
    clauses = []
    from ingest.extract.context import ReviewTracker, document_jurisdiction, document_year

    review = ReviewTracker(document_year(meta))
    where = document_jurisdiction(meta, source_text) if extract else None
    for raw in raw_clauses:
        clause = _clause(meta.id, raw)
        if extract and len(clause.text) > limits.MAX_EXTRACT_CHARS:
            warnings.append(limits.too_long_to_extract(name, clause.id, len(clause.text)))
        elif extract:
            _extract_mentions(clause, raw.text, meta, review.scan(clause.heading, clause.text), where)
        clauses.append(clause)
    return ParsedDocument(meta=meta, clauses=clauses, source_text=source_text, warnings=warnings)


def parse_document(path: str | Path, extract: bool = True) -> ParsedDocument:
    """Read and parse one file; raises :class:`IngestError` naming the file."""
    path = Path(path)
    source = read_source(path)
    doc = parse_text(source.text, str(path), extract, source_path=path, source_format=source.format)
    doc.warnings[:0] = [f"{path}: {w}" for w in getattr(source, "warnings", ())]
    return doc
