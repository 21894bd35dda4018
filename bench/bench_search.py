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

QUERIES = ROOT.parent / "shared" / "eval" / "queries_dev.jsonl"
RESULTS = ROOT / "bench" / "results" / "search.json"
CLAUSES_PER_DOC = 200
REPEATS = 3


def parse_size(s: str) -> int | str:
    s = s.strip().lower()
    if s == "corpus":
        return s
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s[:-1] if s[-1] in "km" else s) * mult)


def data_folder(workdir: Path, size: int | str) -> Path:
    """Where :func:`run_one` keeps the data folder of ``size`` in ``workdir``."""
    return workdir / ("corpus" if size == "corpus" else f"synthetic-{size}")


def build_corpus_data(out: Path) -> None:
    from ingest.pipeline import parse_document
    from ingest.store import write_clause_table, write_document

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


def run_one(size: str, workdir: Path, settings: dict) -> dict:
    """Build and query one size in this process; returns its figures."""
    from common import stamp
    from search.build import build_indexes
    from search.engine import SearchEngine
    from search.evaluate import load_queries
    from search.filters import Filters

    corpus_data = data_folder(workdir, "corpus")
    if not (corpus_data / "clauses.jsonl").exists():
        build_corpus_data(corpus_data)
    data = data_folder(workdir, size)
    if size != "corpus":
        if not (data / "clauses.jsonl").exists():
            t0 = time.perf_counter()
            synthesize(corpus_data, data, int(size))
            print(f"  synthesized {size} clauses in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    info = build_indexes(data, settings, progress=lambda m: print(m, file=sys.stderr))
    build_s = time.perf_counter() - t0
    rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t0 = time.perf_counter()
    engine = SearchEngine.load(data)
    load_s = time.perf_counter() - t0
    queries = [q["query"] for q in load_queries(QUERIES)]
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
        "faiss_index": info["faiss_index"], "build_s": round(build_s, 2), "build_stages_s": manifest.get("seconds"),
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
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (and reuse) the data folders in")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results JSON (default: %(default)s)")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    settings = {"encoder": args.encoder} if args.encoder else {}

    if args.one:   # child process: one size
        print(json.dumps(run_one(args.one, args.workdir, settings)))
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
    merged = {r["clauses"]: r for r in previous.get("rows", [])} | {r["clauses"]: r for r in rows}
    result["rows"] = [merged[k] for k in sorted(merged)]
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(result["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
