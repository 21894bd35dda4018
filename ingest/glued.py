"""Cut paragraphs where a document's parts were run together.

Text pasted from web pages arrives one sentence per line or worse, with a
whole header on one line: ``温岭市人民政府文件温政发202057号温岭市人民政府关于
…的若干意见各镇人民政府，…：`` holds a 文件 banner, the number, the title and
the recipients.  Signatures and dates run into the next part the same way
(``…财政局2018年4月20日2018年…管理办法总则第一条为…``).  Each cut is where one
kind of part ends and the next begins by its own look; nothing is dropped, the
pieces keep their source offsets.
"""
from __future__ import annotations

import re

from ingest.layout import Paragraph
from ingest.markers import match_marker

ORG_SUFFIX = "局府会室委厅院部办行处署"
_TITLE_END = (r"(?:通知|意见|办法|细则|方案|决定|规定|政策|措施|规划|批复|公告|通告|条例|计划)"
              r"(?:[（(](?:试行|暂行|修订|\d{4}年修订)[）)])?")
DATE_TEXT = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
# A document number, brackets optional: 温政发〔2020〕57号, 温政发202057号, 玉政发[2017]19号.
LOOSE_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［【（(]?(?:19|20)\d{2}[〕\]］】）)]?\d{1,4}号")
_BANNER = re.compile(rf"^(?P<org>[^，。；：]{{2,60}}?[{ORG_SUFFIX}])文件(?=\S)")
# ★ before a title, a page number or index code before a number: ★中共…, 7永政办发…, JHYD01－2017－0038台州市…
_LEADING_MARK = re.compile(r"^(?:[★☆●◆■—－_=]+|[A-Za-z0-9－\-_]+(?![0-9年月日号A-Za-z－\-_]))(?=[\u4e00-\u9fff])")
_RECIPIENTS = re.compile(rf"(?!的)(?:各|[^，。：]{{2,24}}(?:政府|党委|党工委|办事处|管委会|部门|单位|[{ORG_SUFFIX}])[，、])[^。]{{0,300}}：$")
_AFTER_TITLE = re.compile(rf"(?=(?:为|根据|按照|现将|经|总则|第[一二]章|第一条|[（(]?{DATE_TEXT}))")
# What follows a date that is part of a sentence, not a signature: 自…起, 在…会议上, 前, 以来 …
_DATE_IN_SENTENCE = set("起前以至止，、的在召到后内及和与或为印")
_SENTENCE_BREAK = "。！？；："
# The rest of a law's promulgation line after its date: 中华人民共和国国务院令第494号公布.
_HISTORY_REST = re.compile(r"^[^，。]{2,200}(通过|公布|发布|修订|修正|批准|施行|决定)[）)]?\s*$")


def _cuts_front(text: str) -> list[int]:
    cuts: list[int] = []
    m = _LEADING_MARK.match(text)
    if m and len(m.group()) <= 30:
        cuts.append(m.end())
    m = _BANNER.search(text, cuts[-1] if cuts else 0)
    if m and m.start() == (cuts[-1] if cuts else 0):
        cuts.append(m.end())
    for m in LOOSE_NUMBER.finditer(text):
        start = _number_start(text, m.start(), m.end())
        if start is None:
            continue
        cuts += [start, m.end()]
        break
    ends = []
    for m in re.finditer(_TITLE_END, text):
        rest = text[m.end():]
        if not rest or "。" in text[:m.end()] or text[:m.end()].count("《") != text[:m.end()].count("》"):
            continue
        if _RECIPIENTS.match(rest) or _AFTER_TITLE.match(rest):
            ends.append(m.end())
    if ends:
        # 股改政策新10条的通知各街道…：the title ends where the recipients (各…) or the body begin
        end = next((e for e in ends if text.startswith("各", e) or _AFTER_TITLE.match(text[e:])), ends[0])
        cuts.append(end)
        dated = re.match(rf"[（(]{DATE_TEXT}[）)]", text[end:])
        if dated:
            cuts.append(end + dated.end())
    return cuts


def _number_start(text: str, start: int, end: int) -> int | None:
    """Where a number's issuer code begins, when the number stands between parts (not in a sentence)."""
    if end < len(text) and text[end] in "）)》，。、；":
        return None  # cited in running text: （玉政发[2017]19号）
    before = text[:start]
    if "（" in before[-12:] or "《" in before[-30:]:
        return None
    span = text[start:end]
    code_len = span.index(next(ch for ch in span if not "\u4e00" <= ch <= "\u9fff"))
    for n in range(1, code_len + 1):   # the shortest issuer code that leaves a whole part before it
        cut = start + code_len - n
        prefix = text[:cut]
        if n >= 2 and (not re.search(r"[\u4e00-\u9fff]", prefix) or prefix[-1] in ORG_SUFFIX or prefix.endswith("文件")
                       or re.search(_TITLE_END + "$", prefix)):
            return cut
    return None


def _cuts_signature(text: str) -> list[int]:
    """Around a signature date: ``…遵照执行。嘉兴市科学技术局2018年6月19日嘉兴市…`` and after （此件…）."""
    cuts: list[int] = []
    for m in re.finditer(DATE_TEXT, text):
        after = text[m.end():m.end() + 1]
        if after and after in _DATE_IN_SENTENCE:
            continue
        before = text[:m.start()]
        if m.start() == 0:
            if m.end() < len(text) and not _HISTORY_REST.match(text[m.end():]):
                cuts.append(m.end())
            continue
        if before[-1] not in ORG_SUFFIX:
            continue
        head = _org_run_start(before)
        if head is None:
            continue
        cuts += [head, m.start(), m.end()]
    for m in re.finditer(r"[（(]此件[^）)]{0,12}[）)]|抄送[:：]|抄报[:：]", text):
        cuts += [m.start(), m.end()] if m.group().startswith(("（", "(")) else [m.start()]
    return cuts


def _starts_place(text: str) -> bool:
    from ingest.regions import default_table

    return default_table().leading(text, aliases=False) is not None


def _org_run_start(before: str) -> int | None:
    """Where the agency names just before a signature date begin (None when ``before`` does not end in them)."""
    from ingest.issuer_names import is_org_line

    head = max(before.rfind(ch) for ch in _SENTENCE_BREAK) + 1
    if len(before) - head > 200:
        head = len(before) - 200
    for p in range(head, len(before) - 1):
        if (p == head or not "\u4e00" <= before[p - 1] <= "\u9fff" or before[p - 1] in ORG_SUFFIX
                or before.startswith("中共", p) or _starts_place(before[p:])
                or before[p - 1] in "）)》") and is_org_line(before[p:]):
            return p
    return None


def _cuts_inline_marker(text: str) -> list[int]:
    """A heading run into its first article: ``第一章 总 则第一条 为…``, ``总则第一条为…``."""
    for m in re.finditer(r"第[一二三四五六七八九十百零〇两0-9]{1,5}[章节条]", text):
        if m.start() == 0:
            continue
        head = text[:m.start()]
        marker = match_marker(head)
        # a chapter or section heading (第一章 总 则), or a bare heading word (总则); never an
        # article's own words (第六条 实施刑法第一百三十二条…)
        if len(head) <= 40 and not re.search(r"[。，；：、]", head) and (
                (marker is not None and marker.kind in ("chapter", "section"))
                or (marker is None and len(head) <= 8 and not re.search(r"(法|例|定|则|本)$", head[-1:]) or head in ("总则", "附则"))):
            return [m.start()]
        break
    return []


def _split(para: Paragraph, cuts: list[int]) -> list[Paragraph]:
    bounds = sorted({c for c in cuts if 0 < c < len(para.text)})
    if not bounds:
        return [para]
    out = []
    for a, b in zip([0, *bounds], [*bounds, len(para.text)]):
        piece = para.text[a:b].strip()
        if piece.text:
            out.append(Paragraph(piece, para.bold_end - a if a == 0 and para.bold_end >= 0 else -1,
                                 para.md_heading and a == 0, glued=True))
    return out


def unglue(paras: list[Paragraph], front_limit: int = 8) -> list[Paragraph]:
    """Cut run-together parts: header parts in the first ``front_limit`` paragraphs
    before numbering starts, signatures and inline article markers anywhere."""
    out: list[Paragraph] = []
    in_front = True
    for i, para in enumerate(paras):
        text = para.text.text
        if match_marker(text) is not None and match_marker(text).kind != "attachment":
            in_front = False
        cuts = _cuts_signature(text) + _cuts_inline_marker(text)
        if in_front and i < front_limit and not para.md_heading:
            cuts += _cuts_front(text)
        pieces = _split(para, cuts)
        if len(pieces) > 1:
            # a piece may itself hold another glued part (title, then 总则第一条)
            pieces = [q for p in pieces for q in _split(p, _cuts_inline_marker(p.text.text))]
        out.extend(pieces)
    return out
