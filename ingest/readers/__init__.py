"""Turn a file on disk into its source text.

``read_source(path)`` returns a :class:`SourceText`; the text is what every
span in the ingest output indexes.  One module per format.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceText:
    text: str
    format: str       # txt / md / docx / pdf / html
    encoding: str     # utf-8 / utf-8-sig / gb18030 / "" for binary formats


def read_source(path):  # placeholder until the readers land
    from pathlib import Path

    p = Path(path)
    return SourceText(p.read_text(encoding="utf-8-sig"), p.suffix.lstrip(".") or "txt", "utf-8")
