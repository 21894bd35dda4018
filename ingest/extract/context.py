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
    agenda: bool = False           # a year's programme: every committed quantity is a target
    review: tuple[tuple[int, int], ...] = ()   # parts of the clause text that report the past


_AGENDA_TITLE = re.compile(r"政府工作报告|工作要点|年度工作计划|工作安排")


def is_agenda(meta: DocumentMeta) -> bool:
    """A document that sets out a year's programme (a work report, 工作要点)."""
    return bool(_AGENDA_TITLE.search(meta.title or ""))


def clause_context(meta: DocumentMeta, headings: list[str],
                   review: list[tuple[int, int]] | None = None, length: int = 0) -> ExtractContext:
    """``review``: the parts of the clause :class:`ReviewTracker` found reporting
    the past, for documents whose review has no heading of its own."""
    year = document_year(meta)
    review = review or []
    back = looks_back(headings, year) or (length > 0 and review == [(0, length)])
    return ExtractContext(year=year, region=meta.region, looking_back=back,
                          agenda=is_agenda(meta) and not back and year is not None,
                          review=tuple(review))


_OPENS_REVIEW = re.compile(r"^\W{0,3}(?:过去一年|一年来|过去五年|五年来|回顾过去)")


class ReviewTracker:
    """Follows a report clause by clause: a paragraph opening with 过去一年 / 一年来
    starts a review that lasts until a paragraph or heading speaks of this year
    (今年, 2025年是…, 2025年工作).  Needed where the review has no heading."""

    def __init__(self, year: int | None):
        self.year = year
        self.in_review = False
        ahead = rf"|{year}年(?:是|工作|重点|主要|总体|经济社会)|做好{year}年" if year else ""
        self._forward = re.compile(rf"^\W{{0,3}}(?:今年|明年{ahead})")

    def scan(self, heading: str, text: str) -> list[tuple[int, int]]:
        """The ranges of ``text`` (whole lines) that belong to a review."""
        out: list[tuple[int, int]] = []
        pos = 0
        for k, line in enumerate(text.split("\n")):
            head = line[:40]
            if _OPENS_REVIEW.search(head) or (k == 0 and _OPENS_REVIEW.search(heading)):
                self.in_review = True
            elif self._forward.search(head) or (k == 0 and self._forward.search(heading)):
                self.in_review = False
            end = pos + len(line)
            if self.in_review:
                if out and out[-1][1] >= pos - 1:
                    out[-1] = (out[-1][0], end)
                else:
                    out.append((pos, end))
            pos = end + 1
        return out


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


def document_jurisdiction(meta: DocumentMeta, text: str = ""):
    """The document's jurisdiction as a :class:`~ingest.extract.agency_names.Jurisdiction`.

    The metadata's region when it names a unit of the regions table; otherwise
    the region named most often in the title and the opening text (临海市人民政府
    关于…, 北仑区（开发区）…), kept inside the metadata's region when one is known.
    """
    from ingest.extract.agency_names import Jurisdiction
    from ingest.regions import NATIONAL, default_table

    table = default_table()
    if not meta.region or meta.region == NATIONAL:
        known = None
    else:
        known = table.by_path(meta.region) or table.resolve(meta.region)
    counts: dict = {}
    for region, _, _ in table.mentions((meta.title or "") + "\n" + text[:3000]):
        if known is None or table.contains(known, region):
            counts[region] = counts.get(region, 0) + 1
    if counts:
        depth = lambda r: len(r.names)  # noqa: E731
        best = max(counts, key=lambda r: (counts[r] > 0 and depth(r), counts[r]))
        if known is None or depth(best) > depth(known):
            known = best
    if meta.region == NATIONAL and (known is None or len(known.names) == 0):
        return Jurisdiction()
    return Jurisdiction.from_path(known.names) if known else Jurisdiction()
