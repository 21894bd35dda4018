#!/usr/bin/env python3
"""``bench/results/README.md`` from the results files: every table, ours beside its baseline, and the machine.

    python bench/report.py [--results bench/results]

``bench/results/findings.md`` (written by hand from the numbers: what breaks
first as the corpus grows) is appended when it is there.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS_CLAUSES, RESULTS  # noqa: E402

QUERY_NAMES = ("agency-leads", "industry-clauses", "targets-2030")


def _rows(results: Path, name: str) -> tuple[dict, list[dict]]:
    path = results / f"{name}.json"
    if not path.exists():
        return {}, []
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("machine", {}), data.get("rows", [])


def _n(x, digits: int = 0) -> str:
    if x is None or x == "":
        return "–"
    if isinstance(x, (int, float)):
        return f"{x:,.{digits}f}" if digits else f"{round(x):,}"
    return str(x)


def _load(r: dict) -> str:
    return _n((r.get("load_avg") or [None])[0], 1)


def _pair(a, b, digits: int = 2) -> str:
    return f"{_n(a, digits)} / {_n(b, digits)}"


def _ratio(a, b) -> str:
    return f"{b / a:,.0f}×" if a and b else "–"


def _stopped(r: dict) -> str:
    """Why a part is missing: stopped past the memory limit or the time limit."""
    if r.get("killed_at_rss_mb"):
        return f"stopped at {r['killed_at_rss_mb']:,} MB RSS after {r['killed_after_s']} s"
    if r.get("timed_out_s"):
        return f"timed out after {r['timed_out_s']:.0f} s"
    return r.get("error") or "not run"


def machine_table(machines: list[dict], rows: list[dict]) -> str:
    m = next((x for x in machines if x), {})
    if not m:
        return "(no results yet)"
    dates = sorted(x["measured_at"] for x in machines + rows if x.get("measured_at"))
    commits = sorted({r["commit"] for r in rows if r.get("commit")}) or [m.get("commit", "unknown")]
    libs = ", ".join(f"{k} {v}" for k, v in (m.get("libraries") or {}).items() if v)
    return "\n".join([
        "| | |", "|---|---|",
        f"| CPU | {m.get('cpu')}, `nproc` = {m.get('nproc')} |",
        f"| RAM | {m.get('ram_gib')} GiB |",
        f"| OS | {m.get('os')} |",
        f"| Python | {m.get('python')} |",
        f"| libraries | {libs} |",
        f"| code | commit {', '.join(commits)} (each row records its own) |",
        f"| measured | {dates[0][:16]} to {dates[-1][:16]} (each row has its own time and 1-minute load average) |",
    ])


def _table(columns: list[str], rows: list[list]) -> str:
    """A Markdown table; a column title ending in ``>`` is right-aligned (the ``>`` is dropped)."""
    head = "| " + " | ".join(c.rstrip(">") for c in columns) + " |"
    rule = "|" + "|".join("---:" if c.endswith(">") else "---" for c in columns) + "|"
    return "\n".join([head, rule] + ["| " + " | ".join(str(x) for x in row) + " |" for row in rows])


def ingest_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        p, b1, b2 = r.get("parse") or {}, r.get("build_w1"), r.get("build_w2") or {}
        inc, same = r.get("incremental_one_changed") or {}, r.get("rebuild_unchanged") or {}

        def b(x):
            return f"{x['seconds']} · {_n(x['chars_per_s'])} · {x['docs_per_s']}" if x else _stopped(r)
        out.append([
            _n(r.get("clauses")), _n(r["documents"]), _n(r["chars"]),
            f"{_n(p.get('chars_per_s'))} · {_n(p.get('docs_per_s'), 1)}", b(b1), b(b2),
            f"{b1['seconds'] / b2['seconds']:.2f}×" if b1 and b2.get("seconds") else "–",
            f"{_n(inc.get('seconds'), 2)} ({inc.get('parsed', '–')} / {_n(inc.get('reused'))})",
            _n(same.get("seconds"), 2), f"{_n(b2.get('peak_rss_mb'))} · {_n(b2.get('worker_peak_rss_mb'))}", _load(r)])
    return _table(["clauses>", "documents>", "characters>", "parse, serial: chars/s · docs/s",
                   "build W=1: s · chars/s · docs/s", "build W=2: s · chars/s · docs/s", "W=2 vs W=1>",
                   "1 file changed: s (parsed / reused)", "nothing changed: s>", "peak RSS MB W=2 (main · worker)",
                   "load>"], out)


def pipeline_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        f = r.get("full_build") or {}
        g = f.get("graph_s") or {}
        reached = r.get("reached_s") or {}
        ingest_s, graph_from, search_from = None, reached.get("graph …"), reached.get("search indexes …")
        if graph_from is not None:
            ingest_s = graph_from
        graph_s = search_from - graph_from if graph_from is not None and search_from is not None else None
        again = r.get("full_rebuild_one_changed") or {}
        parts = again.get("graph_parts") or {}
        out.append([
            _n(f.get("clauses") or r["copies"] * CORPUS_CLAUSES), _n(r["documents"]), _n(f.get("seconds"), 1),
            _n(ingest_s, 1),
            f"{_n(graph_s, 1)} ({_n(g.get('parts'), 1)} · {_n(g.get('shared'), 1)} · {_n(g.get('store'), 1)})",
            f"{_n(g.get('workers_build'), 1)} · {_n(g.get('workers_validate'), 1)}",
            _n(f.get("triples")), _n(f.get("graph_nt_mb")), _n(f.get("search_s"), 1),
            _n(max(f.get("peak_rss_mb") or 0, r.get("tree_peak_rss_mb") or 0)),
            f"{_n(again.get('seconds'), 1)} ({_n(parts.get('made'))} / {_n(parts.get('reused'))}; "
            f"store {'updated' if isinstance(again.get('graph_store'), dict) else 'loaded'} in "
            f"{_n((again.get('graph_s') or {}).get('store'), 1)} s)" if again else r.get("rebuild_note", "–"),
            "built" if f else f"{_stopped(r)}, at \"{r.get('stage', '?')}\" ({r.get('stage_from_s')} s)",
            _load(r)])
    return _table(["clauses>", "documents>", "whole build s>", "ingest s>",
                   "graph s (parts · shared + check · store load)", "per part, summed over workers: build · SHACL s",
                   "triples>", "graph.nt MB>", "search s>", "peak RSS MB, all processes>",
                   "rebuild, 1 file changed: s (graph parts made / copied; store)", "outcome", "load>"], out)


SERVICE_STEPS = ("documents", "one_document", "one_clause", "search_indexes", "first_search", "clause_table",
                 "search_filters")


def service_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        sv = r.get("service")
        if not sv:
            continue
        sec, rss = sv.get("seconds") or {}, sv.get("rss_mb") or {}
        out.append([_n((r.get("full_build") or {}).get("clauses") or r["copies"] * CORPUS_CLAUSES),
                    *(f"{_n(sec.get(k), 2)} s · {_n(rss.get(k))} MB" for k in SERVICE_STEPS), _load(r)])
    if not out:
        return "(not measured yet)"
    return _table(["clauses>", "document list", "one document's tree", "one clause", "search indexes loaded",
                   "first search", "whole clause table", "search filter values", "load>"], out)


def search_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        st = r.get("build_stages_s") or {}
        stages = " · ".join(_n(st.get(k), 1) for k in ("encoder_fit", "tokenize_encode", "lexical", "dense"))
        out.append([_n(r["clauses"]), f"{r.get('faiss_index')} d={r.get('dimension')}", f"{r['build_s']} ({stages})",
                    r["p50_ms"], r["p95_ms"], _n(r["peak_rss_mb"]), _n(r["index_mb"], 1),
                    _load(r) if r.get("load_avg") else "–"])
    return _table(["clauses>", "dense index", "build s (fit · tokenise+encode · BM25 · FAISS)", "p50 ms>", "p95 ms>",
                   "peak RSS MB>", "index MB>", "load>"], out)


def encoder_search_table(rows: list[dict]) -> str:
    """Search with a pretrained encoder: encoding throughput, build time (measured, or estimated where the
    clause vectors were approximated), and latency with the query encoded by the model."""
    real = [r for r in rows if r.get("dense_vectors") != "sentence means" and r.get("build_s")
            and (r.get("build_stages_s") or {}).get("tokenize_encode")]
    rate_row = max(real, key=lambda r: r["clauses"], default=None)   # the largest build that encoded every clause
    rate = rate_row["clauses"] / rate_row["build_stages_s"]["tokenize_encode"] if rate_row else None
    out = []
    for r in rows:
        approximated = r.get("dense_vectors") == "sentence means"
        if approximated and rate and r.get("build_s"):
            build = (f"{_n(r['build_s'] + r['clauses'] / rate)} estimated: {_n(r['build_s'])} with sentence-mean "
                     f"vectors + every clause at {rate:.1f}/s (the {_n(rate_row['clauses'])} build's rate)")
        else:
            build = _n(r.get("build_s"), 1)
        stages = r.get("stage_p95_ms") or {}
        out.append([_n(r["clauses"]), "sentence means" if approximated else "every clause encoded",
                    f"{r.get('faiss_index')} d={r.get('dimension')}", build,
                    _n((r.get("build_load_avg") or [None])[0], 1), _n(r.get("encode_per_s"), 1),
                    f"{_n(r.get('query_encode_p50_ms'), 1)} / {_n(r.get('query_encode_p95_ms'), 1)}",
                    r["p50_ms"], r["p95_ms"], _n(stages.get("dense"), 1), _n(stages.get("lexical"), 1),
                    _n(r.get("index_mb"), 1), _n(r.get("peak_rss_mb")), _load(r)])
    return _table(["clauses>", "clause vectors", "dense index", "build s", "load (build)>",
                   "corpus clauses encoded /s>", "one query encoded p50 / p95 ms", "search p50 ms>", "search p95 ms>",
                   "p95 dense stage ms>", "p95 BM25 stage ms>", "index MB>", "peak RSS MB>", "load (queries)>"], out)


def lexical_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        o, b = r.get("ours") or {}, r.get("baseline") or {}
        oq, bq = r.get("ours_query") or {}, r.get("baseline_query") or {}
        tok = r.get("tokens") or {}
        out.append([
            _n(r.get("clauses")), _n(tok.get("count")), _n(tok.get("tokenize_s"), 1),
            _pair(o.get("build_s"), (b.get("build_s") or 0) + (b.get("token_lists_s") or 0) if b else None),
            _pair(o.get("build_peak_mb"), b.get("build_peak_mb"), 0), _pair(o.get("kept_mb"), b.get("kept_mb"), 0),
            _pair(oq.get("p50_ms"), bq.get("p50_ms")), _pair(oq.get("p95_ms"), bq.get("p95_ms")),
            _ratio(oq.get("p50_ms"), bq.get("p50_ms")), f"{bq.get('n')} of {bq.get('of')}" if bq else _stopped(r),
            _n(r.get("overlap_at_10"), 2), _load(r)])
    return _table(["clauses>", "tokens>", "tokenise s (shared)>", "build s: ours / rank-bm25",
                   "build peak MB: ours / rank-bm25", "kept MB: ours / rank-bm25", "query p50 ms: ours / rank-bm25",
                   "query p95 ms: ours / rank-bm25", "rank-bm25 slower (p50)>", "rank-bm25 queries timed>",
                   "top-10 overlap>", "load>"], out)


def _recall(r: dict) -> str:
    """Tie-aware recall@10 (dev · sampled), and in brackets counting only the exact search's own rows."""
    rec, ids = r.get("recall_at_10") or {}, r.get("recall_at_10_ids") or {}
    text = f"{_n(rec.get('dev'), 3)} · {_n(rec.get('sampled'), 3)}"
    return text + (f" ({_n(ids.get('dev'), 2)} · {_n(ids.get('sampled'), 2)})" if ids else "")


def dense_table(rows: list[dict]) -> str:
    out = []
    for r in rows:
        o, b = r.get("ours") or {}, r.get("baseline") or {}
        oq, bq, h = r.get("ours_query") or {}, r.get("baseline_query") or {}, r.get("hnsw_probe")
        probe = (f"{_n(h.get('build_s'), 1)} · {_n(h.get('p50_ms'), 2)} · {_recall(h)}" if h
                 else "(ours)" if "HNSW" in str(o.get("index")) else "–")
        out.append([
            _n(r.get("clauses")), f"{o.get('index', '–')} d={r.get('dimension', '–')}",
            _pair(o.get("build_s"), b.get("build_s")), _pair(o.get("kept_mb"), b.get("kept_mb"), 0),
            _pair(oq.get("p50_ms"), bq.get("p50_ms")), _pair(oq.get("p95_ms"), bq.get("p95_ms")), _recall(r), probe,
            _load(r)])
    return _table(["clauses>", "ours", "build s: ours / exact", "memory MB: ours / exact", "p50 ms: ours / exact",
                   "p95 ms: ours / exact", "recall@10 of ours: dev · sampled (same rows only)",
                   "HNSW M=32 here: build s · p50 ms · recall@10", "load>"], out)


def sparql_tables(rows: list[dict]) -> str:
    build, queries = [], []
    for r in rows:
        g = r.get("build") or {}
        disk, mem, rdf = r.get("disk") or {}, r.get("memory") or {}, r.get("rdflib") or {}
        rdf_load = _n(rdf.get("load_s"), 1) if "load_s" in rdf else _stopped(rdf)
        build.append([
            r["copies"], _n(r["copies"] * CORPUS_CLAUSES), _n(g.get("triples")), _n(g.get("build_s"), 1),
            _n(g.get("shacl_s"), 1), _n(g.get("write_s"), 1), _n(r.get("build_peak_rss_mb")),
            f"{_n(disk.get('load_s'), 2)} / {_n(mem.get('load_s'), 1)} / {rdf_load}",
            _pair(mem.get("kept_mb"), rdf.get("kept_mb"), 0), _load(r)])
        for q in QUERY_NAMES:
            d, m, b = (x.get(f"q_{q}") or {} for x in (disk, mem, rdf))
            note = " (rewritten, RDFLib/rdflib#882)" if b.get("rewritten_after") else ""
            if b.get("error") or not b:
                note = f" (rdflib: {(b.get('error') or _stopped(rdf))[:60]})"
            mismatch = "" if b.get("rows") in (None, d.get("rows")) else f" (rdflib: {b.get('rows')})"
            queries.append([
                r["copies"], f"{q}{note}", f"{_n(d.get('rows'))}{mismatch}",
                f"{_n(d.get('p50_ms'), 1)} / {_n(m.get('p50_ms'), 1)} / {_n(b.get('p50_ms'), 1)}",
                f"{_n(d.get('p95_ms'), 1)} / {_n(m.get('p95_ms'), 1)} / {_n(b.get('p95_ms'), 1)}",
                _ratio(d.get("p50_ms"), b.get("p50_ms"))])
    return (_table(["copies>", "clauses>", "triples>", "graph build s>", "SHACL s>", "write N-Triples + store s>",
                    "graph stage peak RSS MB>", "load s: store open / pyoxigraph in memory / rdflib",
                    "memory MB: pyoxigraph in memory / rdflib", "load>"], build)
            + "\n\n" + _table(["copies>", "query", "rows>", "p50 ms: store / in memory / rdflib",
                                "p95 ms: store / in memory / rdflib", "rdflib slower than the store (p50)>"], queries))


NOTES = """\
How the figures were made (all from `python bench/run_all.py`; each part runs in its own process, so each peak
RSS is its own):

* **Ingest** (`bench/bench_ingest.py`): N clauses = round(N / 206) varied copies of the five corpus documents
  (numbers before units moved, own id and title through a sidecar): 49 copies (245 documents) for 10k, 485
  (2,425) for 100k, 4,854 (24,270) for 1M.  *parse, serial*: `ingest.pipeline.parse_document` in a loop, nothing
  written.  *build W*: `app.build.build(corpus, out, stages=False, workers=W)` into a fresh folder (hashing,
  parsing, writing `documents/`, `sources/`, `clauses.jsonl`, publishing).  *1 file changed*: a closing
  paragraph added to one document and the same folder rebuilt; *nothing changed*: rebuilt again.
* **Whole build** (`bench/bench_ingest.py --full`): `app.build.build(corpus, out, workers=2)`, every stage, on
  the same corpora.  *ingest s*: when the graph stage began.  *graph s*: its parts (each document's triples made
  and checked against the shapes in 2 worker processes, streamed to `graph.nt`), the shared nodes and their
  check, and the store (bulk-loaded, or on a rebuild the previous store updated).  *per part*: worker seconds
  summed over both workers (about twice the wall time).  *peak RSS*: the build process and its workers together,
  sampled every second.  *rebuild*: a closing paragraph added to one document and the whole build run again into
  the same folder.  A run given a time limit (`--timeout`) that passes it is stopped; its row shows the stage it
  had reached.  *Service*: after the first build, a fresh process opens the folder with `PolicyService` and
  times each step in turn (the RSS is that process's after the step).
* **Search** (`bench/bench_search.py`, ours end to end): synthetic clauses recombined from the corpus's
  sentences, 200 a document; `SearchEngine.search` (hybrid, 27 development queries, also with a region and an
  agency filter, 3 rounds).  The vocabulary of these synthetic clauses stays that of the corpus (3,701 tokens).
* **Search with e5-small** (`bench/bench_search.py --encoder e5-small`, `run_all.py --encoder e5-small`): the
  same synthetic clauses (95 characters on average; the corpus's own clauses average 198), the index built with
  the installed e5-small folder.  Passages are encoded in fp32, 32 to a batch, on the torch threads the load
  average leaves free; a query alone, fp32, on one torch thread.  *corpus clauses encoded /s*: 200 of the
  corpus's own clauses in one call, as a build does; *one query encoded*: each development question once, on
  its own, as a search does.  Every clause and passage is encoded ("every clause encoded"; with
  `--approximate-dense` a synthetic size gets "sentence means" instead: the normalised mean of the e5 vectors
  of its sentences, each distinct sentence encoded once, and an estimated build time).  The two 100k rows are
  one build: the FAISS indexes made again as exact and as HNSW from its vectors (`--reuse --dense-index
  flat|hnsw`); `auto` makes HNSW from 50k vectors.  *load (build)*: the 1-minute load average when the build began.
* **Lexical** (`bench/bench_baselines.py`): the same clauses tokenised once with our jieba tokenizer; ours =
  `search.lexical.LexicalIndex` (bm25s weights from one flat token array), baseline = `rank_bm25.BM25Okapi`
  over the same token lists, both k1 = 1.2, b = 0.75, each built in its own process.  A query = score every
  clause for the query's tokens and take the 10 best; 27 queries × 5 rounds, rank-bm25 stopped after a time
  budget (column "queries timed").  *Overlap*: share of the 10 best both return; not a quality figure: Okapi's
  idf differs from Lucene's (negative for tokens in over half the clauses, then floored), and from 100k the
  synthetic clauses repeat the corpus's ~1,000 sentences, so many tie and the two order them differently.
  *build/kept MB*: how far the build raised the process's resident set (peak / after).
* **Dense**: the vectors our build encoded; ours = the FAISS index our build wrote, loaded as the engine loads
  it; baseline = exact `IndexFlatIP` over the same vectors; one query at a time, one thread.  Queries: the 27
  development questions and 200 random clause sentences.  *recall@10*: share of ours' 10 hits scoring at least
  the exact 10th score (the synthetic clauses repeat the corpus's sentences, so many vectors are identical and
  tie; in brackets: only the very rows the exact search returned count).  Where ours is still flat (below 50k), an HNSW index with our parameters is built too.
* **SPARQL** (`bench/bench_sparql.py`): `graph_scale.copies` of the corpus's documents (own ids, nothing
  merges).  *store*: our pyoxigraph (RocksDB) store opened read-only, as the app does; *in memory*: the same
  N-Triples bulk-loaded into an in-memory pyoxigraph store; *rdflib*: `rdflib.Graph()` (default in-memory
  store) parsing the N-Triples, rdflib's SPARQL engine.  The three queries of `graph/queries/*.rq`, 5 runs
  each (a run over 30 s is not repeated), all rows read.
"""


def render(results: Path) -> str:
    parts = {name: _rows(results, name)
             for name in ("ingest", "pipeline", "search", "search-e5-small", "lexical", "dense", "sparql")}
    out = ["# Benchmarks", "",
           "Generated by `bench/report.py` from `bench/results/*.json` (`python bench/run_all.py` measures and "
           "writes them).  Timings depend on the machine and on what else runs on it: read them with the load "
           "column (1-minute load average when the row was measured; 2 cores).", "",
           "## Machine", "", machine_table([m for m, _ in parts.values()], [r for _, rs in parts.values() for r in rs]),
           ""]
    sections = [
        ("ingest", "Ingest throughput", ingest_table),
        ("pipeline", "The whole build (`policykg build`: ingest, graph + SHACL, search), same corpora", pipeline_table),
        ("pipeline", "The app's service on each built folder: what a first visitor waits for (seconds · RSS after)",
         service_table),
        ("search", "Search, ours end to end (hybrid: BM25 + FAISS + graph signals)", search_table),
        ("search-e5-small", "Search with the e5-small encoder (query encoded by the model on every search)",
         encoder_search_table),
        ("lexical", "Lexical: ours (bm25s) vs rank-bm25, same tokens", lexical_table),
        ("dense", "Dense: ours vs exact FAISS `IndexFlatIP`, same vectors", dense_table),
        ("sparql", "SPARQL: ours (pyoxigraph) vs a plain rdflib in-memory graph", sparql_tables),
    ]
    for key, title, make in sections:
        rows = parts[key][1]
        out += [f"## {title}", "", make(rows) if rows else "(not measured yet)", ""]
    out += ["## How", "", NOTES]
    findings = results / "findings.md"
    if findings.exists():
        out += [findings.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    (args.results / "README.md").write_text(render(args.results), encoding="utf-8")
    print(args.results / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
