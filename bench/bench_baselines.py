#!/usr/bin/env python3
"""Search baselines, on the data folder bench_search.py built, in the same run as ours.

    python bench/bench_baselines.py --sizes corpus,10k,100k --workdir /tmp/bench   # after bench_search.py --keep /tmp/bench

* lexical: our BM25 (bm25s weights built from one flat token array,
  :mod:`search.lexical`) against rank-bm25's ``BM25Okapi`` over the very same
  jieba tokens (k1 = 1.2, b = 0.75 for both): build time and the memory the
  build adds, then the latency of scoring every clause for a query and taking
  the best 10, and how many of the 10 the two share.  rank-bm25 scores in
  pure Python (a dictionary look-up per clause and query token), so its
  queries are run until a time budget is spent (at least three).
* dense: our FAISS index as built (``IndexFlatIP`` below 50,000 clauses,
  ``IndexHNSWFlat`` from there) against an exact ``IndexFlatIP`` over the
  same vectors: load / build time and memory, single-query latency (one
  thread, as the engine searches), and recall@10 of ours against the exact
  top 10 (a hit scoring at least the exact 10th score counts: the synthetic
  clauses repeat sentences, so many vectors are identical and tie).  Queries: the development questions and 200 sentences of clauses
  picked at random, encoded by the fitted encoder.  From 100,000 clauses an
  HNSW index with our parameters is also built and measured where ours is
  still flat, to show where it would start to pay.

Each part runs in its own process; results go to ``bench/results/lexical.json``
and ``dense.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, PeakDelta, emit, latency, peak_rss_mb, rss_mb, run_child, save_rows, stamp  # noqa: E402

import numpy as np  # noqa: E402

K = 10
REPEATS = 5
BASELINE_BUDGET_S = 120.0     # rank-bm25 queries stop once this much time is spent (after at least three)
SAMPLED_QUERIES = 200
HNSW_PROBE_FROM = 100_000


def dev_queries() -> list[str]:
    from bench_search import QUERIES
    from search.evaluate import load_queries

    return [q["query"] for q in load_queries(QUERIES)]


def timed(call, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = call(*args)
    return (time.perf_counter() - t0) * 1000, out


def overlap(a, b) -> float:
    return len(set(np.asarray(a).tolist()) & set(np.asarray(b).tolist())) / K


# ------------------------------------------------------------------ lexical
def token_cache(data: Path) -> Path:
    return data / "bench-tokens"


def step_tokens(data: Path) -> None:
    """Tokenise every clause text once (as the index build does) and keep the stream for both builds."""
    from search.lexical import TokenStream
    from search.tokenize import get_tokenizer

    folder = token_cache(data)
    if (folder / "vocab.json").exists():
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        emit(clauses=meta["clauses"], tokens=meta["tokens"])
        return
    tok = get_tokenizer()
    tok.tokens("预热分词词典")            # load jieba's dictionary outside the timing
    stream = TokenStream()
    t0 = time.perf_counter()
    with open(data / "clauses.jsonl", encoding="utf-8") as f:
        for line in f:
            stream.add(tok.tokens(tok.fold(json.loads(line)["text"]), normalized=True))
    tokens = {"count": len(stream.ids), "vocabulary": len(stream.vocab), "tokenize_s": round(time.perf_counter() - t0, 2)}
    folder.mkdir(exist_ok=True)
    np.save(folder / "ids.npy", np.frombuffer(stream.ids, dtype=np.int32), allow_pickle=False)
    np.save(folder / "lengths.npy", np.frombuffer(stream.lengths, dtype=np.int32), allow_pickle=False)
    (folder / "meta.json").write_text(json.dumps({"clauses": len(stream), "tokens": tokens}), encoding="utf-8")
    (folder / "vocab.json").write_text(json.dumps(list(stream.vocab), ensure_ascii=False), encoding="utf-8")
    emit(clauses=len(stream), tokens=tokens)


def load_stream(data: Path):
    from search.lexical import TokenStream

    folder = token_cache(data)
    stream = TokenStream()
    stream.ids = np.load(folder / "ids.npy")
    stream.lengths = np.load(folder / "lengths.npy")
    stream.vocab = {t: i for i, t in enumerate(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))}
    return stream


def query_tokens() -> list[list[str]]:
    from search.tokenize import get_tokenizer

    tok = get_tokenizer()
    return [t for t in (tok.tokens(tok.fold(q), normalized=True) for q in dev_queries()) if t]


def step_lexical(data: Path, which: str, budget_s: float) -> None:
    """Build one BM25 (``ours`` or ``baseline``) from the cached tokens and time its queries."""
    from search.faiss_index import _top
    from search.lexical import B, K1, LexicalIndex

    stream = load_stream(data)
    queries = query_tokens()
    __import__("bm25s" if which == "ours" else "rank_bm25")    # the library's import is not the index's memory
    base_rss = rss_mb()
    if which == "ours":
        with PeakDelta() as m:
            index = LexicalIndex.build(stream, K1, B)
        info = {"name": "bm25s (lucene), flat token array", "build_s": round(m.seconds, 2)}

        def top(q):
            return _top(index.scores(dict(Counter(q))), K)
    else:
        from rank_bm25 import BM25Okapi

        vocab = list(stream.vocab)
        with PeakDelta() as m:
            t0 = time.perf_counter()
            corpus, pos = [], 0
            for n in stream.lengths.tolist():         # rank-bm25 wants a list of token lists
                corpus.append([vocab[i] for i in stream.ids[pos:pos + n].tolist()])
                pos += n
            lists_s = time.perf_counter() - t0
            index = BM25Okapi(corpus, k1=K1, b=B)
            del corpus
        info = {"name": "rank-bm25 BM25Okapi", "token_lists_s": round(lists_s, 2),
                "build_s": round(m.seconds - lists_s, 2)}

        def top(q):
            return _top(index.get_scores(q), K)
    del stream
    emit(**{which: {**info, "build_peak_mb": m.peak_mb, "kept_mb": m.kept_mb, "rss_before_mb": round(base_rss)}})

    if which == "ours":
        for q in queries:                  # warm-up
            top(q)
    ms, first, started = [], [], time.perf_counter()
    for rep in range(REPEATS):
        for q in queries:
            if time.perf_counter() - started > budget_s and len(ms) >= 3:
                break
            t, hits = timed(top, q)
            ms.append(t)
            if rep == 0:
                first.append(hits.tolist())
    emit(**{f"{which}_query": {**latency(ms), "of": len(queries) * REPEATS}, f"{which}_top": first,
            f"{which}_peak_rss_mb": round(peak_rss_mb())})


# ------------------------------------------------------------------ dense
def sampled_sentences(clauses_file: Path, n: int, seed: int = 0) -> list[str]:
    from search.build import read_rows, sentences

    total = sum(1 for _ in read_rows(clauses_file))
    pick = set(random.Random(seed).sample(range(total), min(n, total)))
    out = []
    for i, (_, line) in enumerate(read_rows(clauses_file)):
        if i in pick:
            text = json.loads(line)["text"]
            out.append((sentences(text) or [text])[0])
    return out


def step_dense(data: Path) -> None:
    import faiss

    from search import faiss_index as dense_mod
    from search.faiss_index import DenseIndex
    from search.encoders.lsa import LSAEncoder
    from search.query import QueryAnalyzer
    from search.tokenize import get_tokenizer

    folder = data / "search"
    tok = get_tokenizer()
    encoder, analyzer = LSAEncoder.load(folder, tok), QueryAnalyzer(tok)
    groups = {"dev": dev_queries(), "sampled": sampled_sentences(data / "clauses.jsonl", SAMPLED_QUERIES)}
    vectors_of = {}
    for name, texts in groups.items():
        analyses = [analyzer.analyze(t) for t in texts]
        vecs = np.stack([encoder.encode_query(a.text, a.tokens) for a in analyses]).astype(np.float32)
        vectors_of[name] = vecs[np.abs(vecs).sum(axis=1) > 0]      # a query without features searches nothing
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))

    probe = None
    n = int(manifest["clauses"])
    if manifest["faiss_index"] == "IndexFlatIP" and n >= HNSW_PROBE_FROM:
        vectors = np.load(folder / "dense" / "vectors.npy")
        faiss.omp_set_num_threads(len(os.sched_getaffinity(0)))     # all cores, as a build process has
        threshold, dense_mod.HNSW_THRESHOLD = dense_mod.HNSW_THRESHOLD, 0   # make DenseIndex.build choose HNSW
        try:
            with PeakDelta() as m:
                probe = DenseIndex.build(vectors)
        finally:
            dense_mod.HNSW_THRESHOLD = threshold
        probe.index.hnsw.efSearch = dense_mod.HNSW_EF_SEARCH
        probe_info = {"index": "IndexHNSWFlat", "build_s": round(m.seconds, 2), "build_peak_mb": m.peak_mb}
        emit(hnsw_probe=probe_info)
        del vectors

    with PeakDelta() as m:
        ours = DenseIndex.load(folder)      # also sets FAISS to one thread, as the engine searches
    emit(clauses=n, dimension=ours.dimension,
         ours={"index": type(ours.index).__name__, "build_s": (manifest.get("seconds") or {}).get("dense"),
               "load_s": round(m.seconds, 2), "load_peak_mb": m.peak_mb, "kept_mb": m.kept_mb})
    with PeakDelta() as m:
        vectors = np.load(folder / "dense" / "vectors.npy")
        t0 = time.perf_counter()
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        build_s = time.perf_counter() - t0
        del vectors
    faiss.omp_set_num_threads(1)
    emit(baseline={"index": "IndexFlatIP (exact)", "build_s": round(build_s, 3), "load_s": round(m.seconds, 2),
                   "load_peak_mb": m.peak_mb, "kept_mb": m.kept_mb})

    def measure(search) -> tuple[dict, dict]:
        ms, hits = [], {}
        for name, vecs in vectors_of.items():
            for v in vecs:                  # warm-up
                search(v)
            for _ in range(REPEATS if name == "dev" else 1):
                for i, v in enumerate(vecs):
                    t, h = timed(search, v)
                    ms.append(t)
                    hits[(name, i)] = h
        return latency(ms), hits

    def exact_search(v):
        scores, ids = exact.search(v[None], K)
        return ids[0], scores[0]

    exact_lat, exact_hits = measure(exact_search)
    ours_lat, ours_hits = measure(lambda v: ours.search(v, K))
    emit(ours_query=ours_lat, baseline_query=exact_lat, **recall_of(ours_hits, exact_hits, vectors_of),
         queries={name: len(v) for name, v in vectors_of.items()})
    if probe is not None:
        lat, hits = measure(lambda v: probe.search(v, K))
        emit(hnsw_probe={**probe_info, **lat, **recall_of(hits, exact_hits, vectors_of)})


def recall_of(hits: dict, exact: dict, vectors_of: dict) -> dict:
    """Recall@10 against the exact search, per query group: ``recall_at_10`` counts a hit scoring at
    least the exact 10th score as found (duplicate clauses tie: any of them will do), ``recall_at_10_ids``
    only the very rows the exact search returned."""
    by_score, by_id = {}, {}
    for name, vecs in vectors_of.items():
        if not len(vecs):
            continue
        pairs = [(hits[(name, i)], exact[(name, i)]) for i in range(len(vecs))]
        by_score[name] = round(float(np.mean([min(K, int((h[1] >= e[1][-1] - 1e-5).sum())) / K for h, e in pairs])), 4)
        by_id[name] = round(float(np.mean([overlap(h[0], e[0]) for h, e in pairs])), 4)
    return {"recall_at_10": by_score, "recall_at_10_ids": by_id}


# ------------------------------------------------------------------ driver
def run_size(size: int | str, workdir: Path, timeout: float | None = None,
             budget_s: float = BASELINE_BUDGET_S) -> tuple[dict, dict]:
    from bench_search import data_folder

    data = data_folder(workdir, size)
    me = str(Path(__file__).resolve())
    lexical = {"size": str(size), **stamp(), **run_child([me, "--step", "tokens", "--data", str(data)], timeout)}
    for which in ("ours", "baseline"):
        lexical.update(run_child([me, "--step", "lexical", "--which", which, "--data", str(data),
                                  "--budget", str(budget_s)], timeout))
    ours, base = lexical.pop("ours_top", []), lexical.pop("baseline_top", [])
    if base:
        lexical["overlap_at_10"] = round(float(np.mean([overlap(a, b) for a, b in zip(ours, base)])), 3)
    dense = {"size": str(size), **stamp(), **run_child([me, "--step", "dense", "--data", str(data)], timeout)}
    return lexical, dense


def main() -> int:
    from bench_search import parse_size

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="corpus,10k,100k")
    ap.add_argument("--workdir", type=Path, help="the --keep folder of bench_search.py (its data folders are read)")
    ap.add_argument("--budget", type=float, default=BASELINE_BUDGET_S, help="seconds of rank-bm25 queries per size")
    ap.add_argument("--timeout", type=float, default=None, help="seconds each part may take")
    ap.add_argument("--step", choices=("tokens", "lexical", "dense"), help=argparse.SUPPRESS)
    ap.add_argument("--which", choices=("ours", "baseline"), help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step == "tokens":
        step_tokens(args.data)
        return 0
    if args.step == "lexical":
        step_lexical(args.data, args.which, args.budget)
        return 0
    if args.step == "dense":
        step_dense(args.data)
        return 0
    if args.workdir is None:
        ap.error("--workdir is required (run bench_search.py --keep DIR first)")
    lexical, dense = [], []
    for size in (parse_size(s) for s in args.sizes.split(",") if s.strip()):
        print(f"baselines {size} …", file=sys.stderr)
        lx, dn = run_size(size, args.workdir, args.timeout, args.budget)
        lexical.append(lx)
        dense.append(dn)
        print(f"  {json.dumps(lx, ensure_ascii=False)}\n  {json.dumps(dn, ensure_ascii=False)}", file=sys.stderr)
    save_rows(RESULTS / "lexical.json", lexical)
    save_rows(RESULTS / "dense.json", dense)
    return 0


if __name__ == "__main__":
    sys.exit(main())
