"""Word .docx reader (python-docx).

Output is one line per paragraph, in body order, with each table row as one
line of tab-separated cells.  A bold run opening a paragraph is kept as
``**…**`` because policy documents mark their item headings only by bold
(``**（一）适用范围。**本方案所指…``) and the structure parser reads that.
Word auto-numbering (numPr) is not rendered: the number text is not in the
XML, so only the paragraph text is kept.  Headers, footers, footnotes and
text boxes are left out.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..errors import IngestError
from .text import normalize_newlines

CELL_SEP = "\t"  # what Word itself writes between cells when saving as plain text

# Elements that only wrap runs: hyperlinks, tracked insertions, smart tags,
# fields and inline content controls.  Their runs are part of the text.
_RUN_WRAPPERS = ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "dir", "bdo")


def read(path: str | Path, data: bytes):
    import docx
    from docx.oxml.ns import qn

    from . import SourceText
    from .archive import check_archive

    check_archive(path, data)      # before python-docx unpacks anything
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body, document, qn))
    except Exception as exc:  # python-docx raises many types on malformed packages
        raise IngestError(path, f"damaged .docx ({type(exc).__name__}: {exc})") from None
    return SourceText(normalize_newlines("\n".join(lines)), "docx", "")


def _block_lines(parent, owner, qn, mark_bold=True):
    """Lines for the paragraphs and tables directly under ``parent``, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            line = _paragraph_line(Paragraph(child, owner), qn, mark_bold)
            if line.strip():
                yield line
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, owner), qn)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            # Block content controls (cover pages, TOCs) hold ordinary paragraphs.
            yield from _block_lines(child, owner, qn, mark_bold)


def _table_lines(table, qn):
    from docx.table import _Cell

    for tr in table._tbl.tr_lst:
        # Walk the physical <w:tc> cells: row.cells repeats merged cells.
        cells = []
        for tc in tr.tc_lst:
            cell = _Cell(tc, table)
            # A cell's paragraphs are not headings, and the row stays one line
            # with tabs only between cells.
            lines = _block_lines(tc, cell, qn, mark_bold=False)
            cells.append(" ".join(line.replace("\n", " ").replace(CELL_SEP, " ") for line in lines))
        if any(c.strip() for c in cells):
            yield CELL_SEP.join(cells)


def _paragraph_line(paragraph, qn, mark_bold: bool) -> str:
    runs = list(_runs(paragraph._p, paragraph, qn))
    if not mark_bold:
        return "".join(run.text for run in runs)
    segments = [(run.text, _is_bold(run, paragraph)) for run in runs]
    # Leading whitespace (the usual two-space indent), then the bold opening.
    i = 0
    while i < len(segments) and not segments[i][0].strip():
        i += 1
    j = i
    while j < len(segments) and (segments[j][1] or not segments[j][0].strip()):
        j += 1
    indent = "".join(t for t, _ in segments[:i])
    bold = "".join(t for t, _ in segments[i:j])
    rest = "".join(t for t, _ in segments[j:])
    if not bold.strip():
        return indent + bold + rest
    core = bold.strip()
    lead = bold[: len(bold) - len(bold.lstrip())]
    trail = bold[len(bold.rstrip()):]
    return f"{indent}{lead}**{core}**{trail}{rest}"


def _runs(element, paragraph, qn):
    from docx.text.run import Run

    wrappers = {qn(f"w:{name}") for name in _RUN_WRAPPERS}
    for child in element.iterchildren():
        if child.tag == qn("w:r"):
            yield Run(child, paragraph)
        elif child.tag in wrappers:
            yield from _runs(child, paragraph, qn)


def _is_bold(run, paragraph) -> bool:
    """Bold as displayed: direct formatting, else character style, else paragraph style."""
    if run.bold is not None:
        return run.bold
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return style.font.bold
            style = style.base_style
    return False
