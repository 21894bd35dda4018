"""Whose rules bind a project: a document binds the places its issuer governs.

* a 全国 (national) document binds every project;
* a province-level document (山西省, 广西壮族自治区 …) binds projects in that
  province only — a Guangxi rule does not bind a Shanxi project;
* a document of a city or county (太原市 …) binds projects whose ``city`` is it;
* a document whose region is not known binds nobody until its region is set
  (a sidecar ``region = "…"``); the answer lists it as skipped rather than
  guessing.

Region names come from :data:`ingest.metadata.PROVINCES`, the list ingest
uses to tag documents, so both sides spell a province the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.metadata import NATIONAL, PROVINCES

_FULL_NAMES = {full for full, _ in PROVINCES.values()}


def normalise_region(text: str) -> str:
    """``广西`` / ``广西省`` / ``广西壮族自治区`` → ``广西壮族自治区``; ``全国`` / ``国家`` → ``全国``.

    A name that is not a province-level region is returned stripped, unchanged.
    """
    s = text.strip().replace(" ", "")
    if s in ("全国", "国家", "中国", "national", "China"):
        return NATIONAL
    if s in _FULL_NAMES:
        return s
    for short, (full, _) in PROVINCES.items():
        if s == short or s.startswith(short):
            return full
    return s


def _place_name(region: str) -> str:
    """The most specific place of a jurisdiction path (浙江省台州市温岭市 → 温岭市)."""
    from ingest.regions import default_table

    place = default_table().by_path(region)
    return place.name if place else region


def _city_key(name: str) -> str:
    return name.strip().removesuffix("市").removesuffix("地区").removesuffix("盟")


@dataclass(frozen=True)
class Binding:
    binds: bool
    reason: str        # in Chinese, e.g. "山西省文件，项目位于山西省"


def binding(doc_region: str | None, region: str | None, city: str | None = None) -> Binding:
    """Whether a document issued for ``doc_region`` binds a project in ``region`` / ``city``."""
    doc_region = (doc_region or "").strip()
    region = normalise_region(region) if region else ""
    if not doc_region:
        return Binding(False, "文件所属地区不明，暂不判断（可在文件旁的 .meta.toml 中填写 region）")
    if doc_region == NATIONAL:
        return Binding(True, "全国性文件，适用于各地区")
    if doc_region in _FULL_NAMES:
        if not region:
            return Binding(False, f"{doc_region}文件；项目信息未填写省份")
        if doc_region == region:
            return Binding(True, f"{doc_region}文件，项目位于{region}")
        return Binding(False, f"{doc_region}文件，不约束位于{region}的项目")
    # below province level: a city or county document (its region a full path: 浙江省台州市温岭市)
    place = _place_name(doc_region)
    if region and doc_region != place and not doc_region.startswith(region):
        return Binding(False, f"{doc_region}文件，不约束位于{region}的项目")
    if city and _city_key(city) == _city_key(place):
        return Binding(True, f"{doc_region}文件，项目位于{city}")
    return Binding(False, f"{doc_region}文件，仅约束{doc_region}" + (f"，项目位于{city}" if city else "；项目信息未填写城市"))
