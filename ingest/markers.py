"""The numbering of Chinese official documents, outermost first.

第X章 > 第X节 > 第X条 > 一、 > （一） > 1. > （1） > ①, with attachments (附件)
above everything and sidebars (专栏) as sections of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "[一二三四五六七八九十百零〇两]+"

# (kind, rank, pattern); the label group is what the structural path shows.
_PATTERNS: list[tuple[str, int, re.Pattern[str]]] = [
    ("attachment", 0, re.compile(rf"^附件\s*(?P<n>[0-9]{{1,2}}|{CN_NUM})?\s*[:：]?")),
    ("chapter", 1, re.compile(rf"^第\s*(?P<n>{CN_NUM}|[0-9]{{1,3}})\s*章")),
    ("section", 2, re.compile(rf"^第\s*(?P<n>{CN_NUM}|[0-9]{{1,3}})\s*节")),
    ("article", 3, re.compile(rf"^第\s*(?P<n>{CN_NUM}|[0-9]{{1,3}})\s*条")),
    ("cn", 4, re.compile(rf"^(?P<n>{CN_NUM})\s*[、，。.]")),
    ("paren_cn", 5, re.compile(rf"^[（(]\s*(?P<n>{CN_NUM})\s*[）)]")),
    ("arabic", 6, re.compile(r"^(?P<n>[0-9]{1,2})\s*(?:[、]|\.(?![0-9]))")),
    ("paren_arabic", 7, re.compile(r"^[（(]\s*(?P<n>[0-9]{1,2})\s*[）)]")),
    ("circled", 8, re.compile(r"^(?P<n>[①-⑳])")),
    ("sidebar", 9, re.compile(rf"^专栏\s*(?P<n>[0-9]{{1,2}}|{CN_NUM})?")),
]

SIDEBAR_RANK = 9
# Bullets that start a paragraph without numbering it.
BULLET = re.compile(r"^(?:[—－\-–]{2,}|[●•■◆▲□○]\s*)")
# 【节能降耗减碳】/ [节能降耗减碳] / 煤化工行业： — labelled lines inside sidebars.
LABELLED_ITEM = re.compile(r"^(?:[\[【](?P<b>[^\]】]{1,20})[\]】]|(?P<c>[^\s，。；：:]{2,12})[：:])")


_UNIT_CHAR = {"chapter": "章", "section": "节", "article": "条"}


@dataclass(frozen=True)
class Marker:
    kind: str
    rank: int
    number: str    # 一 / 3 / ①
    end: int       # index just past the marker in the paragraph text

    @property
    def label(self) -> str:
        """The path segment: 一, (一), 3, (3), ①, 第二章, 附件1, 专栏2."""
        if self.kind in ("paren_cn", "paren_arabic"):
            return f"({self.number})"
        if self.kind in _UNIT_CHAR:
            return f"第{self.number}{_UNIT_CHAR[self.kind]}"
        if self.kind == "attachment":
            return f"附件{self.number}"
        if self.kind == "sidebar":
            return f"专栏{self.number}"
        return self.number


def match_marker(text: str) -> Marker | None:
    """The numbering marker at the start of ``text``, if any."""
    for kind, rank, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        number = m.group("n") or ""
        if kind == "cn" and len(number) > 3:
            continue  # 十四五 is a plan period, not a numbered part
        if kind == "attachment" and not _attachment_line(text, m.end()):
            continue
        return Marker(kind, rank, number, m.end())
    return None


def _attachment_line(text: str, end: int) -> bool:
    # "附件1" alone or followed by a title, but not "附件所列…" in running prose.
    rest = text[end:]
    return not rest or len(text) <= 40 and "。" not in rest


def starts_paragraph(text: str) -> bool:
    """Does a line starting with ``text`` begin a new paragraph by its own look?"""
    return bool(match_marker(text) or BULLET.match(text) or re.match(r"^[\[【][^\]】]{1,20}[\]】]", text))
