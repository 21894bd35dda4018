"""What an extractor needs to know about the document around a clause.

The year a relative date (今年, 明年, 本年度) means, the jurisdiction that
abbreviated agency names (市财政局, 区商务局) belong to, and whether a clause
looks back (a work report's 2024年工作回顾) or forward.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import DocumentMeta

_YEAR_IN_DATE = re.compile(r"((?:19|20)\d{2})")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")

# Headings of sections that report what was done, not what is planned.
_LOOKING_BACK = re.compile(r"回顾|过去[一五]年|一年来|五年来|工作总结|主要成绩|取得的成[效绩就]")


@dataclass(frozen=True)
class ExtractContext:
    year: int | None = None        # the document's own year: what 今年 means
    region: str = ""               # the issuing jurisdiction, as full as known
    looking_back: bool = False     # the clause reports past results


def document_year(meta: DocumentMeta) -> int | None:
    """The document's year: its date, else a year in its title (2025年…工作报告)."""
    for value in (meta.date_written, meta.date_published):
        m = _YEAR_IN_DATE.search(value or "")
        if m:
            return int(m.group(1))
    m = _YEAR_IN_TITLE.search(meta.title or "")
    return int(m.group(1)) if m else None


def looks_back(headings: list[str], year: int | None) -> bool:
    """A clause under a heading that reviews the past (回顾, or a year before the document's)."""
    for h in headings:
        if _LOOKING_BACK.search(h):
            return True
        if year is not None:
            m = re.match(r"\s*((?:19|20)\d{2})\s*年(?:工作|主要)", h)
            if m and int(m.group(1)) < year:
                return True
    return False
