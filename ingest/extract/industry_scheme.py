"""The industry concept scheme: SKOS-like concepts with GB/T 4754-2017 codes."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract.matching import Trie


@dataclass
class Concept:
    id: str
    label: str                                           # skos:prefLabel
    alt: list[str] = field(default_factory=list)         # skos:altLabel
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)    # derived from broader
    gbt4754: str | None = None
    standalone: list[str] = field(default_factory=list)  # labels needing word boundaries

    @property
    def labels(self) -> list[str]:
        return [self.label, *self.alt]


@dataclass(frozen=True)
class IndustryMatch:
    id: str
    label: str
    as_written: str
    start: int
    end: int


# An ambiguous label counts as a mention only between these.
_LEFT_OK = set("、，,。；;：:（(“\"《 \n和与及或在对")
_RIGHT_OK = set("、，,。；;：:）)”\"》 \n和与及或等")
_RIGHT_WORDS = re.compile(r"行业|产业|企业|领域|工业|板块|集群")

_STOP = object()  # trie value for stop phrases


class IndustryScheme:
    def __init__(self, concepts: list[Concept], stop: list[str] = ()):
        self.concepts = {c.id: c for c in concepts}
        for c in self.concepts.values():
            c.narrower = []
        for c in self.concepts.values():
            c.broader = [b for b in c.broader if b in self.concepts]
            for b in c.broader:
                self.concepts[b].narrower.append(c.id)
        self.stop = list(stop)
        self._trie: Trie = Trie()
        for phrase in self.stop:
            self._trie.add(phrase, _STOP)
        for c in self.concepts.values():
            for label in c.labels:
                self._trie.add(label, c.id)
        self._words = tuple(sorted({label for c in self.concepts.values() for label in c.labels}))
        self._labels = frozenset(self._words)

    def __iter__(self):
        return iter(self.concepts.values())

    def __len__(self) -> int:
        return len(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def labels(self) -> list[str]:
        return [label for c in self for label in c.labels]

    def broader(self, concept_id: str) -> list[str]:
        c = self.concepts.get(concept_id)
        return list(c.broader) if c else []

    def narrower(self, concept_id: str) -> list[str]:
        c = self.concepts.get(concept_id)
        return list(c.narrower) if c else []

    def narrower_closure(self, concept_id: str) -> list[str]:
        """The concept and everything below it, each once (for query expansion)."""
        return self._closure(concept_id, "narrower")

    def broader_closure(self, concept_id: str) -> list[str]:
        """The concept and everything above it, each once, nearest first."""
        return self._closure(concept_id, "broader")

    def _closure(self, concept_id: str, direction: str) -> list[str]:
        out, todo = [], [concept_id]
        while todo:
            cid = todo.pop(0)
            if cid in out or cid not in self.concepts:
                continue
            out.append(cid)
            todo.extend(getattr(self.concepts[cid], direction))
        return out

    def match(self, text: str) -> list[IndustryMatch]:
        """Mentions of concepts in ``text``, leftmost-longest, ambiguous labels checked.

        A match that cuts a word in two (化工 in 深化工业) is skipped
        (:mod:`ingest.extract.words`); the scan then moves on one character.
        """
        from ingest.extract.words import cuts_a_word, word_spans

        out = []
        i = 0
        while i < len(text):
            hit = self._trie.longest_at(text, i)
            if hit is None:
                i += 1
                continue
            end, cid = hit
            if cid is _STOP:
                i = end
                continue
            word = text[i:end]
            c = self.concepts[cid]
            if word in c.standalone and not _bounded(text, i, end):
                i += 1
                continue
            # Segment only a window around the match (a clause can be long; the
            # words at the match's two edges are all that matter).
            lo, hi = max(0, i - 8), min(len(text), end + 8)
            window = [(a + lo, b + lo) for a, b in (word_spans(text[lo:hi], self._words) or [])]
            if cuts_a_word(window, i, end, text, self._labels):
                i += 1
                continue
            out.append(IndustryMatch(cid, c.label, word, i, end))
            i = end
        return out

    def resolve(self, free_text: str) -> str | None:
        """Concept id for a label or synonym typed by a user (exact, else contained)."""
        s = free_text.strip()
        if not s:
            return None
        for c in self:
            if s == c.id or s in c.labels:
                return c.id
        found = self.match(s)
        if found:
            return max(found, key=lambda m: m.end - m.start).id
        return None


def _bounded(text: str, start: int, end: int) -> bool:
    if _RIGHT_WORDS.match(text, end):
        return True
    left_ok = start == 0 or text[start - 1] in _LEFT_OK
    right_ok = end == len(text) or text[end] in _RIGHT_OK
    return left_ok and right_ok


def build_industry_scheme(data: dict, extra: dict | None = None) -> IndustryScheme:
    concepts = {d["id"]: d for d in data.get("concept", [])}
    for d in (extra or {}).get("concept", []):
        concepts[d["id"]] = d
    stop = list(dict.fromkeys(data.get("stop", []) + (extra or {}).get("stop", [])))
    return IndustryScheme(
        [Concept(d["id"], d["label"], list(d.get("alt", [])), list(d.get("broader", [])), [],
                 d.get("gbt4754"), list(d.get("standalone", [])))
         for d in concepts.values()],
        stop,
    )


def load_toml(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)
