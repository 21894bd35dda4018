"""Quantitative conditions are read once, at ingest: stored with each clause (with source spans),
in the graph as condition nodes, and the rules engine only matches a profile against them."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from graph import iris
from graph.rdf import build_rdf
from graph.validate import validate
from graph.vocab import PKG
from ingest.extract.conditions import find_conditions
from ingest.pipeline import parse_text
from records import Clause, Condition, ConditionKind

DOC = """关于推进绿电直连项目建设的通知
晋能源发〔2025〕9号

一、建设要求
1. 依托新增负荷的并网型绿电直连项目，新能源上网电量占总可用发电量的比例不超过 20%。
2. 并网型绿电直连项目上网电量占总可用发电量超过２０%的，按总可用发电量的20%结算。
3. 到2030年，电解铝使用可再生能源比例提至30%以上；示范企业吨钢碳排放量较2020年下降15%以上。
4. 对投资额达到200万元以上的技术改造项目，按设备投资额的10%给予补助，最高不超过100万元。
5. 山西省能源局牵头，山西省发展和改革委员会配合，组织开展绿电直连试点。
"""


@pytest.fixture(scope="module")
def doc():
    return parse_text(DOC, "notice.txt")


def _clause(doc, path: str) -> Clause:
    return next(c for c in doc.clauses if c.path == path)


def test_a_requirement_keeps_whom_it_binds(doc):
    [c] = _clause(doc, "一.1").conditions
    assert (c.kind, c.comparator, c.value, c.unit) == ("requirement", "<=", 20.0, "%")
    assert c.scope.endswith("依托新增负荷的并网型绿电直连项目")
    assert c.subject == "新能源上网电量占总可用发电量的比例"


def test_a_trigger_keeps_what_follows_when_it_holds(doc):
    [c] = _clause(doc, "一.2").conditions
    assert (c.kind, c.comparator, c.value) == ("trigger", ">", 20.0)
    assert c.consequence == "按总可用发电量的20%结算"


def test_a_deadline_makes_a_target_and_a_change_against_a_baseline_is_no_condition(doc):
    conditions = _clause(doc, "一.3").conditions
    assert [(c.kind, c.year, c.value) for c in conditions] == [("target", 2030, 30.0)]     # 较2020年下降15%以上: none


def test_span_points_at_the_words_in_the_source_and_the_sentence_is_recorded(doc):
    for clause in doc.clauses:
        for c in clause.conditions:
            written = doc.source_text[c.span.start:c.span.end]
            # the source has a space and full-width digits (20 %, ２０%) the cleaned text does not
            assert re.sub(r"\s", "", written).translate(str.maketrans("０１２３４５６７８９", "0123456789")) == c.text
            sentence = clause.sentences[c.sentence]
            assert sentence.span.start <= c.span.start and c.span.end <= sentence.span.end
    [c] = _clause(doc, "一.1").conditions
    assert doc.source_text[c.span.start:c.span.end].endswith("不超过 20%")


def test_an_entitlement_names_its_own_conditions_after_the_clause_s(doc):
    clause = _clause(doc, "一.4")
    [entitlement] = clause.entitlements
    eligibility = [clause.conditions[i] for i in entitlement.conditions]
    assert [(c.kind, c.subject, c.value, c.unit) for c in eligibility] == [("eligibility", "投资额", 200.0, "万元")]
    assert (eligibility[0].canonical_value, eligibility[0].canonical_unit) == (2e6, "元")
    assert all(c.kind != ConditionKind.ELIGIBILITY for c in clause.conditions[:min(entitlement.conditions)])


def test_conditions_are_written_to_the_clause_record_and_read_back(doc):
    clause = _clause(doc, "一.1")
    record = json.loads(json.dumps(clause.to_json(), ensure_ascii=False))
    assert record["conditions"][0]["span"] == [clause.conditions[0].span.start, clause.conditions[0].span.end]
    assert Clause.from_json(record).conditions == clause.conditions
    assert Condition.from_json(record["conditions"][0]) == clause.conditions[0]


def test_the_graph_holds_each_condition_linked_from_its_clause_and_measure(doc):
    g = build_rdf([doc.to_json()])
    for engine in ("direct", "pyshacl"):
        result = validate(g, engine=engine)
        assert result.conforms, "\n".join(result.violations)
    clause = iris.clause(_clause(doc, "一.2").id)
    node = iris.statement(clause, "condition", 1)
    assert (node, RDF.type, PKG.Condition) in g
    assert (node, PKG.statedIn, clause) in g
    assert (node, PKG.conditionKind, PKG.ConditionTrigger) in g
    assert (node, PKG.comparison, Literal(">")) in g
    assert (node, PKG.consequence, Literal("按总可用发电量的20%结算", lang="zh")) in g
    assert (iris.statement(clause, "measure", 1), PKG.hasCondition, node) in g
    kinds = {str(o).rsplit("#", 1)[-1] for o in g.objects(None, PKG.conditionKind)}
    assert kinds == {"ConditionRequirement", "ConditionTrigger", "ConditionTarget", "ConditionEligibility"}


def test_the_graph_holds_entitlements_with_their_conditions_and_measures_with_their_agencies(doc):
    g = build_rdf([doc.to_json()])
    result = validate(g, engine="pyshacl")
    assert result.conforms, "\n".join(result.violations)
    clause = _clause(doc, "一.4")
    C = iris.clause(clause.id)
    grant = iris.statement(C, "entitlement", 1)
    assert (grant, RDF.type, PKG.Entitlement) in g and (grant, PKG.statedIn, C) in g
    assert (grant, PKG.instrument, PKG.InstrumentSubsidy) in g
    assert (grant, PKG.cap, Literal(Decimal("100.0"), datatype=XSD.decimal)) in g
    [i] = clause.entitlements[0].conditions
    condition = iris.statement(C, "condition", i + 1)
    assert (grant, PKG.hasCondition, condition) in g
    assert (condition, PKG.conditionKind, PKG.ConditionEligibility) in g
    task = iris.clause(_clause(doc, "一.5").id)
    named = set(g.objects(iris.statement(task, "measure", 1), PKG.namesAgency))
    assert {iris.agency("山西省能源局"), iris.agency("山西省发展和改革委员会")} <= named


def test_a_condition_of_an_unknown_kind_is_refused_naming_the_clause(doc):
    from graph.errors import GraphDataError

    data = doc.to_json()
    clause = next(c for c in data["clauses"] if c["path"] == "一.1")
    clause["conditions"][0]["kind"] = "wish"
    with pytest.raises(GraphDataError, match=r"#一\.1: condition kind 'wish'"):
        build_rdf([data])


def test_a_condition_with_a_comparison_outside_the_closed_list_fails_shacl(doc):
    g = build_rdf([doc.to_json()])
    node = iris.statement(iris.clause(_clause(doc, "一.1").id), "condition", 1)
    g.set((node, PKG.comparison, Literal("≦")))
    for engine in ("direct", "pyshacl"):
        result = validate(g, engine=engine)
        assert not result.conforms and any("comparison" in v for v in result.violations), engine


def test_the_rules_engine_reads_stored_conditions_and_never_the_parser(built_data, monkeypatch):
    """With the ingest condition reader broken, a project check still finds and checks the conditions."""
    import ingest.extract.conditions as reader
    from rules.match import apply_profile
    from rules.profile import load_profile

    clauses = [json.loads(line) for line in (built_data / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]

    def broken(*args, **kwargs):
        raise AssertionError("the rules engine parsed clause text for conditions")

    monkeypatch.setattr(reader, "find_conditions", broken)
    monkeypatch.setattr(reader, "_clean_subject", broken)
    result = apply_profile(load_profile({"region": "广西", "industry": "钢铁", "direct_line_km": 60,
                                         "grid_voltage_kv": 110}), clauses)
    line = next(c for c in result.conditions if c.field == "direct_line_km")
    assert line.status == "not_met" and line.gap == 10.0
    assert any(t.field == "grid_voltage_kv" and t.fires is False for t in result.triggers)


def test_clause_text_alone_gives_no_conditions_to_the_rules_engine():
    """The engine checks what ingest stored: a clause record without conditions has none to check."""
    from rules.match import apply_profile
    from rules.profile import load_profile

    text = "绿电直连项目直连线路长度不超过50千米。"
    clause = {"id": "gx#1", "path": "1", "heading": "", "parents": [], "kind": "item", "text": text,
              "span": [0, len(text)], "measures": [], "industries": [], "doc_id": "gx", "doc_title": "广西文件",
              "doc_number": "", "region": "广西壮族自治区"}
    profile = load_profile({"region": "广西", "direct_line_km": 60})
    assert apply_profile(profile, [clause]).conditions == []
    stored = {**clause, "conditions": [c.to_json() for c in find_conditions(text)]}
    [c] = apply_profile(profile, [stored]).conditions
    assert (c.field, c.status) == ("direct_line_km", "not_met")
