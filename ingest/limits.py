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


def check_text(text: str, name: str) -> None:
    if len(text) > MAX_CHARS:
        raise IngestError(name, f"{len(text):,} characters of text, over the {MAX_CHARS:,} limit of one document; split it")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise IngestError(name, f"{lines:,} lines, over the {MAX_LINES:,} limit of one document; split it")


def check_clauses(count: int, name: str) -> None:
    if count > MAX_CLAUSES:
        raise IngestError(name, f"{count:,} clauses, over the {MAX_CLAUSES:,} limit of one document; split it")
