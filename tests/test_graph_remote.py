"""``policykg graph push`` and ``policykg sparql --endpoint`` against a real ``oxigraph serve``.

The server is the ``oxigraph`` binary of the ``oxigraph`` PyPI package (test extra),
started by the test on a free port with a temporary folder; the test is skipped,
saying why, only when that binary is missing or does not start.
"""
from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.cli import main
from test_graph_fixtures import tiny_document, write_data_folder

QUERIES = sorted((Path(__file__).resolve().parent.parent / "graph" / "queries").glob("*.rq"))


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("no oxigraph server binary: pip install oxigraph (in the test extra)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = open(location.parent / "oxigraph.log", "w+b")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.seek(0)
                pytest.skip(f"oxigraph serve did not start: {log.read().decode('utf-8', 'replace')[-500:]}")
            time.sleep(0.1)
    yield f"{base}/query"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from graph.build import build_graph

    folder = write_data_folder(tmp_path_factory.mktemp("remote") / "data", [tiny_document()])
    build_graph(folder)
    return folder


def _rows(capsys) -> list[list[str]]:
    return list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))


def test_push_then_query_the_endpoint_gives_the_local_answers(server, data, capsys):
    assert main(["graph", "push", "--endpoint", server, "--data", str(data), "-q"]) == 0
    pushed = capsys.readouterr().out
    triples = sum(1 for line in (data / "graph" / "graph.nt").read_text(encoding="utf-8").splitlines() if line)
    assert f"pushed {triples:,} triples" in pushed

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert main(["sparql", count, "--endpoint", server, "--format", "csv"]) == 0
    assert _rows(capsys)[1] == [str(triples)]

    for query in QUERIES:
        assert main(["sparql", str(query), "--data", str(data), "--format", "csv"]) == 0
        local = _rows(capsys)
        assert main(["sparql", str(query), "--endpoint", server, "--format", "csv"]) == 0
        remote = _rows(capsys)
        assert len(remote) > 1, f"{query.name}: no rows from the endpoint"
        assert remote == local, query.name


def test_push_replaces_the_graph_instead_of_adding_to_it(server, data, capsys):
    assert main(["graph", "push", "--endpoint", server, "--data", str(data), "-q"]) == 0
    assert main(["graph", "push", "--endpoint", server, "--data", str(data), "-q"]) == 0
    capsys.readouterr()
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert main(["sparql", query, "--endpoint", server, "--graph", "default", "--format", "csv"]) == 0
    rows = _rows(capsys)[1:]
    triples = sum(1 for line in (data / "graph" / "graph.nt").read_text(encoding="utf-8").splitlines() if line)
    assert rows == [["https://w3id.org/policykg/graph", str(triples)]]      # no staging graph left behind


def test_endpoint_queries_are_read_only_too(server, capsys):
    assert main(["sparql", "DROP ALL", "--endpoint", server]) == 2
    assert "update queries are refused" in capsys.readouterr().err
    assert main(["sparql", "ASK { ?s a pkg:Target }", "--endpoint", server]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_unreachable_endpoint_is_a_clear_error(data, capsys):
    url = f"http://127.0.0.1:{_free_port()}/query"
    assert main(["graph", "push", "--endpoint", url, "--data", str(data), "-q"]) == 1
    assert "error:" in capsys.readouterr().err
    assert main(["sparql", "ASK {}", "--endpoint", url, "--timeout", "5"]) == 1
    assert "error:" in capsys.readouterr().err
