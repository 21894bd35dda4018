"""SPARQL cannot be turned against the server's network or memory: no federated SERVICE calls
unless the operator allows the endpoint, a query size limit, and a cap on query processes."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.cli import main
from graph import query as query_module
from graph.query import QueryBusy, QueryInvalid, QueryRefused, query_kind, run_query
from test_graph_fixtures import tiny_document, write_data_folder

SECRET = "internal-secret-4711"


class _InternalService(BaseHTTPRequestHandler):
    """A fake internal service that answers any SPARQL request with a secret."""

    hits = 0

    def _answer(self):
        type(self).hits += 1
        body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
            {"s": {"type": "literal", "value": SECRET}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def internal_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _InternalService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    from graph.build import build_graph

    folder = write_data_folder(tmp_path_factory.mktemp("tiny") / "data", [tiny_document()])
    build_graph(folder)
    return folder


def _service_query(url: str) -> str:
    return f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT ?s WHERE { ?a ?b ?c . OPTIONAL { SERVICE SILENT <http://169.254.169.254/latest> { ?s ?p ?o } } }",
    "SELECT ?s WHERE { VALUES ?e { <http://10.0.0.1/> } SERVICE ?e { ?s ?p ?o } }",
    "ASK { { SELECT ?s WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } } } }",
])
def test_federated_service_calls_are_refused_by_default(query, monkeypatch):
    monkeypatch.delenv(query_module.SERVICES_ENV, raising=False)
    with pytest.raises(QueryRefused, match="federated queries .* are refused"):
        query_kind(query)


def test_a_service_query_never_reaches_the_internal_service(tiny_data, internal_service, monkeypatch):
    monkeypatch.delenv(query_module.SERVICES_ENV, raising=False)
    before = _InternalService.hits
    with pytest.raises(QueryRefused):
        run_query(_service_query(internal_service), data_dir=tiny_data, timeout=20)
    assert _InternalService.hits == before


def test_the_cli_refuses_a_service_query_and_leaks_nothing(tiny_data, internal_service, capsys, monkeypatch):
    monkeypatch.delenv(query_module.SERVICES_ENV, raising=False)
    code = main(["sparql", _service_query(internal_service), "--data", str(tiny_data)])
    out, err = capsys.readouterr()
    assert code == 2 and "federated queries" in err
    assert SECRET not in out + err


def test_an_operator_can_allow_listed_endpoints(tiny_data, internal_service, monkeypatch):
    monkeypatch.setenv(query_module.SERVICES_ENV, f"http://example.org/other, {internal_service}")
    result = run_query(_service_query(internal_service), data_dir=tiny_data, timeout=20)
    assert result.records() == [{"s": SECRET}]
    with pytest.raises(QueryRefused):       # listed endpoints only
        query_kind(_service_query(internal_service + "/elsewhere"))


def test_an_oversized_query_is_refused_before_parsing(tiny_data):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * query_module.MAX_QUERY_CHARS
    with pytest.raises(QueryInvalid, match="over the .* limit"):
        run_query(huge, data_dir=tiny_data, timeout=5)


def test_a_malformed_query_is_reported_from_the_time_limited_child(tiny_data):
    with pytest.raises(QueryInvalid, match="not a valid SPARQL 1.1 query"):
        run_query("SELECT ?x WHERE { ?x ", data_dir=tiny_data, timeout=20)
    with pytest.raises(QueryRefused, match="update queries are refused"):
        run_query("DROP ALL", data_dir=tiny_data, timeout=20)


def test_query_processes_are_capped(tiny_data, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(query_module, "_SLOTS", slots)
    slots.acquire()                    # one query is running
    try:
        with pytest.raises(QueryBusy, match="running already"):
            run_query("ASK { ?s ?p ?o }", data_dir=tiny_data, timeout=1)
    finally:
        slots.release()
    assert run_query("ASK { ?s ?p ?o }", data_dir=tiny_data, timeout=20).boolean is True
