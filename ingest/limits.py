"""Size caps of one document, so that ingest memory stays proportional to a real document.

Parsing holds a source offset per character and a record per line and
clause; a 45 MB text of 820,000 short lines needed 7.7 GB.  The largest real
policy documents have a few hundred thousand characters and a few thousand
clauses, so the caps sit far above them and far below what hurts the machine;
a document over a cap is refused with a message saying which, checked as
early as the count is known (before the costly clause and mention stages).
"""
from __future__ import annotations

from ingest.errors import IngestError

MAX_CHARS = 5_000_000
MAX_LINES = 200_000
MAX_CLAUSES = 20_000
# Mention extraction takes time growing with the square of a clause's length (a 2.5-million-character
# clause would take over an hour); real clauses have at most a few thousand characters, so a longer one is
# numbering the parser did not see.  It is kept and searchable, without mentions, and named in a warning.
MAX_EXTRACT_CHARS = 20_000


def check_text(text: str, name: str) -> None:
    if len(text) > MAX_CHARS:
        raise IngestError(name, f"{len(text):,} characters of text, over the {MAX_CHARS:,} limit of one document; split it")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise IngestError(name, f"{lines:,} lines, over the {MAX_LINES:,} limit of one document; split it")


def too_long_to_extract(name: str, clause_id: str, length: int) -> str:
    return (f"{name}: clause {clause_id} has {length:,} characters, over the {MAX_EXTRACT_CHARS:,} limit for finding "
            "agencies, targets and measures (is its numbering missing?); kept without them")


def check_clauses(count: int, name: str) -> None:
    if count > MAX_CLAUSES:
        raise IngestError(name, f"{count:,} clauses, over the {MAX_CLAUSES:,} limit of one document; split it")
