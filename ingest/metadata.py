"""Front matter: title, document number, issuers, recipients, dates, validity, level, region.

Read from the lines :mod:`ingest.front_kinds` classified, where the text says them (``发文字号：…`` fields of saved web
pages, the title lines, the number line, the recipients line ending in ``：``,
the signature and date), and overridable by a sidecar file per document.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.issuer_names import (  # noqa: F401  (is_org_line, split_orgs are read from here too)
    ORG_SUFFIX, full_agency_name, government_of, is_org_line, issuer_of_number, split_orgs,
)
from ingest.front_kinds import (  # noqa: F401  (FIELD, front_matter_kind … are read from here too)
    DATE, FIELD, TITLE_WORD, all_iso_dates, front_matter_kind, iso_date, normalize_number, split_list,
)
from ingest.layout import Paragraph
from ingest.model import DocumentMeta
from ingest.patterns import DOC_NUMBER
from ingest.sidecar import read_sidecar

# Province-level regions, with the one-character abbreviation used in document numbers.
PROVINCES: dict[str, tuple[str, str]] = {
    # short name: (full name, number abbreviation)
    "北京": ("北京市", "京"), "天津": ("天津市", "津"), "河北": ("河北省", "冀"), "山西": ("山西省", "晋"),
    "内蒙古": ("内蒙古自治区", "内"), "辽宁": ("辽宁省", "辽"), "吉林": ("吉林省", "吉"), "黑龙江": ("黑龙江省", "黑"),
    "上海": ("上海市", "沪"), "江苏": ("江苏省", "苏"), "浙江": ("浙江省", "浙"), "安徽": ("安徽省", "皖"),
    "福建": ("福建省", "闽"), "江西": ("江西省", "赣"), "山东": ("山东省", "鲁"), "河南": ("河南省", "豫"),
    "湖北": ("湖北省", "鄂"), "湖南": ("湖南省", "湘"), "广东": ("广东省", "粤"), "广西": ("广西壮族自治区", "桂"),
    "海南": ("海南省", "琼"), "重庆": ("重庆市", "渝"), "四川": ("四川省", "川"), "贵州": ("贵州省", "黔"),
    "云南": ("云南省", "云"), "西藏": ("西藏自治区", "藏"), "陕西": ("陕西省", "陕"), "甘肃": ("甘肃省", "甘"),
    "青海": ("青海省", "青"), "宁夏": ("宁夏回族自治区", "宁"), "新疆": ("新疆维吾尔自治区", "新"),
}
NATIONAL = "全国"


def _history(meta: DocumentMeta, lines: list[str]) -> list[str]:
    """Number, date and issuing body from a law's promulgation lines; returns the issuers it names."""
    # every date but the one it takes effect (2013年1月1日 施行, 自2021年1月1日起施行)
    dates = [iso_date(m.group()) for line in lines for m in DATE.finditer(line)
             if not re.match(r"\s*起?施行", line[m.end():])]
    if dates and not meta.date_written:
        meta.date_written = max(dates)
    for line in lines:
        m = re.search(r"[日\s]([\u4e00-\u9fff]{2,40}?(?:令|公告)第[0-9一二三四五六七八九十百零]+号)", line)
        if m and not meta.number:
            meta.number = m.group(1)
            break
    if not meta.number:   # a judicial interpretation's 法释〔2020〕17号 in its adoption line
        found = next((m for line in lines for m in [DOC_NUMBER.search(line)] if m), None)
        # the words run into the issuer code (…起施行法释〔2020〕17号) are not part of it
        meta.number = normalize_number(re.sub(r"^.*(施行|公布|通过|发布|印发)", "", found.group())) if found else ""
    for line in lines:
        body = DATE.sub("", line, count=1).strip(" （(")
        if body.startswith(("中华人民共和国国务院", "国务院")):
            return ["国务院"]
        m = re.match(r"(最高人民法院|最高人民检察院)", body)
        if m:
            return [m.group(1)]
        # rules: 浙江省人民政府令第N号 (地方政府规章), 中华人民共和国商务部令第N号 (部门规章)
        m = re.match(r"(?P<bodies>[\u4e00-\u9fff\s]{2,60}?(?:人民政府|部|委员会|总局|署|局|行))令\s*第", body)
        if m:   # joint rules name each body: 中华人民共和国国家发展和改革委员会 中华人民共和国商务部令
            return [b for b in re.split(r"\s+|中华人民共和国", m["bodies"]) if b]
        m = re.match(r"(?P<place>[\u4e00-\u9fff]{0,12}?)(第[一二三四五六七八九十百]+届)?(?P<body>全国人民代表大会常务委员会|全国人民代表大会|人民代表大会常务委员会|人民代表大会)", body)
        if m:
            place = "" if m["body"].startswith("全国") else re.sub(r"省?十[一二三四五六七八九]?届$", "", m["place"])
            return [f"{place}{m['body']}"]
    return []


def extract_metadata(front: list[tuple[str, Paragraph]], body_text: str,
                     back: list[tuple[str, Paragraph]] = ()) -> DocumentMeta:
    """Build the document's metadata from its front- and back-matter paragraphs.

    ``front`` and ``back`` hold ``(kind, paragraph)`` pairs in reading order, as
    classified by :func:`front_matter_kind`.
    """
    from ingest.jurisdiction import (
        level_of, region_of_issuers, region_of_number, region_of_occasion, region_of_text, region_of_title,
    )

    meta = DocumentMeta(id="", title="")
    runs: list[list[Paragraph]] = []     # consecutive title lines
    banner_orgs: list[str] = []
    history: list[str] = []
    occasion_date, occasion = "", ""
    signature_orgs: list[str] = []
    after_address = False
    previous_kind = ""
    items = [*front, *back]
    for index, (kind, para) in enumerate(items):
        text = para.text.text.strip()
        if kind == "body":
            after_address = True      # title-like lines after body text are signatures
        elif kind == "field":
            _field(meta, text)
        elif kind == "number" and not meta.number:
            meta.number = normalize_number(text)
        elif kind == "recipients" and not meta.recipients:
            meta.recipients = split_list(text.rstrip("：:"))
            after_address = True
        elif kind == "history":
            history.append(text)
        elif kind == "occasion" and not occasion_date:
            occasion_date, occasion = iso_date(text), text
        elif kind == "banner":
            banner_orgs = split_orgs(text[:-2])
        elif kind == "date":
            nxt = items[index - 1] if index else ("", None)
            if nxt[0] == "title" and is_org_line(nxt[1].text.text) and not signature_orgs:
                signature_orgs = split_orgs(nxt[1].text.text)
                meta.signature = nxt[1].text.text.strip()
            if not meta.date_written and not history:
                meta.date_written = iso_date(text)
        elif kind == "title":
            if after_address or (para in [p for _, p in back]):
                pass  # a signature line: read with the date that follows it
            elif previous_kind == "title" and runs:
                runs[-1].append(para)
            else:
                runs.append([para])
        previous_kind = kind
    history_issuers = _history(meta, history) if history else []
    printed = [p.text.text for k, p in items if k == "printed" and DATE.search(p.text.text)]
    if not meta.date_written and not history and printed:
        meta.date_written = iso_date(printed[0])
    if not meta.date_written:
        meta.date_written = occasion_date
    if not meta.title:
        meta.title = _STATUS_MARK.sub("", _title_from_runs(runs))
    if not meta.issuers:
        title_orgs = _issuers_from_title(meta.title)
        if history and (title_orgs or history_issuers):
            meta.issuers = title_orgs or history_issuers
        else:
            meta.issuers = signature_orgs or banner_orgs or title_orgs or _issuers_of_front_orgs(runs)
    meta.issuers = [full_agency_name(i) for i in meta.issuers]
    meta.region = (region_of_issuers(meta.issuers) or region_of_title(meta.title, context=body_text)
                   or region_of_occasion(occasion) or region_of_number(meta.number) or region_of_text(body_text))
    if not meta.issuers and meta.number and meta.region not in ("", NATIONAL):
        meta.issuers = issuer_of_number(meta.number, meta.region)
    if not meta.issuers and "工作报告" in meta.title and meta.region:
        meta.issuers = ["国务院" if meta.region == NATIONAL else government_of(meta.region)]
    meta.level = level_of(meta.title, meta.issuers, meta.number, meta.region)
    if not meta.validity:
        meta.validity = _validity(meta, [p.text.text for k, p in front if k != "body"], history, body_text)
    if meta.validity in ("失效", "已废止"):
        meta.valid = False
    return meta


_STATUS_MARK = re.compile(r"[（(【](已废止|已失效|废止|失效)[）)】]$")   # a validity mark is not part of the title
_SELF = r"本(?:办法|规定|意见|细则|政策|方案|通知|条例|措施|决定|实施意见|若干意见|实施细则)"


def _validity(meta: DocumentMeta, front: list[str], history: list[str], body: str) -> str:
    """时效性 where the text says it: 失效 / 已废止 in its own header, the latest 修订 or 修正 of a law,
    a revision in its title (（2017年修订）), or its own term (本办法有效期至…)."""
    header = " ".join(front)
    m = re.search(r"(已废止|已失效|（废止）|【失效】|【废止】)", header)
    if m:
        return "已废止" if "废止" in m.group(1) else "失效"
    revised = [d for line in history if re.search(r"修订|修正", line) for d in all_iso_dates(line)[:1]]
    if revised:
        return f"{max(revised)}修订"
    m = re.search(r"[（(](\d{4})年修[订正][）)]", meta.title)
    if m:
        return f"{m.group(1)}年修订"
    m = re.search(_SELF + r"[^。]{0,30}?有效期(?P<term>(?:至|为|暂定)?[^。，；）]{2,24})", body)
    if m:
        return "有效期" + m["term"].strip()
    return ""


def _field(meta: DocumentMeta, text: str) -> None:
    m = FIELD.match(text)
    key, value = re.sub(r"\s", "", m["key"]), m["value"].strip()
    if key == "标题":
        meta.title = value
    elif key in ("发文字号", "文号"):
        meta.number = normalize_number(value)
    elif key == "主题分类":
        meta.topics = [t for t in re.split(r"[；;，,、/]", value) if t]
    elif key == "成文日期":
        meta.date_written = iso_date(value)
    elif key == "发布日期":
        meta.date_published = iso_date(value)
    elif key in ("是否有效", "有效性"):
        meta.valid = not re.search(r"否|失效|废止|无效", value)
        meta.validity = {"是": "有效", "否": "失效"}.get(value, value)
    elif key == "发文机关":
        meta.issuers = [t for t in re.split(r"[；;，,、\s]+", value) if t]


def _title_from_runs(runs: list[list[Paragraph]]) -> str:
    """The run of title lines that reads as a title (关于…, …通知, …条例); issuer lines just before a 关于 line are kept, spaced."""
    texts = [[p.text.text.strip() for p in run] for run in runs]
    for run in texts:
        joined = "".join(run)
        if "关于" in joined or TITLE_WORD.search(joined) or re.search(r"(条例|报告)", joined):
            issuers = [l for l in run if is_org_line(l) and not l.startswith("关于") and "关于" not in l]
            rest = [l for l in run if l not in issuers]
            if rest and issuers and rest[0].startswith("关于"):
                return " ".join(issuers) + "".join(rest)
            # Title lines repeat across a notice and its attachment; keep the longest run.
            return "".join(rest or run)
    return "".join(texts[0]) if texts else ""


def _issuers_from_title(title: str) -> list[str]:
    head = title.split("关于")[0].strip() if "关于" in title else ""
    if not head:
        return []
    orgs = split_orgs(head)
    return orgs if all(ORG_SUFFIX.search(o) for o in orgs) else []


def _issuers_of_front_orgs(runs: list[list[Paragraph]]) -> list[str]:
    lines = [p.text.text.strip() for run in runs for p in run]
    return [o for l in lines if is_org_line(l) and len(l) <= 20 for o in split_orgs(l)]


def apply_sidecar(meta: DocumentMeta, source: Path) -> DocumentMeta:
    """Override metadata from ``<file>.meta.toml`` beside the document, when present.

    The sidecar holds the fields the text lacks, e.g. ``number = "晋政发〔2022〕1号"``
    or ``region = "山西省"``; :mod:`ingest.sidecar` checks it against its schema
    (unknown keys are an error so typos are caught).
    """
    sidecar = sidecar_path(source)
    if not sidecar.exists():
        return meta
    for key, value in read_sidecar(sidecar).items():
        setattr(meta, key, value)
    return meta


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + ".meta.toml")
