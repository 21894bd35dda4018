"""How likely a hit answers the question, and the floor below which search says it found none.

Each hit is described by three numbers a reader can check: how close its
meaning is to the question (the dense cosine of the clause or, for a long
clause, of its closest passage: most answers are one sentence of a longer
clause), how much of the question's words it holds (share of the query's
token weight found in the clause text, its headings or its document's title)
and how much its document as a whole is about the question.  A logistic
model of these, fitted by :func:`fit_floor`
(called from :mod:`search.fit`) on development questions (their gold
clauses as positives) and on questions asked of a corpus that cannot answer
them (every hit a negative), gives a probability; a query whose best hit is
under the fitted floor gets "nothing relevant", and its hits are offered as
the closest few only.  The floor lets :data:`search.fit.KEEP_ANSWERABLE` of
each development set's answerable questions through, so one large set of one
kind of question (STARD's laws) does not set it for the others.  Settings
live beside the fusion settings in ``search/data/fusion.json``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FEATURES = ("passage", "coverage", "document")


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the query's token weight whose token occurs in ``text`` (lower case)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in text) / total


def features(signals: dict[str, float], cover: float, names: Sequence[str] = FEATURES) -> np.ndarray:
    """The model's inputs from a hit's signals, in the order ``names`` (a model's own ``features``:
    models fitted before passages were scored name ``dense`` where newer ones name ``passage``)."""
    dense = signals.get("dense", 0.0)
    values = {"dense": dense, "passage": max(dense, signals.get("passage", dense)),
              "coverage": cover, "document": signals.get("document", 0.0)}
    return np.array([values[n] for n in names], dtype=np.float64)


def probability(x: np.ndarray, model: dict) -> np.ndarray:
    z = model["intercept"] + np.asarray(x, dtype=np.float64) @ np.asarray(model["coef"], dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))


def label(p: float, floor: float) -> str:
    """相关程度 as a policy officer reads it: 低 under the floor (probably not an answer), 高 from
    halfway between the floor and certainty, 中 between."""
    if p < floor:
        return "低"
    return "高" if p >= (1 + floor) / 2 else "中"


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


def fit_floor(positive_hits: np.ndarray, negative_hits: np.ndarray,
              answerable_best: dict[str, Sequence[np.ndarray]], keep: float = 0.95) -> dict:
    """The model and the floor: the highest threshold under which at most ``1 - keep`` of each
    set's answerable questions would fall (judged on their best hit's probability)."""
    x = np.vstack([positive_hits, negative_hits])
    y = np.r_[np.ones(len(positive_hits)), np.zeros(len(negative_hits))]
    model = fit_logistic(x, y)
    floors = []
    for hits in answerable_best.values():
        best = np.array([probability(h, model).max() for h in hits if len(h)])
        if len(best):
            floors.append(float(np.quantile(best, 1 - keep, method="lower")))
    model["floor"] = min(floors, default=0.0)
    return model
