"""Citations of other documents: 《titles》 and document numbers (发文字号).

``《关于…的通知》（发改能源〔2025〕650号）`` is one citation with both parts;
a bare number or a bare title is a citation with the other part empty.
"""
from __future__ import annotations

import re

from ingest.model import Citation, Span
from ingest.patterns import DOC_NUMBER

_TITLE = re.compile(r"《(?P<t>[^《》\n]{1,120})》|«(?P<g>[^«»\n]{1,120})»")
# A document number (ingest.patterns), or an order written 2024年第14号令.
_NUMBER = re.compile(rf"{DOC_NUMBER.pattern}|(?P<order>(?:[\u4e00-\u9fff]{{0,12}}令)?(?:19|20)\d{{2}}年第\s*\d{{1,4}}\s*号令?)")
# Words that can run into an issuer code without a delimiter: 印发晋能源规发〔…〕.
_LEADING_WORDS = re.compile(r"^(?:根据|依据|按照|参照|印发|转发|执行|落实|贯彻|关于|以及|和|及|与|的|见|文件|号文)+")
_BRACKETED_AFTER = re.compile(r"\s*[（(]\s*$")


def find_citations(text: str) -> list[Citation]:
    titles = [(m.start(), m.end(), m.group("t") or m.group("g")) for m in _TITLE.finditer(text)]
    numbers = []
    for m in _NUMBER.finditer(text):
        start = m.start()
        if m.group("issuer"):
            issuer = m.group("issuer")
            trimmed = _LEADING_WORDS.sub("", issuer)
            start += len(issuer) - len(trimmed)
            if not trimmed:
                continue
        if any(a <= start < b for a, b, _ in titles):
            continue                                    # a number quoted inside a title
        # The number is normalised (no spaces) so citations link across documents;
        # the span still covers the words as written.
        numbers.append((start, m.end(), re.sub(r"\s+", "", text[start:m.end()])))

    out: list[Citation] = []
    used = set()
    for ts, te, title in titles:
        number = None
        for k, (ns, ne, num) in enumerate(numbers):
            # 《…》（number）: the number in brackets right after the title.
            if k not in used and ns > te and _BRACKETED_AFTER.fullmatch(text[te:ns]) \
                    and re.match(r"\s*[）)]", text[ne:]):
                number = (k, ne + re.match(r"\s*[）)]", text[ne:]).end(), num)
                break
        if number:
            used.add(number[0])
            out.append(Citation(title.strip(), number[2], Span(ts, number[1])))
        else:
            out.append(Citation(title.strip(), "", Span(ts, te)))
    for k, (ns, ne, num) in enumerate(numbers):
        if k not in used:
            out.append(Citation("", num, Span(ns, ne)))
    out.sort(key=lambda c: c.span.start)
    return out
