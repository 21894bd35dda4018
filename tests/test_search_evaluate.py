"""Evaluation metrics on a toy run, checked against hand-computed values."""
from __future__ import annotations

import json
import math

import pytest

from search.evaluate import Report, evaluate, first_rank, format_misses, format_table, gains, load_queries, ndcg, norm


def test_gold_matching_ignores_punctuation_width_and_spaces():
    assert norm("达到５０％，") == "达到50"
    assert first_rank(["无关", "装机占比达到 50%"], ["占比达到50"]) == 2
    assert first_rank(["无关"], ["占比"]) is None


def test_each_gold_substring_counts_once_in_gains():
    assert gains(["A甲", "B甲", "C乙"], ["甲", "乙"]) == [1, 0, 1]


def test_toy_run_metrics_by_hand():
    queries = [
        {"id": "q1", "query": "一", "gold": ["甲"]},        # hit at rank 1
        {"id": "q2", "query": "二", "gold": ["乙"]},        # hit at rank 3
        {"id": "q3", "query": "三", "gold": ["丙"]},        # not found
        {"id": "q4", "query": "四", "gold": ["丁", "戊"]},  # golds at ranks 2 and 4
    ]
    runs = {
        "一": ["甲", "x", "y"],
        "二": ["x", "y", "乙"],
        "三": ["x", "y", "z"],
        "四": ["x", "丁", "y", "戊"],
    }
    report = evaluate("toy", lambda q: [(f"{q}-{i}", t) for i, t in enumerate(runs[q])], queries, k=10)
    m = report.metrics
    assert m["R@1"] == pytest.approx(1 / 4)
    assert m["R@5"] == pytest.approx(3 / 4)
    assert m["MRR@10"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    # nDCG: q1 = 1; q2 = (1/log2 4) / 1 = 0.5; q3 = 0;
    # q4 = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
    q4 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m["nDCG@10"] == pytest.approx((1 + 0.5 + 0 + q4) / 4)
    assert ndcg(runs["四"], ["丁", "戊"]) == pytest.approx(q4)
    assert [o.rank for o in report.outcomes] == [1, 3, None, 2]
    assert report.outcomes[0].top == "一-0"


def test_table_and_misses_are_readable():
    queries = [{"id": "q1", "query": "一", "gold": ["甲"]}, {"id": "q2", "query": "二", "gold": ["乙"]}]
    r = evaluate("lexical", lambda q: [("c1", "甲")], queries)
    table = format_table([r])
    assert "MRR@10" in table.splitlines()[0] and table.splitlines()[1].startswith("lexical")
    misses = format_misses(r)
    assert "q2" in misses and "not found" in misses and "c1" in misses and "q1" not in misses
    assert isinstance(r, Report) and r.to_json()["metrics"]["R@1"] == 0.5


def test_query_files_need_id_query_and_gold(tmp_path):
    good = tmp_path / "q.jsonl"
    good.write_text(json.dumps({"id": "a", "query": "绿电", "gold": ["绿电"]}, ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert load_queries(good)[0]["id"] == "a"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "query": "绿电"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="gold"):
        load_queries(bad)
