"""Fusion settings fitted on data, the "nothing relevant" floor, documents found by title."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest


def _candidates(relevant_by: str, rng, n: int = 30) -> dict:
    """One synthetic query's candidates where only ``relevant_by`` tells the gold clause apart."""
    c = {name: rng.random(n) for name in ("lexical", "dense")}
    c["graph"], c["document"], c["sentence"], c["annex"] = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    c["relevant"] = np.zeros(n, dtype=bool)
    c["relevant"][0] = True
    c[relevant_by][0] = 2.0
    c["lexical_rank"] = np.argsort(np.argsort(-c["lexical"])) + 1
    c["dense_rank"] = np.argsort(np.argsort(-c["dense"])) + 1
    c["graph_focus"], c["graph_weight"] = np.zeros(1), np.zeros(1)
    c["ids"] = np.array([f"d#{i:02d}" for i in range(n)], dtype=object)
    c["id_order"] = np.arange(n)
    c["coverage"] = np.zeros(n)
    return c


def test_fitting_picks_the_signal_that_finds_the_answers_and_reports_held_out_scores():
    from search.fit import fit

    rng = np.random.default_rng(1)
    sets = {"a": [_candidates("dense", rng) for _ in range(20)]}
    result = fit(sets, folds=4)
    w = result["weights"]   # without passages a clause's best passage is the clause: both are meaning signals
    assert w["dense"] + w["passage"] > w["lexical"]
    assert result["scores"]["a"]["mrr10_cross_validated"] == 1.0 and result["scores"]["a"]["queries"] == 20


def test_settings_are_read_per_encoder_and_fall_back_to_the_defaults(tmp_path):
    from search import hybrid

    path = tmp_path / "fusion.json"
    path.write_text(json.dumps({"encoders": {"e5-small": {
        "weights": {"lexical": 0.3, "dense": 0.5, "graph": 0.2, "document": 0.1}, "candidates": 50,
        "graph_focus": 0.2, "floor": {"intercept": 0, "coef": [1, 1, 1], "floor": 0.5}}}}), encoding="utf-8")
    e5 = hybrid.settings_for({"name": "sbert", "ref": "e5-small"}, path)
    assert e5.weights["dense"] == 0.5 and e5.candidates == 50 and e5.floor["floor"] == 0.5
    other = hybrid.settings_for({"name": "sbert", "ref": "/models/bge"}, path)
    assert other == hybrid.FusionSettings()


def test_the_shipped_settings_name_their_cross_validated_scores():
    from search import hybrid

    table = json.loads(hybrid.FUSION_FILE.read_text(encoding="utf-8"))
    for key, entry in table["encoders"].items():
        assert set(entry["weights"]) == {"lexical", "dense", "graph", "document", "sentence", "passage", "place",
                                         "annex"}, key
        assert all("mrr10_cross_validated" in s for s in entry["scores"].values()), key


def test_a_floor_keeps_answerable_questions_and_flags_the_rest():
    from search import confidence

    rng = np.random.default_rng(0)
    pos = np.column_stack([rng.normal(0.85, 0.03, 200), rng.uniform(0.5, 1, 200), rng.uniform(0, 1, 200)])
    neg = np.column_stack([rng.normal(0.75, 0.03, 200), rng.uniform(0, 0.4, 200), rng.uniform(0, 0.3, 200)])
    model = confidence.fit_floor(pos, neg, {"dev": [p[None, :] for p in pos]}, keep=0.95)
    assert np.mean(confidence.probability(pos, model) >= model["floor"]) >= 0.95
    assert np.mean(confidence.probability(neg, model) < model["floor"]) > 0.8


def test_the_floor_keeps_each_set_not_just_the_largest():
    """A small set of harder questions (paraphrases) keeps its share even beside a large easy one."""
    from search import confidence

    rng = np.random.default_rng(1)
    easy = np.column_stack([rng.normal(0.88, 0.02, 400), rng.uniform(0.6, 1, 400), rng.uniform(0.5, 1, 400)])
    hard = np.column_stack([rng.normal(0.84, 0.02, 40), rng.uniform(0.1, 0.5, 40), rng.uniform(0.3, 1, 40)])
    neg = np.column_stack([rng.normal(0.80, 0.03, 300), rng.uniform(0, 0.4, 300), rng.uniform(0, 0.5, 300)])
    sets = {"easy": [p[None, :] for p in easy], "hard": [p[None, :] for p in hard]}
    model = confidence.fit_floor(np.vstack([easy, hard]), neg, sets, keep=0.95)
    assert np.mean(confidence.probability(hard, model) >= model["floor"]) >= 0.95
    pooled = confidence.fit_floor(np.vstack([easy, hard]), neg, {"all": sets["easy"] + sets["hard"]}, keep=0.95)
    assert model["floor"] <= pooled["floor"]


def test_relevance_levels_follow_the_floor():
    from search import confidence

    assert confidence.label(0.9, floor=0.5) == "高"
    assert confidence.label(0.6, floor=0.5) == "中"
    assert confidence.label(0.45, floor=0.5) == "低"      # under the floor is never 中
    assert confidence.label(0.85, floor=0.9) == "低"
    assert confidence.label(0.92, floor=0.9) == "中" and confidence.label(0.96, floor=0.9) == "高"


def test_a_long_clause_is_judged_by_its_closest_passage():
    from search import confidence

    signals = {"dense": 0.80, "passage": 0.90, "document": 0.5}
    assert confidence.features(signals, 0.3)[0] == 0.90
    assert confidence.features(signals, 0.3, names=("dense", "coverage", "document"))[0] == 0.80
    assert confidence.features({"dense": 0.8}, 0.3)[0] == 0.80      # no passages: the clause itself


def test_hits_below_the_floor_say_nothing_relevant(search_engine, capsys, monkeypatch, built_data):
    from app.cli import main
    from search.engine import SearchEngine

    strict = {"features": ["dense", "coverage", "document"], "intercept": -50.0, "coef": [1.0, 1.0, 1.0], "floor": 0.5}
    settings = dataclasses.replace(search_engine.fusion_settings, floor=strict)
    monkeypatch.setattr(search_engine, "fusion_settings", settings)
    hits = search_engine.search("育儿补贴每月发多少钱", k=5)
    assert hits and all(h.relevance["answers"] is False and h.relevance["level"] == "低" for h in hits)
    assert any(w.startswith("相关程度：低") for w in hits[0].why)
    assert not any("语义相似度" in w for h in hits for w in h.why)

    real_load = SearchEngine.load.__func__
    monkeypatch.setattr(SearchEngine, "load", classmethod(lambda cls, *a, **k: _with_floor(real_load(cls, *a, **k), strict)))
    assert main(["search", "育儿补贴每月发多少钱", "--data", str(built_data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("没有找到能回答这个问题的条款") and out.count("\n 1. ") + out.startswith(" 1. ") <= 1
    assert " 4. " not in out


def _with_floor(engine, floor):
    engine.fusion_settings = dataclasses.replace(engine.fusion_settings, floor=floor)
    return engine


def test_a_document_named_by_its_title_comes_first(search_engine):
    docs = search_engine.store.documents
    for d in docs:
        hits = search_engine.search(d["title"], k=3)
        assert hits[0].doc_id == d["id"], d["title"]


def test_a_title_inside_a_longer_question_points_at_the_document(search_engine):
    d = max(search_engine.store.documents, key=lambda d: len(d["title"]))
    a = search_engine.analyze(f"《{d['title']}》里关于补贴是怎么规定的")
    assert search_engine.store.documents.index(d) in a.doc_titles
    assert search_engine.analyze("补贴").doc_titles == []


def test_refitting_keeps_what_a_person_wrote_beside_the_figures(tmp_path):
    from search import fit

    path = tmp_path / "fusion.json"
    path.write_text(json.dumps({"encoders": {"e5-small": {
        "weights": {"lexical": 1.0}, "sets": {"wide": "the wide dev set"}, "alternative": {"note": "not chosen"},
        "floor": {"floor": 0.1, "negatives": "questions of another kind"}}}}), encoding="utf-8")
    fit.write("e5-small", {"weights": {"lexical": 0.5}, "floor": {"floor": 0.9}}, path)
    entry = json.loads(path.read_text(encoding="utf-8"))["encoders"]["e5-small"]
    assert entry["weights"] == {"lexical": 0.5} and entry["floor"]["floor"] == 0.9
    assert entry["sets"] == {"wide": "the wide dev set"} and entry["alternative"] == {"note": "not chosen"}
    assert entry["floor"]["negatives"] == "questions of another kind"
