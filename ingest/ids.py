"""Stable, human-citable identifiers.

A document id comes from its document number (晋能源规发〔2024〕195号 →
``jnygf-2024-195``) or, failing that, its region and title; a clause id is
the document id and the clause's structural path (``jnygf-2024-195#一.3``).
Neither depends on file names or processing order, so rebuilding an
unchanged document gives the same ids.
"""
from __future__ import annotations

import re

from ingest.metadata import PROVINCES
from ingest.patterns import DOC_NUMBER, OPEN_BRACKETS

_TITLE_NOISE = re.compile(r"^.*?关于|印发|的通知$|的意见$|通知$|[（(]试行[）)]|[“”\"《》（）()\s]")


def _initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def document_id(number: str, title: str, region: str) -> str:
    m = DOC_NUMBER.search(number or "")
    if m:
        prefix = number[: m.start("year")].rstrip(OPEN_BRACKETS + " ")
        return f"{_initials(prefix)}-{m['year']}-{m['serial']}"
    core = _TITLE_NOISE.sub("", title) or title
    region_code = next((_initials(short) for short, (full, _) in PROVINCES.items() if full == region), "")
    slug = _initials(core)[:20] or "doc"
    return f"{region_code}-{slug}" if region_code and not slug.startswith(region_code) else slug


def clause_id(doc_id: str, path: str) -> str:
    return f"{doc_id}#{path}"
