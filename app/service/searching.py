"""Clause search over the loaded indexes (:mod:`search`)."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from app.service.corpus_reader import CorpusReader
from records import MeasureType, labels

MEASURE_NAMES = labels(MeasureType)     # type → 中文, in the code list's order


class ClauseSearch(CorpusReader):
    """Hybrid clause search and the values its filters take; the facets read the corpus and the
    industry scheme of the graph."""

    def __init__(self, data_dir: Path, corpus, knowledge):
        self.data_dir = data_dir
        self.corpus = corpus
        self.knowledge = knowledge

    @cached_property
    def search_engine(self):
        """The search indexes of this data folder (:class:`search.engine.SearchEngine`), loaded on first use."""
        from search.engine import SearchEngine

        return SearchEngine.load(self.data_dir)

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None,
               mode: str = "hybrid") -> list[dict[str, Any]]:
        """The ``k`` best clauses for ``query`` as JSON hits (:meth:`search.engine.Hit.to_json`).

        ``filters`` maps region / document / issuer / agency / industry / measure /
        year / valid to a value or a list of values (any of them); an unknown
        filter or value raises ``ValueError`` saying what is known.
        """
        from search.filters import Filters

        hits = self.search_engine.search(query, k, Filters.from_mapping(filters), mode)
        return [h.to_json() for h in hits]

    def search_many(self, queries: list[str], k: int = 10, filters: dict[str, Any] | None = None,
                    mode: str = "hybrid") -> list[list[dict[str, Any]]]:
        """:meth:`search` for many queries at once (the dense side runs as one batch)."""
        from search.filters import Filters

        found = self.search_engine.search_many(queries, k, Filters.from_mapping(filters), mode)
        return [[h.to_json() for h in hits] for hits in found]

    def search_facets(self) -> dict[str, dict[str, str]]:
        """The values each search filter can take in this corpus, as ``{filter: {value: label}}``.

        ``region``, ``document`` (id → title), ``agency`` (responsible agencies
        named in clauses), ``industry`` (concept id → label: the mentioned
        concepts and their broader ones), ``measure`` (type → 中文), ``year``
        (target years, as text).  Values are what :meth:`search` filters take.
        Computed once per loaded data version.
        """
        return self._search_facets

    @cached_property
    def _search_facets(self) -> dict[str, dict[str, str]]:
        from collections import Counter

        agencies: Counter[str] = Counter()
        industries: dict[str, str] = {}
        measures: set[str] = set()
        years: set[int] = set()
        for clause in self.clauses.values():
            agencies.update({a["name"] for a in clause.get("agencies") or []})
            industries.update({i["id"]: i["label"] for i in clause.get("industries") or []})
            measures.update(m["type"] for m in clause.get("measures") or [])
            years.update(t["year"] for t in clause.get("targets") or [] if t.get("year"))
        try:
            concepts = {c["id"]: c for c in self.knowledge.industries()}
        except Exception:  # a data folder without the graph stage: the mentioned concepts only
            concepts = {}
        todo = list(industries)
        while todo:
            for broader in concepts.get(todo.pop(), {}).get("broader", []):
                if broader not in industries and broader in concepts:
                    industries[broader] = concepts[broader]["label"]
                    todo.append(broader)
        return {
            "region": {r: r for r in sorted({m.region or "" for m in self.metas.values()} - {""})},
            "level": {v: v for v in sorted({m.level or "" for m in self.metas.values()} - {""})},
            "document": {i: m.title for i, m in self.metas.items()},
            "agency": {a: a for a, _ in sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0]))},
            "industry": dict(sorted(industries.items(), key=lambda kv: kv[1])),
            "measure": {m: MEASURE_NAMES.get(m, m) for m in sorted(measures, key=lambda m: list(MEASURE_NAMES).index(m) if m in MEASURE_NAMES else 99)},
            "year": {str(y): f"{y}年" for y in sorted(years)},
        }
