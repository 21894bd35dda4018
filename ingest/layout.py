"""Source lines → cleaned paragraphs.

Drops page numbers (—３—, - 3 -, 第3页) and running headers, and rejoins lines
that PDF extraction or a page break cut mid-sentence.  A line ends a paragraph
when the next line starts with numbering or a bullet, when it ends a sentence,
or when it stands alone (a title line, a date, a document number, a heading).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from ingest.markers import match_marker, starts_paragraph
from ingest.normalize import Traced, clean_line

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—－\-–~－]+\s*[0-9０-９]{1,4}\s*[—－\-–~－]+|[0-9０-９]{1,4}|第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]{1,4}\s*页)?|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4})\s*$"
)
_SENTENCE_END = set("。！？；：…")
_STANDALONE = [
    re.compile(r"〔\d{4}〕\d+号$|\[\d{4}\]\d+号$"),             # 晋能源规发〔2024〕195号
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"),                  # a date line
    # a law's promulgation line: 2009年8月27日第十一届全国人民代表大会常务委员会…第一次修正
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日[^。，；]{2,200}(通过|公布|发布|修订|修正|批准|施行)[）)]?$"),
    re.compile(r"(意见|通知|方案|办法|规定|决定|规划|细则|措施|公告|通告|函|批复|报告)$"),  # a title's last line
]
_FRONT_FIELD = re.compile(r"^(来\s*源|标\s*题|发文字号|文\s*号|主题分类|成文日期|发布日期|是否有效|发文机关|索引号|主\s*题\s*词|有\s*效\s*性|生效日期|废止日期)\s*[:：]")


@dataclass
class Paragraph:
    text: Traced
    bold_end: int = -1       # clean index where a leading bold run ends, -1 if none
    md_heading: bool = False  # the line was a markdown heading (#)
    line_count: int = 1
    glued: bool = False       # cut from a line that ran several parts together (ingest.glued)


@dataclass
class _Line:
    text: Traced
    bold_end: int
    md_heading: bool
    page_edge: bool = False   # next to a page number line (a page boundary)


def _source_lines(source: str):
    pos = 0
    for raw in source.split("\n"):
        yield raw, pos
        pos += len(raw) + 1


def _running_headers(lines: list[_Line]) -> set[int]:
    """Indexes of the lines that are a running header or footer: short lines repeated on many pages.

    A repeated line is only taken for one where it stands at a page boundary
    (next to a dropped page number), or, in text with no page numbers at all,
    when it is no sentence: a real sentence repeated in a document
    (申请人向县人力社保部门提出申报。) is never dropped.
    """
    counts = Counter(l.text.text for l in lines if 0 < len(l.text) <= 30 and not match_marker(l.text.text))
    repeated = {t for t, c in counts.items() if c >= 3}
    has_pages = any(l.page_edge for l in lines)
    return {
        i for i, l in enumerate(lines)
        if l.text.text in repeated and (l.page_edge if has_pages else l.text.text[-1] not in "。！？；")
    }


def _fixed_width(lines: list[_Line]) -> int:
    """The line width of PDF-like text, or 0 when lines are whole paragraphs.

    Text extracted from a PDF has most lines of about the same length; a line
    that fills that width continues on the next line whatever it ends with.
    """
    lengths = [len(l.text) for l in lines if len(l.text) >= 8]
    if len(lengths) < 20:
        return 0
    m = median(lengths)
    near = sum(1 for n in lengths if abs(n - m) <= 3)
    return int(m) if near >= 0.5 * len(lengths) else 0


def _stands_alone(line: _Line, width: int) -> bool:
    t = line.text.text
    if line.md_heading or _FRONT_FIELD.match(t):
        return True
    if width and len(t) >= width - 3:
        return False
    if any(p.search(t) for p in _STANDALONE) and (len(t) <= 60 or _STANDALONE[2].match(t)):
        return True
    if match_marker(t) and len(t) <= 40 and not any(ch in t for ch in "。；："):
        return True  # a heading line: （一）聚焦先进产能煤矿，打造零碳矿山
    # A short line with no punctuation at all is a title part, heading or signature.
    return not any(ch in t for ch in "。，；、：,") and len(t) <= 40


def _ends_paragraph(line: _Line, nxt: _Line, width: int) -> bool:
    t = line.text.text
    if starts_paragraph(nxt.text.text) or nxt.md_heading or _FRONT_FIELD.match(nxt.text.text):
        return True
    if _stands_alone(line, width):
        return True
    last = t[-1]
    if last in _SENTENCE_END:
        return True
    if last in "）)”" and not (width and len(t) >= width - 3):
        return True
    return False


RUN_ON = 3000  # a "paragraph" longer than this is a document that lost its line breaks


def _split_run_on(para: Paragraph) -> list[Paragraph]:
    """Split a run-on paragraph where a sentence ends and numbering starts (。（二）…).

    Some exports put a whole document on one line; its numbering is still
    there, inline, and still tells where parts begin.
    """
    text = para.text.text
    cuts = [
        i for i in range(1, len(text))
        if text[i - 1] in "。；！？）" and text[i] in "（(一二三四五六七八九十第0123456789①②③④⑤⑥⑦⑧⑨⑩专附"
        and match_marker(text[i:i + 12])
    ]
    if not cuts:
        return [para]
    bounds = [0, *cuts, len(text)]
    return [Paragraph(para.text[a:b], para.bold_end if a == 0 else -1, para.md_heading and a == 0)
            for a, b in zip(bounds, bounds[1:])]


def paragraphs(source: str) -> list[Paragraph]:
    """Split a document's source text into cleaned, traced paragraphs."""
    lines: list[_Line] = []
    after_page = False
    for raw, base in _source_lines(source):
        if _PAGE_NUMBER.match(raw) or ("\f" in raw and not raw.strip()):
            if lines:
                lines[-1].page_edge = True
            after_page = True
            continue
        text, bold_end = clean_line(raw, base)
        if not text.text.strip():
            continue
        md = bool(re.match(r"^\s*#{1,6}\s", raw))
        lines.append(_Line(text, bold_end, md, page_edge=after_page))
        after_page = False

    headers = _running_headers(lines)
    lines = [l for i, l in enumerate(lines) if i not in headers]
    width = _fixed_width(lines)

    out: list[Paragraph] = []
    current: Paragraph | None = None
    for i, line in enumerate(lines):
        if current is None:
            current = Paragraph(line.text, line.bold_end, line.md_heading)
        else:
            current.text = current.text + line.text
            current.line_count += 1
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or _ends_paragraph(line, nxt, width):
            out.extend(_split_run_on(current) if len(current.text) > RUN_ON else [current])
            current = None
    return out
