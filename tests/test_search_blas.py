"""A query runs numpy's BLAS on one thread (its spinning threads starve torch's on two cores), and
gives every thread back afterwards."""
import numpy as np
from threadpoolctl import threadpool_info


def _blas_threads():
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_a_query_runs_blas_on_one_thread_and_restores_it(search_engine, monkeypatch):
    before = _blas_threads()
    seen = []
    real = search_engine.dense.scores_for

    def spy(rows, query):
        seen.append(_blas_threads())
        return real(rows, query)

    monkeypatch.setattr(search_engine.dense, "scores_for", spy)
    assert search_engine.search("绿电直连项目接入电压等级", k=3)
    assert seen and all(set(threads) == {1} for threads in seen)
    assert _blas_threads() == before
    np.linalg.svd(np.random.default_rng(0).random((50, 50)))     # BLAS still usable after
