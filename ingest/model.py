"""The records ingest produces, now in :mod:`records` (every stage imports them from there).

Kept so that ``from ingest.model import Clause, Span …`` goes on working.
"""
from records.model import (  # noqa: F401  (re-exported)
    AgencyMention, Citation, Clause, Condition, Document, DocumentMeta, Entitlement, IndustryLink, Measure,
    ParsedDocument, Section, Sentence, Span, Target, clause_to_json, enclosing_sections,
)
