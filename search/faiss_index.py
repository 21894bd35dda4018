"""Dense index: clause vectors in FAISS, inner product on L2-normalised vectors.

The vectors are saved beside the index (``vectors.npy``, row i = clause row i,
the same row order as ``ids.txt`` and the BM25 index), so a filtered search
can score a subset exactly and the index can be rebuilt without re-encoding.

The index type follows the corpus size: exact ``IndexFlatIP`` below
:data:`HNSW_THRESHOLD` vectors, ``IndexHNSWFlat`` (inner product) from there.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# Measured on 100k e5-small clause vectors (bench/bench_search.py; top 10 against exact search, 67
# questions): an exact scan takes 12-16 ms a query there, too much of a 50 ms budget beside the
# query's encoding; HNSW with M 32 found 0.68 of the exact top 10 at efConstruction 40 / efSearch
# 128, 0.94 at 100 / 512 and 0.97 at 200 / 512 (1.1 ms a query, 22 s to build on two cores).
HNSW_THRESHOLD = 50_000       # vectors; below it an exact flat scan is fast enough
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200    # build time grows with it (about 5x faiss's default of 40)
HNSW_EF_SEARCH = 512
EXACT_SUBSET_LIMIT = 20_000   # HNSW: a filter leaving this few rows is scored exactly from vectors.npy
BLAS_THRESHOLD = 20           # for batches: faiss's default 128000 keeps them off BLAS (PERF_NOTES);
                              # a single query is faster without BLAS, so only search_batch lowers it


SEARCH_THREADS = 1            # OpenMP threads at query time: more only contend with BLAS's own (measured)


def _faiss():
    import faiss

    return faiss


def index_kind(n: int) -> str:
    return "hnsw" if n >= HNSW_THRESHOLD else "flat"


class DenseIndex:
    FOLDER = "dense"

    def __init__(self, index, vectors: np.ndarray) -> None:
        self.index = index
        self.vectors = vectors

    @property
    def kind(self) -> str:
        return "hnsw" if "HNSW" in type(self.index).__name__ else "flat"

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def describe(self) -> dict:
        """What the index manifest records as ``vector_store`` (see :mod:`search.vectorstore`)."""
        return {"backend": "faiss", "index": type(self.index).__name__, "metric": "IP", "vectors": len(self)}

    @classmethod
    def build(cls, vectors: np.ndarray) -> "DenseIndex":
        faiss = _faiss()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, d = vectors.shape
        if index_kind(n) == "hnsw":
            index = faiss.IndexHNSWFlat(d, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(d)
        index.add(vectors)
        return cls(index, vectors)

    def save(self, folder: Path) -> None:
        """Write the vectors and the index, each to a new file moved over the old one: the vectors may
        be memory-mapped from the very file being replaced (an index made again from its own vectors)."""
        d = Path(folder) / self.FOLDER
        d.mkdir(parents=True, exist_ok=True)
        with open(d / "vectors.npy.tmp", "wb") as f:
            np.save(f, np.asarray(self.vectors), allow_pickle=False)
        _faiss().write_index(self.index, str(d / "faiss.index.tmp"))
        os.replace(d / "vectors.npy.tmp", d / "vectors.npy")
        os.replace(d / "faiss.index.tmp", d / "faiss.index")

    @classmethod
    def load(cls, folder: Path) -> "DenseIndex":
        """Load for querying (FAISS set to :data:`SEARCH_THREADS` threads)."""
        faiss = _faiss()
        faiss.omp_set_num_threads(SEARCH_THREADS)
        d = Path(folder) / cls.FOLDER
        vectors = np.load(d / "vectors.npy", mmap_mode="r", allow_pickle=False)
        index = faiss.read_index(str(d / "faiss.index"))
        if index.ntotal != len(vectors):
            raise ValueError(f"{d}: faiss.index holds {index.ntotal} vectors but vectors.npy {len(vectors)}")
        if "HNSW" in type(index).__name__:
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index, vectors)

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows (and their scores), restricted to ``rows`` when given.

        A restriction goes to FAISS as an ID selector; with HNSW, a subset of
        at most :data:`EXACT_SUBSET_LIMIT` rows is scored exactly instead (a
        graph walk would find too few of them)."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        k = min(k, len(self) if rows is None else len(rows))
        if k <= 0 or not q.any():    # a query the encoder has no features for is near nothing
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if rows is None:
            scores, ids = self.index.search(q, k)
        elif self.kind == "hnsw" and len(rows) <= EXACT_SUBSET_LIMIT:
            scores = np.asarray(self.vectors[np.sort(rows)] @ q[0])
            top = _top(scores, k)
            return np.sort(rows)[top].astype(np.int64), scores[top]
        else:
            faiss = _faiss()
            mask = np.zeros(len(self), dtype=bool)
            mask[rows] = True
            bitmap = np.packbits(mask, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(self), faiss.swig_ptr(bitmap))
            params = (faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
                      if self.kind == "hnsw" else faiss.SearchParameters(sel=selector))
            scores, ids = self.index.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Unfiltered search of many queries at once, through BLAS (ids, scores: one row per query)."""
        faiss = _faiss()
        q = np.ascontiguousarray(queries, dtype=np.float32)
        before = faiss.cvar.distance_compute_blas_threshold
        faiss.cvar.distance_compute_blas_threshold = BLAS_THRESHOLD
        try:
            scores, ids = self.index.search(q, min(k, len(self)))
        finally:
            faiss.cvar.distance_compute_blas_threshold = before
        return ids, scores

    def scores_for(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact inner products of ``query`` with the given rows."""
        if len(rows) == 0:
            return np.empty(0, np.float32)
        return np.asarray(self.vectors[rows] @ np.asarray(query, dtype=np.float32), dtype=np.float32)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest scores, best first (ties: lower index first)."""
    if len(scores) > k:
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]
