"""Cleaned paragraphs → a tree of numbered parts → clauses.

A clause is the smallest numbered unit, or a paragraph where there is no
numbering.  Unnumbered paragraphs that follow a numbered item with a body
continue that item; under a heading-only part they are clauses of their own
(path segment ``p1``, ``p2`` …).  Sidebars (专栏) are parts of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.layout import Paragraph
from ingest.markers import BULLET, LABELLED_ITEM, SIDEBAR_RANK, Marker, match_marker
from ingest.normalize import Traced

_HEADING_MAX = 32
# An item whose paragraphs run past this many characters is prose, not one provision: its further
# paragraphs of at least _PROSE_PARAGRAPH characters are clauses of their own.
_LONG_ITEM = 800
_PROSE_PARAGRAPH = 120
# 本方案自印发之日起施行 … closes the whole document, not the last item.
_CLOSING = re.compile(r"^本.{0,10}(方案|意见|办法|规定|细则|措施|通知|规划|决定|条例)(自|由|的解释|有效期)")
# A work report speaks to the delegates between its parts and at its end (各位代表！…): a paragraph
# of its own, never glued onto the item before it; the ones that end the report are its closing.
_APPEAL = re.compile(r"^各位代表[，,！!]")
# A responsibility list in brackets ends an item: （省商务厅、省工信厅…按职责分工负责）.
_RESPONSIBILITY_TAIL = re.compile(r"[（(][^（()）]*(厅|局|委|办|政府|公司|中心|负责|牵头)[^（()）]*[）)]$")


@dataclass
class RawClause:
    """A clause before extraction: its structural place and traced text."""

    path: str
    heading: str
    parents: list[str]
    kind: str
    text: Traced


@dataclass
class _Part:
    marker: Marker | None
    label: str
    heading: str
    path: str
    rank: int
    paragraphs_seen: int = 0
    child_labels: dict[str, int] = field(default_factory=dict)
    has_clause: bool = False            # a clause was made in this part or below it
    pending: RawClause | None = None    # the part's own line, a clause if nothing comes under it
    slot: int = -1                      # where that clause goes in reading order


def split_heading(text: str, start: int, bold_end: int = -1) -> tuple[str, bool]:
    """The lead-in heading of a part or paragraph, and whether it is heading-only.

    ``start`` is where the text after the marker begins.  A bold run gives the
    heading exactly; otherwise the first sentence when it is short.
    """
    rest = text[start:]
    if bold_end > start:
        heading = text[start:bold_end].strip().rstrip("。：:；")
        return heading, not text[bold_end:].strip()
    m = re.search(r"[。：；！？]", rest)
    if m is None:
        if len(rest) <= _HEADING_MAX + 8 and "，" not in rest[_HEADING_MAX:]:
            return rest.strip(), True
        return "", False
    first = rest[: m.start()].strip()
    if 0 < len(first) <= _HEADING_MAX and not re.search(r"\d{4}年", first):
        return first, not rest[m.end():].strip()
    return "", False


class _TreeBuilder:
    def __init__(self, source: str, closing: frozenset[int] = frozenset()) -> None:
        self.source = source
        self.closing = closing            # ids of paragraphs that are signatures, dates, 抄送 …
        self.root = _Part(None, "", "", "", -1)
        self.stack: list[_Part] = [self.root]
        self.clauses: list[RawClause | None] = []   # None: a heading-only part's slot
        self.open_item: RawClause | None = None   # the numbered item unnumbered paragraphs continue
        self.used_paths: dict[str, int] = {}
        self._all_parts: list[_Part] = []

    # -- paths -------------------------------------------------------------
    def _child_path(self, parent: _Part, label: str) -> str:
        path = f"{parent.path}.{label}" if parent.path else label
        n = self.used_paths.get(path, 0) + 1
        self.used_paths[path] = n
        # A repeated number under one parent (a skipped or restarted list) stays unique.
        return path if n == 1 else f"{path}~{n}"

    def _parents(self) -> list[str]:
        return [p.heading or p.label for p in self.stack[1:]]

    # -- paragraphs ---------------------------------------------------------
    def add(self, para: Paragraph) -> None:
        text = para.text.text
        marker = match_marker(text)
        if marker is not None:
            self._numbered(para, marker)
        elif _APPEAL.match(text):
            self._paragraph(para, kind="sidebar" if self._in_sidebar() else "paragraph")
        elif _CLOSING.match(text) or id(para) in self.closing:
            self.open_item = None
            del self.stack[self._outermost_index() + 1:]
            self._paragraph(para, kind="closing")
        elif self.open_item is not None and self._is_prose(para):
            self._paragraph(para, kind="sidebar" if self._in_sidebar() else "paragraph", under_item=True)
        elif self.open_item is not None and self._continues(para):
            self.open_item.text = self.open_item.text + _newline_before(self.source, para.text) + para.text
        else:
            self._paragraph(para, kind="sidebar" if self._in_sidebar() else "paragraph")

    def _outermost_index(self) -> int:
        """Index of the attachment part when inside one, else the root."""
        for i, part in enumerate(self.stack):
            if part.marker is not None and part.marker.kind == "attachment":
                return i
        return 0

    def _in_sidebar(self) -> bool:
        return self.stack[-1].rank == SIDEBAR_RANK

    def _continues(self, para: Paragraph) -> bool:
        if self.open_item is None or BULLET.match(para.text.text):
            return False
        return not _RESPONSIBILITY_TAIL.search(self.open_item.text.text)

    def _is_prose(self, para: Paragraph) -> bool:
        """Long prose (a work report's part): each further paragraph is a clause under the item."""
        return (len(self.open_item.text) + len(para.text) > _LONG_ITEM and len(para.text) >= _PROSE_PARAGRAPH
                and not BULLET.match(para.text.text))

    def _numbered(self, para: Paragraph, marker: Marker) -> None:
        text = para.text.text
        while len(self.stack) > 1 and self.stack[-1].rank >= marker.rank:
            self.stack.pop()
        parent = self.stack[-1]
        heading, heading_only = split_heading(text, marker.end, para.bold_end)
        if marker.kind in ("attachment", "sidebar"):
            heading, heading_only = text[marker.end:].strip(" ：:"), True
        part = _Part(marker, marker.label, heading, self._child_path(parent, marker.label), marker.rank)
        parents = self._parents()
        self.stack.append(part)
        self._all_parts.append(part)
        clause = RawClause(part.path, heading, parents, "item", para.text)
        if heading_only and not text.rstrip().endswith(("。", "；", "：")):
            # A heading: its words live on as its children's parents; if no child comes
            # (a list item with no full stop: （五）以黑恶势力名义敲诈勒索的), it is a clause itself.
            part.pending, part.slot = clause, len(self.clauses)
            self.clauses.append(None)
            self.open_item = None
            return
        # A part whose heading is a full sentence (（二十二）坚决遏制…盲目发展。) is an item
        # even when its body starts on the next paragraph.
        self._emit(clause)
        self.open_item = clause

    def _emit(self, clause: RawClause) -> None:
        for part in self.stack:
            part.has_clause = True
        self.clauses.append(clause)

    def finish(self) -> list[RawClause]:
        """The clauses in reading order, with heading-only parts that got no clause under them."""
        pending = {}
        for part in self._all_parts:
            if part.pending is not None and not part.has_clause:
                pending[part.slot] = part.pending
        clauses = [c if c is not None else pending[i] for i, c in enumerate(self.clauses) if c is not None or i in pending]
        for clause in reversed(clauses):
            if not _APPEAL.match(clause.text.text):
                break
            clause.kind = "closing"
        return clauses

    def _paragraph(self, para: Paragraph, kind: str, under_item: bool = False) -> None:
        # A paragraph after a closed item belongs to that item's parent (unless it is the item's prose).
        if not under_item and self.open_item is not None and self.stack[-1].path == self.open_item.path:
            self.stack.pop()
        parent = self.stack[-1]
        parent.paragraphs_seen += 1
        text = para.text.text
        start = _bullet_end(text)
        labelled = LABELLED_ITEM.match(text, start) if kind == "sidebar" else None
        if labelled:
            heading = (labelled.group("b") or labelled.group("c") or "").strip()
        else:
            heading, _ = split_heading(text, start, para.bold_end)
        if kind == "paragraph" and parent is self.root:
            kind = "preamble"
        path = self._child_path(parent, f"p{parent.paragraphs_seen}")
        self._emit(RawClause(path, heading, self._parents(), kind, para.text))
        self.open_item = None


def _bullet_end(text: str) -> int:
    m = BULLET.match(text)
    return m.end() if m else 0


def _newline_before(source: str, t: Traced) -> Traced:
    """A newline traced to the source line break just before ``t``'s first character.

    Every paragraph after the first starts on a new source line, so that newline exists.
    """
    return Traced("\n", [source.rfind("\n", 0, t.offsets[0])]) if t.offsets else Traced()


def build_clauses(body: list[Paragraph], source: str, closing: frozenset[int] = frozenset()) -> list[RawClause]:
    """Turn the body paragraphs of a document into clauses, in reading order.

    ``closing`` holds the ids of paragraphs that end a part whatever follows
    (signatures, dates, 抄送 lists inside the body): each is a clause of its own.
    """
    builder = _TreeBuilder(source, closing)
    for para in body:
        builder.add(para)
    return builder.finish()
