"""policykg search and policykg eval, driven through the CLI entry point."""
from __future__ import annotations

import json

from app.cli import main


def test_search_prints_readable_hits(built_data, capsys):
    assert main(["search", "散煤清零", "-k", "2", "--data", str(built_data)]) == 0
    out = capsys.readouterr().out
    assert " 1. " in out and "why:" in out and "【散煤】" in out


def test_search_json(built_data, capsys):
    assert main(["search", "绿电直连", "-k", "3", "--json", "--region", "广西", "--data", str(built_data)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["filters"] == {"region": ["广西"]} and len(payload["results"]) == 3


def test_search_many_queries_in_one_process_as_json_lines(built_data, tmp_path, capsys):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in (
        {"id": "a", "query": "散煤清零"}, {"id": "b", "query": "地热供暖示范区", "gold": ["x"]},
    )) + "\n", encoding="utf-8")
    assert main(["search", "--queries", str(qfile), "-k", "4", "--json", "--data", str(built_data)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    for line in lines:
        assert len(line["results"]) == 4
        for hit in line["results"]:
            assert {"clause_id", "document", "path", "text", "score", "why"} <= hit.keys()


def test_a_query_line_may_carry_its_own_filters(built_data, tmp_path, capsys):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in (
        {"id": "a", "query": "绿电直连", "filters": {"region": "山西"}},
        {"id": "a", "query": "绿电直连"},
    )) + "\n", encoding="utf-8")
    assert main(["search", "--queries", str(qfile), "--region", "广西", "--json", "--data", str(built_data)]) == 0
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {h["region"] for h in first["results"]} == {"山西省"}       # the line's filter wins
    assert {h["region"] for h in second["results"]} == {"广西壮族自治区"}


def test_search_refuses_bad_arguments(built_data, tmp_path, capsys):
    assert main(["search", "--data", str(built_data)]) == 2
    assert main(["search", "绿电", "--industry", "不存在的行业", "--data", str(built_data)]) == 2
    assert "industry" in capsys.readouterr().err
    assert main(["search", "绿电", "--data", str(tmp_path / "nothing")]) == 2
    assert "policykg build" in capsys.readouterr().err


def test_eval_prints_misses_then_the_table(built_data, tmp_path, capsys):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in (
        {"id": "q1", "query": "散煤清零", "gold": ["逐步实现全省范围散煤清零"]},
        {"id": "q2", "query": "月球基地", "gold": ["这句话不在任何条款里"]},
    )) + "\n", encoding="utf-8")
    assert main(["eval", str(qfile), "--data", str(built_data)]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[-5:]
    assert table[0].split()[:3] == ["config", "R@1", "R@5"]
    assert [row.split()[0] for row in table[1:4]] == ["lexical", "dense", "hybrid"]
    assert any("q2" in line and "not found" in line for line in out)
    assert not any(line.strip().startswith("q1") for line in out)
