"""The nodes documents share: agencies, the industry and region schemes, documents outside the corpus.

A document's part of the graph only names these (:class:`Facts`); they are
described once, by :func:`write_shared`, from the facts of every document:

* with ``whole=True`` (the published graph) every agency of the lexicon and
  every concept of the industry scheme is written, named or not;
* with ``whole=False`` only what the facts name, with the parents and broader
  concepts those point at, plus stubs of the corpus documents a document
  cites: just enough for one document's part to be checked against the SHACL
  shapes on its own (:mod:`graph.parts`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from graph import iris
from graph.vocab import AGENCY_KINDS, ELI, PKG


def load_lexicons():
    """The agency lexicon and the industry scheme ingest used."""
    from ingest.extract.lexicon import load_agency_lexicon, load_industry_scheme

    return load_agency_lexicon(), load_industry_scheme()


@dataclass
class Facts:
    """The shared nodes one or more documents name."""
    agencies: set[str] = field(default_factory=set)                     # canonical names
    regions: set[str] = field(default_factory=set)
    concepts: dict[str, str] = field(default_factory=dict)             # concept id → first label seen
    external: dict[str, tuple[str, str]] = field(default_factory=dict)  # cited doc id → (title, number)

    def cite_external(self, doc_id: str, title: str, number: str) -> None:
        """The first title and number any citation gives an outside document are the ones kept."""
        old_title, old_number = self.external.get(doc_id, ("", ""))
        self.external[doc_id] = (old_title or title, old_number or number)

    def merge(self, other: "Facts") -> None:
        """Add a later document's facts (merging in corpus order keeps the result stable)."""
        self.agencies |= other.agencies
        self.regions |= other.regions
        for cid, label in other.concepts.items():
            self.concepts.setdefault(cid, label)
        for doc_id, (title, number) in other.external.items():
            self.cite_external(doc_id, title, number)

    def to_json(self) -> dict[str, Any]:
        return {"agencies": sorted(self.agencies), "regions": sorted(self.regions),
                "concepts": self.concepts, "external": [[k, *v] for k, v in self.external.items()]}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> "Facts":
        return cls(set(value["agencies"]), set(value["regions"]), dict(value["concepts"]),
                   {k: (title, number) for k, title, number in value["external"]})


def write_shared(g: Graph, facts: Facts, lexicon=None, scheme=None, *, corpus: set[str] = frozenset(),
                 whole: bool = True, stubs: dict[str, tuple[str, str]] | None = None) -> None:
    """Describe in ``g`` the shared nodes of ``facts`` (see the module docstring for ``whole``).

    ``corpus`` is the ids of the corpus documents (an outside citation that
    mints one of them is left to that document); ``stubs`` maps cited corpus
    documents to their (title, number), written with ``whole=False`` only.
    """
    from graph.errors import GraphDataError

    def add(s, p, o):
        g.add((s, p, o))

    add(iris.SOFTWARE, RDF.type, PROV.SoftwareAgent)
    add(iris.SOFTWARE, RDFS.label, Literal("policykg"))
    for doc_id, (title, number) in sorted(facts.external.items()):
        if doc_id not in corpus:
            _document_stub(add, doc_id, title, number)
    for doc_id, (title, number) in sorted((stubs or {}).items()):
        _document_stub(add, doc_id, title, number)

    regions = set(facts.regions)
    for entry_name, entry in _agencies(facts.agencies, lexicon, whole):
        A = iris.agency(entry_name)
        add(A, RDF.type, ORG.Organization)
        add(A, SKOS.prefLabel, Literal(entry_name, lang="zh"))
        if entry is None:
            add(A, ORG.classification, PKG.AgencyUnlisted)
            continue
        for alias in entry.aliases:
            if alias != entry_name:
                add(A, SKOS.altLabel, Literal(alias, lang="zh"))
        kind = AGENCY_KINDS.get(entry.kind)
        if kind is None:
            raise GraphDataError(f"agency {entry_name}: kind {entry.kind!r} is not in graph.vocab.AGENCY_KINDS")
        add(A, ORG.classification, kind)
        if entry.region:
            regions.add(entry.region)
            add(A, DCTERMS.spatial, iris.region(entry.region))
        if entry.parent and entry.parent != entry_name:
            add(A, ORG.subOrganizationOf, iris.agency(entry.parent))
    _industry_scheme(add, facts, scheme, whole)
    _region_scheme(add, regions, lexicon)


def _document_stub(add, doc_id: str, title: str, number: str) -> None:
    node = iris.document(doc_id)
    add(node, RDF.type, ELI.LegalResource)
    add(node, DCTERMS.identifier, Literal(doc_id))
    if title:
        add(node, DCTERMS.title, Literal(title, lang="zh"))
    if number:
        add(node, ELI.id_local, Literal(number))


def _agencies(names: set[str], lexicon, whole: bool):
    """(name, lexicon entry or None) for the named agencies and their parents; every entry when ``whole``."""
    entries: dict[str, Any] = {}

    def entry(name: str):
        if lexicon is None:
            return None
        if name not in entries:
            entries[name] = lexicon.entry(name)
        return entries[name]

    todo = set(names)
    if whole and lexicon is not None:
        for e in lexicon.entries:
            entries.setdefault(e.name, e)
            todo.add(e.name)
    done: set[str] = set()
    todo_list = sorted(todo)
    while todo_list:
        name = todo_list.pop()
        if name in done:
            continue
        done.add(name)
        e = entry(name)
        yield name, e
        if e is not None and e.parent and e.parent != name and e.parent not in done:
            todo_list.append(e.parent)


def _industry_scheme(add, facts: Facts, scheme, whole: bool) -> None:
    S = iris.INDUSTRY_SCHEME
    if scheme is None and not facts.concepts:
        return
    add(S, RDF.type, SKOS.ConceptScheme)
    add(S, SKOS.prefLabel, Literal("产业分类", lang="zh"))
    add(S, SKOS.prefLabel, Literal("Industry scheme", lang="en"))
    if scheme is None:
        for cid, label in sorted(facts.concepts.items()):
            K = iris.industry(cid)
            _concept(add, K, S, cid, label)
            add(K, SKOS.topConceptOf, S)
            add(S, SKOS.hasTopConcept, K)
        return
    concepts = list(scheme) if whole else _with_broader(scheme, facts.concepts)
    for c in concepts:
        K = iris.industry(c.id)
        _concept(add, K, S, c.id, c.label)
        for alt in c.alt:
            if alt != c.label:
                add(K, SKOS.altLabel, Literal(alt, lang="zh"))
        for b in c.broader:
            add(K, SKOS.broader, iris.industry(b))
            add(iris.industry(b), SKOS.narrower, K)
        if not c.broader:
            add(K, SKOS.topConceptOf, S)
            add(S, SKOS.hasTopConcept, K)
        if c.gbt4754:
            add(K, SKOS.notation, Literal(c.gbt4754, datatype=PKG.GBT4754))


def _with_broader(scheme, concept_ids) -> list:
    """The named concepts of the scheme and every concept broader than one of them."""
    found: dict[str, Any] = {}
    todo = list(concept_ids)
    while todo:
        cid = todo.pop()
        if cid in found:
            continue
        c = scheme.get(cid)
        if c is None:
            continue
        found[cid] = c
        todo.extend(c.broader)
    return [found[k] for k in sorted(found)]


def _concept(add, K: URIRef, S: URIRef, cid: str, label: str) -> None:
    add(K, RDF.type, SKOS.Concept)
    add(K, SKOS.inScheme, S)
    add(K, SKOS.prefLabel, Literal(label, lang="zh"))
    add(K, DCTERMS.identifier, Literal(cid))


def _region_scheme(add, regions: set[str], lexicon) -> None:
    if not regions:
        return
    S = iris.REGION_SCHEME
    add(S, RDF.type, SKOS.ConceptScheme)
    add(S, SKOS.prefLabel, Literal("行政区域", lang="zh"))
    add(S, SKOS.prefLabel, Literal("Regions", lang="en"))
    for name in sorted(regions):
        R = iris.region(name)
        add(R, RDF.type, SKOS.Concept)
        add(R, RDF.type, DCTERMS.Location)
        add(R, SKOS.inScheme, S)
        add(R, SKOS.prefLabel, Literal(name, lang="zh"))
        info = lexicon.region(name) if lexicon is not None else None
        if info is not None and info.short and info.short != name:
            add(R, SKOS.altLabel, Literal(info.short, lang="zh"))
