#!/usr/bin/env python3
"""Search benchmark: build time, query latency (p50/p95, every stage) and peak memory.

    python bench/bench_search.py                          # corpus, 10k, 100k
    python bench/bench_search.py --sizes corpus,10k,100k,1m
    python bench/bench_search.py --sizes 100k --keep /tmp/bench   # keep the data folders

Sizes above the corpus are synthetic: clauses made by recombining 1-3
sentences of the corpus's clauses (each keeping the agencies, industries,
measures and targets of the clause its first sentence came from), 200 clauses
to a document.  Each size runs in its own process so its peak RSS is its own.
Results go to ``bench/results/search.json`` and a Markdown table is printed.

With ``--encoder e5-small --approximate-dense`` the synthetic sizes get their
clause vectors as the normalised mean of e5 vectors of their sentences (each
distinct sentence encoded once): the synthetic clauses are recombined corpus
sentences, so this is what the index and a query meet at that size, while
encoding every clause for real would take hours on this CPU.  The real
encoding throughput is measured on the corpus's clauses (``encode_per_s``), and
so is a single query's encoding (``query_encode_p50_ms``); ``build_s_estimated`` is
the approximated build plus every clause encoded at that rate (``bench/report.py``
uses the rate of the largest build that encoded every clause instead).  A build
that encodes every clause logs each batch (clauses done, rate, load average), so a
stopped one still tells how fast it went.

    python bench/bench_search.py --encoder e5-small --sizes 10k --keep /tmp/b       # every clause encoded
    python bench/bench_search.py --encoder e5-small --sizes 100k --approximate-dense --tag means --keep /tmp/b
    python bench/bench_search.py --encoder e5-small --sizes 100k --approximate-dense --tag means --keep /tmp/b \
        --reuse --dense-index hnsw      # same folder, FAISS index rebuilt as HNSW from its vectors, queries timed

Latency is measured through :meth:`search.engine.SearchEngine.search` with the
development queries (and the same queries with a region filter and with an
agency filter), after one warm-up pass; every stage is counted: query
analysis and tokenising, BM25, FAISS, graph signals, fusion, reading the hits.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# ../shared beside the repository (or beside the folder of git worktrees)
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")
QUERIES = SHARED / "eval" / "queries_dev.jsonl"
RESULTS = ROOT / "bench" / "results" / "search.json"
CLAUSES_PER_DOC = 200
REPEATS = 3


def parse_size(s: str) -> int | str:
    s = s.strip().lower()
    if s == "corpus":
        return s
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s[:-1] if s[-1] in "km" else s) * mult)


def data_folder(workdir: Path, size: int | str, tag: str = "") -> Path:
    """Where :func:`run_one` keeps the data folder of ``size`` in ``workdir`` (``tag``: a variant of it)."""
    return workdir / (("corpus" if size == "corpus" else f"synthetic-{size}") + (f"-{tag}" if tag else ""))


def build_corpus_data(out: Path) -> None:
    from ingest.pipeline import parse_document
    from ingest.files import write_clause_table, write_document

    out.mkdir(parents=True, exist_ok=True)
    for p in sorted((ROOT / "corpus").iterdir()):
        if p.is_file() and not p.name.startswith("."):
            write_document(parse_document(p), out)
    write_clause_table(out)


def synthesize(corpus_data: Path, out: Path, n: int, seed: int = 0) -> None:
    """``out/clauses.jsonl`` with ``n`` clauses recombined from the corpus's sentences."""
    from search.build import sentences

    clauses = [json.loads(line) for line in open(corpus_data / "clauses.jsonl", encoding="utf-8")]
    pool = [(i, s) for i, c in enumerate(clauses) for s in sentences(c["text"])]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "clauses.jsonl", "w", encoding="utf-8") as f:
        for row in range(n):
            picks = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
            src = clauses[picks[0][0]]
            d = row // CLAUSES_PER_DOC
            rec = {
                "id": f"syn{d:05d}#{row % CLAUSES_PER_DOC}", "path": str(row % CLAUSES_PER_DOC),
                "heading": src["heading"], "parents": src["parents"], "kind": src["kind"],
                "text": "".join(s for _, s in picks), "span": [0, 0],
                "agencies": src["agencies"], "targets": src["targets"], "measures": src["measures"],
                "industries": src["industries"], "cites": [],
                "doc_id": f"syn{d:05d}", "doc_title": f"{src['doc_title']}（{d}）", "doc_number": "",
                "region": src["region"], "doc_issuers": src["doc_issuers"], "doc_valid": src["doc_valid"],
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def percentile(values: list[float], p: float) -> float:
    import numpy as np

    return float(np.percentile(values, p)) if values else 0.0


class SentenceMeanEncoder:
    """Wraps an encoder: a text's vector is the normalised mean of its sentences' vectors, each
    distinct sentence encoded once (for synthetic corpora recombined from a few hundred sentences)."""

    def __init__(self, encoder) -> None:
        self.inner, self.cache = encoder, {}
        self.name, self.dimension = encoder.name, encoder.dimension

    def _pieces(self, text: str) -> list[str]:
        from search.build import sentences

        head, sep, body = text.partition("。") if text.count("。") > 1 else ("", "", text)
        return [p for p in ([head] if head else []) + (sentences(body) or [body]) if p]

    def encode(self, texts, tokens=None):
        import numpy as np

        pieces = [self._pieces(t) for t in texts]
        todo = sorted({p for ps in pieces for p in ps if p not in self.cache})
        if todo:
            self.cache.update(zip(todo, self.inner.encode(todo)))
        out = np.stack([np.mean([self.cache[p] for p in ps], axis=0) for ps in pieces]).astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def __getattr__(self, name):
        return getattr(self.inner, name)


class ProgressEncoder:
    """Wraps an encoder: logs each batch (clauses done, their rate, the load average) to stderr, so a
    long build that is stopped still tells how fast it went."""

    def __init__(self, encoder, total: int) -> None:
        self.inner, self.total, self.done = encoder, total, 0
        self.name, self.dimension = encoder.name, encoder.dimension
        self.started = time.perf_counter()

    def encode(self, texts, tokens=None):
        t0 = time.perf_counter()
        out = self.inner.encode(texts, tokens)
        self.done += len(texts)
        s = time.perf_counter() - self.started
        print(f"    [{time.strftime('%H:%M:%S')}] encoded {self.done}/{self.total} in {s:.0f} s: {self.done / s:.1f} "
              f"clauses/s (this batch {len(texts) / (time.perf_counter() - t0):.1f}), load {os.getloadavg()[0]:.1f}",
              file=sys.stderr, flush=True)
        return out

    def __getattr__(self, name):
        return getattr(self.inner, name)


def encode_throughput(settings: dict, corpus_data: Path, queries: list[str], n: int = 200) -> dict:
    """How fast the encoder of ``settings`` encodes real clause texts of the corpus (a batch, as a build
    does) and single queries (one at a time, as a search does)."""
    if not settings.get("encoder") or settings["encoder"] == "lsa":
        return {}
    from search.build import dense_text
    from search.encoders.sbert import SbertEncoder

    enc = SbertEncoder(settings["encoder"])
    texts = [dense_text(json.loads(line)) for line in open(corpus_data / "clauses.jsonl", encoding="utf-8")][:n]
    enc.encode(texts[:8])
    t0 = time.perf_counter()
    enc.encode(texts)
    passages_s = time.perf_counter() - t0
    for q in queries[:5]:        # warm-up (and the int8 copy made)
        enc.encode_query(q)
    each = []
    for q in queries:
        t0 = time.perf_counter()
        enc.encode_query(q)
        each.append((time.perf_counter() - t0) * 1000)
    return {"encode_per_s": round(len(texts) / passages_s, 1), "query_encode_per_s": round(1000 * len(each) / sum(each), 1),
            "query_encode_p50_ms": round(percentile(each, 50), 2), "query_encode_p95_ms": round(percentile(each, 95), 2),
            "encoding": {k: v for k, v in enc.describe().items() if k in ("passages", "queries", "max_tokens")}}


def rebuild_faiss(data: Path, built: dict) -> float:
    """Only the FAISS indexes of ``data`` (clauses', passages') made again, of the kind
    :func:`search.faiss_index.index_kind` now says, from the stored vectors (the rest of the build is
    unchanged); returns the seconds the build gains."""
    import numpy as np

    from search.faiss_index import DenseIndex
    from search.passages import PassageIndex

    folder = data / "search"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    vectors = np.load(folder / "dense" / "vectors.npy", allow_pickle=False)
    t0 = time.perf_counter()
    dense = DenseIndex.build(vectors)
    dense.save(folder)
    passages = PassageIndex.load(folder)
    if passages is not None:
        passages = PassageIndex(DenseIndex.build(np.asarray(passages.vectors)), passages.rows, passages.spans)
        passages.save(folder)
        manifest.setdefault("passages", {})["faiss_index"] = type(passages.dense.index).__name__
    seconds = time.perf_counter() - t0
    store = dense.describe()
    gained = seconds - manifest["seconds"].get("dense", 0.0)
    manifest |= {"faiss_index": store["index"], "vector_store": store}
    manifest["seconds"]["dense"] = round(seconds, 2)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    built["build_s"] += gained
    (data / "bench-build.json").write_text(json.dumps(built), encoding="utf-8")
    return gained


def run_one(size: str, workdir: Path, settings: dict, approximate: bool = False, queries_file: Path = QUERIES,
            dense_index: str = "auto", reuse: bool = False, tag: str = "") -> dict:
    """Build and query one size in this process; returns its figures.  ``dense_index`` flat / hnsw forces
    the FAISS index kind; ``reuse`` times the queries on the index already in the folder (no build)."""
    from common import stamp
    import search.faiss_index as faiss_index
    from search.build import build_indexes
    from search.engine import SearchEngine
    from search.evaluate import load_queries
    from search.filters import Filters

    corpus_data = data_folder(workdir, "corpus")
    if not (corpus_data / "clauses.jsonl").exists():
        build_corpus_data(corpus_data)
    data = data_folder(workdir, size, tag)
    if size == "corpus" and tag:
        if not (data / "clauses.jsonl").exists():
            data.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus_data / "clauses.jsonl", data / "clauses.jsonl")
    elif size != "corpus":
        if not (data / "clauses.jsonl").exists():
            t0 = time.perf_counter()
            synthesize(corpus_data, data, int(size))
            print(f"  synthesized {size} clauses in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    queries = [q["query"] for q in load_queries(queries_file)]
    throughput = encode_throughput(settings, corpus_data, queries)
    per_s = throughput.get("encode_per_s")
    approximated = approximate and size != "corpus" and per_s is not None
    if dense_index != "auto":
        faiss_index.HNSW_THRESHOLD = 0 if dense_index == "hnsw" else 1 << 62
    import search.build as build_module

    real_make = build_module.make_encoder
    n_rows = sum(1 for line in open(data / "clauses.jsonl", encoding="utf-8") if line.strip())
    if approximated:
        build_module.make_encoder = lambda *a, **k: SentenceMeanEncoder(real_make(*a, **k))
    elif per_s is not None:
        build_module.make_encoder = lambda *a, **k: ProgressEncoder(real_make(*a, **k), n_rows)
    build_load = stamp()["load_avg"]
    t0 = time.perf_counter()
    try:
        if reuse and (data / "search" / "manifest.json").exists():
            info = json.loads((data / "search" / "manifest.json").read_text(encoding="utf-8"))
            info["encoder"], info["faiss_index"] = info["encoder"]["ref"], info["faiss_index"]
        else:
            reuse = False
            info = build_indexes(data, settings, progress=lambda m: print(m, file=sys.stderr))
    finally:
        build_module.make_encoder = real_make
    built = data / "bench-build.json"     # how the index in the folder was built, for a later --reuse
    if reuse and built.exists():
        b = json.loads(built.read_text(encoding="utf-8"))
        build_s, build_load, approximated = b["build_s"], b["build_load_avg"], b["approximated"]
        is_hnsw = "hnsw" in info["faiss_index"].lower()
        if dense_index != "auto" and (faiss_index.index_kind(info["clauses"]) == "hnsw") != is_hnsw:
            build_s += rebuild_faiss(data, b)
            info = json.loads((data / "search" / "manifest.json").read_text(encoding="utf-8"))
            info["encoder"] = info["encoder"]["ref"]
    elif reuse:
        build_s = build_load = None
    else:
        build_s = time.perf_counter() - t0
        built.write_text(json.dumps({"build_s": build_s, "build_load_avg": build_load, "approximated": approximated}),
                         encoding="utf-8")
    rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t0 = time.perf_counter()
    engine = SearchEngine.load(data)
    load_s = time.perf_counter() - t0
    agency = next(iter(engine.store.keys("agency")), None)
    cases = [(q, None) for q in queries]
    cases += [(q, Filters(region="山西")) for q in queries]
    if agency:
        cases += [(q, Filters(agency=agency)) for q in queries[:10]]
    for q, f in cases:   # warm-up: page in the indexes, fill caches
        engine.search(q, 10, f)
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(REPEATS):
        for q, f in cases:
            t: dict[str, float] = {}
            t0 = time.perf_counter()
            engine.search(q, 10, f, timings=t)
            totals.append((time.perf_counter() - t0) * 1000)
            for k, v in t.items():
                stages.setdefault(k, []).append(v * 1000)
    manifest = engine.manifest
    return {
        "size": str(size), **stamp(), "clauses": info["clauses"], "encoder": info["encoder"], "dimension": info["dimension"],
        "faiss_index": info["faiss_index"], "build_s": round(build_s, 2) if build_s is not None else None,
        "build_load_avg": build_load, "reused_build": reuse, "build_stages_s": manifest.get("seconds"),
        **throughput, "dense_vectors": "sentence means" if approximated else "real",
        # the approximated build plus encoding every clause at the measured rate
        "build_s_estimated": round(build_s + info["clauses"] / per_s, 1) if approximated and build_s else None,
        "load_s": round(load_s, 2), "queries": len(totals),
        "p50_ms": round(percentile(totals, 50), 2), "p95_ms": round(percentile(totals, 95), 2),
        "max_ms": round(max(totals), 2),
        "stage_p95_ms": {k: round(percentile(v, 95), 2) for k, v in stages.items()},
        "peak_rss_build_mb": round(rss_build), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "index_mb": round(sum(f.stat().st_size for f in (data / "search").rglob("*") if f.is_file()) / 2**20, 1),
    }


def table(rows: list[dict]) -> str:
    head = ("| clauses | index | build s | load s | p50 ms | p95 ms | max ms | peak RSS MB | index MB |\n"
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        lines.append(f"| {r['clauses']:,} | {r['faiss_index']} d={r['dimension']} | {r['build_s']} | {r['load_s']} | "
                     f"{r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['peak_rss_mb']} | {r['index_mb']} |")
    stages = sorted({k for r in rows for k in r["stage_p95_ms"]})
    lines += ["", "p95 per stage (ms):", "", "| clauses | " + " | ".join(stages) + " |",
              "|---:|" + "---:|" * len(stages)]
    for r in rows:
        lines.append(f"| {r['clauses']:,} | " + " | ".join(str(r["stage_p95_ms"].get(s, "")) for s in stages) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="corpus,10k,100k", help="comma-separated: corpus, 10k, 100k, 1m, … (default: %(default)s)")
    ap.add_argument("--encoder", default=None, help="encoder setting passed to the build (default: built-in LSA)")
    ap.add_argument("--approximate-dense", action="store_true",
                    help="synthetic sizes: clause vectors from cached sentence vectors (see the module docstring)")
    ap.add_argument("--queries", type=Path, default=QUERIES, help="query file timed (default: %(default)s)")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (and reuse) the data folders in")
    ap.add_argument("--out", type=Path, default=None,
                    help="results JSON (default: bench/results/search.json, search-<encoder>.json with --encoder)")
    ap.add_argument("--dense-index", choices=("auto", "flat", "hnsw"), default="auto",
                    help="FAISS index kind (auto: flat below search.faiss_index.HNSW_THRESHOLD vectors)")
    ap.add_argument("--reuse", action="store_true",
                    help="time the queries on the index already built in the --keep folder (no new build)")
    ap.add_argument("--tag", default="", help="data folder variant name in the --keep folder (e.g. hnsw)")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    settings = {"encoder": args.encoder} if args.encoder else {}
    if args.out is None:
        args.out = RESULTS if not args.encoder else RESULTS.with_name(f"search-{Path(args.encoder).name}.json")

    if args.one:   # child process: one size
        print(json.dumps(run_one(args.one, args.workdir, settings, args.approximate_dense, args.queries,
                                 args.dense_index, args.reuse, args.tag)))
        return 0

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in sizes:
            print(f"size {size} …", file=sys.stderr)
            cmd = [sys.executable, __file__, "--one", str(size), "--workdir", str(workdir)]
            if args.encoder:
                cmd += ["--encoder", args.encoder]
            if args.approximate_dense:
                cmd.append("--approximate-dense")
            cmd += ["--queries", str(args.queries), "--dense-index", args.dense_index, "--tag", args.tag]
            if args.reuse:
                cmd.append("--reuse")
            done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"  {rows[-1]}", file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    result = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    key = lambda r: (r["clauses"], r["faiss_index"], r.get("dense_vectors", "real"))  # noqa: E731
    merged = {key(r): r for r in previous.get("rows", [])} | {key(r): r for r in rows}
    result["rows"] = [merged[k] for k in sorted(merged)]
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(result["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
