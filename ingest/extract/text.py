"""Small text helpers shared by the extractors."""
from __future__ import annotations

import re

# Sentence ends: Chinese and ASCII full stops and semicolons, line breaks.  An
# ASCII '.' ends a sentence only with no digit on either side: 2.5 is a number,
# "1." numbers an item, but the clean-up leaves a few "90%." behind.
_SENT_END = re.compile(r"[。；;！？!?\n]|(?<!\d)\.(?!\d)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, delimiter included, whitespace trimmed."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and text[s:e].strip("。；;！？!?.\n "):
            out.append((s, e))
    return out
