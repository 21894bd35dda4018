"""Which document a citation names: one of the corpus, or a minted external one.

A clause citing 《…》(晋能源规发〔2024〕195号) points at the corpus document
with that number or that title when there is one; otherwise at an external
document whose id is minted from the number and title (``ingest.ids``).
Resolution needs the whole corpus (every document's number and title, and the
number some other clause gives a title), so the graph stage builds a
:class:`CorpusIndex` first and hands each document its resolved citations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

_TITLE_NOISE = re.compile(r"[\s《》“”\"、，,]")


def norm_title(title: str) -> str:
    """A title without spaces, quotes and list commas (中共山西省委 山西省人民政府… = 中共山西省委山西省人民政府…)."""
    return _TITLE_NOISE.sub("", title)


@dataclass(frozen=True)
class Cited:
    """The document a citation resolves to: its id, whether the corpus holds it, and
    (for one outside the corpus) the title and number it is known by."""
    doc_id: str
    in_corpus: bool
    title: str = ""
    number: str = ""

    def to_json(self) -> list:
        return [self.doc_id, self.in_corpus, self.title, self.number]

    @classmethod
    def from_json(cls, value: list) -> "Cited":
        return cls(*value)


@dataclass
class CorpusIndex:
    """The corpus documents' ids, numbers and titles, and the number each cited title is given anywhere."""
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)   # doc id → (title, number)
    by_number: dict[str, str] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)
    cited_number_of: dict[str, str] = field(default_factory=dict)
    _lookup: "_TitleLookup | None" = field(default=None, repr=False)

    @classmethod
    def of(cls, documents: Iterable[dict[str, Any]]) -> "CorpusIndex":
        index = cls()
        for doc in documents:
            index.add(doc)
        return index

    def add(self, doc: dict[str, Any]) -> None:
        meta = doc["document"]
        number = meta.get("number") or ""
        self.titles[meta["id"]] = (meta["title"], number)
        if number:
            self.by_number[number] = meta["id"]
        self.by_title[meta["title"]] = meta["id"]
        for clause in doc["clauses"]:
            for x in clause.get("cites", []):
                if x.get("title") and x.get("number"):
                    self.cited_number_of.setdefault(x["title"], x["number"])
        self._lookup = None

    def resolve(self, title: str, number: str) -> Cited:
        number = number or self.cited_number_of.get(title, "")
        if number and number in self.by_number:
            return Cited(self.by_number[number], True)
        if title:
            if self._lookup is None:
                self._lookup = _TitleLookup(self.by_title)
            found = self._lookup.find(norm_title(title))
            if found is not None:
                return Cited(found, True)
        from ingest.ids import document_id

        ext_id = document_id(number, title, "")
        return Cited(ext_id, ext_id in self.titles, title, number)

    def resolved_in(self, doc: dict[str, Any]) -> dict[str, Cited]:
        """Every citation of ``doc`` resolved, keyed by :func:`citation_key`."""
        return self.resolved(citations_of(doc))

    def resolved(self, citations: list[tuple[str, str]]) -> dict[str, Cited]:
        return {citation_key(title, number): self.resolve(title, number) for title, number in citations}


def citations_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The distinct (title, number) pairs ``doc`` cites, sorted; a citation with neither is left out."""
    found = {(x.get("title") or "", x.get("number") or "")
             for clause in doc["clauses"] for x in clause.get("cites", [])}
    return sorted(c for c in found if any(c))


def citation_key(title: str, number: str) -> str:
    return f"{title}\x1f{number}"


class _TitleLookup:
    """The corpus title a cited title names, without scanning every title per citation.

    A cited title names a corpus document when, spaces and quotes aside, the
    two are equal, or the corpus title is the notice that issues it
    (关于印发《X》的通知 names X), or the cited title is a 关于… title the
    corpus title ends with.  Of several, the first document in corpus order wins.
    """

    def __init__(self, by_title: dict[str, str]):
        self.exact: dict[str, int] = {}
        self.after_issue: list[tuple[str, int]] = []     # text after each 印发, sorted: prefix search
        self.about_tail: dict[str, int] = {}             # each tail from a 关于 to the end
        self.ids: list[str] = []
        for order, (title, doc_id) in enumerate(by_title.items()):
            self.ids.append(doc_id)
            have = norm_title(title)
            self.exact.setdefault(have, order)
            for at in _positions(have, "印发"):
                self.after_issue.append((have[at + 2:], order))
            for at in _positions(have, "关于"):
                self.about_tail.setdefault(have[at:], order)
        self.after_issue.sort()

    def find(self, wanted: str) -> str | None:
        from bisect import bisect_left

        orders = [self.exact.get(wanted)]
        if wanted.startswith("关于"):
            orders.append(self.about_tail.get(wanted))
        i = bisect_left(self.after_issue, (wanted, -1))
        while i < len(self.after_issue) and self.after_issue[i][0].startswith(wanted):
            orders.append(self.after_issue[i][1])
            i += 1
        orders = [o for o in orders if o is not None]
        return self.ids[min(orders)] if orders else None


def _positions(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found
