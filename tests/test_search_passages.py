"""Passage vectors through FAISS: the same answers as scoring every passage, flat or HNSW."""
import numpy as np
import pytest

import search.faiss_index as faiss_index
from search.faiss_index import DenseIndex
from search.passages import PassageIndex


def _index(n_rows=400, seed=0, tmp_path=None):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 4, n_rows)                 # clauses with 0–3 passages
    rows = np.repeat(np.arange(n_rows), counts).astype(np.int32)
    vectors = rng.normal(size=(len(rows), 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    spans = np.column_stack([np.zeros(len(rows)), np.arange(1, len(rows) + 1)]).astype(np.int32)
    index = PassageIndex(DenseIndex.build(vectors), rows, spans)
    if tmp_path is not None:
        index.save(tmp_path)
        index = PassageIndex.load(tmp_path)
    return index, rng


def _unit(v):
    return (v / np.linalg.norm(v)).astype(np.float32)


def _brute_best(index, q, n_rows):
    best = np.full(n_rows, -1.0, dtype=np.float32)
    np.maximum.at(best, index.rows, np.asarray(index.vectors) @ q)
    return best


def test_best_of_rows_is_each_rows_best_passage(tmp_path):
    index, rng = _index(tmp_path=tmp_path)
    q = _unit(rng.normal(size=32))
    rows = rng.permutation(400)[:150]
    assert np.allclose(index.best_of_rows(q, rows), _brute_best(index, q, 400)[rows], atol=1e-5)


@pytest.mark.parametrize("allowed", [None, "half"])
def test_nearest_rows_are_the_rows_with_the_nearest_passages(allowed):
    index, rng = _index()
    ids = [f"c{i:04d}" for i in range(400)]
    q = _unit(rng.normal(size=32))
    within = np.arange(0, 400, 2) if allowed else None
    rows, scores = index.nearest_rows(q, 20, ids, within)
    best = _brute_best(index, q, 400)
    if within is not None:
        masked = np.full(400, -1.0, dtype=np.float32)
        masked[within] = best[within]
        best = masked
    expected = np.argsort(-best, kind="stable")[:20]
    assert rows.tolist() == expected.tolist()
    assert np.allclose(scores, best[expected], atol=1e-5)


def test_many_passages_get_an_hnsw_index_that_finds_the_same_best_rows(monkeypatch, tmp_path):
    monkeypatch.setattr(faiss_index, "HNSW_THRESHOLD", 100)
    index, rng = _index(n_rows=2000, seed=1, tmp_path=tmp_path)
    assert index.dense.kind == "hnsw"
    ids = [f"c{i:04d}" for i in range(2000)]
    found = []
    for _ in range(20):
        q = _unit(rng.normal(size=32))
        rows, _ = index.nearest_rows(q, 10, ids)
        found.append(len(set(rows.tolist()) & set(np.argsort(-_brute_best(index, q, 2000))[:10].tolist())) / 10)
    assert np.mean(found) >= 0.9


def test_an_index_saved_before_passages_had_faiss_still_loads(tmp_path):
    index, rng = _index()
    old = tmp_path / "passages"
    old.mkdir()
    np.save(old / "vectors.npy", np.asarray(index.vectors))
    np.save(old / "rows.npy", index.rows)
    np.save(old / "spans.npy", index.spans)
    loaded = PassageIndex.load(tmp_path)
    q = _unit(rng.normal(size=32))
    assert loaded.best_span(q, int(index.rows[0])) == index.best_span(q, int(index.rows[0]))


def test_an_index_made_again_from_its_own_memory_mapped_vectors_keeps_them(tmp_path):
    index, rng = _index(tmp_path=tmp_path)
    loaded = PassageIndex.load(tmp_path)           # vectors memory-mapped from passages/dense/vectors.npy
    expected = np.array(loaded.vectors)
    PassageIndex(DenseIndex.build(loaded.vectors), loaded.rows, loaded.spans).save(tmp_path)
    assert np.array_equal(np.load(tmp_path / "passages" / "dense" / "vectors.npy"), expected)
