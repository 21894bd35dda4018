"""The engine end to end: hit contents, deterministic ties, the three modes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_a_hit_carries_what_a_reader_needs(search_engine):
    hit = search_engine.search("并网型绿电直连项目接入电压等级上限", k=1)[0]
    assert "接入公用电网电压等级不超过220千伏" in hit.text
    assert hit.clause_id.startswith("gxtdldzlfzssfa#") and hit.path and hit.parents
    assert hit.document == "广西推动绿电直连发展实施方案"
    assert "【" in hit.marked and hit.marked.replace("【", "").replace("】", "") == hit.text
    assert hit.why and hit.why[0].startswith("命中词：")
    assert len(hit.span) == 2 and hit.span[0] < hit.span[1]
    j = hit.to_json()
    assert {"clause_id", "document", "doc_title", "doc_number", "path", "parents", "text", "marked", "score",
            "why", "agencies", "targets", "span"} <= j.keys()
    json.dumps(j, ensure_ascii=False)


def test_the_source_span_points_at_the_clause(search_engine, built_data):
    hit = search_engine.search("散煤清零", k=1)[0]
    source = (built_data / "sources" / f"{hit.doc_id}.txt").read_text(encoding="utf-8")
    assert "散煤清零" in source[hit.span[0]:hit.span[1]]


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_answers_and_ranks_by_score_then_id(search_engine, mode):
    hits = search_engine.search("绿电交易如何缩短绿证流转时间", k=10, mode=mode)
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    keys = [(-h.score, h.clause_id) for h in hits]
    assert keys == sorted(keys)


def test_ties_break_on_clause_id(tmp_path):
    from search.build import build_indexes
    from search.engine import SearchEngine

    data = tmp_path / "data"
    data.mkdir()
    texts = {"d#3": "建设地热供暖示范区。", "d#1": "建设地热供暖示范区。", "d#2": "建设地热供暖示范区。",
             "d#4": "推进散煤清零。", "d#5": "完善绿电交易机制。"}
    with open(data / "clauses.jsonl", "w", encoding="utf-8") as f:
        for cid, text in texts.items():
            f.write(json.dumps({"id": cid, "path": cid[2:], "heading": "", "parents": [], "kind": "paragraph",
                                "text": text, "span": [0, len(text)], "agencies": [], "targets": [], "measures": [],
                                "industries": [], "cites": [], "doc_id": "d", "doc_title": "测试", "doc_number": "",
                                "region": "", "doc_issuers": [], "doc_valid": None}, ensure_ascii=False) + "\n")
    build_indexes(data, {})
    engine = SearchEngine.load(data)
    for mode in ("lexical", "dense", "hybrid"):
        hits = engine.search("地热供暖示范区", k=3, mode=mode)
        assert [h.clause_id for h in hits] == ["d#1", "d#2", "d#3"], mode
        assert hits[0].score == hits[1].score == hits[2].score


def test_same_query_same_answer(search_engine):
    a = [(h.clause_id, h.score) for h in search_engine.search("零碳产业投资基金", k=10)]
    b = [(h.clause_id, h.score) for h in search_engine.search("零碳产业投资基金", k=10)]
    assert a == b


def test_queries_without_known_words_return_nothing(search_engine):
    assert search_engine.search("的", k=5, mode="lexical") == []
    for mode in ("dense", "hybrid"):
        assert search_engine.search("！？", k=5, mode=mode) == []


def test_the_service_returns_json_hits(built_data):
    from app.service import PolicyService

    svc = PolicyService(built_data)
    hits = svc.search("散煤清零", k=2, filters={"region": ["山西省"]})
    assert hits[0]["clause_id"] and hits[0]["doc_title"] and isinstance(hits[0]["why"], list)
    with pytest.raises(ValueError):
        svc.search("散煤", filters={"industry": "不存在的行业"})


def test_build_replaces_the_index_folder_atomically(tmp_path, built_data):
    import shutil

    from search.build import build_indexes

    data = tmp_path / "data"
    shutil.copytree(built_data.resolve(), data)
    before = (data / "search" / "manifest.json").stat().st_mtime_ns
    build_indexes(data, {})
    assert (data / "search" / "manifest.json").stat().st_mtime_ns != before
    assert not [p for p in data.iterdir() if p.name.startswith(".search")]
