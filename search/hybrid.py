"""Fusion of the lexical, dense and graph signals, and deterministic ranking.

Method: a **convex combination of normalised scores** (as txtai's hybrid
search): lexical (BM25) and dense (cosine) scores min-max-normalised over the
candidate set, the graph score (agency role or industry exactness × how
specific the entity is, in [0, 1]) as it is, weighted
:data:`CONVEX_WEIGHTS` = 0.5 / 0.3 / 0.2; the graph's weight grows by up to
:data:`GRAPH_FOCUS` when the query is mostly the name of a specific agency or
industry (:func:`convex_weights`).

Measured against reciprocal rank fusion (k = 60, Cormack, Clarke & Büttcher,
SIGIR 2009; pyserini's ``fusion/_base.py``, kept here as :func:`rrf`, with the
graph list weighted by its specificity) on the development queries
(27 questions, the 206-clause corpus, LSA encoder):

    fusion        R@1    R@5    R@10   MRR@10  nDCG@10
    lexical only  0.926  1.000  1.000  0.954   0.968
    convex        0.926  1.000  1.000  0.957   0.965
    RRF k=60      0.852  0.963  1.000  0.904   0.930

RRF gives the weaker dense list as much say as BM25 and lets any broad
graph list (an industry with many narrower concepts) push clauses up.  The
convex combination is also stable across weights: lexical / dense / graph
from 0.4 / 0.4 / 0.2 to 0.7 / 0.3 / 0 all give MRR 0.957 (0.938 at graph
0.3), so it is the default (:data:`FUSION`).

Candidates: the best :data:`CANDIDATES` rows of each of the lexical and dense
rankings and up to :data:`GRAPH_CANDIDATES` graph rows; every candidate gets
all three scores.  Ties always break on (-score, clause id).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RRF_K = 60
CANDIDATES = 100           # rows taken from each of the lexical and dense rankings
GRAPH_CANDIDATES = 1000    # rows the graph signal may add (the lexically best of them)
FUSION = "convex"          # the measured choice (see module docstring); "rrf" is the alternative
CONVEX_WEIGHTS = {"lexical": 0.5, "dense": 0.3, "graph": 0.2}
GRAPH_FOCUS = 0.4          # extra graph weight for a query that is all agency / industry name


FUSION_FILE = Path(__file__).parent / "data" / "fusion.json"


@dataclass(frozen=True)
class FusionSettings:
    """How the signals of one encoder's index are combined, as fitted by :mod:`search.fit`
    (the file ``search/data/fusion.json`` keeps them with the scores they reached)."""
    weights: dict[str, float] = field(default_factory=lambda: dict(CONVEX_WEIGHTS, document=0.0, sentence=0.0, annex=0.0,
                                                                            passage=0.0, place=0.0))
    candidates: int = CANDIDATES
    graph_focus: float = GRAPH_FOCUS
    source: str = "built-in defaults"
    floor: dict | None = None      # the "nothing relevant" model (:mod:`search.confidence`), when fitted

    def to_json(self) -> dict:
        return {"weights": self.weights, "candidates": self.candidates, "graph_focus": self.graph_focus}


def _read_fusion_file(path: Path = FUSION_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def settings_for(encoder: dict, path: Path = FUSION_FILE) -> FusionSettings:
    """The fitted settings for an index built with ``encoder`` (its manifest entry): by its
    reference (``e5-small``), else by its kind (``lsa``, ``sbert``), else the built-in defaults."""
    table = _read_fusion_file(path).get("encoders", {})
    for key in (encoder.get("ref"), encoder.get("name")):
        if key in table:
            e = table[key]
            return FusionSettings(weights={"document": 0.0, "sentence": 0.0, "annex": 0.0, "passage": 0.0,
                                                           "place": 0.0, **e["weights"]}, candidates=int(e["candidates"]),
                                  graph_focus=float(e.get("graph_focus", GRAPH_FOCUS)), source=f"{path.name}:{key}",
                                  floor=e.get("floor"))
    return FusionSettings()


def fuse(c: dict[str, np.ndarray], settings: FusionSettings) -> np.ndarray:
    """Fused score of every candidate in ``c`` (from ``SearchEngine.candidates``): lexical and dense
    min-max-normalised over the candidates, graph and document scores as they are (already in [0, 1]);
    the graph's weight grows by up to ``graph_focus`` when the query is mostly an agency or industry name;
    the best sentence's BM25 and the best passage's cosine (both min-max-normalised) join the text
    signals, and a clause of an annex
    (forms, tables, attachment lists) loses ``annex``."""
    w = settings.weights
    focus = float(c["graph_focus"][0]) if len(c.get("graph_focus", ())) else 0.0
    g = w["graph"] + settings.graph_focus * focus
    doc, sent, pas, place = w.get("document", 0.0), w.get("sentence", 0.0), w.get("passage", 0.0), w.get("place", 0.0)
    rest = (1 - g) / max(w["lexical"] + w["dense"] + doc + sent + pas, 1e-9)
    score = (w["lexical"] * rest * _minmax(c["lexical"]) + w["dense"] * rest * _minmax(c["dense"])
             + doc * rest * c["document"] + g * np.clip(c["graph"], 0, 1))
    if sent and "sentence" in c:
        score = score + sent * rest * _minmax(c["sentence"])
    if pas and "passage" in c:      # the best passage's cosine (the clause's own when it has none)
        score = score + pas * rest * _minmax(c["passage"])
    if place and "place" in c:      # a clause of a document of the place the query names (or of its region)
        score = score + place * c["place"]
    if w.get("annex") and "annex" in c:
        score = score - w["annex"] * c["annex"]
    return score


def rank(rows: np.ndarray, scores: np.ndarray, ids: Sequence[str], k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` ordered by (-score, clause id), cut at ``k``; ties at the cut are kept whole before cutting."""
    if len(rows) == 0:
        return rows, scores
    scores = np.asarray(scores)
    if k is not None and len(rows) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        rows, scores = rows[keep], scores[keep]
    order = sorted(range(len(rows)), key=lambda i: (-float(scores[i]), ids[int(rows[i])]))
    order = np.array(order[:k] if k is not None else order, dtype=np.int64)
    return rows[order], scores[order]


def top_positive(scores: np.ndarray, k: int, ids: Sequence[str], allowed: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` rows with a positive score (within ``allowed``), deterministic order."""
    if allowed is not None:
        sub = scores[allowed]
        pos = sub > 0
        return rank(allowed[pos], sub[pos], ids, k)
    if len(scores) > 4 * k:
        cand = np.argpartition(-scores, 4 * k)[:4 * k]
        cand = cand[scores[cand] > 0]
        # ties with the 4k-th may lie outside: take every row scoring at least the worst kept
        if len(cand) and (scores > 0).sum() > len(cand):
            floor = scores[cand].min()
            cand = np.flatnonzero(scores >= floor)
    else:
        cand = np.flatnonzero(scores > 0)
    return rank(cand.astype(np.int64), scores[cand], ids, k)


def rrf(rankings: Sequence[np.ndarray], k: int = RRF_K, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion of ranked row lists (best first), each list optionally weighted."""
    fused: dict[int, float] = {}
    for i, ranked in enumerate(rankings):
        w = 1.0 if weights is None else weights[i]
        for r, row in enumerate(ranked.tolist(), 1):
            fused[row] = fused.get(row, 0.0) + w / (k + r)
    return fused


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else (x > 0).astype(np.float64)


def convex_weights(coverage: float = 0.0, specificity: float = 0.0) -> dict[str, float]:
    """The weights for one query: :data:`CONVEX_WEIGHTS`, with the graph's share growing by up to
    :data:`GRAPH_FOCUS` when the query is mostly the name of a specific agency or industry
    (``coverage`` × ``specificity``, both in [0, 1]); lexical and dense share the rest 5:3."""
    g = CONVEX_WEIGHTS["graph"] + GRAPH_FOCUS * coverage * specificity
    rest = (1 - g) / (CONVEX_WEIGHTS["lexical"] + CONVEX_WEIGHTS["dense"])
    return {"lexical": CONVEX_WEIGHTS["lexical"] * rest, "dense": CONVEX_WEIGHTS["dense"] * rest, "graph": g}


def convex(lexical: np.ndarray, dense: np.ndarray, graph: np.ndarray, weights: dict[str, float] = CONVEX_WEIGHTS
           ) -> np.ndarray:
    """Convex combination over one candidate set: lexical and dense scores min-max-normalised,
    the graph score (already in [0, 1]: role × specificity) as it is."""
    return (weights["lexical"] * _minmax(lexical) + weights["dense"] * _minmax(dense)
            + weights["graph"] * np.clip(graph, 0, 1))
