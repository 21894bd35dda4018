"""Front matter: title, document number, issuers, recipients, dates, validity, region.

Taken from the text where it says them (``发文字号：…`` fields of saved web
pages, the title lines, the number line, the recipients line ending in ``：``,
the signature and date), and overridable by a sidecar file per document.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.layout import Paragraph
from ingest.model import DocumentMeta
from ingest.patterns import DOC_NUMBER
from ingest.sidecar import read_sidecar

FIELD = re.compile(r"^(?P<key>标\s*题|发文字号|文\s*号|主题分类|成文日期|发布日期|是否有效|发文机关|索引号|生效日期|有\s*效\s*性)\s*[:：]\s*(?P<value>.*)$")
DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ORG_END = re.compile(r"(委员会|人民政府|政府|办公厅|办公室|厅|局|委|办|部|署|院|公司|中心|省委|市委|区委|党委)$")
_PUBLICITY = re.compile(r"^[（(]此件.{0,10}[）)]$")

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
_NATIONAL_PREFIX = re.compile(r"^(国务院|国家|中共中央|中华人民共和国|财政部|工业和信息化部|生态环境部|商务部|自然资源部|住房和城乡建设部|交通运输部|科技部|人力资源社会保障部|中国人民银行)")
_NATIONAL_NUMBER = re.compile(r"^(国发|国办发|发改|工信部|财建|财税|环气候|国能发|国能|商|银发)")


def front_matter_kind(text: str) -> str | None:
    """What a top-level paragraph is when it is front matter rather than body text."""
    if FIELD.match(text):
        return "field"
    if _PUBLICITY.match(text):
        return "publicity"
    if len(text) <= 60 and DOC_NUMBER.fullmatch(text.strip()):
        return "number"
    if DATE.fullmatch(text.strip()):
        return "date"
    if text.endswith("：") and len(text) <= 400 and re.search(r"[、，]", text) and _ORG_END.search(re.split(r"[、，]", text.rstrip("："))[0]):
        return "recipients"
    if len(text) <= 40 and not re.search(r"[。，；：、！？]", text):
        return "title"
    return None


def _iso(text: str) -> str:
    """The ISO date written in ``text``; "" when there is none or it is no real date (2024年13月45日),
    which would fail the graph's shapes for the whole build."""
    import datetime as dt

    m = DATE.search(text)
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat() if m else ""
    except ValueError:
        return ""


def region_of(*texts: str) -> str:
    """The issuing region named in a title, issuer or number; 全国 for national bodies."""
    for text in texts:
        if not text:
            continue
        for short, (full, _) in PROVINCES.items():
            if text.startswith((short, "中共" + short)) or full in text[:12]:
                return full
        if _NATIONAL_PREFIX.match(text) or _NATIONAL_NUMBER.match(text):
            return NATIONAL
        for short, (full, abbr) in PROVINCES.items():
            if DOC_NUMBER.fullmatch(text) and text.startswith(abbr):
                return full
    return ""


def _region_from_body(body: str) -> str:
    """Fallback: the province the text names most, weighted by 我省 / 自治区 context."""
    counts = {full: body.count(short) for short, (full, _) in PROVINCES.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 2 else ""


def extract_metadata(front: list[tuple[str, Paragraph]], body_text: str) -> DocumentMeta:
    """Build the document's metadata from its front-matter paragraphs.

    ``front`` holds ``(kind, paragraph)`` pairs in reading order, as
    classified by :func:`front_matter_kind`.
    """
    meta = DocumentMeta(id="", title="")
    titles: list[str] = []
    signature_candidates: list[str] = []
    for kind, para in front:
        text = para.text.text.strip()
        if kind == "field":
            m = FIELD.match(text)
            key, value = re.sub(r"\s", "", m["key"]), m["value"].strip()
            if key == "标题":
                meta.title = value
            elif key in ("发文字号", "文号"):
                meta.number = value
            elif key == "主题分类":
                meta.topics = [t for t in re.split(r"[；;，,、/]", value) if t]
            elif key == "成文日期":
                meta.date_written = _iso(value)
            elif key == "发布日期":
                meta.date_published = _iso(value)
            elif key in ("是否有效", "有效性"):
                meta.valid = not re.search(r"否|失效|废止|无效", value)
            elif key == "发文机关":
                meta.issuers = [t for t in re.split(r"[；;，,、\s]+", value) if t]
        elif kind == "number" and not meta.number:
            meta.number = text
        elif kind == "recipients" and not meta.recipients:
            meta.recipients = [t for t in re.split(r"[、，,]", text.rstrip("：:")) if t]
        elif kind == "date":
            if not meta.date_written:
                meta.date_written = _iso(text)
        elif kind == "title":
            if meta.recipients or meta.number and titles:
                signature_candidates.append(text)  # after the address block: a signature
            else:
                titles.append(text)
    if not meta.title:
        meta.title = _title_from_lines(titles, meta)
    if not meta.issuers:
        meta.issuers = _issuers_from_title(meta.title, titles)
    orgs = [s for s in signature_candidates if _ORG_END.search(s)]
    meta.signature = orgs[0] if orgs else ""
    if not meta.issuers and meta.signature:
        meta.issuers = [meta.signature]
    meta.region = region_of(*(meta.issuers + [meta.title, meta.number])) or _region_from_body(body_text)
    return meta


def _title_from_lines(lines: list[str], meta: DocumentMeta) -> str:
    """Join the title lines; issuer lines before a 关于… line are kept, spaced."""
    if not lines:
        return ""
    issuers = [l for l in lines if _ORG_END.search(l) and len(l) <= 20]
    rest = [l for l in lines if l not in issuers]
    if rest and issuers and rest[0].startswith("关于"):
        return " ".join(issuers) + "".join(rest)
    # Title lines repeat across a notice and its attachment; keep the longest run.
    return "".join(rest or lines)


def _issuers_from_title(title: str, lines: list[str]) -> list[str]:
    head = title.split("关于")[0].strip() if "关于" in title else ""
    if head:
        return [p for p in re.split(r"\s+", head) if _ORG_END.search(p)]
    return [l for l in lines if _ORG_END.search(l) and len(l) <= 20 and l != title]


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
