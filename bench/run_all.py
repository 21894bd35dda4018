#!/usr/bin/env python3
"""Every benchmark, ours beside its baseline in the same run, then ``bench/results/README.md``.

    python bench/run_all.py                                  # corpus, 10k, 100k clauses; graph at 1, 10, 100 copies
    python bench/run_all.py --sizes 1m --parts ingest,search,baselines --workdir /tmp/bench-1m
    python bench/run_all.py --quick                          # corpus and 10k, graph at 1 and 10: a smoke run

For each size: ingest throughput (``bench_ingest``), our search end to end
(``bench_search``, its data folder kept in the work folder), then the lexical
and dense baselines on that same data (``bench_baselines``); then SPARQL at
each number of copies (``bench_sparql``).  Each result is written to
``bench/results/<part>.json`` as soon as it is measured (a row replaces the
row of the same size from an earlier run), so a long run that is stopped
keeps what it finished; the README is regenerated at the end
(``python bench/report.py`` regenerates it at any time).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, machine, save_rows  # noqa: E402

PARTS = ("ingest", "pipeline", "search", "baselines", "sparql")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="corpus,10k,100k", help="clauses: corpus (206), 10k, 100k, 1m … (default: %(default)s)")
    ap.add_argument("--graph-copies", default="1,10,100", help="copies of the corpus for SPARQL (default: %(default)s)")
    ap.add_argument("--parts", default=",".join(PARTS), help="which parts (default: %(default)s)")
    ap.add_argument("--quick", action="store_true", help="corpus and 10k, graph at 1 and 10 copies, short rank-bm25 budget")
    ap.add_argument("--workdir", type=Path, default=None, help="work folder to keep (and reuse) corpora and data folders in")
    ap.add_argument("--results", type=Path, default=RESULTS, help="results folder (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds any one process may take (default: %(default)s)")
    ap.add_argument("--encoder", default=None,
                    help="search part with this encoder (e.g. e5-small; results in search-<encoder>.json); "
                         "with e5, synthetic sizes above 10k get sentence-mean vectors (bench_search --approximate-dense)")
    ap.add_argument("--budget", type=float, default=None, help="seconds of rank-bm25 queries per size (default: 120, quick: 20)")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.graph_copies = "corpus,10k", "1,10"
    budget = args.budget or (20.0 if args.quick else 120.0)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown parts {sorted(unknown)}; choose from {', '.join(PARTS)}")

    import bench_baselines
    import bench_ingest
    import bench_sparql
    from bench_search import build_corpus_data, data_folder, parse_size
    from report import render

    results = args.results
    results.mkdir(parents=True, exist_ok=True)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-run-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    m = machine()
    log(f"{m['cpu']}, nproc {m['nproc']}, {m['ram_gib']} GiB, load {m['load_avg']}; work folder {workdir}")
    started = time.perf_counter()
    try:
        for size in sizes:
            if "ingest" in parts:
                log(f"ingest {size}")
                save_rows(results / "ingest.json", [bench_ingest.run_size(size, workdir, args.timeout)])
            if "pipeline" in parts:
                log(f"whole build {size}")
                save_rows(results / "pipeline.json", [bench_ingest.run_full(size, workdir, args.timeout)])
            if "search" in parts:
                log(f"search (ours) {size}" + (f", encoder {args.encoder}" if args.encoder else ""))
                cmd = [sys.executable, str(ROOT / "bench" / "bench_search.py"), "--sizes", str(size),
                       "--keep", str(workdir), "--out", str(results / "search.json")]
                if args.encoder:
                    cmd[-1] = str(results / f"search-{Path(args.encoder).name}.json")
                    cmd += ["--encoder", args.encoder] + (["--approximate-dense"] if size != "corpus" and size > 10_000 else [])
                subprocess.run(cmd, check=True, timeout=args.timeout, stdout=subprocess.DEVNULL)
            if "baselines" in parts:
                if not (data_folder(workdir, size) / "search").is_dir():
                    log(f"baselines {size}: skipped, no search data folder (run the search part first)")
                else:
                    log(f"baselines {size}: rank-bm25, exact FAISS")
                    lexical, dense = bench_baselines.run_size(size, workdir, args.timeout, budget)
                    save_rows(results / "lexical.json", [lexical])
                    save_rows(results / "dense.json", [dense])
            if size != "corpus" and args.workdir is None:
                shutil.rmtree(data_folder(workdir, size), ignore_errors=True)
        if "sparql" in parts:
            data = data_folder(workdir, "corpus")
            if not (data / "documents").is_dir():
                build_corpus_data(data)
            for n in (int(c) for c in args.graph_copies.split(",") if c.strip()):
                log(f"sparql {n}×")
                save_rows(results / "sparql.json", [bench_sparql.run_copies(n, data, workdir, args.timeout)])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        (results / "README.md").write_text(render(results), encoding="utf-8")
        log(f"done in {(time.perf_counter() - started) / 60:.1f} min; {results / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
