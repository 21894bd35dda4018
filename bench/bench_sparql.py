#!/usr/bin/env python3
"""SPARQL: our pyoxigraph store against a plain rdflib in-memory ``Graph``, at 1×, 10×, 100× the corpus.

    python bench/bench_sparql.py                      # 1, 10, 100 copies of the corpus
    python bench/bench_sparql.py --copies 1,10 --workdir /tmp/bench

For each number of copies (:func:`graph_scale.copies`: every document
copied with its own ids, so nothing merges), in separate processes:

* ``build``: :func:`graph_scale.run`: our graph stage (rdflib build,
  SHACL, sorted N-Triples, the pyoxigraph store) and its peak RSS;
* ``disk``: our store as the app opens it (pyoxigraph, RocksDB, read-only);
* ``memory``: the same N-Triples bulk-loaded into an in-memory pyoxigraph store;
* ``rdflib``: the baseline, the N-Triples parsed into ``rdflib.Graph()``
  (its default in-memory store) and queried with rdflib's SPARQL engine.

Each of the three worked queries of ``graph/queries/*.rq`` is run
:data:`REPEATS` times (the first run included: nothing is cached between
processes), every result row read; a run slower than :data:`SLOW_S` is not
repeated.  The rdflib process stops at its time limit; what it finished is
kept.  rdflib cannot run ``agency-leads.rq`` as written (RDFLib/rdflib#882),
so it runs it with the one change :func:`for_rdflib` makes.  Results go to ``bench/results/sparql.json``.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, PeakDelta, emit, latency, peak_rss_mb, rss_mb, run_child, save_rows, stamp  # noqa: E402

OUT = RESULTS / "sparql.json"
COPIES = "1,10,100"
REPEATS = 5
SLOW_S = 30.0
QUERY_FILES = sorted((ROOT / "graph" / "queries").glob("*.rq"))
_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\(DISTINCT (\?\w+)")


def queries() -> dict[str, str]:
    from graph.query import read_query, with_prefixes

    return {q.stem: with_prefixes(read_query(str(q))) for q in QUERY_FILES}


def for_rdflib(text: str) -> str:
    """rdflib raises NotBoundError when GROUP_CONCAT meets an unbound OPTIONAL variable
    (RDFLib/rdflib#882): concatenate ``COALESCE(?x, "")`` instead (same rows)."""
    return _GROUP_CONCAT.sub(r'GROUP_CONCAT(DISTINCT COALESCE(\1, "")', text)


def time_queries(run, fallback=None) -> None:
    """Run each worked query, emitting its latencies and row count as soon as it is done.

    A query that fails is run as ``fallback`` rewrites it, when that changes it."""
    for name, text in queries().items():
        ms, rows, note = [], None, {}
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            try:
                rows = len(run(text))
            except Exception as err:
                if fallback is None or fallback(text) == text or note:
                    note["error"] = f"{type(err).__name__}: {err}"
                    break
                text, note = fallback(text), {"rewritten_after": f"{type(err).__name__}: {err}"}
                continue
            ms.append((time.perf_counter() - t0) * 1000)
            if ms[-1] > SLOW_S * 1000:
                break
        emit(**{f"q_{name}": {**latency(ms), "rows": rows, **note}})


def step_build(data: Path, copies: int, folder: Path, shacl: bool) -> None:
    from graph_scale import run

    emit(build=run(data, copies, shacl=shacl, keep=folder), build_peak_rss_mb=round(peak_rss_mb()))


def step_oxigraph(folder: Path, mode: str) -> None:
    from graph.store import load_in_memory, open_store

    __import__("pyoxigraph")          # the library's import is not the store's memory

    with PeakDelta() as m:
        store = open_store(folder) if mode == "disk" else load_in_memory(folder / "graph" / "graph.nt")
    emit(load_s=round(m.seconds, 2), load_peak_mb=m.peak_mb, kept_mb=m.kept_mb)
    time_queries(lambda text: list(store.query(text)))
    emit(peak_rss_mb=round(peak_rss_mb()), rss_mb=round(rss_mb()))


def step_rdflib(folder: Path) -> None:
    import rdflib

    rdflib.Graph().query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")    # load the SPARQL machinery outside the timings
    with PeakDelta() as m:
        g = rdflib.Graph()
        g.parse(folder / "graph" / "graph.nt", format="nt")
    emit(load_s=round(m.seconds, 2), load_peak_mb=m.peak_mb, kept_mb=m.kept_mb, triples=len(g))
    time_queries(lambda text: list(g.query(text)), for_rdflib)
    emit(peak_rss_mb=round(peak_rss_mb()), rss_mb=round(rss_mb()))


def run_copies(copies: int, data: Path, workdir: Path, timeout: float | None, shacl: bool = True) -> dict:
    me = str(Path(__file__).resolve())
    folder = workdir / f"graph-{copies}"
    shutil.rmtree(folder, ignore_errors=True)
    row = {"size": str(copies), "copies": copies, **stamp()}
    row.update(run_child([me, "--step", "build", "--data", str(data), "--copies", str(copies),
                          "--folder", str(folder), *([] if shacl else ["--skip-shacl"])], timeout))
    if "build" not in row:
        return row
    for part in ("disk", "memory", "rdflib"):
        row[part] = run_child([me, "--step", part, "--folder", str(folder)], timeout)
        print(f"  {copies}× {part}: {json.dumps(row[part], ensure_ascii=False)}", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", default=COPIES, help="comma-separated copies of the corpus (default: %(default)s)")
    ap.add_argument("--workdir", type=Path, default=None, help="work folder (the corpus data folder is kept there)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds each process may take")
    ap.add_argument("--skip-shacl", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--step", choices=("build", "disk", "memory", "rdflib"), help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step == "build":
        step_build(args.data, int(args.copies), args.folder, not args.skip_shacl)
        return 0
    if args.step in ("disk", "memory"):
        step_oxigraph(args.folder, args.step)
        return 0
    if args.step == "rdflib":
        step_rdflib(args.folder)
        return 0

    from bench_search import build_corpus_data, data_folder

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    data = data_folder(workdir, "corpus")
    if not (data / "documents").is_dir():
        build_corpus_data(data)
    rows = []
    try:
        for n in (int(c) for c in args.copies.split(",") if c.strip()):
            print(f"sparql {n}× …", file=sys.stderr)
            rows.append(run_copies(n, data, workdir, args.timeout, not args.skip_shacl))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    save_rows(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
