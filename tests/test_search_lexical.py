"""BM25 over our tokens: the same weights as bm25s's own indexing, and a sane ranking."""
from __future__ import annotations

import numpy as np
import pytest

from search.lexical import LexicalIndex, TokenStream

DOCS = [
    ["绿电", "直连", "项目", "接入", "电压", "等级"],
    ["绿电", "交易", "绿证", "绿证", "流转"],
    ["煤炭", "铁路", "运输", "比例"],
    ["绿电", "绿电", "绿电", "消费"],
    ["散煤", "清零"],
]


def _index(docs=DOCS) -> LexicalIndex:
    stream = TokenStream()
    for d in docs:
        stream.add(d)
    return LexicalIndex.build(stream)


def test_weights_match_bm25s_own_indexing():
    import bm25s

    ours = _index()
    ref = bm25s.BM25(k1=ours.retriever.k1, b=ours.retriever.b, method="lucene")
    ref.index(DOCS, show_progress=False)
    for query in (["绿电"], ["绿证", "流转"], ["煤炭", "散煤", "绿电"], ["没有"]):
        known = [t for t in query if t in ref.vocab_dict]
        expected = ref.get_scores(known) if known else np.zeros(len(DOCS))
        got = ours.scores({t: 1.0 for t in query})
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_rare_terms_rank_first_and_weights_scale():
    idx = _index()
    s = idx.scores({"铁路": 1.0, "绿电": 1.0})
    assert int(np.argmax(s)) == 2
    half = idx.scores({"铁路": 0.5})
    np.testing.assert_allclose(half * 2, idx.scores({"铁路": 1.0}), rtol=1e-6)
    assert not idx.scores({"不存在": 1.0}).any()


def test_save_and_load_round_trip(tmp_path):
    idx = _index()
    idx.save(tmp_path / "bm25")
    back = LexicalIndex.load(tmp_path / "bm25")
    q = {"绿电": 1.0, "清零": 1.0}
    np.testing.assert_array_equal(back.scores(q), idx.scores(q))
    assert back.num_docs == len(DOCS)


def test_the_stream_keeps_ids_not_token_lists():
    stream = TokenStream()
    stream.add(["a", "b", "a"])
    stream.add(["b"])
    assert list(stream.ids) == [0, 1, 0, 1] and list(stream.lengths) == [3, 1] and len(stream) == 2
