"""Filters: region, document, issuing body, responsible agency, industry (with narrower), measure, year, validity."""
from __future__ import annotations

import pytest

from search.filters import FilterError, Filters


def _all(engine, query="绿电", **filters):
    return engine.search(query, k=50, filters=Filters(**filters))


def test_region(search_engine):
    hits = _all(search_engine, region="广西")
    assert hits and all(h.region == "广西壮族自治区" for h in hits)
    assert {h.region for h in _all(search_engine, region=["山西省", "广西"])} == {"山西省", "广西壮族自治区"}


@pytest.mark.parametrize("value", ["jnygf-2024-195", "晋能源规发〔2024〕195号", "绿电资源就地转化"])
def test_document_by_id_number_or_title(search_engine, value):
    hits = _all(search_engine, document=value)
    assert hits and {h.doc_id for h in hits} == {"jnygf-2024-195"}


def test_issuer_by_alias(search_engine):
    hits = _all(search_engine, issuer="省能源局")
    assert hits and {h.doc_id for h in hits} == {"jnygf-2024-195"}


def test_responsible_agency_by_alias(search_engine):
    hits = _all(search_engine, "工作", agency="省统计局")
    assert hits and all(any(a["name"] == "山西省统计局" for a in h.agencies) for h in hits)


def test_industry_includes_narrower_concepts(search_engine):
    scheme = search_engine.analyzer.scheme
    hits = _all(search_engine, "发展", industry="新能源")
    closure = set(scheme.narrower_closure("new-energy"))
    store = search_engine.store
    linked = [{i["id"] for i in store.record(store.row_of(h.clause_id))["industries"]} for h in hits]
    assert hits and all(ids & closure for ids in linked)
    assert any(not ids & {"new-energy"} for ids in linked)      # found through a narrower concept only


def test_measure_type_in_english_or_chinese(search_engine):
    store = search_engine.store
    for value in ("incentive", "激励"):
        hits = _all(search_engine, measure=value)
        assert hits and all(any(m["type"] == "incentive" for m in store.record(store.row_of(h.clause_id))["measures"])
                            for h in hits)


def test_target_year(search_engine):
    hits = _all(search_engine, "目标", year=2025)
    assert hits and all(any(t.get("year") == 2025 for t in h.targets) for h in hits)


def test_validity(search_engine):
    valid = _all(search_engine, valid=True)
    assert valid and {h.doc_id for h in valid} == {"jnygf-2024-195"}


def test_filters_combine_with_and(search_engine):
    assert _all(search_engine, region="广西", agency="省统计局") == []


def test_unknown_values_and_filters_say_what_is_known(search_engine):
    with pytest.raises(FilterError, match="industry"):
        _all(search_engine, industry="不存在的行业")
    with pytest.raises(FilterError, match="incentive"):
        _all(search_engine, measure="whatever")
    with pytest.raises(FilterError, match="known"):
        Filters.from_mapping({"colour": "red"})


def test_filters_apply_to_every_mode(search_engine):
    for mode in ("lexical", "dense", "hybrid"):
        hits = search_engine.search("绿电", k=20, filters=Filters(region="广西"), mode=mode)
        assert hits and all(h.region == "广西壮族自治区" for h in hits), mode


def test_level_selects_documents_of_that_level(search_engine):
    assert _all(search_engine, level="规范性文件")
    assert _all(search_engine, level="法律") == []


def test_a_province_selects_documents_of_its_cities_and_counties(search_engine, monkeypatch):
    documents = search_engine.store.documents
    gx = next(d for d in documents if d["region"] == "广西壮族自治区")
    monkeypatch.setitem(gx, "region", "广西壮族自治区南宁市")
    hits = _all(search_engine, region="广西")
    assert hits and {h.doc_id for h in hits} == {gx["id"]}
    assert {h.doc_id for h in _all(search_engine, region="南宁市")} == {gx["id"]}
