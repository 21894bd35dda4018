"""Dense side: the LSA encoder round trip, FAISS search and the index manifest checks."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from search.encoders.lsa import LSAEncoder

TEXTS = [
    "支持企业通过购买绿电或绿证的方式实施绿电消费替代。",
    "优化绿电交易组织和结算衔接，缩短绿证流转时间。",
    "煤炭铁路运输比例力争达到90%。",
    "逐步实现全省范围散煤清零，推进清洁取暖。",
    "并网型绿电直连项目接入公用电网电压等级不超过220千伏。",
    "绿电直连项目以项目接入点作为计量、结算参考点。",
    "推动钢铁、水泥、化工、电解铝等高载能行业绿电消费。",
    "建设地热供暖示范区，推广地热能供暖。",
]


@pytest.fixture(scope="module")
def lsa() -> LSAEncoder:
    return LSAEncoder.fit(TEXTS * 2, dimension=6)


def test_lsa_vectors_are_unit_length_and_related_texts_are_closer(lsa):
    v = lsa.encode(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    q = lsa.encode_query("绿电直连项目电费怎么结算")
    sims = v @ q
    assert sims[5] > sims[3] and sims[4] > sims[7]


def test_lsa_save_load_round_trip(lsa, tmp_path):
    lsa.save(tmp_path)
    files = {p.name for p in (tmp_path / "lsa").iterdir()}
    assert {"projection.npy", "words.json", "config.json", "ngram_keys.npy"} <= files
    for p in (tmp_path / "lsa").glob("*.npy"):
        np.load(p, allow_pickle=False)   # plain arrays, no pickle
    back = LSAEncoder.load(tmp_path)
    np.testing.assert_allclose(back.encode(TEXTS), lsa.encode(TEXTS), rtol=1e-5, atol=1e-6)
    assert back.describe()["dimension"] == lsa.dimension


def test_lsa_fit_is_reproducible():
    a = LSAEncoder.fit(TEXTS * 2, dimension=5).encode(TEXTS)
    b = LSAEncoder.fit(TEXTS * 2, dimension=5).encode(TEXTS)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_the_default_path_never_imports_torch():
    import subprocess

    code = ("import search, search.engine, search.build, search.encoders.lsa, search.faiss_index, sys; "
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_faiss_flat_search_filtered_and_exact(lsa, tmp_path):
    from search.faiss_index import DenseIndex

    vectors = lsa.encode(TEXTS)
    index = DenseIndex.build(vectors)
    assert index.kind == "flat"
    q = lsa.encode_query("散煤清零")
    rows, scores = index.search(q, 3)
    assert rows[0] == 3 and scores[0] == pytest.approx(float(vectors[3] @ q), rel=1e-5)
    rows, _ = index.search(q, 3, rows=np.array([0, 1, 7]))
    assert set(rows) <= {0, 1, 7} and len(rows) == 3
    index.save(tmp_path)
    back = DenseIndex.load(tmp_path)
    np.testing.assert_array_equal(back.search(q, 3)[0], index.search(q, 3)[0])
    np.testing.assert_allclose(back.scores_for(np.array([5, 2]), q), vectors[[5, 2]] @ q, rtol=1e-5)


def test_hnsw_above_the_threshold(lsa, monkeypatch):
    import search.faiss_index as dense

    monkeypatch.setattr(dense, "HNSW_THRESHOLD", 4)
    vectors = lsa.encode(TEXTS)
    index = dense.DenseIndex.build(vectors)
    assert index.kind == "hnsw"
    q = lsa.encode_query("地热供暖")
    assert index.search(q, 1)[0][0] == 7
    rows, _ = index.search(q, 2, rows=np.array([1, 2]))
    assert set(rows) == {1, 2}


def test_loading_refuses_an_index_built_by_another_setup(built_data, tmp_path):
    import shutil

    from search.engine import SearchEngine
    from search.manifest import IndexMismatch

    copy = tmp_path / "data"
    shutil.copytree(built_data.resolve(), copy)
    manifest = copy / "search" / "manifest.json"
    m = json.loads(manifest.read_text(encoding="utf-8"))
    m["tokenizer"]["userdict_hash"] = "0000000000000000"
    m["tokenizer"]["jieba"] = "0.1"
    manifest.write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexMismatch) as err:
        SearchEngine.load(copy)
    text = str(err.value)
    assert "jieba 0.1" in text and "user dictionary" in text and "policykg build" in text
    m = json.loads((built_data / "search" / "manifest.json").read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="encoder 'lsa' at build time"):
        SearchEngine.load(copy, encoder="/models/bge-small-zh")
    assert len(SearchEngine.load(copy).store) == m["clauses"]


def test_the_manifest_records_what_built_the_index(built_data):
    m = json.loads((built_data / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert m["encoder"]["name"] == "lsa" and m["dimension"] == m["encoder"]["dimension"]
    assert m["normalization"] == "l2" and m["faiss_index"] == "IndexFlatIP"
    assert {"jieba", "userdict_hash"} <= m["tokenizer"].keys()
    assert {"faiss-cpu", "bm25s", "numpy"} <= m["libraries"].keys()
    ids = (built_data / "search" / "ids.txt").read_text(encoding="utf-8").splitlines()
    vectors = np.load(built_data / "search" / "dense" / "vectors.npy", allow_pickle=False)
    assert len(ids) == len(vectors) == m["clauses"]
