"""Character clean-up that keeps every character traceable to the source.

Cleaning only ever *deletes* characters or *replaces one character by one
character*, so a cleaned string carries, for each of its characters, the offset
of the source character it came from.  That is what lets every clause and
mention point back at the exact words of the original file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Word and editor artefacts that are not part of the text at all.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\{#[^}]*\}|<!--.*?-->")
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")

_CLOSERS = set("”’）》」』】〕)")
_DIGITS = set("0123456789")


def is_cjk(ch: str) -> bool:
    """A Han character, or a full-width/CJK punctuation mark."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or 0x2E80 <= o <= 0x2FDF
        or 0x20000 <= o <= 0x2FA1F
        or ch in "“”‘’—…·"
    )


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F


def to_halfwidth(ch: str) -> str:
    """Full-width digits and Latin letters become ASCII; punctuation is left alone."""
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    if ch == "％":
        return "%"
    return ch


@dataclass
class Traced:
    """A cleaned string with the source offset of each of its characters."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, item: slice) -> "Traced":
        return Traced(self.text[item], self.offsets[item])

    def __add__(self, other: "Traced") -> "Traced":
        return Traced(self.text + other.text, self.offsets + other.offsets)

    def source_span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """The half-open source range covering cleaned characters ``[start, end)``."""
        end = len(self.text) if end is None else end
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def strip(self) -> "Traced":
        s, e = 0, len(self.text)
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return self[s:e]


def _fold_char(prev: str, ch: str, nxt: str) -> str:
    """One character in, one out: half-width alphanumerics, Chinese punctuation
    where ASCII marks stand in for it.  ``prev``/``nxt`` are the neighbours
    in the raw line (already half-width)."""
    ch = to_halfwidth(ch)
    if ch == "．":
        return "." if prev in _DIGITS else "。"
    if ch == ".":
        if prev in _DIGITS and (nxt in _DIGITS or nxt == "" or nxt.isspace() or is_han(nxt)):
            # 1.2亿 (decimal) or 1. at a list marker: keep as ASCII.
            return "."
        if prev and (is_cjk(prev) or prev in _CLOSERS):
            return "。"
        if prev in "%‰" and (nxt == "" or nxt.isspace() or is_cjk(nxt)):
            return "。"  # 下降14.5%.
        return ch
    if ch == ",":
        if prev in _DIGITS and nxt in _DIGITS:
            return ch  # 1,000
        if (prev and (is_cjk(prev) or prev in _CLOSERS)) or (nxt and is_han(nxt)):
            return "，"
        return ch
    if ch in ";:?!" and prev and (is_cjk(prev) or prev in _CLOSERS):
        return {";": "；", ":": "：", "?": "？", "!": "！"}[ch]
    if ch == "(" and ((prev and is_han(prev)) or (nxt and is_han(nxt)) or prev in ("", " ")):
        return "（"
    if ch == ")" and ((prev and (is_han(prev) or prev in _CLOSERS)) or (nxt and is_han(nxt))):
        return "）"
    if ch == "«":
        return "《"
    if ch == "»":
        return "》"
    if ch.isspace():   # U+3000, U+2003 (em space), U+2002, tabs, no-break spaces: layout
        return " "
    return ch


def _layout_space(left: str, right: str) -> bool:
    """Is a space between ``left`` and ``right`` layout rather than text?

    Spaces around numbers in Chinese (到 2027 年) and next to Chinese
    punctuation are layout; a space between a Latin word and Chinese
    (开展 CCUS) or between two Latin words is kept.
    """
    if not left or not right or left == " ":
        return True
    if is_cjk(left) and is_cjk(right):
        return True
    for a, b in ((left, right), (right, left)):
        if is_cjk(a) and (not is_han(a) or not b.isalpha() or b.isdigit()):
            return True
    return False


def clean_line(raw: str, base: int) -> tuple[Traced, int]:
    """Clean one source line starting at source offset ``base``.

    Returns the traced clean text and the clean index where a leading bold run
    (``**（一）适用范围。**``) ends, or -1 when the line does not start in bold.
    """
    keep = [True] * len(raw)
    for m in _ARTEFACTS.finditer(raw):
        for i in range(m.start(), m.end()):
            keep[i] = False
    for i, ch in enumerate(raw):
        if ch in _ZERO_WIDTH:
            keep[i] = False

    # Markdown: heading hashes, blockquote marks and emphasis are layout, not text.
    i = 0
    while i < len(raw) and (raw[i] in " \t" or not keep[i]):
        i += 1
    if i < len(raw) and raw[i] in "#>":
        while i < len(raw) and raw[i] in "#> \t":
            keep[i] = False
            i += 1
    bold_raw_end = -1
    for m in re.finditer(r"\*\*|__", raw):
        keep[m.start()] = keep[m.start() + 1] = False
    lead = re.match(r"[\s#>]*(?:\[bookmark:[^\]]*\])?\s*\*\*", raw)
    if lead:
        close = raw.find("**", lead.end())
        if close > lead.end():
            bold_raw_end = close

    kept = [(raw[i], base + i, i) for i in range(len(raw)) if keep[i]]
    chars: list[str] = []
    offs: list[int] = []
    bold_end = -1
    n = len(kept)
    for j, (ch, off, raw_i) in enumerate(kept):
        if bold_raw_end >= 0 and bold_end < 0 and raw_i >= bold_raw_end:
            bold_end = len(chars)
        prev = to_halfwidth(kept[j - 1][0]) if j > 0 else ""
        nxt = to_halfwidth(kept[j + 1][0]) if j + 1 < n else ""
        out = _fold_char(prev, ch, nxt)
        if out == " ":
            # Spaces next to Chinese are layout (到 2027 年); between Latin words they are text.
            left = chars[-1] if chars else ""
            right = next((to_halfwidth(k[0]) for k in kept[j + 1:] if not k[0].isspace()), "")
            if _layout_space(left, right):
                continue
        chars.append(out)
        offs.append(off)
    if bold_raw_end >= 0 and bold_end < 0:
        bold_end = len(chars)
    traced = Traced("".join(chars), offs)
    # Strip trailing spaces (leading ones were already dropped above).
    while traced.text.endswith(" "):
        traced = traced[: len(traced) - 1]
    return traced, bold_end


def normalize_query(text: str) -> str:
    """The same folding for a free-text string (queries, lexicon entries)."""
    traced, _ = clean_line(text.replace("\n", " "), 0)
    return traced.text


# Punctuation a source character may be read as (ASCII stand-ins for Chinese marks).
PUNCT_FOLDS = {
    ".": "。", "．": "。.", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！",
    "(": "（", ")": "）", "«": "《", "»": "》",
}


def maps_to(source_char: str, clean_char: str) -> bool:
    """True when cleaning may turn ``source_char`` into ``clean_char``."""
    if clean_char in (source_char, to_halfwidth(source_char)):
        return True
    if clean_char == " " and source_char.isspace():
        return True
    return clean_char in PUNCT_FOLDS.get(source_char, "")
