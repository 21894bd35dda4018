"""Query understanding: agencies with their aliases, industries with synonyms, regions, years, numbers."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def analyzer(search_engine):
    return search_engine.analyzer


def test_a_province_level_alias_stands_for_that_department_of_every_such_province(analyzer):
    a = analyzer.analyze("省统计局参与哪些工作")
    assert [r.as_written for r in a.agencies] == ["省统计局"]
    names = a.agencies[0].names
    assert "山西省统计局" in names and "河北省统计局" in names
    assert "广西壮族自治区统计局" not in names            # 省, not 自治区
    assert not a.lead_only


def test_a_region_in_the_query_narrows_the_agency(analyzer):
    a = analyzer.analyze("广西 自治区能源局的职责")
    assert a.regions == ["广西壮族自治区"]
    assert a.agencies[0].names == {"广西壮族自治区能源局"}
    assert a.lead_only                                    # 职责 asks who is responsible


def test_full_names_and_short_forms_resolve_to_one_agency(analyzer):
    a = analyzer.analyze("山西省发改委牵头的任务")
    assert a.agencies[0].names == {"山西省发展和改革委员会"}


def test_industry_synonyms_expand_the_query(analyzer):
    a = analyzer.analyze("CCUS示范项目")
    assert any(i.id == "ccus" for i in a.industries)
    assert any("二氧化碳捕集利用与封存" in alts for alts in a.expansions.values())
    assert a.weights["ccus"] == 1.0
    assert 0 < a.weights["二氧化碳捕集利用与封存"] < 1.0


def test_broader_industries_carry_their_narrower_concepts(analyzer):
    a = analyzer.analyze("新能源产业")
    new_energy = next(i for i in a.industries if i.id == "new-energy")
    assert "new-energy" == new_energy.closure[0] and len(new_energy.closure) > 1


def test_years_and_document_numbers(analyzer):
    a = analyzer.analyze("晋能源规发〔2024〕195号 2030年目标 1000吨")
    assert a.doc_numbers == [("晋能源规发", "〔2024〕195号")]
    assert a.years == [2030]
    docs = analyzer.documents_numbered(a.doc_numbers)
    assert [analyzer.documents[i]["id"] for i in docs] == ["jnygf-2024-195"]


def test_an_agency_question_finds_what_that_agency_is_responsible_for(search_engine):
    hits = search_engine.search("省统计局参与哪些工作", k=3)
    for h in hits:
        assert any(a["name"] == "山西省统计局" for a in h.agencies), h.clause_id
        assert any(w.startswith("部门：山西省统计局") for w in h.why)


def test_the_clause_may_spell_the_agency_differently(search_engine):
    # 山西省统计局 written out in full in the query; clauses write 省统计局.
    hits = search_engine.search("山西省统计局的工作", k=3)
    assert all(any(a["name"] == "山西省统计局" for a in h.agencies) for h in hits)
    assert "【省统计局】" in hits[0].marked


def test_an_agency_duties_question_puts_lead_clauses_first(search_engine):
    hits = search_engine.search("自治区能源局的职责", k=5)
    for h in hits:
        roles = {a["role"] for a in h.agencies if a["name"] == "广西壮族自治区能源局"}
        assert roles & {"lead", "actor"}, h.clause_id     # it leads or is the subject of the duty


def test_an_industry_synonym_finds_clauses_that_use_the_other_name(search_engine):
    hits = search_engine.search("二氧化碳捕集利用与封存", k=10)
    assert any("CCUS" in h.text and "二氧化碳捕集利用与封存" not in h.text for h in hits)
