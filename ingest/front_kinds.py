"""What a line of a document's front or back matter is: title, number, date, recipients, signature …

Each test reads one line by its own look (``front_matter_kind``); reading the
fields out of the lines is :mod:`ingest.metadata`'s job.
"""
from __future__ import annotations

import re

from ingest.patterns import DOC_NUMBER

FIELD = re.compile(r"^(?P<key>标\s*题|发文字号|文\s*号|主题分类|成文日期|发布日期|是否有效|发文机关|索引号|生效日期|有\s*效\s*性)\s*[:：]\s*(?P<value>.*)$")
DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ORG_END = re.compile(r"(委员会|人民政府|政府|办公厅|办公室|厅|局|委|办|部|署|院|公司|中心|省委|市委|区委|党委)$")
_PUBLICITY = re.compile(r"^[（(]此件.{0,10}[）)]$")

_SOURCE = re.compile(r"^来\s*源\s*[:：]")
# Law headers: 2007年4月14日 中华人民共和国国务院令第494号公布 / …常务委员会第三十次会议通过
HISTORY = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,200}?(通过|公布|发布|修订|修正|批准|施行|决定)")
# Work reports: ——2025年1月18日在云南省第十四届人民代表大会第三次会议上
OCCASION = re.compile(r"^[—－\-–（(]*\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^，。]{0,24}?在.{2,60}?(会议|大会)上")
SPEAKER = re.compile(r"^[\u4e00-\u9fff]{0,16}(省长|市长|主席|区长|县长|州长|盟长|旗长|总理|主任)\s*[\u4e00-\u9fff·]{2,10}(同志)?$")
_BANNER = re.compile(r"^.{2,60}(政府|委员会|办公室|办公厅|厅|局|委|办|部|院|署|会|党委)文件$")   # 温岭市人民政府文件
_COPY = re.compile(r"^(抄送|抄报|分送)[:：]")
_PRINTED = re.compile(r"^.{2,40}\d{4}年\d{1,2}月\d{1,2}日印发$|^.{2,40}印发$")
_NUMBER_LOOSE = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,10})[〔\[［【（(]?(?P<y>(?:19|20)\d{2})[〕\]］】）)]?(?P<n>\d{1,4})号$")
TITLE_WORD = re.compile(r"(关于|通知|意见|办法|细则|方案|决定|规定|条例|政策|措施|规划|计划|报告|法|解释|批复|公告|通告)(（[^）]*）)?$")


def normalize_number(text: str) -> str:
    """温政发202057号 / 温政发[2020]57号 → 温政发〔2020〕57号; other numbers (国务院令第280号) as they are."""
    text = re.sub(r"\s", "", text)
    m = _NUMBER_LOOSE.match(text)
    return f"{m['code']}〔{m['y']}〕{int(m['n'])}号" if m else text


def front_matter_kind(text: str) -> str | None:
    """What a top-level paragraph is when it is front or back matter rather than body text."""
    text = text.strip()
    if FIELD.match(text):
        return "field"
    if _SOURCE.match(text):
        return "source"
    if _PUBLICITY.match(text):
        return "publicity"
    if not re.search(r"[\u4e00-\u9fff。；，：]", text):
        return "mark"     # ★, a page number or index code cut off a header
    if len(text) <= 60 and (DOC_NUMBER.fullmatch(text) or _NUMBER_LOOSE.match(re.sub(r"\s", "", text))):
        return "number"
    if DATE.fullmatch(text) or re.fullmatch(rf"[（(]{DATE.pattern}[）)]", text):
        return "date"
    if OCCASION.match(text):
        return "occasion"
    if HISTORY.match(text) and len(text) <= 300:
        return "history"
    if SPEAKER.match(text):
        return "speaker"
    if _BANNER.match(text) and len(text) <= 64 and not re.search(r"[。，；：、]", text):
        return "banner"
    if _COPY.match(text):
        return "copy"
    if _PRINTED.match(text):
        return "printed"
    if text.endswith("：") and len(text) <= 400 and re.search(r"[、，]", text) and (
            text.startswith("各") or _ORG_END.search(re.split(r"[、，]", text.rstrip("："))[0])):
        return "recipients"
    if len(text) <= 40 and not re.search(r"[。，；：、！？]", text):
        return "title"
    if len(text) <= 120 and TITLE_WORD.search(text) and not re.search(r"[。；：！？]", text):
        return "title"   # a long title: 台州市椒江区人民政府办公室关于印发…的通知
    return None


def split_list(text: str, separators: str = "、，,；;") -> list[str]:
    """Split at separators outside brackets: 各县（市、区）科技局、财政局 → [各县（市、区）科技局, 财政局]."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth -= 1
        if ch in separators and depth <= 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [t.strip() for t in out if t.strip()]


def iso_date(text: str) -> str:
    m = DATE.search(text)
    return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}" if m else ""


def all_iso_dates(text: str) -> list[str]:
    return [f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}" for m in DATE.finditer(text)]
