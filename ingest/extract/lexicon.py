"""Loaders for the lexicons shared by ingest, search and the graph.

Data lives in ``ingest/data/``: ``agencies.toml``, ``industries.toml`` and
``terms.txt`` (one term per line, no comments).  Each loader takes an optional
``extra`` file in the same format that extends the shipped one; records with
the same key (agency ``name``, concept ``id``) replace the shipped record.
The default (no ``extra``) objects are cached: they are read-only by contract.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ingest.extract.agency_lexicon import (
    AgencyEntry, AgencyLexicon, Region, build_agency_lexicon, load_agency_file,
)
from ingest.extract.industry_scheme import (
    Concept, IndustryMatch, IndustryScheme, build_industry_scheme, load_toml,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

__all__ = [
    "AgencyEntry", "AgencyLexicon", "Concept", "IndustryMatch", "IndustryScheme", "Region",
    "DATA_DIR", "domain_terms", "load_agency_lexicon", "load_industry_scheme",
]


def load_agency_lexicon(extra: Path | None = None) -> AgencyLexicon:
    if extra is None:
        return _default_agencies()
    return build_agency_lexicon(load_agency_file(DATA_DIR / "agencies.toml"),
                                load_agency_file(Path(extra)))


def load_industry_scheme(extra: Path | None = None) -> IndustryScheme:
    if extra is None:
        return _default_industries()
    return build_industry_scheme(load_toml(DATA_DIR / "industries.toml"), load_toml(Path(extra)))


@lru_cache(maxsize=1)
def _default_agencies() -> AgencyLexicon:
    return build_agency_lexicon(load_agency_file(DATA_DIR / "agencies.toml"))


@lru_cache(maxsize=1)
def _default_industries() -> IndustryScheme:
    return build_industry_scheme(load_toml(DATA_DIR / "industries.toml"))


def read_terms(path: Path) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [t.strip() for t in lines if t.strip() and not t.lstrip().startswith("#")]


def domain_terms(extra: Path | None = None, *, agencies: AgencyLexicon | None = None,
                 industries: IndustryScheme | None = None) -> list[str]:
    """Terms for a jieba user dictionary: terms.txt, agency names and aliases
    (home-region instances and national bodies), industry labels.  Deduplicated,
    in that order; ``extra`` is another terms file."""
    terms = read_terms(DATA_DIR / "terms.txt")
    if extra is not None:
        terms += read_terms(Path(extra))
    agencies = agencies or load_agency_lexicon()
    for e in agencies.entries:
        terms += [e.name, *e.aliases]
    industries = industries or load_industry_scheme()
    terms += industries.labels()
    return list(dict.fromkeys(t for t in terms if len(t) > 1))
