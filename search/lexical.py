"""Lexical index: BM25 (bm25s, Lucene variant) over our own tokens.

bm25s's own splitter is useless for Chinese, so we hand it token ids.  Its
list-of-lists input costs tens of bytes per token in Python objects (about
6 GB at a million clauses), so :class:`TokenStream` keeps the corpus as one
flat ``int32`` array while tokenising and :func:`bm25_from_stream` computes the
same Lucene BM25 weights as ``bm25s.BM25.index`` with numpy, then hands the
matrix to a ``bm25s.BM25`` object.  The token stream is dropped after
indexing; the saved index is bm25s's own folder format (npy + JSON).
"""
from __future__ import annotations

from array import array
from collections.abc import Mapping
from pathlib import Path

import numpy as np

K1 = 1.2
B = 0.75


class TokenStream:
    """Documents as token ids in one flat array, with a growing vocabulary."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.ids = array("i")
        self.lengths = array("i")

    def add(self, tokens: list[str]) -> None:
        vocab = self.vocab
        get = vocab.get
        ids = []
        for t in tokens:
            i = get(t)
            if i is None:
                i = vocab[t] = len(vocab)
            ids.append(i)
        self.ids.extend(ids)
        self.lengths.append(len(ids))

    def __len__(self) -> int:
        return len(self.lengths)


def bm25_from_stream(stream: TokenStream, k1: float = K1, b: float = B):
    """A ``bm25s.BM25`` (method ``lucene``) indexed from ``stream``.

    Weights: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) and
    tf / (k1 (1 - b + b |d| / avgdl) + tf), bm25s's ``lucene`` formulas.
    """
    import bm25s
    from bm25s.scoring import _score_idf_lucene, _score_tfc_lucene

    n_docs, n_vocab = len(stream), len(stream.vocab) + 1   # +1: bm25s's empty token ""
    lengths = np.frombuffer(stream.lengths, dtype=np.int32)
    flat = np.frombuffer(stream.ids, dtype=np.int32)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs, tf = np.unique(doc * n_vocab + flat, return_counts=True)   # sorted by (doc, token)
    del doc
    pair_doc = (pairs // n_vocab).astype(np.int32)
    pair_tok = (pairs % n_vocab).astype(np.int32)
    del pairs
    df = np.bincount(pair_tok, minlength=n_vocab)
    idf = np.array([_score_idf_lucene(int(d), N=n_docs) if d else 0.0 for d in df], dtype=np.float32)
    avg = float(lengths.mean()) if n_docs else 1.0
    tfc = _score_tfc_lucene(tf.astype(np.float32), l_d=lengths[pair_doc].astype(np.float32), l_avg=avg, k1=k1, b=b)
    weights = (idf[pair_tok] * tfc).astype(np.float32)
    order = np.argsort(pair_tok, kind="stable")            # CSC: postings of each token, by document
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
    retriever.scores = {
        "data": weights[order], "indices": pair_doc[order], "indptr": indptr, "num_docs": n_docs,
    }
    retriever.vocab_dict = {**stream.vocab, "": n_vocab - 1}
    retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
    retriever.nonoccurrence_array = None
    return retriever


class LexicalIndex:
    """Scores every clause for a weighted bag of query tokens."""

    def __init__(self, retriever) -> None:
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict
        self.num_docs: int = int(retriever.scores["num_docs"])

    @classmethod
    def build(cls, stream: TokenStream, k1: float = K1, b: float = B) -> "LexicalIndex":
        return cls(bm25_from_stream(stream, k1, b))

    def save(self, folder: Path) -> None:
        """Write the bm25s index folder ``folder`` (npy arrays + JSON vocabulary and parameters)."""
        self.retriever.save(Path(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, mmap: bool = False) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(Path(folder), mmap=mmap, load_corpus=False, show_progress=False))

    def scores(self, weighted: Mapping[str, float]) -> np.ndarray:
        """BM25 of every clause: sum over query tokens of weight × token score."""
        s = self.retriever.scores
        data, indices, indptr = s["data"], s["indices"], s["indptr"]
        parts_i, parts_w = [], []
        for token, w in weighted.items():
            t = self.vocab.get(token)
            if t is None or w == 0:
                continue
            lo, hi = indptr[t], indptr[t + 1]
            parts_i.append(indices[lo:hi])
            parts_w.append(data[lo:hi] * np.float32(w))
        if not parts_i:
            return np.zeros(self.num_docs, dtype=np.float32)
        idx = np.concatenate(parts_i)
        return np.bincount(idx, weights=np.concatenate(parts_w), minlength=self.num_docs).astype(np.float32)
