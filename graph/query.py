"""Read-only SPARQL with a time and a result-size limit, locally or against an endpoint.

* :func:`query_kind` parses the query (rdflib's SPARQL 1.1 grammar) and refuses
  anything that is not SELECT, ASK, CONSTRUCT or DESCRIBE.
* :func:`run_query` runs it in a child process that opens the data folder's
  store read-only (or sends it to a remote endpoint) and is killed when the
  time limit passes: pyoxigraph has no query timeout, and a thread cannot be
  stopped.  At most ``limit`` rows or triples come back; ``truncated`` says
  whether there were more.  Results cross the process boundary as JSON (terms
  in the SPARQL 1.1 JSON results shape), never pickled objects.
* :func:`format_result` renders a result as a terminal table, SPARQL CSV/TSV/
  JSON/XML results, or Turtle / N-Triples / JSON-LD for graph results.

The project's prefixes (``pkg:``, ``eli:``, ``org:``, ``skos:`` …) are declared
for every query, so a query may use them without ``PREFIX`` lines.
"""
from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.vocab import PREFIXES

DEFAULT_TIMEOUT = 30.0
DEFAULT_LIMIT = 10_000
KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
# A graph result asked for in a table format is given in the nearest graph format.
GRAPH_EQUIVALENT = {"table": "turtle", "csv": "nt", "tsv": "nt", "json": "jsonld", "xml": "xml"}
BOM = "\ufeff"


class QueryError(ValueError):
    """The query cannot be run (refused, malformed, too slow, or the store or endpoint failed)."""


class QueryInvalid(QueryError):
    """The user's input is wrong: a malformed query, a missing query file, a format that does not fit."""


class QueryRefused(QueryInvalid):
    """An update, or anything else that is not a read-only query."""


class QueryTimeout(QueryError):
    pass


@dataclass
class QueryResult:
    kind: str                                   # SELECT / ASK / CONSTRUCT / DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[list[dict | None]] = field(default_factory=list)   # SELECT: terms, None when unbound
    boolean: bool | None = None                 # ASK
    triples: list[list[dict]] = field(default_factory=list)       # CONSTRUCT / DESCRIBE
    truncated: bool = False
    limit: int = DEFAULT_LIMIT
    seconds: float = 0.0

    @property
    def size(self) -> int:
        return len(self.rows) if self.kind == "SELECT" else len(self.triples) if self.kind in ("CONSTRUCT", "DESCRIBE") else 1

    def records(self) -> list[dict[str, Any]]:
        """SELECT rows as ``{variable: plain value}`` (IRIs and lexical forms, None when unbound)."""
        return [{v: (t["value"] if t else None) for v, t in zip(self.variables, row)} for row in self.rows]


# ------------------------------------------------------------------ checking
_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")


def query_kind(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; :class:`QueryRefused` for updates, :class:`QueryError` for bad syntax."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not query or not query.strip():
        raise QueryInvalid("empty query")
    try:
        parsed = parseQuery(query)
    except ParseException as err:
        try:
            parseUpdate(query)
        except ParseException:
            raise QueryInvalid(f"not a valid SPARQL 1.1 query: {err}") from None
        raise QueryRefused("update queries are refused: the graph is read-only here "
                           "(only SELECT, ASK, CONSTRUCT and DESCRIBE are run)") from None
    except Exception as err:   # rdflib raises plain exceptions for some malformed input
        raise QueryInvalid(f"not a valid SPARQL 1.1 query: {err}") from None
    kind = KINDS.get(getattr(parsed[1], "name", ""))
    if kind is None:
        raise QueryRefused(f"only SELECT, ASK, CONSTRUCT and DESCRIBE are run, not {getattr(parsed[1], 'name', '?')}")
    return kind


def with_prefixes(query: str) -> str:
    """The query with PREFIX lines for the project prefixes it does not declare itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(query)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join(lines) + "\n" + query


def read_query(text_or_file: str) -> str:
    """A query given inline, or the path of a ``.rq`` file (``-`` is stdin)."""
    import sys

    if text_or_file == "-":
        return sys.stdin.read()
    if "\n" in text_or_file or "{" in text_or_file:
        return text_or_file
    candidate = Path(text_or_file)
    try:
        is_file = candidate.is_file()
    except OSError:
        is_file = False
    if is_file:
        return candidate.read_text(encoding="utf-8")
    if candidate.suffix in (".rq", ".sparql"):
        raise QueryInvalid(f"{candidate}: no such query file")
    return text_or_file


# ------------------------------------------------------------------- running
def run_query(query: str, *, data_dir: Path | None = None, store=None, endpoint: str | None = None,
              graph: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
              limit: int = DEFAULT_LIMIT) -> QueryResult:
    """Run a read-only query against one of: an open pyoxigraph ``store`` (in this process,
    no time limit), the store of ``data_dir`` or a remote ``endpoint`` (in a child process
    killed after ``timeout`` seconds; ``timeout=None`` runs in this process)."""
    kind = query_kind(query)
    if limit < 1:
        raise QueryInvalid("the result limit must be at least 1")
    full = with_prefixes(query)
    started = time.perf_counter()
    if store is not None:
        payload = _execute_local(store, full, limit)
    else:
        source = {"endpoint": endpoint, "graph": graph} if endpoint else {"data_dir": str(data_dir)}
        if endpoint is None and data_dir is None:
            raise QueryError("no store, data folder or endpoint to query")
        if timeout is None:
            payload = _execute(source, full, kind, limit, None)
        else:
            payload = _in_child(source, full, kind, limit, timeout)
    if "error" in payload:
        raise (QueryInvalid if payload.get("invalid") else QueryError)(payload["error"])
    return QueryResult(kind=kind, variables=payload.get("variables", []), rows=payload.get("rows", []),
                       boolean=payload.get("boolean"), triples=payload.get("triples", []),
                       truncated=payload.get("truncated", False), limit=limit,
                       seconds=time.perf_counter() - started)


def _in_child(source: dict, query: str, kind: str, limit: int, timeout: float) -> dict:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, source, query, kind, limit, timeout), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was stopped "
                               "(raise it with --timeout, or add LIMIT / narrower patterns)")
        try:
            data = receiver.recv_bytes()
        except EOFError:
            raise QueryError(f"the query process ended without a result (exit code {proc.exitcode})") from None
        return json.loads(data.decode("utf-8"))
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        receiver.close()


def _child(sender, source: dict, query: str, kind: str, limit: int, timeout: float) -> None:  # pragma: no cover - runs in a child
    try:
        payload = _execute(source, query, kind, limit, timeout)
    except Exception as err:
        payload = {"error": f"{type(err).__name__}: {err}"}
    sender.send_bytes(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    sender.close()


def _execute(source: dict, query: str, kind: str, limit: int, timeout: float | None) -> dict:
    if source.get("endpoint"):
        from graph.remote import remote_query

        return remote_query(source["endpoint"], query, kind, limit, graph=source.get("graph"), timeout=timeout)
    from graph.store import open_store

    try:
        return _execute_local(open_store(Path(source["data_dir"])), query, limit)
    except Exception as err:
        return {"error": f"{type(err).__name__}: {err}"}


def _execute_local(store, query: str, limit: int) -> dict:
    import pyoxigraph as ox

    try:
        result = store.query(query)
    except SyntaxError as err:
        return {"error": f"not a valid query here: {err}", "invalid": True}
    if isinstance(result, ox.QueryBoolean):
        return {"boolean": bool(result)}
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = [], False
        for solution in result:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append([ox_term(solution[v]) for v in variables])
        return {"variables": variables, "rows": rows, "truncated": truncated}
    triples, truncated = [], False
    for t in result:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append([ox_term(t.subject), ox_term(t.predicate), ox_term(t.object)])
    return {"triples": triples, "truncated": truncated}


def ox_term(term) -> dict | None:
    """A pyoxigraph term in the SPARQL 1.1 JSON results shape."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def to_rdflib(term: dict | None):
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if term["type"] == "uri":
        return URIRef(term["value"])
    if term["type"] == "bnode":
        return BNode(term["value"])
    return Literal(term["value"], lang=term.get("xml:lang"), datatype=term.get("datatype"))


def nt_term(term: dict | None) -> str:
    return "" if term is None else to_rdflib(term).n3()


# ---------------------------------------------------------------- formatting
def format_result(result: QueryResult, fmt: str = "table") -> str | dict:
    """The result in ``fmt``; JSON formats come back as a dict, the others as text."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result, GRAPH_EQUIVALENT.get(fmt, fmt))
    if fmt in ("turtle", "nt", "jsonld"):
        raise QueryInvalid(f"--format {fmt} is for CONSTRUCT and DESCRIBE results; a {result.kind} result is a table "
                         f"(use {', '.join(TABLE_FORMATS)})")
    if fmt == "json":
        return _json(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "xml":
        return _xml(result)
    if fmt == "table":
        return _table(result)
    raise QueryInvalid(f"unknown format {fmt!r}")


def _json(result: QueryResult) -> dict:
    if result.kind == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    out: dict[str, Any] = {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [{v: t for v, t in zip(result.variables, row) if t is not None} for row in result.rows]},
    }
    if result.truncated:
        out["truncated"] = True
        out["limit"] = result.limit
    return out


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else (f"_:{t['value']}" if t["type"] == "bnode" else t["value"]) for t in row])
    return BOM + buf.getvalue()


def _tsv(result: QueryResult) -> str:
    if result.kind == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(nt_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _xml(result: QueryResult) -> str:
    from rdflib.query import Result
    from rdflib.term import Variable

    r = Result(result.kind)
    if result.kind == "ASK":
        r.askAnswer = bool(result.boolean)
    else:
        r.vars = [Variable(v) for v in result.variables]
        r.bindings = [{Variable(v): to_rdflib(t) for v, t in zip(result.variables, row) if t is not None}
                      for row in result.rows]
    return r.serialize(format="xml").decode("utf-8")


def _format_graph(result: QueryResult, fmt: str) -> str | dict:
    from graph.rdf import new_graph

    g = new_graph()
    for s, p, o in result.triples:
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    if fmt == "turtle":
        return g.serialize(format="turtle")
    if fmt == "nt":
        return "".join(sorted(g.serialize(format="nt").splitlines(keepends=True)))
    if fmt == "jsonld":
        return json.loads(g.serialize(format="json-ld", context={k: v for k, v in PREFIXES.items()}))
    if fmt == "xml":
        return g.serialize(format="xml")
    raise QueryInvalid(f"unknown format {fmt!r} for a {result.kind} result (use turtle, nt, jsonld or xml)")


# -- the terminal table
def compact(iri: str) -> str:
    """``https://w3id.org/policykg/doc/x/%E4%B8%80.1`` → ``doc:x/一.1`` (display only)."""
    from urllib.parse import unquote

    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{unquote(iri[len(ns):])}"
    return f"<{unquote(iri)}>"


def display(term: dict | None, width: int = 60) -> str:
    if term is None:
        return ""
    text = compact(term["value"]) if term["type"] == "uri" else (
        f"_:{term['value']}" if term["type"] == "bnode" else term["value"])
    text = " ".join(text.split())
    return _clip(text, width)


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _table(result: QueryResult) -> str:
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    cells = [[display(t) for t in row] for row in result.rows]
    widths = [max([text_width(v)] + [text_width(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    note = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if result.truncated:
        note += f" (stopped at the limit of {result.limit}; raise it with --limit)"
    return "\n".join(lines) + "\n" + note + "\n"
