"""A row of the clause table as the rules stage reads it: the clause, typed, and its document's fields.

``clauses.jsonl`` holds each clause record (:class:`records.Clause`) with the
fields of its document added (``doc_id``, ``doc_title``, ``doc_number``,
``region`` …, see :func:`ingest.files.clause_records`).  Matching reads the
row's plain fields for every clause of a binding document, its industry links
to weigh reasons, and the whole typed :class:`records.Clause` (measures, the
conditions ingest stored) only for a clause that applies; each is read from
the row once, when first asked for, because most clauses never get that far.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from records import Clause, IndustryLink


@dataclass(eq=False)
class RuleClause:
    row: dict[str, Any]

    @property
    def id(self) -> str:
        return self.row["id"]

    @property
    def text(self) -> str:
        return self.row["text"]

    @property
    def heading(self) -> str:
        return self.row.get("heading") or ""

    @property
    def parents(self) -> list[str]:
        return list(self.row.get("parents") or [])

    @property
    def doc_id(self) -> str:
        return self.row.get("doc_id") or ""

    @property
    def doc_title(self) -> str:
        return self.row.get("doc_title") or ""

    @property
    def doc_number(self) -> str:
        return self.row.get("doc_number") or ""

    @property
    def region(self) -> str:
        return self.row.get("region") or ""

    @cached_property
    def industries(self) -> list[IndustryLink]:
        return [IndustryLink.from_json(i) for i in self.row.get("industries") or []]

    @cached_property
    def record(self) -> Clause:
        """The whole clause record, typed."""
        return Clause.from_json(self.row)
