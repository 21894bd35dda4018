"""Minted IRIs: one function per kind of node, all from stable ids.

Every node of the graph has an IRI (no blank nodes), built only from ids that
are stable across rebuilds: document ids, clause paths, canonical agency
names, industry concept ids, region names and character offsets.  Each part
is percent-encoded as UTF-8 with only RFC 3986 unreserved characters left as
they are (``一.(三).2`` → ``%E4%B8%80.%28%E4%B8%89%29.2``), so the IRIs are
plain ASCII URIs that every SPARQL server and serialisation accepts.

    doc/<doc id>                               the document (eli:LegalResource)
    doc/<doc id>/<path>                        a part or clause (eli:LegalResourceSubdivision)
    doc/<doc id>/<path>/responsibility/<agency>
    doc/<doc id>/<path>/target/<n>             n counts from 1 in text order
    doc/<doc id>/<path>/measure/<n>
    doc/<doc id>/<path>/industry/<concept id>
    doc/<doc id>/<path>/citation/<n>
    doc/<doc id>/<path>/condition/<n>          n counts from 1 in the order of the clause's conditions
    doc/<doc id>/<path>/entitlement/<n>        n counts from 1 in the order of the clause's entitlements
    source/<doc id>                            the source text the spans index
    source/<doc id>/<start>-<end>              a segment of it (oa:SpecificResource)
    source/<doc id>/<start>-<end>/selector     its oa:TextPositionSelector
    extraction/<doc id>                        the prov:Activity that read the document
    agency/<canonical name>, industry/<id>, region/<name>
"""
from __future__ import annotations

from urllib.parse import quote, unquote

from rdflib import URIRef

from graph.vocab import BASE

INDUSTRY_SCHEME = URIRef(BASE + "industry")
REGION_SCHEME = URIRef(BASE + "region")
SOFTWARE = URIRef(BASE + "software/policykg")


def seg(part: str) -> str:
    """One IRI path segment: UTF-8 percent-encoding, unreserved characters kept."""
    if not part:
        raise ValueError("empty IRI segment")
    return quote(part, safe="-._~")


def document(doc_id: str) -> URIRef:
    return URIRef(f"{BASE}doc/{seg(doc_id)}")


def subdivision(doc_id: str, path: str) -> URIRef:
    return URIRef(f"{document(doc_id)}/{seg(path)}")


def clause(clause_id: str) -> URIRef:
    """``jnygf-2024-195#一.3`` → ``…/doc/jnygf-2024-195/%E4%B8%80.3``."""
    doc_id, sep, path = clause_id.partition("#")
    if not sep:
        raise ValueError(f"not a clause id: {clause_id!r}")
    return subdivision(doc_id, path)


def responsibility(clause_node: URIRef, agency_name: str) -> URIRef:
    return URIRef(f"{clause_node}/responsibility/{seg(agency_name)}")


def statement(clause_node: URIRef, kind: str, n: int | str) -> URIRef:
    """A target, measure, industry mention or citation in a clause."""
    return URIRef(f"{clause_node}/{kind}/{seg(str(n))}")


def source(doc_id: str) -> URIRef:
    return URIRef(f"{BASE}source/{seg(doc_id)}")


def segment(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{source(doc_id)}/{int(start)}-{int(end)}")


def selector(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{segment(doc_id, start, end)}/selector")


def extraction(doc_id: str) -> URIRef:
    return URIRef(f"{BASE}extraction/{seg(doc_id)}")


def agency(name: str) -> URIRef:
    return URIRef(f"{BASE}agency/{seg(name)}")


def industry(concept_id: str) -> URIRef:
    return URIRef(f"{INDUSTRY_SCHEME}/{seg(concept_id)}")


def region(name: str) -> URIRef:
    return URIRef(f"{REGION_SCHEME}/{seg(name)}")


def readable(iri: str) -> str:
    """For display only: the IRI with its percent-encoding undone."""
    return unquote(str(iri))


def clause_id_of(iri: str) -> str | None:
    """The clause id behind a subdivision IRI (inverse of :func:`clause`)."""
    prefix = f"{BASE}doc/"
    if not iri.startswith(prefix):
        return None
    rest = iri[len(prefix):]
    parts = rest.split("/")
    if len(parts) != 2:
        return None
    return f"{unquote(parts[0])}#{unquote(parts[1])}"
