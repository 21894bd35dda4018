"""An entitlement's quantitative conditions checked against a project profile (met / not met / to decide)."""
from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace

import pytest

from app.service.applying import ProjectRules
from app.ui import components
from ingest.extract.entitlements import find_entitlements
from rules.entitlements import check_clause_entitlements, check_condition, overall, project_entitlements

WHOLESALE = "对批发企业当年销售额达到5亿元以上的，给予一次性奖励10万元。"
RETROFIT = "对投资额达到200万元以上的技术改造项目，按设备投资额的10%给予补助，最高不超过100万元。"


def clause(text: str, clause_id: str, region: str = "浙江省") -> dict:
    """A clause record as ingest writes it: the extraction's own sentences, conditions and entitlements."""
    sentences, conditions, entitlements = find_entitlements(text)
    return {"id": clause_id, "doc_id": clause_id.partition("#")[0], "region": region, "text": text,
            "sentences": [asdict(s) for s in sentences], "conditions": [c.to_json() for c in conditions],
            "entitlements": [asdict(e) for e in entitlements]}


@pytest.mark.parametrize("profile, status, words", [
    ({"revenue_wan_yuan": 60000}, "met", "达到下限5亿元"),                  # 6亿元 ≥ 5亿元, compared across 万元/亿元
    ({"revenue_wan_yuan": "6亿元"}, "met", "为6亿元"),                      # a profile value written with its unit
    ({"revenue_wan_yuan": 40000}, "not_met", "差1亿元"),
    ({"investment_wan_yuan": 90000}, "unknown", "年营业收入（销售额）"),       # the wrong figure filled in: names the missing one
])
def test_a_sales_threshold_is_checked_on_the_revenue_field(profile, status, words):
    c = clause(WHOLESALE, "d#1")
    [checked] = check_clause_entitlements(c, profile)
    [condition] = checked["conditions"]
    assert (condition["field"], condition["status"], checked["status"]) == ("revenue_wan_yuan", status, status)
    assert words in condition["explanation"]
    assert (checked["value"], checked["unit"], checked["beneficiary"]) == (10, "万元", "批发企业")


def test_an_investment_threshold_is_checked_on_the_investment_field():
    [checked] = check_clause_entitlements(clause(RETROFIT, "d#2"), {"investment_wan_yuan": 150})
    assert checked["status"] == "not_met" and checked["cap"] == 100
    assert checked["conditions"][0]["field"] == "investment_wan_yuan"
    assert "低于下限200万元（差50万元）" in checked["conditions"][0]["explanation"]


@pytest.mark.parametrize("condition, field", [
    ({"subject": "销售收入同比增幅", "comparator": ">=", "value": 20, "unit": "%"}, None),   # a growth rate is no revenue
    ({"subject": "展位数", "comparator": ">=", "value": 100, "unit": "个"}, None),
    ({"subject": "年纳税额", "comparator": ">=", "value": 1, "unit": "亿元"}, "tax_wan_yuan"),
    ({"subject": "新能源装机容量", "comparator": ">=", "value": 5, "unit": "万千瓦"}, "capacity_mw"),  # the clause-condition table
])
def test_conditions_map_to_a_field_only_when_subject_and_unit_both_fit(condition, field):
    stored = {**condition, "text": condition["subject"], "span": [0, len(condition["subject"])], "kind": "eligibility"}
    checked = check_condition(stored, {"tax_wan_yuan": 20000, "capacity_mw": 100})
    assert checked["field"] == field
    assert checked["status"] == ("unknown" if field is None else "met")
    if field is None:
        assert "需人工核对" in checked["explanation"]


def test_an_entitlement_is_met_only_when_every_condition_is():
    assert overall(["met", "met"]) == "met"
    assert overall(["met", "unknown"]) == "unknown"
    assert overall(["unknown", "not_met", "met"]) == "not_met"
    assert overall([]) == "none"


def test_a_project_sees_the_entitlements_of_documents_that_bind_it():
    here, national, elsewhere = (clause(WHOLESALE, "zj#1", "浙江省"), clause(RETROFIT, "gj#1", "全国"),
                                 clause(RETROFIT, "gx#1", "广西壮族自治区"))
    rows = project_entitlements([here, national, elsewhere], {"region": "浙江", "revenue_wan_yuan": 60000})
    assert {r["clause_id"] for r in rows} == {"zj#1", "gj#1"}


def test_the_service_checks_one_clause_or_the_whole_binding_corpus_in_plain_words():
    clauses = {c["id"]: c for c in (clause(WHOLESALE, "zj#1", "浙江省"), clause(RETROFIT, "gx#1", "广西壮族自治区"))}
    corpus = SimpleNamespace(data_dir=None, clauses=clauses, clause=clauses.get)
    rules = ProjectRules(corpus)
    [row] = rules.check_entitlements({"region": "浙江"})
    assert row["clause_id"] == "zj#1" and row["status"] == "unknown"
    assert "revenue_wan_yuan" not in row["conditions"][0]["explanation"]     # the field named as the form shows it
    assert [r["clause_id"] for r in rules.check_entitlements({"region": "浙江"}, ["gx#1"])] == ["gx#1"]


def test_rows_mark_each_condition_and_list_what_the_project_gets_first():
    wholesale, retrofit = clause(WHOLESALE, "zj#1"), clause(RETROFIT, "zj#2")
    profile = {"revenue_wan_yuan": 60000, "investment_wan_yuan": 150}
    checked = check_clause_entitlements(retrofit, profile) + check_clause_entitlements(wholesale, profile)
    rows = components.checked_entitlement_rows(checked)
    assert [r["本项目"] for r in rows] == ["✅ 条件均满足", "❌ 有条件不满足"]
    assert rows[0]["条件"].startswith("✅ 满足") and rows[1]["条件"].startswith("❌ 不满足")
    [row] = components.entitlement_rows(wholesale, check_clause_entitlements(wholesale, profile))
    assert (row["本项目"], row["金额或标准"], row["对象"]) == ("✅ 条件均满足", "10万元", "批发企业")
    assert "达到下限5亿元" in row["核对说明"]
    assert components.entitlement_rows(wholesale, sentence="另一句话。") == []
