"""Issuer names in front matter: a line made of them, names run together, their full form.

嘉兴市科学技术局嘉兴市财政局 is two agencies; 中共黄岩区委 signs as 中共台州市黄岩区委; a
number's issuer code (仙政发) names the body that issued it.
"""
from __future__ import annotations

import re

from ingest.patterns import DOC_NUMBER

ORG_SUFFIX = re.compile(r"(委员会|人民政府|政府|办公厅|办公室|厅|局|委|办|部|署|院|公司|中心|党委|党工委|管委会|支行|分行|银行|法院|检察院)$")


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


def issuer_of_number(number: str, region: str) -> list[str]:
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
            return [full_agency_name(form.format(gov=government_of(region), place=place.name))]
    return []


def government_of(region: str) -> str:
    from ingest.regions import default_table

    place = default_table().by_path(region)
    return f"{place.name}人民政府" if place else f"{region}人民政府"
