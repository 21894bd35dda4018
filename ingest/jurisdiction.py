"""A document's issuers → its jurisdiction (full region path) and its level (效力级别).

The region comes from the issuers first (温岭市人民政府 → 浙江省台州市温岭市;
国务院 → 全国), then from the title (2025年宁夏政府工作报告 → 宁夏回族自治区),
and only then from the places the text names most: a place mentioned in
passing (上海自由贸易试验区 in a national report) never outvotes an issuer.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.regions import NATIONAL, Region, RegionTable, default_table

LEVELS = ("法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "司法解释", "规范性文件", "工作报告", "其他")

# National bodies: their documents bind the whole country.
_NATIONAL_BODY = re.compile(
    r"^(中共中央|中央|国务院|全国人民代表大会|全国人大|最高人民法院|最高人民检察院|中华人民共和国|国家|中国人民银行"
    r"|(财政|商务|科学技术|科技|工业和信息化|生态环境|自然资源|住房和城乡建设|交通运输|农业农村|人力资源和社会保障|教育|公安"
    r"|民政|司法|水利|文化和旅游|应急管理|外交|国防)部|海关总署|市场监管总局)"
)
_NATIONAL_NUMBER = re.compile(r"^(国发|国办发|国函|国办函|发改|工信部|财建|财税|国能发|银发|商务部|人社部发|国务院令|中华人民共和国国务院令)")
_PARTY = re.compile(r"^中共|^中国共产党")
_PEOPLES_CONGRESS = re.compile(r"人民代表大会(常务委员会)?$|人大常委会$")
_COURTS = re.compile(r"^最高人民(法院|检察院)")


def _leading_region(text: str, table: RegionTable, within: Region | None = None) -> Region | None:
    text = _PARTY.sub("", text)
    match = table.leading(text, within=within)
    return match.region if match else None


def names_a_body(name: str) -> bool:
    """Does ``name`` start the way an agency's name does: a place (温岭市…, 嘉兴港区…), 中共…, or a national body?"""
    return bool(_PARTY.match(name) or _NATIONAL_BODY.match(name) or default_table().leading(name))


def region_of_issuers(issuers: list[str], table: RegionTable | None = None) -> str:
    """The most specific jurisdiction the issuers name (the first that names one); 全国 for national bodies."""
    table = table or default_table()
    found = [r for r in (_leading_region(i, table) for i in issuers) if r]
    if found:
        return max(found, key=lambda r: len(r.names)).path
    if any(_NATIONAL_BODY.match(i) for i in issuers):
        return NATIONAL
    return ""


def region_of_title(title: str, table: RegionTable | None = None, context: str = "") -> str:
    """The deepest place a title names (浙江省岱山经济开发区… → 浙江省舟山市岱山县)."""
    table = table or default_table()
    if title.startswith("中华人民共和国") or _NATIONAL_BODY.match(title):
        return NATIONAL
    # A short name (宁夏, 烟台, 温岭) counts only where a title starts (after 2025年 / 关于印发《):
    # inside a title 平安建设 or 港口建设 are words, not 平安区 or 港口区.
    start = re.match(r"^(\d{4}年)?(关于)?(印发)?[《“]?", title).end()
    best = _deepest_place(title, start, table, None)
    if best is None and context:   # a name several places share (普陀区): place it by the text's province
        best = _deepest_place(title, start, table, _context_region(context, table))
    return best.path if best else ""


def _deepest_place(title: str, start: int, table: RegionTable, within: Region | None) -> Region | None:
    best: Region | None = None
    for pos in range(len(title)):
        match = table.leading(title[pos:], within=within, aliases=pos == start)
        if match and (best is None or len(match.region.names) > len(best.names)):
            if best is None or table.contains(best, match.region):
                best = match.region
    return best


def _context_region(text: str, table: RegionTable) -> Region | None:
    """The province a text names most often (full names only), to place a short ambiguous name."""
    counts = Counter(r.names[0] for r, _, _ in table.mentions(text[:20000]))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return table.resolve(name)


def region_of_text(text: str, table: RegionTable | None = None) -> str:
    """Last resort: the place a text names most, when it names it at least three times."""
    table = table or default_table()
    counts = Counter(r.path for r, _, _ in table.mentions(text[:20000]))
    if not counts:
        return ""
    path, n = counts.most_common(1)[0]
    return path if n >= 3 else ""


def region_of_occasion(occasion: str, table: RegionTable | None = None) -> str:
    """A work report's date line: 在宁夏回族自治区第十三届人民代表大会… → 宁夏回族自治区; 全国人民代表大会 → 全国."""
    m = re.search(r"在(?P<place>.*?)第[一二三四五六七八九十百]+届(?P<national>全国)?人民代表大会", occasion)
    if not m:
        return ""
    if m["national"]:
        return NATIONAL
    return region_of_title(m["place"], table) if m["place"] else ""


def region_of_number(number: str) -> str:
    return NATIONAL if number and _NATIONAL_NUMBER.match(number) else ""


def level_of(title: str, issuers: list[str], number: str, region: str) -> str:
    """效力级别 from who issued the document and what it calls itself."""
    if "工作报告" in title:
        return "工作报告"
    if any(_COURTS.match(i) for i in issuers) or _COURTS.match(title):
        return "司法解释"
    if any(i.startswith(("全国人民代表大会", "全国人大")) for i in issuers):
        return "法律"
    if region == NATIONAL and re.search(r"法$", title) and "实施" not in title and "办法" not in title[-2:]:
        return "法律"
    if any(_PEOPLES_CONGRESS.search(i) for i in issuers) or "人民代表大会常务委员会公告" in number:
        return "地方性法规"
    if "国务院令" in number or (issuers == ["国务院"] and re.search(r"(条例|规定|办法)$", title)):
        return "行政法规"
    if re.search(r"令第\d+号$", number) and region == NATIONAL:
        return "部门规章"
    if re.search(r"政府令第\d+号$", number):
        return "地方政府规章"
    if number or re.search(r"(通知|意见|办法|细则|方案|规定|决定|措施|政策|规划|计划|公告|通告|批复)(（[^）]*）)?$", title):
        return "规范性文件"
    if re.search(r"条例$", title) and region and region != NATIONAL:
        return "地方性法规"
    return "其他"
