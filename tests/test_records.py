"""The shared records: their JSON shape round-trips, and the one label table agrees with the graph."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from records import (
    ZH, Clause, ClauseKind, Condition, ConditionKind, Document, Entitlement, Firmness, Instrument, MeasureType, Role, Sentence, Span,
    enclosing_paths, enclosing_sections, labels, zh,
)


@pytest.fixture(scope="module")
def parsed(corpus_files):
    from ingest.pipeline import parse_document

    return parse_document(corpus_files["000"])


def test_document_json_round_trips_unchanged(parsed):
    payload = json.loads(json.dumps(parsed.to_json(), ensure_ascii=False))
    again = Document.from_json(payload, parsed.source_text)
    assert again.to_json() == parsed.to_json()
    assert again.clauses[0].span == parsed.clauses[0].span
    assert isinstance(again.clauses[3].agencies[0].span, Span)


def test_every_mention_span_points_at_its_words_in_the_source(parsed):
    mentions = [(c, m) for c in parsed.clauses for m in c.mentions()]
    assert mentions
    for clause, m in mentions:
        assert clause.span.start <= m.span.start < m.span.end <= clause.span.end


def test_clause_table_row_reads_as_a_clause(parsed):
    from ingest.files import clause_records

    row = next(clause_records(parsed.to_json()))
    assert row["doc_id"] == parsed.id
    assert Clause.from_json(row).to_json() == parsed.clauses[0].to_json()


def test_newer_lists_are_written_only_when_a_clause_has_some():
    clause = Clause("d#一.1", "一.1", "", ["总体要求"], "直连线路长度原则上不超过50公里。", Span(10, 26))
    assert not {"sentences", "conditions", "entitlements"} & set(clause.to_json())
    clause.sentences = [Sentence(clause.text, clause.span)]
    clause.conditions = [Condition("直连线路长度", "<=", 50, "公里", "直连线路长度原则上不超过50公里", Span(10, 25),
                                   comparator_text="不超过", firmness="原则上", sentence=0)]
    clause.entitlements = [Entitlement(Instrument.FUNDS, "给予资金支持", Span(12, 18))]
    record = json.loads(json.dumps(clause.to_json(), ensure_ascii=False))
    assert record["conditions"][0]["span"] == [10, 25] and record["entitlements"][0]["kind"] == "funds"
    assert Clause.from_json(record).to_json() == record


def test_sections_come_from_the_structural_path():
    sections = enclosing_sections("二.(三).2", ["重点任务", "推进绿电直连"])
    assert [(s.path, s.number, s.heading) for s in sections] == [("二", "二", "重点任务"), ("二.(三)", "(三)", "推进绿电直连")]
    # a heading with no numbered segment of its own has no path
    assert [(s.path, s.heading) for s in enclosing_sections("p3", ["附件"])] == [("", "附件")]
    assert enclosing_paths("二.(三).2") == ["二", "二.(三)"] and enclosing_paths("p3") == []


def test_codes_are_their_strings_and_have_chinese_labels():
    assert Role.LEAD == "lead" and zh(Role, "lead") == "牵头" and zh(Role, Role.SUPPORT) == "配合"
    assert json.dumps({"role": Role.LEAD}) == '{"role": "lead"}'
    assert list(labels(MeasureType)) == ["task", "incentive", "restriction", "requirement", "target", "definition"]
    assert zh(MeasureType, "something-new") == "something-new"
    for code_list, table in ZH.items():
        assert set(table) == {m.value for m in code_list}, code_list


def test_old_import_path_gives_the_same_records():
    import ingest.model

    assert ingest.model.Clause is Clause and ingest.model.ParsedDocument is Document


def test_graph_ontology_uses_the_same_chinese_labels():
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    from graph import vocab

    onto = Graph().parse(Path(vocab.__file__).with_name("ontology.ttl"))
    for code_list, concepts in ((Role, vocab.ROLES), (MeasureType, vocab.MEASURE_TYPES),
                                (Instrument, vocab.INSTRUMENTS), (ClauseKind, vocab.CLAUSE_KINDS),
                                (Firmness, vocab.FIRMNESS), (ConditionKind, vocab.CONDITION_KINDS)):
        assert set(concepts) <= {m.value for m in code_list}, code_list     # the graph knows no code of its own
        for code, concept in concepts.items():
            assert Literal(zh(code_list, code), lang="zh") in set(onto.objects(concept, SKOS.prefLabel)), (code_list, code)
