#!/usr/bin/env python3
"""Ingest throughput: characters and documents per second, serial and parallel, and incremental rebuilds.

    python bench/bench_ingest.py                          # corpus, 10k, 100k clauses
    python bench/bench_ingest.py --sizes 1m --workdir /tmp/bench   # keep (and reuse) the corpora

A size of N clauses is a corpus folder of ``round(N / 206)`` varied copies of
the five corpus documents (206 clauses a copy): copy k ≥ 1 of a document has
the numbers before its units (%, 万, 亿, 吨 …) moved by a seeded random step
and a sidecar ``.meta.toml`` giving it its own id and title, so every copy
has its own document id, clause ids and content hash.

Each step runs in its own process, so its peak RSS is its own:

* ``parse`` (up to 200k clauses): :func:`ingest.pipeline.parse_document` over every file, one after
  the other, nothing written (after one warm-up file that loads the lexicons);
* ``build``: ``app.build.build(..., stages=False, workers=W)`` into a fresh data
  folder (W = 1 and 2): parse, write ``documents/``, ``sources/``,
  ``clauses.jsonl``, publish; then, with W = 2, a closing paragraph added to one
  document and the same folder rebuilt (one file parsed, the others copied), and
  rebuilt once more with nothing changed.

Results go to ``bench/results/ingest.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    CORPUS_CLAUSES, RESULTS, ROOT, RSS_LIMIT_MB, PeakDelta, children_peak_rss_mb, emit, peak_rss_mb, rss_mb, run_child,
    save_rows, stamp, tree_rss_mb,
)

OUT = RESULTS / "ingest.json"
SERIAL_BUILD_UP_TO = 200_000     # clauses; above it only the parallel build runs (serial parse and W=1 are ~2× its time)
_UNIT_NUMBER = re.compile(r"(?<![\d.〔\[（(])(\d+)(?=(?:\.\d+)?\s*(?:%|％|万|亿|千|个|家|吨|座|项|处|台|户|公里|平方米|小时))")


def copies_for(size: int | str) -> int:
    return 1 if size == "corpus" else max(1, round(int(size) / CORPUS_CLAUSES))


def vary(text: str, k: int) -> str:
    """Copy ``k`` of a document's text: each number before a unit moved by 0-9 (seeded by ``k``)."""
    rng = random.Random(k)
    return _UNIT_NUMBER.sub(lambda m: str(int(m[1]) + rng.randint(0, 9)), text)


def write_corpus(folder: Path, copies: int) -> dict:
    """``folder`` with ``copies`` varied copies of ``corpus/`` (copy 0: the files as they are); reused when complete."""
    done = folder / ".complete.json"
    if done.exists():
        return json.loads(done.read_text(encoding="utf-8"))
    from ingest.pipeline import parse_document

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    originals = []
    for p in sorted((ROOT / "corpus").iterdir()):
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".meta.toml"):
            meta = parse_document(p).meta
            originals.append((p, p.read_text(encoding="utf-8"), meta.id, meta.title))
    chars = 0
    for k in range(copies):
        for p, text, doc_id, title in originals:
            target = folder / f"{k:05d}_{p.name}"
            body = vary(text, k) if k else text
            target.write_text(body, encoding="utf-8")
            chars += len(body)
            if k:
                sidecar = f"id = {json.dumps(f'{doc_id}-c{k}', ensure_ascii=False)}\n" \
                          f"title = {json.dumps(f'{title}（{k}）', ensure_ascii=False)}\n"
                target.with_name(target.name + ".meta.toml").write_text(sidecar, encoding="utf-8")
    info = {"copies": copies, "documents": copies * len(originals), "chars": chars}
    done.write_text(json.dumps(info), encoding="utf-8")
    return info


def documents_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.name.endswith(".meta.toml"))


# ------------------------------------------------------------------ child steps
def step_parse(corpus: Path) -> None:
    from ingest.pipeline import parse_document

    files = documents_in(corpus)
    parse_document(files[0])          # warm-up: lexicons, jieba-free regexes, imports
    chars = clauses = 0
    t0 = time.perf_counter()
    for p in files:
        doc = parse_document(p)
        chars += len(doc.source_text)
        clauses += len(doc.clauses)
    seconds = time.perf_counter() - t0
    emit(parse={"documents": len(files), "chars": chars, "clauses": clauses, "seconds": round(seconds, 2),
                "chars_per_s": round(chars / seconds), "docs_per_s": round(len(files) / seconds, 1),
                "peak_rss_mb": round(peak_rss_mb())})


def _fresh(out: Path) -> None:
    shutil.rmtree(out.parent / f".{out.name}.versions", ignore_errors=True)
    if out.is_symlink() or out.exists():
        out.unlink() if out.is_symlink() else shutil.rmtree(out)


def _build(corpus: Path, out: Path, workers: int) -> dict:
    from app.build import build

    with PeakDelta() as m:
        report = build(corpus, out, stages=False, workers=workers)
    return {"seconds": round(m.seconds, 2), "parsed": report.parsed, "reused": report.reused,
            "documents": len(report.documents), "refused": len(report.refused),
            "clauses": sum(d["clauses"] for d in report.documents.values())}


def step_build(corpus: Path, out: Path, workers: int, incremental: bool) -> None:
    chars = sum(len(p.read_text(encoding="utf-8")) for p in documents_in(corpus))
    _fresh(out)
    full = _build(corpus, out, workers)
    full.update(chars=chars, chars_per_s=round(chars / full["seconds"]),
                docs_per_s=round(full["documents"] / full["seconds"], 1),
                peak_rss_mb=round(peak_rss_mb()), worker_peak_rss_mb=round(children_peak_rss_mb()))
    emit(**{f"build_w{workers}": full})
    if not incremental:
        return
    files = documents_in(corpus)
    changed = files[len(files) // 2]
    before = changed.read_text(encoding="utf-8")
    changed.write_text(before + "\n\n本方案自印发之日起施行。\n", encoding="utf-8")   # a new closing paragraph
    try:
        emit(incremental_one_changed=_build(corpus, out, workers))
        emit(rebuild_unchanged=_build(corpus, out, workers))
    finally:
        changed.write_text(before, encoding="utf-8")


def step_full(corpus: Path, out: Path, workers: int) -> None:
    """The whole ``policykg build`` (ingest, graph with SHACL, search indexes) into a fresh folder,
    then again with a closing paragraph added to one document."""
    from app.build import build

    _fresh(out)
    started = time.perf_counter()
    reached: dict[str, float] = {}
    rss_at: dict[str, int] = {}

    def progress(message: str) -> None:
        if not message.startswith("  ["):     # stages and graph progress, not every file
            reached[message.strip()] = round(time.perf_counter() - started, 1)
            rss_at[message.strip()] = round(tree_rss_mb(os.getpid()))     # this process and its workers
            emit(stage=message.strip(), stage_from_s=reached[message.strip()], reached_s=reached, rss_mb_at=rss_at)

    report = build(corpus, out, progress=progress, workers=workers)
    emit(full_build=_full_row(report, out, peak_rss_mb=round(peak_rss_mb())))
    emit(service=run_child([str(Path(__file__).resolve()), "--step", "service", "--out", str(out)]).get("service"))
    files = documents_in(corpus)
    changed = files[len(files) // 2]
    before = changed.read_text(encoding="utf-8")
    changed.write_text(before + "\n\n本方案自印发之日起施行。\n", encoding="utf-8")
    try:
        emit(full_rebuild_one_changed=_full_row(build(corpus, out, workers=workers), out))
    finally:
        changed.write_text(before, encoding="utf-8")
    shutil.rmtree(out.parent, ignore_errors=True)


def step_service(out: Path) -> None:
    """Open a built data folder as the app and the API do, and time what a first visitor waits for:
    the document list, one document, one clause, the search indexes and a first search, then the
    whole clause table and the search filters' values (which the search page needs)."""
    from app.service import PolicyService

    seconds: dict[str, float] = {}
    rss: dict[str, int] = {}

    def timed(name: str, work):
        started = time.perf_counter()
        result = work()
        seconds[name], rss[name] = round(time.perf_counter() - started, 2), round(rss_mb())
        return result

    svc = timed("open", lambda: PolicyService(out))
    docs = timed("documents", lambda: svc.documents)
    doc_id = sorted(docs)[len(docs) // 2]
    timed("one_document", lambda: svc.document_tree(doc_id))
    clause_id = svc.document(doc_id)["clauses"][-1]["id"]
    timed("one_clause", lambda: svc.clause(clause_id))
    timed("search_indexes", lambda: svc.search_engine)
    timed("first_search", lambda: svc.search("绿电直连项目接入电压等级", k=10))
    timed("clause_table", lambda: svc.clauses)
    timed("search_filters", svc.search_facets)
    emit(service={"seconds": seconds, "rss_mb": rss, "peak_rss_mb": round(peak_rss_mb())})


def _full_row(report, out: Path, **extra) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    stages = manifest.get("stages", {})
    graph = stages.get("graph") or {}
    search = json.loads((out / "search" / "manifest.json").read_text(encoding="utf-8"))
    return {"seconds": round(report.seconds, 1), "documents": len(report.documents),
            "parsed": report.parsed, "reused": report.reused,
            "clauses": sum(d["clauses"] for d in report.documents.values()),
            "triples": graph.get("triples"), "graph_s": graph.get("seconds"), "graph_parts": graph.get("parts"),
            "graph_store": graph.get("store"),
            "graph_nt_mb": round((out / "graph" / "graph.nt").stat().st_size / 2**20),
            "search_s": (stages.get("search") or {}).get("seconds"), "search_stages_s": search.get("seconds"),
            **extra}


# ------------------------------------------------------------------ driver
def run_size(size: int | str, workdir: Path, timeout: float | None = None) -> dict:
    copies = copies_for(size)
    corpus = workdir / f"ingest-corpus-{copies}"
    t0 = time.perf_counter()
    info = write_corpus(corpus, copies)
    print(f"  ingest corpus of {copies} copies ({info['documents']} documents, {info['chars']:,} characters) "
          f"ready in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    row: dict = {"size": str(size), "copies": copies, "documents": info["documents"], "chars": info["chars"], **stamp()}
    me = str(Path(__file__).resolve())
    out = workdir / f"ingest-out-{copies}" / "data"
    if copies * CORPUS_CLAUSES <= SERIAL_BUILD_UP_TO:
        row.update(run_child([me, "--step", "parse", "--corpus", str(corpus)], timeout))
        row.update(run_child([me, "--step", "build", "--corpus", str(corpus), "--out", str(out), "--workers", "1"],
                             timeout))
    row.update(run_child([me, "--step", "build", "--corpus", str(corpus), "--out", str(out), "--workers", "2",
                          "--incremental"], timeout))
    row["clauses"] = row.get("parse", {}).get("clauses") or row.get("build_w2", {}).get("clauses")
    shutil.rmtree(out.parent, ignore_errors=True)
    return row


def run_full(size: int | str, workdir: Path, timeout: float | None = None,
             rss_limit_mb: float | None = RSS_LIMIT_MB) -> dict:
    """The whole build of ``size`` clauses in a child process, killed above ``rss_limit_mb``."""
    copies = copies_for(size)
    corpus = workdir / f"ingest-corpus-{copies}"
    info = write_corpus(corpus, copies)
    out = workdir / f"full-out-{copies}" / "data"
    row = {"size": str(size), "copies": copies, "documents": info["documents"], "chars": info["chars"], **stamp()}
    row.update(run_child([str(Path(__file__).resolve()), "--step", "full", "--corpus", str(corpus), "--out", str(out)],
                         timeout, rss_limit_mb, report_peak=True))
    shutil.rmtree(out.parent, ignore_errors=True)
    return row


def main() -> int:
    from bench_search import parse_size

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="corpus,10k,100k", help="clauses: corpus, 10k, 100k, 1m … (default: %(default)s)")
    ap.add_argument("--workdir", type=Path, default=None, help="folder to keep (and reuse) the synthetic corpora in")
    ap.add_argument("--timeout", type=float, default=None, help="seconds each step may take")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--full", action="store_true", help="the whole build (graph and search too) instead, "
                    "stopped past 16 GB of RSS; results in bench/results/pipeline.json")
    ap.add_argument("--step", choices=("parse", "build", "full", "service"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--incremental", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step == "parse":
        step_parse(args.corpus)
        return 0
    if args.step == "build":
        step_build(args.corpus, args.out, args.workers, args.incremental)
        return 0
    if args.step == "full":
        step_full(args.corpus, args.out, args.workers)
        return 0
    if args.step == "service":
        step_service(args.out)
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    rows = []
    try:
        for size in (parse_size(s) for s in args.sizes.split(",") if s.strip()):
            print(f"ingest {size} …", file=sys.stderr)
            rows.append((run_full if args.full else run_size)(size, workdir, args.timeout))
            print(f"  {json.dumps(rows[-1], ensure_ascii=False)}", file=sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    from report import ingest_table, pipeline_table

    if args.full:
        print(pipeline_table(save_rows(args.out.with_name("pipeline.json"), rows)["rows"]))
    else:
        print(ingest_table(save_rows(args.out, rows)["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
