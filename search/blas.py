"""numpy's BLAS on one thread while a query runs.

OpenBLAS keeps its worker threads spinning for a while after each call.  On a
two-core machine those spinning threads starve torch's threads encoding the
next query: at 100k clauses (e5-small, HNSW) a query's p95 was 114 ms with
BLAS on two threads and 41 ms with BLAS on one (``bench/bench_search.py``).
A query's own BLAS work is a few small matrix-vector products, which one
thread does as fast.  The limit is lifted when the query is done, so builds
and batched searches keep every core.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_controller = None


@contextmanager
def one_thread() -> Iterator[None]:
    """BLAS libraries loaded in this process (numpy's, scipy's, faiss's) on one thread inside the block."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()    # finds the libraries loaded so far: do it once, after loading
    with _controller.limit(limits=1, user_api="blas"):
        yield
