"""``policykg search`` and ``policykg eval``: clause search over a built data folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from app.commands import add_data_option

from search.filters import FILTER_HELP

FILTER_OPTIONS = tuple((name, text) for name, text in FILTER_HELP.items() if name != "valid")   # --valid is yes/no


def register(subparsers) -> None:
    p = subparsers.add_parser("search", help="search clauses (one query, or many with --queries)")
    p.add_argument("query", nargs="?", help="the question or keywords, in Chinese")
    p.add_argument("--queries", type=Path, metavar="FILE.jsonl",
                   help='answer every {"id", "query"} line of FILE in one process, one JSON line per query')
    p.add_argument("-k", type=int, default=10, help="number of hits (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print JSON (one object; JSON lines with --queries)")
    p.add_argument("--mode", choices=("hybrid", "lexical", "dense"), default="hybrid",
                   help="full system (default), or one signal alone")
    for name, text in FILTER_OPTIONS:
        p.add_argument(f"--{name}", action="append", metavar="VALUE", help=text + " (repeat for any of several)")
    p.add_argument("--valid", choices=("yes", "no"), help="only documents in force (yes) or not (no)")
    add_data_option(p)
    p.set_defaults(run=run_search)

    p = subparsers.add_parser("eval", help="score lexical only, dense only and the full search on a query file")
    p.add_argument("queries", type=Path, metavar="QUERIES.jsonl", help='lines of {"id", "query", "gold": [substring, …]}')
    p.add_argument("-k", type=int, default=10, help="cut-off (default: %(default)s)")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    add_data_option(p)
    p.set_defaults(run=run_eval)


def _service(data: Path):
    from app.service import DataNotBuilt, PolicyService
    from search.encoders import EncoderError
    from search.manifest import IndexMismatch

    try:
        service = PolicyService(data)
        service.search_engine
    except (DataNotBuilt, IndexMismatch, EncoderError) as err:
        print(f"error: {err}", file=sys.stderr)
        return None
    return service


def _read(loader, path: Path) -> list | None:
    """A query file through ``loader``, or None after saying what is wrong with it."""
    try:
        return loader(path)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return None


def _filters(args) -> dict:
    out = {name: getattr(args, name) for name, _ in FILTER_OPTIONS if getattr(args, name)}
    if args.valid:
        out["valid"] = args.valid == "yes"
    return out


def run_search(args) -> int:
    if bool(args.query) == bool(args.queries):
        print("error: give a QUERY or --queries FILE.jsonl (not both)", file=sys.stderr)
        return 2
    if args.k < 1:
        print("error: -k must be at least 1", file=sys.stderr)
        return 2
    queries = None
    if args.queries:
        from search.evaluate import read_query_lines

        queries = _read(read_query_lines, args.queries)
        if queries is None:
            return 2
    service = _service(args.data)
    if service is None:
        return 2
    filters = _filters(args)
    try:
        if queries is None:
            hits = service.search(args.query, args.k, filters, args.mode)
        else:
            # Lines without filters of their own are answered as one batch.
            plain = [i for i, q in enumerate(queries) if not q.get("filters")]
            answers = dict(zip(plain, service.search_many([queries[i]["query"] for i in plain], args.k, filters,
                                                          args.mode)))
            for i, q in enumerate(queries):
                hits = answers[i] if i in answers else service.search(
                    q["query"], args.k, {**filters, **q["filters"]}, args.mode)
                line = {"id": q["id"], "results": hits, "nothing_relevant": nothing_relevant(hits)}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            return 0
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        json.dump({"query": args.query, "filters": filters, "results": hits, "nothing_relevant": nothing_relevant(hits)},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        if not hits:
            print("no clause matches; try other words or fewer filters")
        elif nothing_relevant(hits):
            print(f"没有找到能回答这个问题的条款（no clause answers this question）。最接近的 {CLOSEST} 条：\n")
            print(format_hits(hits[:CLOSEST]))
        else:
            print(format_hits(hits))
    return 0


CLOSEST = 3     # hits shown when none clears the relevance floor


def nothing_relevant(hits: list[dict]) -> bool:
    """True when the hits carry a relevance judgement and none clears the fitted floor."""
    judged = [h["relevance"] for h in hits if h.get("relevance")]
    return bool(judged) and not any(r["answers"] for r in judged)


def _excerpt(marked: str, width: int = 150) -> str:
    """The marked text on one line, cut around its first mark when long."""
    marked = " ".join(marked.split())
    if len(marked) <= width:
        return marked
    first = marked.find("【")
    start = max(0, min(first - width // 4, len(marked) - width)) if first >= 0 else 0
    return ("…" if start else "") + marked[start:start + width] + ("…" if start + width < len(marked) else "")


def format_hits(hits: list[dict]) -> str:
    lines = []
    for h in hits:
        number = f"（{h['doc_number']}）" if h.get("doc_number") else ""
        lines.append(f"{h['rank']:>2}. {h['clause_id']}   score {h['score']:.3f}")
        lines.append(f"    《{h['document']}》{number}")
        section = " › ".join([*h.get("parents", []), h.get("heading") or h["path"]])
        lines.append(f"    {section}")
        lines.append(f"    {_excerpt(h['marked'])}")
        if h.get("sentence", {}).get("text") and h["sentence"]["text"] != h["text"]:
            lines.append(f"    sentence: {_excerpt(h['sentence']['text'])}")
        if h.get("why"):
            lines.append("    why: " + " · ".join(h["why"]))
        lines.append("")
    return "\n".join(lines).rstrip()


def run_eval(args) -> int:
    from search.evaluate import evaluate_engine, format_misses, format_table, load_queries

    queries = _read(load_queries, args.queries)
    service = _service(args.data) if queries is not None else None
    if service is None:
        return 2
    engine = service.search_engine
    reports = evaluate_engine(engine, queries, args.k)
    if args.json:
        json.dump([r.to_json() for r in reports], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for r in reports:
        misses = format_misses(r)
        print(f"{r.name}: {len(r.misses())} of {len(r.outcomes)} queries not at rank 1" + (":" if misses else ""))
        if misses:
            print(misses)
    print()
    print(format_table(reports))
    enc = engine.manifest.get("encoder", {}).get("ref", "?")
    print(f"{len(queries)} queries, k={args.k}, data {engine.data_dir}, encoder {enc}")
    return 0
