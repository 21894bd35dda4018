"""The vocabularies search reads: the agency lexicon, the industry scheme and
domain terms (shipped with ingest), and our own synonym groups and stop words.

Each is loaded once per process.  Ingest owns the lexicons; this module only
adapts them to what search needs (words for the segmenter, synonym groups for
query expansion).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def agency_lexicon() -> Any:
    from ingest.extract.lexicon import load_agency_lexicon

    return load_agency_lexicon()


@lru_cache(maxsize=1)
def industry_scheme() -> Any:
    from ingest.extract.lexicon import load_industry_scheme

    return load_industry_scheme()


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    from ingest.extract.lexicon import domain_terms as terms

    return tuple(terms())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class Synonyms:
    terms: tuple[str, ...]                 # words to keep whole
    groups: tuple[tuple[str, ...], ...]    # interchangeable terms

    def alternatives(self, term: str) -> list[str]:
        """The other terms of every group ``term`` belongs to (normalised spelling)."""
        out: list[str] = []
        for group in self.groups:
            if term in group:
                out += [t for t in group if t != term and t not in out]
        return out


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    from ingest.normalize import normalize_query

    with open(DATA / "synonyms.toml", "rb") as f:
        data = tomllib.load(f)
    norm = lambda t: normalize_query(t).lower()  # noqa: E731
    groups = tuple(tuple(dict.fromkeys(norm(t) for t in g["terms"])) for g in data.get("group", []))
    terms = tuple(dict.fromkeys(norm(t) for t in data.get("terms", [])))
    return Synonyms(terms, groups)


def agency_words(lexicon: Any) -> list[str]:
    """Bare template aliases (统计局, 发改委) and region names and short names.

    ``domain_terms()`` already lists canonical names and aliases of the home
    regions; these let a query name any province's department.
    """
    words: list[str] = []
    for template in lexicon.templates:
        words += template.aliases
        words += [a for a in template.literal if "{" not in a]
    for region in lexicon.regions:
        words += [region.name, region.short]
    return words
