"""A remote SPARQL 1.1 endpoint instead of the embedded store (rdflib's ``SPARQLUpdateStore``).

``push`` replaces one named graph on the server with the data folder's graph:
it inserts the triples into a fresh staging graph in batches of ``INSERT
DATA`` and then ``MOVE``s the staging graph onto the target in one update, so
a server that applies each update atomically never shows readers half a
graph.  ``remote_query`` sends a read-only query with that graph as the
default graph (``default-graph-uri``).

Endpoints: ``--endpoint`` is the query URL; the update URL is derived from it
for the usual layouts (``…/query`` → ``…/update`` for Oxigraph, ``…/sparql``
→ ``…/update`` for Fuseki) unless ``--update-endpoint`` gives it.
"""
from __future__ import annotations

import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEFAULT_GRAPH = "https://w3id.org/policykg/graph"
BATCH = 5000


class RemoteError(RuntimeError):
    pass


def update_endpoint_for(query_endpoint: str) -> str:
    for tail in ("/query", "/sparql"):
        if query_endpoint.rstrip("/").endswith(tail):
            return query_endpoint.rstrip("/")[: -len(tail)] + "/update"
    return query_endpoint


def _store(query_endpoint: str, update_endpoint: str | None = None):
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    return SPARQLUpdateStore(query_endpoint=query_endpoint,
                             update_endpoint=update_endpoint or update_endpoint_for(query_endpoint),
                             method="POST", returnFormat="json", autocommit=True)


@contextmanager
def _socket_timeout(seconds: float | None) -> Iterator[None]:
    """rdflib's connector opens URLs without a timeout; give its sockets one."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def target_graph(graph: str | None) -> str | None:
    """None → our named graph; ``default`` → the server's default graph (returned as None)."""
    if graph is None:
        return DEFAULT_GRAPH
    return None if graph in ("", "default") else graph


def _graph_ref(graph: str | None) -> str:
    target = target_graph(graph)
    return "DEFAULT" if target is None else f"GRAPH <{target}>"


def push(nt_path: Path, endpoint: str, *, update_endpoint: str | None = None, graph: str | None = None,
         batch: int = BATCH, timeout: float = 120.0, progress=lambda _m: None) -> dict:
    """Replace ``graph`` on the endpoint with the triples of ``nt_path``.

    ``graph`` is a named-graph IRI, ``default`` for the server's default graph,
    or None for :data:`DEFAULT_GRAPH`."""
    from urllib.error import HTTPError, URLError

    store = _store(endpoint, update_endpoint)
    staging = f"{DEFAULT_GRAPH}/staging/{uuid.uuid4().hex}"
    sent = 0
    started = time.perf_counter()
    try:
        with _socket_timeout(timeout):
            store.update(f"DROP SILENT GRAPH <{staging}>")
            lines: list[str] = []
            with open(nt_path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        lines.append(line.rstrip("\n"))
                    if len(lines) >= batch:
                        sent += _insert(store, staging, lines)
                        progress(f"  {sent} triples sent")
                        lines = []
            if lines:
                sent += _insert(store, staging, lines)
            store.update(f"MOVE SILENT GRAPH <{staging}> TO {_graph_ref(graph)}")
    except HTTPError as err:
        detail = err.read().decode("utf-8", "replace")[:500] if hasattr(err, "read") else ""
        _cleanup(store, staging)
        raise RemoteError(f"{store.update_endpoint}: HTTP {err.code} {err.reason}: {detail}".rstrip(": ")) from None
    except (URLError, OSError) as err:
        _cleanup(store, staging)
        raise RemoteError(f"{store.update_endpoint}: {getattr(err, 'reason', err)}") from None
    return {"endpoint": endpoint, "update_endpoint": store.update_endpoint, "graph": target_graph(graph) or "default",
            "triples": sent, "seconds": round(time.perf_counter() - started, 2)}


def _insert(store, staging: str, lines: list[str]) -> int:
    store.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n" + "\n".join(lines) + "\n} }")
    return len(lines)


def _cleanup(store, staging: str) -> None:
    try:
        store.update(f"DROP SILENT GRAPH <{staging}>")
    except Exception:
        pass


def remote_query(endpoint: str, query: str, kind: str, limit: int, *, graph: str | None = None,
                 timeout: float | None = None) -> dict:
    """Run a read-only query on the endpoint; the result in :mod:`graph.query`'s JSON shape."""
    from urllib.error import HTTPError, URLError

    store = _store(endpoint)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        store.returnFormat = "nt"   # ask for N-Triples, parsed by rdflib
    default_graph = target_graph(graph)
    try:
        with _socket_timeout(timeout):
            result = store.query(query, queryGraph=default_graph)
    except HTTPError as err:
        return {"error": f"{endpoint}: HTTP {err.code} {err.reason}"}
    except (URLError, OSError) as err:
        return {"error": f"{endpoint}: {getattr(err, 'reason', err)}"}
    except ValueError as err:
        return {"error": f"{endpoint}: {err}"}
    if isinstance(result, tuple):   # rdflib returns (code, message, None) on an HTTP error
        return {"error": f"{endpoint}: HTTP {result[0]} {result[1]}"}
    if kind == "ASK":
        return {"boolean": bool(result.askAnswer)}
    if kind == "SELECT":
        variables = [str(v) for v in result.vars]
        rows, truncated = [], False
        for row in result.bindings:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append([rdflib_term_json(row.get(v)) for v in result.vars])
        return {"variables": variables, "rows": rows, "truncated": truncated}
    triples, truncated = [], False
    for s, p, o in result.graph:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append([rdflib_term_json(s), rdflib_term_json(p), rdflib_term_json(o)])
    return {"triples": triples, "truncated": truncated}


def rdflib_term_json(term) -> dict | None:
    """An rdflib term in the SPARQL 1.1 JSON results shape."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}
