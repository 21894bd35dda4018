"""The typed records every stage passes, and the code lists with their Chinese labels.

``from records import Clause, Span, Role, zh`` — see :mod:`records.model` for
the records and their JSON shape, :mod:`records.codes` for the code lists.
"""
from records.codes import (
    ZH, ClauseKind, Comparator, ConditionKind, Firmness, Instrument, Level, MeasureType, MentionKind, Role,
    TargetKind, labels, zh,
)
from records.model import (
    AgencyMention, Citation, Clause, Condition, Document, DocumentMeta, Entitlement, IndustryLink, Measure,
    ParsedDocument, Section, Sentence, Span, Target, clause_to_json, enclosing_paths,
    enclosing_sections,
)

__all__ = [
    "ZH", "ClauseKind", "Comparator", "ConditionKind", "Firmness", "Instrument", "Level", "MeasureType",
    "MentionKind", "Role", "TargetKind", "labels", "zh",
    "AgencyMention", "Citation", "Clause", "Condition", "Document", "DocumentMeta", "Entitlement",
    "IndustryLink", "Measure", "ParsedDocument", "Section", "Sentence", "Span", "Target", "clause_to_json",
    "enclosing_paths", "enclosing_sections",
]
