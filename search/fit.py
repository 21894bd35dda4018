"""Fit how the search signals combine, on development queries, with cross-validation.

    python -m search.fit --set wide=DATA_DIR:QUERIES.jsonl --set five=DATA_DIR:QUERIES.jsonl [--write]

For every query the engine's candidates are collected once (lexical, dense,
graph and document scores, and which candidates hold a gold substring).
Every setting of a grid (graph weight, dense share of the text signals,
document, sentence, passage, place and annex weights) is then scored on every query
without searching again.  Each query set is cut into :data:`FOLDS` folds; for
each fold the setting best on the other folds (mean MRR@10 over the sets,
each set counting the same) is scored on the held-out fold, so the reported
cross-validated figure is on questions the choice never saw.  The setting
best on all queries is written, with those figures beside it, to
``search/data/fusion.json`` under the index's encoder (pyserini keeps the
expected score next to each configuration the same way).
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

from search import confidence, hybrid
from search.build import context_text
from search.evaluate import load_queries, norm

FOLDS = 5
GRAPH = (0.0, 0.1, 0.2)
DENSE_SHARE = tuple(round(x, 2) for x in np.arange(0.0, 1.0001, 0.1))   # dense / (lexical + dense)
DOCUMENT = (0.0, 0.2, 0.5)
SENTENCE = (0.0, 0.4)
PASSAGE = (0.0, 0.2, 0.4, 0.8)    # best passage's cosine (search.passages), beside the clause's own
PLACE = (0.0, 0.1, 0.2, 0.4, 0.7)  # added for a clause of a document of the place named (search.engine._place_scores)
ANNEX = (0.0, 0.1)
FOCUS = (0.4,)          # not fitted: a query that is all an agency's or industry's name asks for its clauses
DEPTH = (100,)
MAX_RANK = 10
KEEP_ANSWERABLE = 0.95    # the floor lets this share of each set's answerable development questions through


def collect(engine, queries: list[dict]) -> list[dict]:
    """Per query: the candidate signals (at the deepest :data:`DEPTH`) and gold flags, each candidate
    judged by the unit a hit would show (a law article whole for its items, :mod:`search.units`)."""
    out = []
    units: dict[int, dict] = {}
    for q in queries:
        a = engine.analyzer.analyze(q["query"])
        c = engine.candidates(a, depth=max(DEPTH))
        golds = [norm(g) for g in q["gold"] if norm(g)]
        c["unit"] = engine.store.unit_of[c["rows"]]
        for u in set(c["unit"].tolist()) - units.keys():
            units[u] = engine._unit_record(u)[0]
        records = [units[u] for u in c["unit"].tolist()]
        c["relevant"] = np.array([any(g in norm(r["text"]) for g in golds) for r in records], dtype=bool)
        c["ids"] = np.array([engine.store.ids[int(r)] for r in c["rows"]], dtype=object)
        c["id_order"] = np.argsort(np.argsort(c["ids"].astype(str)))
        c["coverage"] = np.array([confidence.coverage(a.typed_weights, (r["text"] + " " + context_text(r)).lower())
                                  for r in records])
        out.append(c)
    return out


def save_collected(path: Path, collected: list[dict]) -> None:
    """The collected candidates of one set as one ``.npz`` (no pickle), to fit again without searching."""
    arrays = {f"{i}/{k}": v for i, c in enumerate(collected) for k, v in c.items() if k != "ids"}
    np.savez(path, n=np.array([len(collected)]), **arrays)


def load_collected(path: Path) -> list[dict]:
    with np.load(path, allow_pickle=False) as z:
        out: list[dict] = [{} for _ in range(int(z["n"][0]))]
        for key in z.files:
            if key != "n":
                i, _, k = key.partition("/")
                out[int(i)][k] = z[key]
    return out


def grid() -> list[dict]:
    settings = []
    for g, share, d, sent, passage, place, annex, focus, depth in itertools.product(
            GRAPH, DENSE_SHARE, DOCUMENT, SENTENCE, PASSAGE, PLACE, ANNEX, FOCUS, DEPTH):
        text = 1.0 - g
        settings.append({"weights": {"lexical": round(text * (1 - share), 4), "dense": round(text * share, 4),
                                     "graph": g, "document": d, "sentence": sent, "passage": passage, "place": place,
                                     "annex": annex},
                         "graph_focus": focus, "candidates": depth})
    return settings


def top_hits(c: dict, setting: dict, k: int = MAX_RANK) -> tuple[np.ndarray, dict]:
    """Indexes (into the candidates of ``c``) of the fused top ``k``, and the candidates kept."""
    s = hybrid.FusionSettings(weights=setting["weights"], candidates=setting["candidates"],
                              graph_focus=setting["graph_focus"])
    keep = (c["lexical_rank"] <= s.candidates) | (c["dense_rank"] <= s.candidates) | (c["graph"] > 0)
    if "passage_rank" in c:
        keep |= c["passage_rank"] <= s.candidates
    if "place" in c:
        keep |= c["place"] >= 1
    if keep.all():
        sub = c
    else:
        sub = {k2: (v[keep] if k2 not in ("graph_focus", "graph_weight") else v) for k2, v in c.items()}
    if not keep.any():
        return np.empty(0, np.int64), sub
    scores = hybrid.fuse(sub, s)
    order = np.lexsort((sub["id_order"], -scores))     # ties on clause id, as the engine
    if "unit" in sub:     # one hit per unit (an article's items fold into it), at its best clause's place
        _, first = np.unique(sub["unit"][order], return_index=True)
        order = order[np.sort(first)]
    return order[:k], sub


def hit_features(sub: dict, order: np.ndarray) -> np.ndarray:
    """The floor model's inputs (:data:`search.confidence.FEATURES`) of the hits ``order``."""
    closeness = sub["passage"] if "passage" in sub else sub["dense"]
    return np.column_stack([closeness[order], sub["coverage"][order], sub["document"][order]])


def fit_relevance_floor(sets: dict[str, list[dict]], negatives: list[dict], setting: dict) -> dict:
    """The "nothing relevant" model (:func:`search.confidence.fit_floor`) for the chosen fusion:
    gold hits of the development questions against every hit of the unanswerable ones."""
    pos, best = {name: [] for name in sets}, {name: [] for name in sets}
    for name, collected in sets.items():
        for c in collected:
            order, sub = top_hits(c, setting)
            if len(order) and sub["relevant"][order].any():
                x = hit_features(sub, order)
                pos[name].append(x[sub["relevant"][order]])
                best[name].append(x)
    neg = []
    for c in negatives:
        order, sub = top_hits(c, setting)
        if len(order) and not sub["relevant"].any():     # a question the corpus can answer after all is left out
            neg.append(hit_features(sub, order))
    model = confidence.fit_floor(np.vstack([p for ps in pos.values() for p in ps]), np.vstack(neg), best,
                                 keep=KEEP_ANSWERABLE)
    flagged = [confidence.probability(n, model).max() < model["floor"] for n in neg]
    kept = {name: [confidence.probability(b, model).max() >= model["floor"] for b in hits]
            for name, hits in best.items() if hits}
    model["floor"] = round(model["floor"], 4)
    model["answerable_kept"] = round(float(np.mean([k for ks in kept.values() for k in ks])), 4)
    model["answerable_kept_per_set"] = {name: round(float(np.mean(ks)), 4) for name, ks in kept.items()}
    model["unanswerable_flagged"] = round(float(np.mean(flagged)), 4)
    model["questions"] = {"answerable": sum(map(len, best.values())), "unanswerable": len(neg)}
    model["cross_validated"] = _cross_validated_floor(pos, best, neg)
    return model


def _cross_validated_floor(pos: dict[str, list], best: dict[str, list], neg: list, folds: int = FOLDS,
                           seed: int = 0) -> dict:
    """The floor's shares on questions its fit never saw: answerable and unanswerable questions are
    each cut into ``folds``; each fold is judged by the model and floor fitted on the others."""
    rng = np.random.default_rng(seed)
    fold_of = {name: rng.permutation(len(xs)) % folds for name, xs in best.items()}
    neg_fold = rng.permutation(len(neg)) % folds
    kept = {name: np.zeros(len(xs), dtype=bool) for name, xs in best.items()}
    flagged = np.zeros(len(neg), dtype=bool)
    for f in range(folds):
        train_pos = [p for name in pos for p, g in zip(pos[name], fold_of[name]) if g != f]
        train_neg = [n for n, g in zip(neg, neg_fold) if g != f]
        train_best = {name: [b for b, g in zip(best[name], fold_of[name]) if g != f] for name in best}
        model = confidence.fit_floor(np.vstack(train_pos), np.vstack(train_neg), train_best, keep=KEEP_ANSWERABLE)
        for name in best:
            for i in np.flatnonzero(fold_of[name] == f):
                kept[name][i] = confidence.probability(best[name][i], model).max() >= model["floor"]
        for i in np.flatnonzero(neg_fold == f):
            flagged[i] = confidence.probability(neg[i], model).max() < model["floor"]
    every = np.concatenate([k for k in kept.values() if len(k)])
    return {"folds": folds, "answerable_kept": round(float(every.mean()), 4),
            "answerable_kept_per_set": {name: round(float(k.mean()), 4) for name, k in kept.items() if len(k)},
            "unanswerable_flagged": round(float(flagged.mean()), 4)}


def reciprocal_ranks(collected: list[dict], setting: dict) -> np.ndarray:
    """1/rank of the first relevant candidate within the top :data:`MAX_RANK` (0 if none), per query."""
    out = np.zeros(len(collected))
    for i, c in enumerate(collected):
        if not c["relevant"].any():
            continue
        order, sub = top_hits(c, setting)
        hit = np.flatnonzero(sub["relevant"][order])
        if len(hit):
            out[i] = 1.0 / (hit[0] + 1)
    return out


_FEATURES = ("lexical", "dense", "document", "sentence", "passage", "graph", "place", "annex")


def _weight_matrix(settings: list[dict]):
    """A function of a query's graph focus giving, per setting, the weight :func:`search.hybrid.fuse`
    gives each of :data:`_FEATURES` (setting × feature)."""
    text = np.array([[st["weights"][k] if k in ("lexical", "dense") else st["weights"].get(k, 0.0)
                      for k in ("lexical", "dense", "document", "sentence", "passage")] for st in settings])
    graph = np.array([st["weights"]["graph"] for st in settings])
    focus_gain = np.array([st["graph_focus"] for st in settings])
    place = np.array([st["weights"].get("place", 0.0) for st in settings])
    annex = np.array([st["weights"].get("annex", 0.0) for st in settings])
    total = np.maximum(text.sum(axis=1), 1e-9)

    def weights(focus: float) -> np.ndarray:
        g = graph + focus_gain * focus
        return np.column_stack([text * ((1 - g) / total)[:, None], g, place, -annex])
    return weights


def reciprocal_ranks_all(collected: list[dict], settings: list[dict]) -> np.ndarray:
    """:func:`reciprocal_ranks` of every setting at once (setting × query): the fused scores of all
    settings are one matrix product per query; a query's rank is one plus the number of units (an
    article counts once, at its best clause) scoring above its best relevant unit."""
    if len({st["candidates"] for st in settings}) != 1:
        return np.stack([reciprocal_ranks(collected, st) for st in settings])
    out = np.zeros((len(settings), len(collected)))
    minmax = hybrid._minmax
    weights = _weight_matrix(settings)
    for j, c in enumerate(collected):
        if not c["relevant"].any():
            continue
        n = len(c["relevant"])
        feats = np.column_stack([minmax(c["lexical"]), minmax(c["dense"]), c["document"], minmax(c["sentence"]),
                                 minmax(c.get("passage", c["dense"])), np.clip(c["graph"], 0, 1),
                                 c.get("place", np.zeros(n)), c["annex"]])
        focus = float(c["graph_focus"][0]) if len(c.get("graph_focus", ())) else 0.0
        scores = feats @ weights(focus).T          # candidate × setting
        units = c.get("unit", np.arange(n))
        order = np.argsort(units, kind="stable")
        u_sorted = units[order]
        starts = np.flatnonzero(np.r_[True, u_sorted[1:] != u_sorted[:-1]])
        unit_scores = np.maximum.reduceat(scores[order], starts, axis=0)    # unit × setting
        unit_relevant = c["relevant"][order][starts]
        best = unit_scores[unit_relevant].max(axis=0)
        rank = 1 + (unit_scores[~unit_relevant] > best).sum(axis=0)
        out[:, j] = np.where(rank <= MAX_RANK, 1.0 / rank, 0.0)
    return out


def fit(sets: dict[str, list[dict]], folds: int = FOLDS, seed: int = 0, keep: dict[str, float] | None = None,
        average: str = "sets") -> dict:
    """The setting with the best mean MRR@10 over the sets (each set counting the same; with ``average``
    "queries", over all questions, each counting the same); with ``keep``
    (set name → MRR@10), only among settings that hold each named set at least there on the queries
    the choice sees (a set may not be made worse to improve the others; none qualifying, all count)."""
    settings = grid()
    rr = {name: reciprocal_ranks_all(c, settings) for name, c in sets.items()}  # setting × query
    keep = {n: v for n, v in (keep or {}).items() if n in sets}

    def choose(mask: dict[str, np.ndarray]) -> int:
        mean = {n: rr[n][:, mask[n]].mean(axis=1) for n in sets}
        if average == "queries":
            score = sum(rr[n][:, mask[n]].sum(axis=1) for n in sets) / sum(int(mask[n].sum()) for n in sets)
        else:
            score = np.mean([mean[n] for n in sets], axis=0)
        ok = np.all([mean[n] >= v for n, v in keep.items()], axis=0) if keep else np.ones(len(settings), bool)
        return int(np.argmax(np.where(ok, score, -1.0))) if ok.any() else int(np.argmax(score))

    rng = np.random.default_rng(seed)
    fold_of = {name: rng.permutation(len(c)) % folds for name, c in sets.items()}
    held_out = {name: np.zeros(len(c)) for name, c in sets.items()}
    for f in range(folds):
        best = choose({n: fold_of[n] != f for n in sets})
        for n in sets:
            held_out[n][fold_of[n] == f] = rr[n][best, fold_of[n] == f]
    best = choose({n: np.ones(len(sets[n]), bool) for n in sets})
    return {
        **settings[best],
        "scores": {n: {"mrr10_all_queries": round(float(rr[n][best].mean()), 4),
                       "mrr10_cross_validated": round(float(held_out[n].mean()), 4),
                       "r1": round(float((rr[n][best] == 1).mean()), 4),
                       "r5": round(float((rr[n][best] >= 1 / 5).mean()), 4),
                       "r10": round(float((rr[n][best] > 0).mean()), 4), "queries": len(sets[n])} for n in sets},
        "folds": folds, "grid_size": len(settings), "average": average, **({"keep": keep} if keep else {}),
    }


def write(encoder_key: str, result: dict, path: Path = hybrid.FUSION_FILE) -> None:
    table = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    table.setdefault("method", "convex combination of min-max-normalised lexical and dense scores, graph and "
                               "document scores in [0, 1], best-passage cosine, place of the document; fitted by search/fit.py")
    before = table.setdefault("encoders", {}).get(encoder_key, {})
    # what a person wrote beside the figures (which data the sets are, a setting not chosen) stays
    notes = {k: before[k] for k in ("sets", "alternative") if k in before}
    if "floor" in result and "negatives" in before.get("floor", {}):
        result = {**result, "floor": {**result["floor"], "negatives": before["floor"]["negatives"]}}
    table["encoders"][encoder_key] = {**result, "fitted_at": time.strftime("%Y-%m-%d"), **notes}
    path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from search.build import index_folder
    from search.engine import SearchEngine
    from search.manifest import read as read_manifest

    p = argparse.ArgumentParser(prog="python -m search.fit", description=__doc__.split("\n\n")[0])
    p.add_argument("--set", action="append", required=True, metavar="NAME=DATA_DIR:QUERIES",
                   help="a query set and the built data folder it is asked against (repeat)")
    p.add_argument("--negatives", action="append", default=[], metavar="DATA_DIR:QUERIES",
                   help="questions asked of a corpus that cannot answer them, for the 'nothing relevant' floor")
    p.add_argument("--write", action="store_true", help="store the chosen setting in search/data/fusion.json")
    p.add_argument("--keep", action="append", default=[], metavar="NAME=MRR",
                   help="choose only among settings holding this set's MRR@10 at least here (repeat)")
    p.add_argument("--average", choices=("sets", "queries"), default="sets",
                   help="what the choice maximises: the mean of the sets' MRR@10, or MRR@10 over all questions")
    p.add_argument("--cache", type=Path, help="keep each set's collected candidates here (NAME.npz) and reuse them")
    args = p.parse_args(argv)
    sets, key = {}, None
    for spec in args.set:
        name, _, rest = spec.partition("=")
        data, _, queries = rest.rpartition(":")
        enc = read_manifest(index_folder(Path(data)))["encoder"]
        this_key = enc.get("ref") if enc.get("ref") in ("lsa", "e5-small") else enc["name"]
        if key not in (None, this_key):
            print(f"error: {data} was built with {this_key}, the other sets with {key}", file=sys.stderr)
            return 2
        key = this_key
        cached = args.cache / f"{name}-{key}.npz" if args.cache else None
        if cached is not None and cached.exists():
            sets[name] = load_collected(cached)
            print(f"{name}: {len(sets[name])} queries read from {cached}", file=sys.stderr)
            continue
        sets[name] = collect(SearchEngine.load(data), load_queries(queries))
        print(f"{name}: {len(sets[name])} queries collected from {data}", file=sys.stderr)
        if cached is not None:
            args.cache.mkdir(parents=True, exist_ok=True)
            save_collected(cached, sets[name])
    keep = {k: float(v) for k, _, v in (spec.partition("=") for spec in args.keep)}
    result = fit(sets, keep=keep, average=args.average)
    if args.negatives:
        negatives = []
        for n, spec in enumerate(args.negatives):
            data, _, queries = spec.rpartition(":")
            cached = args.cache / f"negatives{n}-{key}.npz" if args.cache else None
            if cached is not None and cached.exists():
                negatives += load_collected(cached)
                continue
            collected = collect(SearchEngine.load(data), load_queries(queries))
            if cached is not None:
                args.cache.mkdir(parents=True, exist_ok=True)
                save_collected(cached, collected)
            negatives += collected
        result["floor"] = fit_relevance_floor(sets, negatives, result)
    print(json.dumps({"encoder": key, **result}, ensure_ascii=False, indent=1))
    if args.write:
        write(key, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
