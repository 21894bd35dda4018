"""The vector store setting: FAISS (default) or Milvus, here through Milvus Lite in-process.

The Milvus tests build the real corpus's indexes into a Milvus Lite file and
compare every answer with the FAISS build of the same corpus; they are
skipped, saying why, only when milvus-lite cannot start here.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from search.vectorstore import StoreSettings, VectorStoreError, options_to_settings

DEV_QUERIES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "queries_dev.jsonl"
FALLBACK_QUERIES = ["绿电交易如何缩短绿证流转时间", "散煤清零", "风电光伏总装机2030年达到多少", "地热供暖示范区",
                    "省统计局参与哪些工作", "绿电直连项目电费怎么结算", "钢铁水泥化工电解铝企业怎么实施绿电消费替代"]
TIE = 1e-4      # scores this close may swap places between the two backends


def dev_queries() -> list[str]:
    if DEV_QUERIES.exists():
        return [json.loads(line)["query"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return FALLBACK_QUERIES


@pytest.fixture(scope="module")
def lite(tmp_path_factory) -> Path:
    """A folder for Milvus Lite files, once milvus-lite is known to start here."""
    pytest.importorskip("pymilvus", reason="pymilvus not installed (pip install 'policykg[milvus]')")
    pytest.importorskip("milvus_lite", reason="milvus-lite not installed (pip install 'policykg[milvus]')")
    from search.milvus import connect

    folder = tmp_path_factory.mktemp("milvus")
    try:
        connect(str(folder / "probe.db")).list_collections()
    except VectorStoreError as err:
        pytest.skip(f"Milvus Lite cannot start here: {err}")
    return folder


@pytest.fixture(scope="module")
def milvus_data(built_data, lite, tmp_path_factory) -> Path:
    """``built_data`` with its search indexes rebuilt into a Milvus Lite collection."""
    from search.build import build_indexes

    data = tmp_path_factory.mktemp("milvus-data") / "data"
    shutil.copytree(built_data.resolve(), data)
    build_indexes(data, {"vector_store": "milvus", "milvus_uri": str(lite / "corpus.db")})
    return data


@pytest.fixture(scope="module")
def milvus_engine(milvus_data):
    from search.engine import SearchEngine

    return SearchEngine.load(milvus_data)


def assert_same_ranking(got, want, k: int = 10) -> None:
    """Same ids in the same order, except rows whose scores tie within :data:`TIE`."""
    got_ids, want_ids = [h.clause_id for h in got], [h.clause_id for h in want]
    if got_ids == want_ids:
        np.testing.assert_allclose([h.score for h in got], [h.score for h in want], atol=TIE)
        return
    assert len(got) == len(want), (got_ids, want_ids)
    for g, w in zip(got, want):
        assert g.clause_id == w.clause_id or abs(g.score - w.score) <= TIE, (got_ids, want_ids)


# ------------------------------------------------------------ settings (no Milvus needed)
def test_settings_default_to_faiss_and_name_what_is_wrong(tmp_path):
    assert options_to_settings(None, None, None) == {}
    assert options_to_settings("faiss", None, None) == {}
    s = options_to_settings("milvus", str(tmp_path / "v.db"), None)
    assert s == {"vector_store": "milvus", "milvus_uri": str(tmp_path / "v.db"), "milvus_collection": "policykg_clauses"}
    assert options_to_settings("milvus", "http://milvus:19530", "plans")["milvus_uri"] == "http://milvus:19530"
    for args, message in [
        (("milvus", None, None), "needs --milvus-uri"),
        ((None, str(tmp_path / "v.db"), None), "need --vector-store milvus"),
        (("milvus", str(tmp_path / "v.txt"), None), "must end in .db"),
        (("milvus", str(tmp_path / "no" / "v.db"), None), "does not exist"),
        (("milvus", str(tmp_path / "v.db"), "2024-plans"), "letters, digits and _"),
        (("pgvector", None, None), "unknown vector store"),
    ]:
        with pytest.raises(ValueError, match=message):
            options_to_settings(*args)


def test_a_relative_lite_file_is_recorded_as_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert StoreSettings.from_settings({"vector_store": "milvus", "milvus_uri": "v.db"}).uri == str(tmp_path / "v.db")


def test_build_command_passes_the_vector_store_settings(tmp_path, monkeypatch, capsys):
    import app.build
    from app.cli import main

    seen = {}

    def fake_build(corpus, out, settings=None, progress=None, **_):
        seen.update(settings)
        return app.build.BuildReport(out=out)

    monkeypatch.setattr(app.build, "build", fake_build)
    db = tmp_path / "v.db"
    assert main(["build", "--out", str(tmp_path / "data"), "--vector-store", "milvus", "--milvus-uri", str(db),
                 "--milvus-collection", "plans", "-q"]) == 0
    assert seen == {"vector_store": "milvus", "milvus_uri": str(db), "milvus_collection": "plans"}
    assert main(["build", "--out", str(tmp_path / "data"), "--milvus-uri", str(db)]) == 2
    assert "need --vector-store milvus" in capsys.readouterr().err


def test_a_lite_file_inside_a_data_version_is_refused(tmp_path):
    from search.milvus import check_location

    versions = tmp_path / ".data.versions"
    staging, current = versions / "tmp-20260102T000000-bbbbbbbb", versions / "v-20260101T000000-aaaaaaaa"
    current.mkdir(parents=True)
    (tmp_path / "data").symlink_to(current)
    with pytest.raises(VectorStoreError, match="inside a data folder version"):
        check_location(str(tmp_path / "data" / "vectors.db"), staging)     # --milvus-uri data/vectors.db
    for fine in (tmp_path / "vectors.db", versions / "vectors.db"):
        check_location(str(fine), staging)
    check_location("http://localhost:19530", staging)
    with pytest.raises(VectorStoreError):
        check_location(str(tmp_path / "plain" / "search" / "v.db"), tmp_path / "plain")
    check_location(str(tmp_path / "plain" / "v.db"), tmp_path / "plain")


def test_without_pymilvus_the_message_names_the_extra(monkeypatch, tmp_path):
    from search import vectorstore

    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(VectorStoreError, match=r"pip install 'policykg\[milvus\]'"):
        vectorstore.check({"vector_store": "milvus", "milvus_uri": str(tmp_path / "v.db")})


def test_importing_search_loads_neither_pymilvus_nor_torch():
    code = ("import search, search.engine, search.build, search.vectorstore, search.faiss_index, sys; "
            "bad = {'pymilvus', 'milvus_lite', 'torch'} & set(sys.modules); assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("rows", [
    [5], [0, 1, 2], list(range(3, 40)), [1, 7, *range(20, 60), 61, 90, *range(100, 117)], list(range(0, 300, 3)),
])
def test_row_filter_is_true_on_exactly_the_rows(rows):
    from search.milvus import row_filter

    expr = row_filter(np.array(rows))
    selected: set[int] = set()
    for part in expr.split(" or "):      # the two shapes the expression is made of
        if m := re.fullmatch(r"\(row >= (\d+) and row <= (\d+)\)", part):
            selected |= set(range(int(m[1]), int(m[2]) + 1))
        else:
            m = re.fullmatch(r"row in \[([\d,]+)\]", part)
            assert m, part
            selected |= {int(x) for x in m[1].split(",")}
    assert selected == set(rows)
    assert len(expr) < 120 or len(rows) > 30      # runs are ranges, not lists


# ------------------------------------------------------------ Milvus Lite, the real corpus
def test_milvus_answers_the_dev_queries_like_faiss(milvus_engine, search_engine):
    assert type(milvus_engine.dense).__name__ == "MilvusIndex"
    queries = dev_queries()
    for q in queries:
        for mode in ("dense", "hybrid"):
            assert_same_ranking(milvus_engine.search(q, 10, mode=mode), search_engine.search(q, 10, mode=mode))
    for got, want in zip(milvus_engine.search_many(queries, 10), search_engine.search_many(queries, 10)):
        assert_same_ranking(got, want)


@pytest.mark.parametrize("filters", [
    {"region": "山西"}, {"industry": "新能源"}, {"measure": "incentive"}, {"agency": "省能源局"},
    {"region": "广西", "measure": "task"}, {"year": 2025},
])
@pytest.mark.parametrize("post_filter", [False, True], ids=["expression", "post-filter"])
def test_filters_work_in_milvus(milvus_engine, search_engine, filters, post_filter, monkeypatch):
    import search.milvus as milvus
    from search.filters import Filters

    if post_filter:     # every filter through the over-fetching path (it falls back when too few remain)
        monkeypatch.setattr(milvus, "POST_FILTER_SHARE", 0.0)
        monkeypatch.setattr(milvus, "POST_FILTER_CHARS", 0)
    expressions = []
    search = milvus.MilvusIndex._search
    monkeypatch.setattr(milvus.MilvusIndex, "_search",
                        lambda self, q, k, expr="": expressions.append(expr) or search(self, q, k, expr))
    f = Filters(**filters)
    for q in ("绿电交易", "可再生能源装机目标", "地热供暖"):
        for mode in ("dense", "hybrid"):
            got, want = milvus_engine.search(q, 10, filters=f, mode=mode), search_engine.search(q, 10, filters=f, mode=mode)
            assert_same_ranking(got, want)
    if post_filter:      # which path answered: an unfiltered over-fetching search, or an expression
        assert "" in expressions
    else:
        assert expressions and "" not in expressions


def test_the_manifest_records_the_milvus_store(milvus_data, lite):
    m = json.loads((milvus_data / "search" / "manifest.json").read_text(encoding="utf-8"))
    store = m["vector_store"]
    assert store["backend"] == "milvus" and store["uri"] == str(lite / "corpus.db") and store["index"] == "FLAT"
    assert store["collection"].startswith("policykg_clauses_v") and store["vectors"] == m["clauses"]
    assert m["faiss_index"] is None
    vectors = np.load(milvus_data / "search" / "dense" / "vectors.npy", allow_pickle=False)
    assert len(vectors) == m["clauses"] and not (milvus_data / "search" / "dense" / "faiss.index").exists()


@pytest.mark.parametrize("change, message", [
    ({"uri": "/nonexistent/vectors.db"}, "Milvus Lite file does not exist"),
    ({"uri": "http://127.0.0.1:9"}, "cannot be reached"),
    ({"collection": "policykg_clauses_v20000101T000000_00000000"}, "no such collection"),
])
def test_loading_refuses_a_milvus_store_it_cannot_use(milvus_data, tmp_path, change, message):
    from search.engine import SearchEngine

    copy = tmp_path / "data"
    shutil.copytree(milvus_data, copy)
    path = copy / "search" / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m["vector_store"].update(change)
    path.write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(VectorStoreError, match=message) as err:
        SearchEngine.load(copy)
    assert m["vector_store"]["collection"] in str(err.value) and m["vector_store"]["uri"] in str(err.value)


# ------------------------------------------------------------ collections per build
def test_each_build_writes_a_collection_and_drops_those_no_version_names(lite, tmp_path):
    from search.milvus import MilvusIndex, connect

    uri, vectors = str(lite / "versions.db"), np.eye(4, dtype=np.float32)
    versions = tmp_path / ".data.versions"

    def build(name: str) -> MilvusIndex:
        """What a build does with its staging folder ``name`` (and then publishes it as v-…)."""
        staging = versions / name
        (staging / "search").mkdir(parents=True)
        index = MilvusIndex.build(vectors, uri, "policykg_clauses", staging)
        (staging / "search" / "manifest.json").write_text(json.dumps({"vector_store": index.describe()}))
        return index

    first = build("tmp-20260101T000000-aaaaaaaa")
    assert first.collection == "policykg_clauses_v20260101T000000_aaaaaaaa"
    (versions / "tmp-20260101T000000-aaaaaaaa").rename(versions / "v-20260101T000000-aaaaaaaa")   # published
    other = MilvusIndex.build(vectors, uri, "policykg_clauses", tmp_path / "elsewhere" / "data")  # another data folder
    second = build("tmp-20260102T000000-bbbbbbbb")
    assert second.release_old(versions / "tmp-20260102T000000-bbbbbbbb") == []     # the published one stays
    shutil.rmtree(versions / "v-20260101T000000-aaaaaaaa")                          # pruned by a later build
    assert second.release_old(versions / "tmp-20260102T000000-bbbbbbbb") == [first.collection]
    names = connect(uri).list_collections()
    assert second.collection in names and other.collection in names and first.collection not in names
    rows, scores = second.search(vectors[2], 1)
    assert rows.tolist() == [2] and scores[0] == pytest.approx(1.0)


def test_a_failed_build_leaves_no_collection(lite, tmp_path, monkeypatch):
    from search.milvus import MilvusIndex, connect

    uri = str(lite / "failed.db")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(connect(uri)), "flush", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        MilvusIndex.build(np.eye(4, dtype=np.float32), uri, "policykg_clauses", tmp_path / "data")
    assert connect(uri).list_collections() == []


def test_hnsw_collection_above_the_threshold(lite, tmp_path, monkeypatch):
    import search.milvus as milvus

    monkeypatch.setattr(milvus, "index_kind", lambda n: "hnsw")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(64, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = milvus.MilvusIndex.build(vectors, str(lite / "hnsw.db"), "policykg_clauses", tmp_path / "data")
    assert index.kind == "HNSW" and index.describe()["index"] == "HNSW"
    rows, _ = index.search(vectors[7], 3)
    assert rows[0] == 7
    rows, _ = index.search(vectors[7], 2, rows=np.array([1, 2, 3]))
    assert set(rows) <= {1, 2, 3} and len(rows) == 2
