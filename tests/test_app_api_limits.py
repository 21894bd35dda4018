"""Limits that keep one HTTP request from taking the machine, and messages without server paths."""
from __future__ import annotations

import json

import pytest

from app.redact import hide_paths
from app.service import PolicyService


@pytest.fixture(scope="module")
def client(service):
    from fastapi.testclient import TestClient

    from app.api import create_app

    return TestClient(create_app(service), raise_server_exceptions=False)


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    from app.api import MAX_BODY_BYTES

    big = {"region": "广西", "description": "钢" * MAX_BODY_BYTES}
    response = client.post("/apply", json=big)
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert len(response.content) < 1000                 # nothing echoed back


def test_a_streamed_body_over_the_limit_is_refused(client):
    from app.api import MAX_BODY_BYTES

    def chunks():
        piece = b'{"query": "' + b"x" * 65536
        yield piece
        for _ in range(MAX_BODY_BYTES // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'

    response = client.post("/sparql", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_an_oversized_profile_field_is_refused_naming_it(client):
    response = client.post("/apply", json={"region": "广西", "industry": "钢" * 5000})
    assert response.status_code == 422
    assert "profile.industry" in response.json()["detail"] and len(response.content) < 1000


def test_a_federated_query_is_refused_over_http(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert response.status_code == 422 and "federated queries" in response.json()["detail"]


def test_errors_do_not_show_the_servers_paths(client, built_data, monkeypatch):
    from app.service import graphing

    def broken(self, query, fmt="json", **_):
        raise ValueError(f"cannot open {self.data_dir}/graph/store: run `policykg build --out {built_data}`")

    monkeypatch.setattr(graphing.KnowledgeGraph, "sparql", broken)
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert str(built_data.parent) not in detail and "/versions" not in detail and "graph/store" in detail


def test_an_unexpected_error_is_a_500_without_a_traceback(client, monkeypatch):
    from app.service import graphing

    def bug(self, *args, **kwargs):
        raise RuntimeError("/usr/lib/python3/site-packages/x.py line 3: boom")

    monkeypatch.setattr(graphing.KnowledgeGraph, "agency_task_matrix", bug)
    response = client.get("/matrix")
    assert response.status_code == 500
    assert "site-packages" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("text, known, shown", [
    ("/srv/app/.data.versions/v-1/graph/store: no such file", {"/srv/app/.data.versions/v-1": "data"}, "data/graph/store: no such file"),
    ('File "/usr/lib/python3.11/site-packages/rdflib/x.py", line 3', {}, 'File "x.py", line 3'),
    ("see http://example.org/a/b for help", {}, "see http://example.org/a/b for help"),
    ("/corpus/sub/plan.txt: empty file", {"/corpus": ""}, "sub/plan.txt: empty file"),
])
def test_hide_paths(text, known, shown):
    assert hide_paths(text, known) == shown


def test_build_messages_name_files_within_the_corpus(tmp_path):
    from app.build import build

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text("山西省示范方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。\n", encoding="utf-8")
    (corpus / "sub" / "empty.txt").write_bytes(b"")
    (corpus / "one line.txt").write_text("山西省试点方案\n绿电占比达到50%。\n再一段。\n", encoding="utf-8")
    report = build(corpus.absolute(), tmp_path / "data", stages=False)
    messages = report.refused + report.warnings
    assert "sub/empty.txt: empty file" in report.refused
    assert messages and not any(str(tmp_path) in m for m in messages)
    stored = json.loads(next((tmp_path / "data" / "documents").glob("*.json")).read_text(encoding="utf-8"))
    assert not any(str(tmp_path) in w for w in stored.get("warnings", []))


def test_a_sparql_error_from_the_store_does_not_show_the_servers_paths(tmp_path):
    from app.build import build
    from graph.query import QueryError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("山西省示范方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。\n", encoding="utf-8")
    build(corpus, tmp_path / "data", stages=False)              # no graph: the store cannot be opened
    with pytest.raises(QueryError) as caught:
        PolicyService(tmp_path / "data").sparql_result("ASK { ?s ?p ?o }", timeout=30)
    assert str(tmp_path) not in str(caught.value)


def test_the_app_shows_no_tracebacks_in_the_browser():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_build_progress_lines_do_not_show_the_servers_paths(tmp_path):
    from app.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("山西省示范方案\n一、总体要求\n（一）目标。到2025年，绿电占比达到50%。\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    lines: list[str] = []
    build(corpus.absolute(), tmp_path / "data", stages=False, progress=lines.append)
    assert any("empty.txt" in line for line in lines)
    assert not any(str(tmp_path) in line for line in lines), lines
