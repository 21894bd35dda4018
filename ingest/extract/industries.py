"""Industry concepts mentioned in a clause (one link per mention, longest match wins)."""
from __future__ import annotations

from ingest.extract.industry_scheme import IndustryScheme
from ingest.extract.lexicon import load_industry_scheme
from ingest.model import IndustryLink, Span


def find_industries(text: str, scheme: IndustryScheme | None = None) -> list[IndustryLink]:
    scheme = scheme or load_industry_scheme()
    return [IndustryLink(m.id, m.label, m.as_written, Span(m.start, m.end)) for m in scheme.match(text)]
