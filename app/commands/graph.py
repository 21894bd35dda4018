"""``policykg sparql``, ``policykg graph push|info`` and ``policykg export …``: the knowledge graph.

Each command checks its arguments, calls one :class:`~app.service.PolicyService`
method and writes what it returns.  Exit codes: 0 done, 1 the data or the
endpoint failed, 2 a bad argument or a refused query.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from app.commands import add_data_option

QUERY_FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sparql", help="run a read-only SPARQL query (SELECT/ASK/CONSTRUCT/DESCRIBE) on the graph",
        description="Run a read-only SPARQL 1.1 query on the built graph, or on a remote endpoint. "
                    "Updates are refused. The prefixes pkg: eli: org: skos: prov: oa: dcterms: doc: agency: "
                    "industry: region: are predeclared. Worked queries: graph/queries/*.rq.")
    p.add_argument("query", metavar="QUERY_OR_FILE", help="the query text, a .rq file, or - for stdin")
    p.add_argument("--format", choices=QUERY_FORMATS, default="table",
                   help="table (default), csv, tsv, json, xml; CONSTRUCT/DESCRIBE results: turtle, nt, jsonld "
                        "(table/csv/json give turtle/nt/jsonld for them)")
    p.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of the data folder")
    p.add_argument("--graph", metavar="IRI", default=None,
                   help="with --endpoint: the graph to query (default: the one `graph push` writes; 'default' for the server's default graph)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="stop the query after S seconds (default 30)")
    p.add_argument("--limit", type=int, default=10_000, metavar="N", help="return at most N rows or triples (default 10000)")
    add_data_option(p)
    p.set_defaults(run=run_sparql)

    g = subparsers.add_parser("graph", help="the knowledge graph: push it to a SPARQL endpoint, show its summary")
    gsub = g.add_subparsers(dest="graph_command", required=True, metavar="ACTION")
    push = gsub.add_parser("push", help="replace a graph on a remote SPARQL 1.1 endpoint with this data folder's graph")
    push.add_argument("--endpoint", required=True, metavar="URL", help="the query endpoint, e.g. http://localhost:7878/query")
    push.add_argument("--update-endpoint", metavar="URL",
                      help="the update endpoint (default: …/query or …/sparql with /update instead)")
    push.add_argument("--graph", metavar="IRI", default=None,
                      help="named graph to replace (default https://w3id.org/policykg/graph; 'default' for the default graph)")
    push.add_argument("-q", "--quiet", action="store_true")
    add_data_option(push)
    push.set_defaults(run=run_push)
    info = gsub.add_parser("info", help="triples, SHACL result and counts of the built graph")
    add_data_option(info)
    info.set_defaults(run=run_info)

    e = subparsers.add_parser("export", help="export tables, networks or the whole graph")
    esub = e.add_subparsers(dest="export_command", required=True, metavar="WHAT")

    m = esub.add_parser("matrix", help="the agency–task matrix (CSV to stdout, or an Excel workbook)")
    _table_options(m)
    m.add_argument("--document", metavar="ID", help="only this document")
    m.add_argument("--first-listed-leads", action="store_true", default=None,
                   help="read a plain 责任单位 list as led by its first agency (off: roles as the text marks them)")
    m.set_defaults(run=run_export_table, table="matrix", filters=("document", "first_listed_leads"))

    t = esub.add_parser("targets", help="quantified targets with their clause and source text")
    _table_options(t)
    t.add_argument("--year", type=int, help="only targets due this year")
    t.add_argument("--region", help="only documents of this region (山西, 广西壮族自治区 …)")
    t.add_argument("--document", metavar="ID", help="only this document")
    t.add_argument("--indicator", help="only indicators containing these words")
    t.set_defaults(run=run_export_table, table="targets", filters=("year", "region", "document", "indicator"))

    i = esub.add_parser("incentives", help="sentences that support or restrict an industry (and its narrower industries)")
    _table_options(i)
    i.add_argument("--industry", required=True, help="industry id, label or synonym (steel, 钢铁, 钢铁行业 …)")
    i.set_defaults(run=run_export_table, table="incentives", filters=("industry",))

    c = esub.add_parser("centrality", help="agencies by how much they coordinate (co-responsibility network)")
    _table_options(c)
    c.add_argument("--document", metavar="ID", help="only this document")
    c.set_defaults(run=run_export_table, table="centrality", filters=("document",))

    n = esub.add_parser("graphml", help="a network as GraphML (Gephi, yEd, Cytoscape)")
    n.add_argument("--network", choices=["agencies", "citations"], required=True)
    n.add_argument("--document", metavar="ID", help="agencies: only this document")
    n.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    n.add_argument("--force", action="store_true", help="overwrite FILE")
    add_data_option(n)
    n.set_defaults(run=run_export_graphml)

    d = esub.add_parser("graph", help="the whole graph (data and ontology)")
    d.add_argument("--format", choices=["turtle", "json-ld", "nt"], default="turtle")
    d.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    d.add_argument("--force", action="store_true", help="overwrite FILE")
    add_data_option(d)
    d.set_defaults(run=run_export_graph)


def _table_options(p) -> None:
    p.add_argument("--format", choices=["csv", "xlsx"], default=None,
                   help="csv (default; UTF-8 with BOM, opens in Excel) or xlsx (needs -o; the default for a .xlsx FILE)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE")
    p.add_argument("--ascii-headers", action="store_true",
                   help="ASCII column names (agency, clause_id, …) for scripts, instead of the Chinese ones")
    add_data_option(p)


# ------------------------------------------------------------------ helpers
def _error(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _service(data: Path):
    from app.service import DataNotBuilt, PolicyService

    try:
        return PolicyService(data)
    except DataNotBuilt as err:
        print(f"error: {err}", file=sys.stderr)
        return None


def _writable(path: Path | None, force: bool) -> str | None:
    if path is None:
        return None
    if path.exists() and not force:
        return f"{path} exists; add --force to overwrite it"
    if not path.parent.exists():
        return f"{path.parent}: no such folder"
    return None


def _emit(payload: bytes, output: Path | None) -> None:
    if output is not None:
        output.write_bytes(payload)
        print(f"wrote {output} ({len(payload):,} bytes)", file=sys.stderr)
        return
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:
        out.write(payload)
        out.flush()
    else:
        sys.stdout.write(payload.decode("utf-8"))


# ----------------------------------------------------------------- commands
def run_sparql(args) -> int:
    from app.service import PolicyService
    from graph.query import QueryError, QueryInvalid, read_query

    if args.limit < 1 or args.timeout <= 0:
        return _error("--limit and --timeout must be positive", 2)
    try:
        query = read_query(args.query)
        if args.endpoint:
            result = PolicyService.remote_sparql(query, args.endpoint, args.format, graph=args.graph,
                                                 timeout=args.timeout, limit=args.limit)
        else:
            svc = _service(args.data)
            if svc is None:
                return 1
            result = svc.sparql(query, args.format, timeout=args.timeout, limit=args.limit)
    except QueryInvalid as err:          # refused, malformed, missing file, wrong format
        return _error(str(err), 2)
    except QueryError as err:            # too slow, or the store or the endpoint failed
        return _error(str(err), 1)
    if isinstance(result, (dict, list)):
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    else:
        text = result
    _emit(text.encode("utf-8"), None)
    return 0


def run_push(args) -> int:
    from graph.remote import RemoteError

    svc = _service(args.data)
    if svc is None:
        return 1
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        info = svc.push_graph(args.endpoint, update_endpoint=args.update_endpoint, graph=args.graph, progress=say)
    except RemoteError as err:
        return _error(str(err), 1)
    print(f"pushed {info['triples']:,} triples to graph <{info['graph']}> at {info['update_endpoint']} "
          f"in {info['seconds']} s")
    return 0


def run_info(args) -> int:
    from graph.store import GraphNotBuilt

    svc = _service(args.data)
    if svc is None:
        return 1
    try:
        manifest = svc.graph_manifest
    except GraphNotBuilt as err:
        return _error(str(err), 1)
    counts = svc.sparql("""
SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?r) AS ?responsibilities)
       (COUNT(DISTINCT ?t) AS ?targets) (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?a) AS ?agencies)
WHERE { { ?d dcterms:source ?s } UNION { ?r a pkg:Responsibility } UNION { ?t a pkg:Target }
        UNION { ?m a pkg:Measure } UNION { ?a a org:Organization } }""", "json", timeout=None)
    row = {k: v["value"] for k, v in counts["results"]["bindings"][0].items()}
    print(f"triples: {manifest['triples']:,} ({manifest['data_triples']:,} data, the rest ontology)")
    print(f"SHACL:   {manifest.get('shacl', '?')}")
    print("counts:  " + ", ".join(f"{k} {v}" for k, v in row.items()))
    print(f"store:   pyoxigraph {manifest.get('pyoxigraph')}, base IRI {manifest.get('base_iri')}")
    return 0


def _export(args, output: Path | None, make) -> int:
    """The export commands' common path: check ``output``, open the data folder,
    ``make(service)`` the bytes (a ``ValueError`` is a bad argument) and write them."""
    problem = _writable(output, args.force)
    if problem:
        return _error(problem, 2)
    svc = _service(args.data)
    if svc is None:
        return 1
    try:
        payload = make(svc)
    except ValueError as err:
        return _error(str(err), 2)
    _emit(payload, output)
    return 0


def run_export_table(args) -> int:
    fmt = args.format or ("xlsx" if args.output is not None and args.output.suffix.lower() == ".xlsx" else "csv")
    if fmt == "xlsx" and args.output is None:
        return _error("an Excel workbook needs -o FILE.xlsx", 2)
    filters = {k: getattr(args, k) for k in args.filters if getattr(args, k) is not None}
    return _export(args, args.output, lambda svc: svc.export_table(args.table, fmt, ascii_headers=args.ascii_headers, **filters))


def run_export_graphml(args) -> int:
    return _export(args, args.output, lambda svc: svc.export_graphml(args.network, args.document))


def run_export_graph(args) -> int:
    return _export(args, args.output, lambda svc: svc.graph_dump(args.format))
