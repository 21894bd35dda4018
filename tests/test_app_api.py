"""The HTTP API through FastAPI's test client, over the real built corpus."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from app.service import PolicyService


@pytest.fixture(scope="module")
def client(service):
    from fastapi.testclient import TestClient

    from app.api import create_app

    return TestClient(create_app(service))


def test_openapi_describes_every_route(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "PolicyKG API"
    assert {"/search", "/clauses/{clause_id}", "/apply", "/matrix", "/targets", "/sparql", "/documents"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_health_names_the_data(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == 5 and body["clauses"] > 100


def test_search_returns_the_services_hits(client, built_data):
    response = client.get("/search", params={"q": "绿电直连 电压等级", "k": 3})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert [h["clause_id"] for h in hits] == [h["clause_id"] for h in PolicyService(built_data).search("绿电直连 电压等级", k=3)]
    assert "【" in hits[0]["marked"] and hits[0]["why"]


def test_search_filters_repeat_for_several_values(client):
    response = client.get("/search", params=[("q", "目标"), ("region", "广西"), ("measure", "requirement"), ("k", 20)])
    body = response.json()
    assert body["filters"] == {"region": ["广西"], "measure": ["requirement"]}
    assert body["hits"] and all(h["region"] == "广西壮族自治区" for h in body["hits"])


def test_an_unknown_filter_value_is_a_422_that_says_why(client):
    response = client.get("/search", params={"q": "储能", "measure": "bribe"})
    assert response.status_code == 422 and "measure" in response.json()["detail"]


def test_clause_by_id_with_an_encoded_hash(client):
    response = client.get("/clauses/" + quote("jnygf-2024-195#一.2"))
    assert response.status_code == 200 and response.json()["heading"] == "以绿电吸引外资及供应链项目"
    around = client.get("/clauses/" + quote("jnygf-2024-195#一.2"), params={"context": 1}).json()
    assert [c["id"] for c in around["before"]] == ["jnygf-2024-195#一.1"]
    assert client.get("/clauses/" + quote("nope#1")).status_code == 404


def test_a_document_as_its_clause_tree(client):
    docs = client.get("/documents").json()
    assert len(docs) == 5 and all("title" in d and "clauses" in d for d in docs)
    tree = client.get("/documents/jnygf-2024-195").json()
    assert tree["children"][2]["type"] == "section" and tree["children"][2]["number"] == "一"
    assert client.get("/documents/nope").status_code == 404


def test_apply_checks_a_project(client):
    profile = {"region": "广西", "industry": "钢铁", "project_kind": "新建", "direct_line_km": 60,
               "grid_voltage_kv": 110, "self_consumption_pct": 55}
    body = client.post("/apply", json=profile).json()
    assert body["rules"]
    statuses = {c["status"] for c in body["conditions"]}
    assert "not_met" in statuses
    assert all(c["clause_id"] for c in body["conditions"])


def test_apply_refuses_a_bad_profile(client):
    response = client.post("/apply", json={"region": "广西", "direct_line_km": "sixty"})
    assert response.status_code == 422 and "direct_line_km" in response.json()["detail"]


def test_matrix_and_targets(client):
    rows = client.get("/matrix", params={"document": "jnygf-2024-195"}).json()
    assert rows and {"agency", "role", "clause_id"} <= set(rows[0])
    assert {r["role"] for r in rows} <= {"牵头", "配合", "责任单位", "责任主体"}
    led = client.get("/matrix", params={"document": "jnygf-2024-195", "first_listed_leads": True}).json()
    assert {r["role"] for r in led} <= {"牵头", "配合", "责任主体"} and "牵头" in {r["role"] for r in led}
    assert client.get("/matrix", params={"document": "nope"}).status_code == 422
    targets = client.get("/targets", params={"year": 2030}).json()
    assert targets and all(t["year"] == 2030 for t in targets)


def test_entitlements_carry_amounts_and_their_clause(client):
    rows = client.get("/entitlements").json()
    assert isinstance(rows, list)
    assert all({"kind", "value", "unit", "cap", "beneficiary", "conditions", "clause_id"} <= set(r) for r in rows)
    assert client.get("/entitlements", params={"document": "nope"}).status_code == 422


def test_incentives_for_an_industry(client):
    rows = client.get("/incentives", params={"industry": "新能源"}).json()
    assert rows and {r["stance"] for r in rows} <= {"支持", "限制"}
    assert client.get("/incentives", params={"industry": "不存在的行业"}).status_code == 422


def test_sparql_is_read_only(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    body = client.get("/sparql", params={"query": query}).json()
    assert int(body["results"]["bindings"][0]["n"]["value"]) > 1000
    csv = client.post("/sparql", json={"query": query, "format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    refused = client.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert refused.status_code == 422 and "read-only" in refused.json()["detail"]


def test_policykg_api_command_is_registered():
    from app.cli import make_parser

    args = make_parser().parse_args(["api", "--data", "/tmp/x", "--port", "8123"])
    assert (args.host, args.port, str(args.data)) == ("127.0.0.1", 8123, "/tmp/x")


def test_policykg_api_serves_until_stopped(built_data):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "api", "--data", str(built_data), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                    assert b'"documents":5' in response.read()
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "policykg api did not answer within 60 s"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_policykg_api_refuses_a_folder_without_data(tmp_path, capsys):
    from app.cli import main

    assert main(["api", "--data", str(tmp_path)]) == 2
    assert "no built data" in capsys.readouterr().err
