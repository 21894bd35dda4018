"""Front matter: title, document number, issuers, recipients, dates, validity, region.

Taken from the text where it says them (``发文字号：…`` fields of saved web
pages, the title lines, the number line, the recipients line ending in ``：``,
the signature and date), and overridable by a sidecar file per document.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from pathlib import Path

from ingest.errors import IngestError
from ingest.layout import Paragraph
from ingest.model import DocumentMeta
from ingest.patterns import DOC_NUMBER

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


_SOURCE = re.compile(r"^来\s*源\s*[:：]")
# Law headers: 2007年4月14日 中华人民共和国国务院令第494号公布 / …常务委员会第三十次会议通过
HISTORY = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,200}?(通过|公布|发布|修订|修正|批准|施行|决定)")
# Work reports: ——2025年1月18日在云南省第十四届人民代表大会第三次会议上
OCCASION = re.compile(r"^[—－\-–]*\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^，。]{0,24}?在.{2,60}?(会议|大会)上")
SPEAKER = re.compile(r"^[\u4e00-\u9fff]{0,16}(省长|市长|主席|区长|县长|州长|盟长|旗长|总理|主任)\s*[\u4e00-\u9fff·]{2,10}(同志)?$")
_BANNER = re.compile(r"^.{2,60}(政府|委员会|办公室|办公厅|厅|局|委|办|部|院|署|会|党委)文件$")   # 温岭市人民政府文件
_COPY = re.compile(r"^(抄送|抄报|分送)[:：]")
_PRINTED = re.compile(r"^.{2,40}\d{4}年\d{1,2}月\d{1,2}日印发$|^.{2,40}印发$")
_NUMBER_LOOSE = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,10})[〔\[［【（(]?(?P<y>(?:19|20)\d{2})[〕\]］】）)]?(?P<n>\d{1,4})号$")
_TITLE_WORD = re.compile(r"(关于|通知|意见|办法|细则|方案|决定|规定|条例|政策|措施|规划|计划|报告|法|解释|批复|公告|通告)(（[^）]*）)?$")
ORG_SUFFIX = re.compile(r"(委员会|人民政府|政府|办公厅|办公室|厅|局|委|办|部|署|院|公司|中心|党委|党工委|管委会|支行|分行|银行|法院|检察院)$")


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
    if len(text) <= 120 and _TITLE_WORD.search(text) and not re.search(r"[。；：！？]", text):
        return "title"   # a long title: 台州市椒江区人民政府办公室关于印发…的通知
    return None


def is_org_line(text: str) -> bool:
    """A line made only of agency names (a signature, or the issuers above a title)."""
    from ingest.jurisdiction import names_a_body

    orgs = split_orgs(text)
    return bool(orgs) and len(text) <= 80 and names_a_body(orgs[0]) and all(
        ORG_SUFFIX.search(o) and "\u4e00" <= o[0] <= "\u9fff" and len(o) <= 24 and not re.search(r"[0-9“”\"《》.]", o)
        for o in orgs)


def split_orgs(text: str) -> list[str]:
    """嘉兴市科学技术局嘉兴市财政局 → [嘉兴市科学技术局, 嘉兴市财政局]; also at 、 and spaces.

    A cut is where one name ends in an agency word and the next starts with a
    place (from the regions table) or 中共 / 中国.
    """
    from ingest.regions import default_table

    table = default_table()
    out: list[str] = []
    for piece in re.split(r"[、，,\s]+", text.strip()):
        start = 0
        for i in range(2, len(piece) - 1):
            if piece.startswith("中共", i) or (ORG_SUFFIX.search(piece[start:i]) or piece[i - 1] in "）)") and (
                    piece.startswith("中国", i) or table.leading(piece[i:], aliases=False)):
                out.append(piece[start:i])
                start = i
        if piece[start:]:
            out.append(piece[start:])
    return out


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


def _iso(text: str) -> str:
    m = DATE.search(text)
    return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}" if m else ""


def _all_iso(text: str) -> list[str]:
    return [f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}" for m in DATE.finditer(text)]


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


def _history(meta: DocumentMeta, lines: list[str]) -> list[str]:
    """Number, date and issuing body from a law's promulgation lines; returns the issuers it names."""
    dates = [d for line in lines if not re.search(r"日\s*施行$|^.{0,14}起施行", line) for d in _all_iso(line)]
    if dates and not meta.date_written:
        meta.date_written = max(dates)
    for line in lines:
        m = re.search(r"[日\s]([\u4e00-\u9fff]{2,40}?(?:令|公告)第[0-9一二三四五六七八九十百零]+号)", line)
        if m and not meta.number:
            meta.number = m.group(1)
            break
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
            occasion_date, occasion = _iso(text), text
        elif kind == "banner":
            banner_orgs = split_orgs(text[:-2])
        elif kind == "date":
            nxt = items[index - 1] if index else ("", None)
            if nxt[0] == "title" and is_org_line(nxt[1].text.text) and not signature_orgs:
                signature_orgs = split_orgs(nxt[1].text.text)
                meta.signature = nxt[1].text.text.strip()
            if not meta.date_written and not history:
                meta.date_written = _iso(text)
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
        meta.date_written = _iso(printed[0])
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
        meta.issuers = _issuer_of_number(meta.number, meta.region)
    if not meta.issuers and "工作报告" in meta.title and meta.region:
        meta.issuers = ["国务院" if meta.region == NATIONAL else _government_of(meta.region)]
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
    revised = [d for line in history if re.search(r"修订|修正", line) for d in _all_iso(line)[:1]]
    if revised:
        return f"{max(revised)}修订"
    m = re.search(r"[（(](\d{4})年修[订正][）)]", meta.title)
    if m:
        return f"{m.group(1)}年修订"
    m = re.search(_SELF + r"[^。]{0,30}?有效期(?P<term>(?:至|为|暂定)?[^。，；）]{2,24})", body)
    if m:
        return "有效期" + m["term"].strip()
    return ""


def full_agency_name(name: str) -> str:
    """An agency of a city district named as it signs: 中共黄岩区委 → 中共台州市黄岩区委 (counties and county-level cities stay as they are)."""
    from ingest.regions import default_table

    table = default_table()
    party = "中共" if name.startswith("中共") else ""
    rest = name[len(party):]
    match = table.leading(rest, aliases=False)
    if match is None or not match.region.name.endswith("区") or match.region.level != "county":
        return name
    city = table.by_code(match.region.parent)
    if city is None or city.level != "prefecture" or rest.startswith(city.name) or match.end != len(match.region.name):
        return name
    return f"{party}{city.name}{rest}"


# The issuer's code in a number (发文机关代字) names the kind of body: 仙政发 is the county government.
_CODE_BODIES = [(re.compile(r"政办发?$"), "{gov}办公室"), (re.compile(r"政发?$"), "{gov}"),
                (re.compile(r"委办发?$"), "中共{place}委办公室"), (re.compile(r"委发?$"), "中共{place}委")]


def _issuer_of_number(number: str, region: str) -> list[str]:
    """仙政发〔2017〕185号 in a 仙居县 document → 仙居县人民政府; [] when the code says no such body."""
    m = DOC_NUMBER.match(number)
    if not m:
        return []
    from ingest.regions import default_table

    place = default_table().by_path(region)
    if place is None:
        return []
    code = m["issuer"]
    for pattern, form in _CODE_BODIES:
        if pattern.search(code) and place.aliases and code.startswith(place.aliases[0][0]):
            return [full_agency_name(form.format(gov=_government_of(region), place=place.name))]
    return []


def _government_of(region: str) -> str:
    from ingest.regions import default_table

    place = default_table().by_path(region)
    return f"{place.name}人民政府" if place else f"{region}人民政府"


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
        meta.date_written = _iso(value)
    elif key == "发布日期":
        meta.date_published = _iso(value)
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
        if "关于" in joined or _TITLE_WORD.search(joined) or re.search(r"(条例|报告)", joined):
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
    or ``region = "山西省"``.  Unknown keys are an error so typos are caught.
    """
    sidecar = sidecar_path(source)
    if not sidecar.exists():
        return meta
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise IngestError(sidecar, f"sidecar is not valid TOML: {err}") from err
    allowed = {f.name for f in fields(DocumentMeta)} - {"source_file", "source_format", "source_sha256"}
    unknown = set(data) - allowed
    if unknown:
        raise IngestError(sidecar, f"unknown sidecar fields: {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})")
    for key, value in data.items():
        setattr(meta, key, value)
    return meta


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + ".meta.toml")
