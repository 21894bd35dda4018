"""Stable, human-citable identifiers.

A document id comes from its document number (晋能源规发〔2024〕195号 →
``jnygf-2024-195``) or, failing that, its region and title; a clause id is
the document id and the clause's structural path (``jnygf-2024-195#一.3``).
Neither depends on file names or processing order, so rebuilding an
unchanged document gives the same ids.

Pinyin initials are short but not unique (河南 / 海南 / 湖南 are all ``hn``).
When a derived id is already taken in a data folder, :func:`disambiguate`
adds what tells the two documents apart, readably: the place (``-hainan``),
else the year, else a few characters of the content hash.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ingest.metadata import PROVINCES, sidecar_path
from ingest.model import ParsedDocument
from ingest.patterns import DOC_NUMBER, OPEN_BRACKETS

_TITLE_NOISE = re.compile(r"^.*?关于|印发|的通知$|的意见$|通知$|[（(]试行[）)]|[“”\"《》（）()\s]")
# The administrative suffix of a place name: 海南省 → 海南, 温岭市 → 温岭.
_PLACE_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|特别行政区|省|市|县|区|旗|盟)$")


def _initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())


def document_id(number: str, title: str, region: str) -> str:
    m = DOC_NUMBER.search(number or "")
    if m:
        prefix = number[: m.start("year")].rstrip(OPEN_BRACKETS + " ")
        return f"{_initials(prefix)}-{m['year']}-{m['serial']}"
    core = _TITLE_NOISE.sub("", title) or title
    # The province of the jurisdiction (浙江省台州市温岭市 → zj).
    region_code = next((_initials(short) for short, (full, _) in PROVINCES.items() if region.startswith(full)), "")
    slug = _initials(core)[:20] or "doc"
    return f"{region_code}-{slug}" if region_code and not slug.startswith(region_code) else slug


def clause_id(doc_id: str, path: str) -> str:
    return f"{doc_id}#{path}"


def id_chosen_by_user(source: Path) -> bool:
    """Does the document's sidecar set its ``id``?  (A chosen id is never changed.)"""
    sidecar = sidecar_path(source)
    if not sidecar.exists():
        return False
    try:
        return "id" in tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def disambiguate(doc: ParsedDocument, taken: set[str]) -> str:
    """A free id for ``doc`` whose derived id is in ``taken``: the id plus the place, year or content hash."""
    base = doc.meta.id
    parts = re.findall(r".+?(?:省|自治区|自治州|市|县|区|盟|旗)", doc.meta.region or "")
    place = _PLACE_SUFFIX.sub("", parts[-1]) if parts else ""
    year = (doc.meta.date_written or doc.meta.date_published)[:4]
    for tail in (_pinyin(place) if place else "", year, (doc.meta.source_sha256 or "")[:6]):
        if tail and f"{base}-{tail}" not in taken:
            return f"{base}-{tail}"
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def rename_document(doc: ParsedDocument, new_id: str) -> None:
    """Give ``doc`` a new id, and its clauses ids under it."""
    doc.meta.id = new_id
    for clause in doc.clauses:
        clause.id = clause_id(new_id, clause.path)
