"""Where a clause's cleaned words stand in its document's source text (for the source span of a condition)."""
from __future__ import annotations

import unicodedata
from typing import Callable


def source_text(sources: Callable[[str], str] | None, doc_id: str, cache: dict[str, str]) -> str:
    """A document's source text through ``sources``, read once per document ("" when there is none)."""
    if sources is None:
        return ""
    if doc_id not in cache:
        try:
            cache[doc_id] = sources(doc_id)
        except OSError:
            cache[doc_id] = ""
    return cache[doc_id]


_SKIP_IN_SOURCE = set(" \t\r\n\u3000*#>")


def _norm_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def locate(snippet: str, source: str, clause_span: list[int] | None) -> list[int] | None:
    """Where the cleaned ``snippet`` is in the source text: spaces, line breaks, ** and full-width forms ignored."""
    lo, hi = (clause_span[0], clause_span[1]) if clause_span else (0, len(source))
    chars: list[str] = []
    index: list[int] = []
    for i in range(lo, min(hi, len(source))):
        ch = source[i]
        if ch in _SKIP_IN_SOURCE:
            continue
        n = _norm_char(ch)
        for part in n:
            chars.append(part)
            index.append(i)
    target = "".join(_norm_char(ch) for ch in snippet if ch not in _SKIP_IN_SOURCE)
    hay = "".join(chars)
    at = hay.find(target)
    if at < 0 or not target:
        return None
    return [index[at], index[at + len(target) - 1] + 1]
