"""Read-only SPARQL: updates refused, limits kept, results in every format, the CLI around it."""
from __future__ import annotations

import csv
import io
import json

import pytest

from app.cli import main
from graph.query import QueryError, QueryRefused, QueryTimeout, query_kind, read_query, run_query
from test_graph_fixtures import tiny_document, write_data_folder


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    from graph.build import build_graph

    folder = write_data_folder(tmp_path_factory.mktemp("tiny") / "data", [tiny_document()])
    build_graph(folder)
    return folder


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> DELETE { ?t pkg:value ?v } WHERE { ?t pkg:value ?v }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/evil.ttl>",
    "CREATE GRAPH <urn:g>",
])
def test_update_queries_are_refused(update):
    with pytest.raises(QueryRefused, match="update queries are refused"):
        query_kind(update)


@pytest.mark.parametrize("query, kind", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("ASK { ?t a pkg:Target }", "ASK"),
    ("CONSTRUCT WHERE { ?s a pkg:Target }", "CONSTRUCT"),
    ("DESCRIBE doc:test-2024-1", "DESCRIBE"),
])
def test_read_only_queries_are_accepted(query, kind):
    assert query_kind(query) == kind


def test_malformed_query_is_an_error_not_a_refusal():
    with pytest.raises(QueryError, match="not a valid SPARQL 1.1 query") as caught:
        query_kind("SELECT ?x WHERE { ?x ")
    assert not isinstance(caught.value, QueryRefused)


def test_cli_refuses_an_update_with_exit_code_2(tiny_data, capsys):
    code = main(["sparql", "DELETE WHERE { ?s ?p ?o }", "--data", str(tiny_data)])
    assert code == 2
    assert "update queries are refused" in capsys.readouterr().err
    assert run_query("ASK { ?s ?p ?o }", data_dir=tiny_data, timeout=None).boolean is True   # nothing was deleted


def test_row_limit_truncates_and_says_so(tiny_data):
    result = run_query("SELECT ?s WHERE { ?s ?p ?o }", data_dir=tiny_data, limit=5, timeout=None)
    assert len(result.rows) == 5 and result.truncated
    assert "stopped at the limit of 5" in main_output(tiny_data, ["SELECT ?s WHERE { ?s ?p ?o }", "--limit", "5"])


def test_slow_query_is_stopped_at_the_time_limit(tiny_data):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeout, match="1 s limit"):
        run_query(heavy, data_dir=tiny_data, timeout=1)


def main_output(data, args) -> str:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["sparql", *args, "--data", str(data)])
    return buf.getvalue()


QUERY = ("SELECT ?indicator ?value WHERE { ?t a pkg:Target ; pkg:indicator ?indicator ; pkg:value ?value }")


def test_select_formats(tiny_data, capsys):
    assert main(["sparql", QUERY, "--data", str(tiny_data), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["head"]["vars"] == ["indicator", "value"]
    binding = payload["results"]["bindings"][0]
    assert binding["indicator"] == {"type": "literal", "value": "绿电占比", "xml:lang": "zh"}
    assert binding["value"]["datatype"].endswith("#decimal")

    assert main(["sparql", QUERY, "--data", str(tiny_data), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(out.lstrip("\ufeff")))) == [["indicator", "value"], ["绿电占比", "50"]]

    assert main(["sparql", QUERY, "--data", str(tiny_data)]) == 0
    table = capsys.readouterr().out
    assert "绿电占比" in table and "1 row" in table

    assert main(["sparql", QUERY, "--data", str(tiny_data), "--format", "xml"]) == 0
    assert "<literal xml:lang=\"zh\">绿电占比</literal>" in capsys.readouterr().out


def test_construct_gives_rdf(tiny_data, capsys):
    from rdflib import Graph

    query = "CONSTRUCT { ?t pkg:indicator ?i } WHERE { ?t pkg:indicator ?i }"
    assert main(["sparql", query, "--data", str(tiny_data), "--format", "turtle"]) == 0
    g = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(g) == 1
    assert main(["sparql", query, "--data", str(tiny_data), "--format", "csv"]) == 0     # csv → N-Triples
    assert capsys.readouterr().out.count(" .\n") == 1


def test_query_from_a_file(tiny_data, tmp_path, capsys):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?t pkg:deadlineYear 2030 }", encoding="utf-8")
    assert read_query(str(path)).startswith("ASK")
    assert main(["sparql", str(path), "--data", str(tiny_data)]) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(["sparql", str(tmp_path / "missing.rq"), "--data", str(tiny_data)]) == 2


def test_service_sparql_returns_json_for_the_api(tiny_data):
    from app.service import PolicyService

    svc = PolicyService(tiny_data)
    result = svc.sparql("ASK { ?r pkg:role pkg:RoleLead }", "json")
    assert result == {"head": {}, "boolean": True}
    with pytest.raises(ValueError):                     # the API turns ValueError into 422
        svc.sparql("DROP ALL", "json")
