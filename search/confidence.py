"""How likely a hit answers the question, and the floor below which search says it found none.

Each hit is described by three numbers a reader can check: how close its
meaning is to the question (the dense cosine), how much of the question's
words it holds (share of the query's token weight found in the clause text,
its headings or its document's title) and how much its document as a whole is
about the question.  A logistic model of these, fitted by :func:`fit_floor`
(called from :mod:`search.fit`) on development questions (their gold
clauses as positives) and on questions asked of a corpus that cannot answer
them (every hit a negative), gives a probability; a query whose best hit is
under the fitted floor gets "nothing relevant", and its hits are offered as
the closest few only.  Settings live beside the fusion settings in
``search/data/fusion.json``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FEATURES = ("dense", "coverage", "document")
LABELS = ((0.7, "高"), (0.4, "中"), (0.0, "低"))    # probability → 相关程度, as a policy officer reads it


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the query's token weight whose token occurs in ``text`` (lower case)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in text) / total


def features(dense: float, cover: float, document: float) -> np.ndarray:
    return np.array([dense, cover, document], dtype=np.float64)


def probability(x: np.ndarray, model: dict) -> np.ndarray:
    z = model["intercept"] + np.asarray(x, dtype=np.float64) @ np.asarray(model["coef"], dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))


def label(p: float) -> str:
    return next(name for floor, name in LABELS if p >= floor)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iterations: int = 50) -> dict:
    """Logistic regression by Newton's method (a small ridge keeps it finite on separable data),
    positives and negatives weighted to count the same."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xb = np.hstack([np.ones((len(x), 1)), x])
    sw = np.where(y > 0, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1)) * len(y)
    w = np.zeros(xb.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (sw * (p - y)) + l2 * np.r_[0, w[1:]]
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + l2 * np.diag(np.r_[0, np.ones(len(w) - 1)])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"features": list(FEATURES), "intercept": float(w[0]), "coef": [float(v) for v in w[1:]]}


def fit_floor(positive_hits: np.ndarray, negative_hits: np.ndarray, answerable_best: Sequence[np.ndarray],
              keep: float = 0.95) -> dict:
    """The model and the floor: the highest threshold under which at most ``1 - keep`` of the
    answerable questions would fall (judged on their best hit's probability)."""
    x = np.vstack([positive_hits, negative_hits])
    y = np.r_[np.ones(len(positive_hits)), np.zeros(len(negative_hits))]
    model = fit_logistic(x, y)
    best = np.array([probability(h, model).max() for h in answerable_best if len(h)])
    model["floor"] = float(np.quantile(best, 1 - keep, method="lower")) if len(best) else 0.0
    return model
