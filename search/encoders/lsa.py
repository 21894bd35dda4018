"""The built-in dense encoder: latent semantic analysis fitted to the corpus.

No download, no torch.  Each text is described by two bags of features:

* words: our jieba tokens (with the sub-words of long terms), and
* character 2- and 3-grams of its Chinese runs, which make it robust to
  word-segmentation differences between a query and a clause.

Each bag is weighted ``(1 + ln tf) · idf`` and L2-normalised; the two are
joined with weights ``√w`` and ``√(1-w)`` (``w`` = :data:`WORD_WEIGHT`).  A
truncated SVD of the fitting matrix (:func:`_truncated_svd`, scipy sparse + numpy) gives the
projection ``V · diag(s^(p-1))``; a vector is the projected row, L2-normalised,
so inner product is cosine similarity.

The fitting matrix holds more rows than the clauses: every clause text, and
each of its sentences, so terms that co-occur within a sentence
end up near each other.  At scale the fit uses an evenly spaced sample of the
clauses (:data:`FIT_SAMPLE`) and the fixed vocabulary then encodes them all.

Saved without pickle: arrays with ``np.save(allow_pickle=False)``, the word
list and settings as JSON.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DIMENSION = 256        # upper bound; a small corpus gets fewer (rank of the fitting matrix)
WORD_WEIGHT = 0.5      # share of the word bag in a vector's squared norm
SIGMA_POWER = 0.5      # p in V · diag(s^(p-1)): 1 keeps the SVD's scaling, 0 whitens
MIN_DF = 2             # a feature must occur in this many fitting units
MAX_WORDS = 60_000     # features kept (by document frequency); the projection is
MAX_NGRAMS = 100_000   # (words + n-grams) × dimension float32: 160 MB at the caps
FIT_SAMPLE = 30_000    # clauses the SVD is fitted on, at most
BATCH = 4096

_NON_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]")
_SHIFT = np.uint64(21)   # every code point fits in 21 bits


def _ngram_keys(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every character 2- and 3-gram inside the Chinese runs.

    A key packs the code points into one integer, 21 bits each: 2-grams are
    below 2**42, 3-grams above, so the two never collide.
    """
    han = "\0".join(_NON_HAN.sub("\0", t) for t in texts) + "\0"
    cp = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    ok = cp != 0
    two = ok[:-1] & ok[1:]
    three = two[:-1] & ok[2:]
    pos2 = np.flatnonzero(two)
    pos3 = np.flatnonzero(three)
    keys = np.concatenate([
        (cp[pos2] << _SHIFT) | cp[pos2 + 1],
        (cp[pos3] << (_SHIFT * np.uint64(2))) | (cp[pos3 + 1] << _SHIFT) | cp[pos3 + 2],
    ])
    rows = np.searchsorted(ends, np.concatenate([pos2, pos3]), side="right")
    return rows, keys


def _counts(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int):
    """CSR matrix of (row, col) occurrence counts."""
    from scipy.sparse import csr_matrix

    data = np.ones(len(rows), dtype=np.float32)
    m = csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols), dtype=np.float32)
    m.sum_duplicates()
    return m


def _weigh(m, idf: np.ndarray):
    """(1 + ln tf) · idf, rows L2-normalised (in place on a CSR matrix)."""
    np.log(m.data, out=m.data)
    m.data += 1
    m.data *= idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    m.data /= np.repeat(norms, np.diff(m.indptr)).astype(np.float32)
    return m


def _orthonormal(y: np.ndarray) -> np.ndarray:
    """An orthonormal basis of ``y``'s columns through its small Gram matrix
    (numpy's QR of a tall matrix is ten times slower on this machine)."""
    vals, vecs = np.linalg.eigh(y.T.astype(np.float64) @ y)
    keep = vals > vals.max() * 1e-10
    return y @ (vecs[:, keep] / np.sqrt(vals[keep])).astype(y.dtype)


def _truncated_svd(x, k: int, oversample: int = 20, power_iterations: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` singular values and right singular vectors of a sparse matrix, largest first:
    randomized SVD (Halko, Martinsson & Tropp 2011) with a fixed seed, so a rebuild
    gives the same encoder."""
    n, f = x.shape
    x = x.astype(np.float32)
    rng = np.random.default_rng(0)
    q = _orthonormal(x @ rng.standard_normal((f, k + oversample), dtype=np.float32))
    for _ in range(power_iterations):
        q = _orthonormal(x @ (x.T @ q))           # only the short side is re-orthonormalised
    b = np.asarray((x.T @ q).T, dtype=np.float64)  # (k + oversample) × f
    vals, vecs = np.linalg.eigh(b @ b.T)
    top = np.argsort(-vals)[:k]
    s = np.sqrt(np.clip(vals[top], 1e-18, None))
    return s, (vecs[:, top].T @ b) / s[:, None]


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


class LSAEncoder:
    name = "lsa"
    FOLDER = "lsa"

    def __init__(self, words: list[str], word_idf: np.ndarray, ngram_keys: np.ndarray, ngram_idf: np.ndarray,
                 projection: np.ndarray, singular_values: np.ndarray, config: dict[str, Any], tokenizer=None):
        self.words = words
        self.word_index = {w: i for i, w in enumerate(words)}
        self.word_idf = word_idf
        self.ngram_keys = ngram_keys
        self.ngram_idf = ngram_idf
        self.projection = projection          # (n_words + n_ngrams) × dimension
        self.singular_values = singular_values
        self.config = config
        self._tokenizer = tokenizer

    @property
    def dimension(self) -> int:
        return int(self.projection.shape[1])

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            from search.tokenize import get_tokenizer

            self._tokenizer = get_tokenizer()
        return self._tokenizer

    # ------------------------------------------------------------ features
    def _features(self, texts: Sequence[str], tokens: Sequence[list[str]] | None):
        """Weighted, normalised feature rows (CSR) for ``texts``."""
        from scipy.sparse import hstack

        n = len(texts)
        if tokens is None:
            tokens = [self.tokenizer.tokens(t) for t in texts]
        index = self.word_index
        rows, cols = [], []
        for r, toks in enumerate(tokens):
            for t in toks:
                c = index.get(t)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        words = _weigh(_counts(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), n, len(self.words)),
                       self.word_idf)
        g_rows, g_keys = _ngram_keys(texts)   # Chinese characters only: no folding needed
        pos = np.searchsorted(self.ngram_keys, g_keys)
        pos[pos == len(self.ngram_keys)] = 0
        hit = self.ngram_keys[pos] == g_keys if len(self.ngram_keys) else np.zeros(len(g_keys), bool)
        grams = _weigh(_counts(g_rows[hit], pos[hit], n, len(self.ngram_keys)), self.ngram_idf)
        w = self.config["word_weight"]
        return hstack([words * np.float32(np.sqrt(w)), grams * np.float32(np.sqrt(1 - w))], format="csr")

    def encode(self, texts: Sequence[str], tokens: Sequence[list[str]] | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            part = slice(start, start + BATCH)
            z = np.asarray(self._features(texts[part], tokens[part] if tokens is not None else None) @ self.projection)
            norms = np.linalg.norm(z, axis=1, keepdims=True)
            norms[norms == 0] = 1
            out[part] = z / norms
        return out

    def encode_query(self, text: str, tokens: list[str] | None = None) -> np.ndarray:
        return self.encode([text], [tokens] if tokens is not None else None)[0]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "ref": self.name, "dimension": self.dimension, "normalization": "l2",
                "features": {"words": len(self.words), "char_ngrams": len(self.ngram_keys)}, **self.config}

    # ------------------------------------------------------------ fitting
    @classmethod
    def fit(cls, texts: Sequence[str], tokens: Sequence[list[str]] | None = None, tokenizer=None,
            dimension: int = DIMENSION, word_weight: float = WORD_WEIGHT, sigma_power: float = SIGMA_POWER,
            min_df: int = MIN_DF) -> "LSAEncoder":
        """Fit vocabulary, idf and the SVD projection on ``texts`` (the fitting units)."""
        if tokenizer is None:
            from search.tokenize import get_tokenizer

            tokenizer = get_tokenizer()
        n = len(texts)
        if tokens is None:
            tokens = [tokenizer.tokens(tokenizer.fold(t), normalized=True) for t in texts]
        # Word vocabulary by document frequency.
        df: dict[str, int] = {}
        for toks in tokens:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        words = sorted((w for w, d in df.items() if d >= min_df), key=lambda w: (-df[w], w))[:MAX_WORDS]
        words.sort()
        word_idf = _idf(np.array([df[w] for w in words], dtype=np.float64), n)
        # Character n-gram vocabulary by document frequency.
        rows, keys = _ngram_keys(texts)
        pairs = np.unique(np.stack([rows.astype(np.uint64), keys]), axis=1)
        uniq, gdf = np.unique(pairs[1], return_counts=True)
        keep = gdf >= min_df
        uniq, gdf = uniq[keep], gdf[keep]
        if len(uniq) > MAX_NGRAMS:
            top = np.sort(np.lexsort((uniq, -gdf))[:MAX_NGRAMS])
            uniq, gdf = uniq[top], gdf[top]
        config = {"word_weight": word_weight, "sigma_power": sigma_power, "min_df": min_df,
                  "ngrams": [2, 3], "fit_units": n}
        enc = cls(words, word_idf, uniq, _idf(gdf.astype(np.float64), n),
                  np.zeros((len(words) + len(uniq), 1), np.float32), np.ones(1, np.float32), config, tokenizer)
        x = enc._features(texts, tokens)
        k = max(1, min(dimension, min(x.shape) - 1))
        s, vt = _truncated_svd(x, k)
        # Fix each component's sign (largest loading positive) so refits are reproducible.
        signs = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
        signs[signs == 0] = 1
        vt *= signs[:, None]
        enc.projection = np.ascontiguousarray((vt.T * s ** (sigma_power - 1)).astype(np.float32))
        enc.singular_values = s.astype(np.float32)
        return enc

    # ------------------------------------------------------------ persistence
    def save(self, folder: Path) -> None:
        d = Path(folder) / self.FOLDER
        d.mkdir(parents=True, exist_ok=True)
        (d / "words.json").write_text(json.dumps(self.words, ensure_ascii=False), encoding="utf-8")
        (d / "config.json").write_text(json.dumps(self.config, ensure_ascii=False, indent=1), encoding="utf-8")
        for name, arr in (("word_idf", self.word_idf), ("ngram_keys", self.ngram_keys), ("ngram_idf", self.ngram_idf),
                          ("projection", self.projection), ("singular_values", self.singular_values)):
            np.save(d / f"{name}.npy", arr, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, tokenizer=None) -> "LSAEncoder":
        d = Path(folder) / cls.FOLDER
        arr = {name: np.load(d / f"{name}.npy", allow_pickle=False, mmap_mode="r" if name == "projection" else None)
               for name in ("word_idf", "ngram_keys", "ngram_idf", "projection", "singular_values")}
        words = json.loads((d / "words.json").read_text(encoding="utf-8"))
        config = json.loads((d / "config.json").read_text(encoding="utf-8"))
        return cls(words, arr["word_idf"], arr["ngram_keys"], arr["ngram_idf"], arr["projection"],
                   arr["singular_values"], config, tokenizer)
