"""Ingest records → an rdflib graph (data only; the ontology is ``ontology.ttl``).

One pure function, :func:`build_rdf`, that takes the documents in the
``policykg extract --json`` shape, the agency lexicon and the industry
scheme, and returns a graph of minted IRIs (see :mod:`graph.iris`):

* documents and their parts and clauses with ELI (``eli:has_part`` …),
* agencies with W3C ORG and SKOS labels, the industry scheme with SKOS,
* every statement read from a clause (responsibility, target, measure,
  industry mention, citation, quantitative condition, entitlement) as its own node, with ``prov:wasDerivedFrom``
  the segment of the source text it came from (``oa:TextPositionSelector``).

A code the vocabulary does not know (a role, firmness, measure type or clause
kind the extractor started emitting) raises :class:`GraphDataError` naming
the clause and the table to extend.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph import iris
from graph.citations import Cited, CorpusIndex, citation_key
from graph.errors import GraphDataError  # noqa: F401  (raised here; importable from here as before)
from graph.vocab import (
    CLAUSE_KINDS, COMPARISONS, CONDITION_KINDS, ELI, FIRMNESS, FREQUENCIES, INSTRUMENTS, MEASURE_CLASSES,
    MEASURE_SUBTYPES, MEASURE_TYPES, OA, PKG, PREFIXES, ROLES,
)
from records import enclosing_paths

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def build_rdf(documents: Iterable[dict[str, Any]], agencies=None, industries=None) -> Graph:
    """The graph of ``documents``: each document's part and the shared nodes they name.

    ``agencies`` is an ``AgencyLexicon`` (``ingest.extract.lexicon``) or None;
    with one, every lexicon entry becomes an ``org:Organization`` with its
    aliases, kind and parent, and mentioned names are looked up in it.
    ``industries`` is an ``IndustryScheme`` or None; with one, the whole
    scheme is written as SKOS and a mention of an unknown concept is an error;
    without, concepts are minted from the mentions' labels.

    The build stage (:mod:`graph.build`) makes the same graph one document at
    a time; this function holds everything in memory, for tests and small sets.
    """
    from graph.shared import Facts, write_shared

    documents = list(documents)
    index = CorpusIndex.of(documents)
    g = new_graph()
    facts = Facts()
    seen_ids: set[str] = set()
    for doc in documents:
        doc_id = doc["document"]["id"]
        if doc_id in seen_ids:
            raise GraphDataError(f"document id {doc_id} appears twice")
        seen_ids.add(doc_id)
        writer = DocumentWriter(g, agencies, industries, index.resolved_in(doc))
        writer.document(doc)
        facts.merge(writer.facts)
    write_shared(g, facts, agencies, industries, corpus=set(index.titles))
    return g


def document_graph(doc: dict[str, Any], cited: dict[str, Cited], agencies=None, industries=None):
    """One document's part of the graph (a new rdflib graph) and the shared nodes it names (:class:`Facts`)."""
    g = new_graph()
    writer = DocumentWriter(g, agencies, industries, cited)
    writer.document(doc)
    return g, writer.facts


class DocumentWriter:
    """Writes one document's nodes (its parts, clauses, statements and their provenance) into a graph.

    Every node it writes is minted under the document's id, so two documents'
    parts never share a triple.  The shared nodes it points at (agencies,
    industry concepts, regions, documents outside the corpus) are only named,
    in :attr:`facts`; :func:`graph.shared.write_shared` describes them once.
    ``cited`` holds the document's citations resolved against the corpus
    (:meth:`graph.citations.CorpusIndex.resolved_in`).
    """

    def __init__(self, g: Graph, agencies, industries, cited: dict[str, Cited]):
        from graph.shared import Facts

        self.g = g
        self.lexicon = agencies
        self.scheme = industries
        self.cited = cited
        self.facts = Facts()

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    # ---------------------------------------------------------- documents
    def document(self, doc: dict[str, Any]) -> None:
        meta = doc["document"]
        doc_id = meta["id"]
        region = meta.get("region") or ""
        D = iris.document(doc_id)
        self.add(D, RDF.type, ELI.LegalResource)
        self.add(D, DCTERMS.identifier, Literal(doc_id))
        self.add(D, DCTERMS.title, Literal(meta["title"], lang="zh"))
        if meta.get("number"):
            self.add(D, ELI.id_local, Literal(meta["number"]))
        for key, prop in (("date_written", ELI.date_document), ("date_published", ELI.date_publication)):
            value = meta.get(key) or ""
            if _ISO_DATE.match(value):
                self.add(D, prop, Literal(value, datatype=XSD.date))
        if meta.get("valid") is True:
            self.add(D, ELI.in_force, ELI["InForce-inForce"])
        elif meta.get("valid") is False:
            self.add(D, ELI.in_force, ELI["InForce-notInForce"])
        if region:
            self.facts.regions.add(region)
            self.add(D, ELI.jurisdiction, iris.region(region))
        for name in meta.get("issuers", []):
            canonical = self.canonical(name, region)
            self.add(D, ELI.passed_by, iris.agency(canonical))
        for topic in meta.get("topics", []):
            self.add(D, DCTERMS.subject, Literal(topic, lang="zh"))

        S = iris.source(doc_id)
        self.add(D, DCTERMS.source, S)
        self.add(S, RDF.type, PROV.Entity)
        self.add(S, DCTERMS.format, Literal("text/plain"))
        if meta.get("source_file"):
            self.add(S, RDFS.label, Literal(meta["source_file"]))
        if meta.get("source_sha256"):
            self.add(S, DCTERMS.identifier, Literal(f"sha256:{meta['source_sha256']}"))
        E = iris.extraction(doc_id)
        self.add(E, RDF.type, PROV.Activity)
        self.add(E, PROV.used, S)
        self.add(E, PROV.wasAssociatedWith, iris.SOFTWARE)

        clause_paths = {c["path"] for c in doc["clauses"]}
        for clause in doc["clauses"]:
            if clause["id"] != f"{doc_id}#{clause['path']}":
                raise GraphDataError(f"clause id {clause['id']} does not match its document {doc_id} and path {clause['path']}")
            self.clause(doc_id, D, E, region, clause, clause_paths)

    def parts(self, doc_id: str, D: URIRef, clause: dict[str, Any], clause_paths: set[str]) -> URIRef:
        """The enclosing parts of a clause (from its path), created as needed; returns its parent node."""
        enclosing = enclosing_paths(clause["path"])
        parents = clause.get("parents") or []
        titled = len(parents) == len(enclosing)
        parent = D
        for i, prefix in enumerate(enclosing, 1):
            P = iris.subdivision(doc_id, prefix)
            self.add(P, RDF.type, ELI.LegalResourceSubdivision)
            self.add(P, ELI.is_part_of, parent)
            self.add(parent, ELI.has_part, P)
            if prefix not in clause_paths:
                self.add(P, ELI.number, Literal(prefix))
                self.add(P, ELI.type_subdivision, PKG.KindSection)
                self.add(P, DCTERMS.identifier, Literal(f"{doc_id}#{prefix}"))
                if titled and parents[i - 1] and not any(self.g.triples((P, DCTERMS.title, None))):
                    self.add(P, DCTERMS.title, Literal(parents[i - 1], lang="zh"))
            parent = P
        return parent

    def clause(self, doc_id: str, D: URIRef, E: URIRef, region: str, clause: dict[str, Any], clause_paths: set[str]) -> None:
        cid = clause["id"]
        C = iris.clause(cid)
        parent = self.parts(doc_id, D, clause, clause_paths)
        kind = CLAUSE_KINDS.get(clause.get("kind", "item"))
        if kind is None:
            raise GraphDataError(f"{cid}: clause kind {clause.get('kind')!r} is not in graph.vocab.CLAUSE_KINDS")
        self.add(C, RDF.type, ELI.LegalResourceSubdivision)
        self.add(C, DCTERMS.identifier, Literal(cid))
        self.add(C, ELI.number, Literal(clause["path"]))
        self.add(C, ELI.type_subdivision, kind)
        self.add(C, ELI.is_part_of, parent)
        self.add(parent, ELI.has_part, C)
        if clause.get("heading"):
            self.add(C, DCTERMS.title, Literal(clause["heading"], lang="zh"))
        self.add(C, PKG.text, Literal(clause["text"], lang="zh"))
        self.provenance(C, doc_id, E, [clause["span"]])

        self.responsibilities(cid, C, doc_id, E, region, clause.get("agencies", []))
        for n, t in enumerate(clause.get("targets", []), 1):
            self.target(cid, iris.statement(C, "target", n), C, doc_id, E, t)
        conditions = [iris.statement(C, "condition", n) for n in range(1, len(clause.get("conditions") or []) + 1)]
        for K, c in zip(conditions, clause.get("conditions") or []):
            self.condition(cid, K, C, doc_id, E, c)
        for n, m in enumerate(clause.get("measures", []), 1):
            self.measure(cid, iris.statement(C, "measure", n), C, doc_id, E, m, clause, conditions)
        for n, e in enumerate(clause.get("entitlements") or [], 1):
            self.entitlement(cid, iris.statement(C, "entitlement", n), C, doc_id, E, e, conditions)
        self.industry_mentions(cid, C, doc_id, E, clause.get("industries", []))
        for n, x in enumerate(clause.get("cites", []), 1):
            self.citation(iris.statement(C, "citation", n), C, D, doc_id, E, x)

    def provenance(self, node: URIRef, doc_id: str, E: URIRef, spans: list) -> None:
        for start, end in spans:
            seg = iris.segment(doc_id, start, end)
            sel = iris.selector(doc_id, start, end)
            self.add(node, PROV.wasDerivedFrom, seg)
            self.add(seg, RDF.type, OA.SpecificResource)
            self.add(seg, OA.hasSource, iris.source(doc_id))
            self.add(seg, OA.hasSelector, sel)
            self.add(sel, RDF.type, OA.TextPositionSelector)
            self.add(sel, OA.start, Literal(int(start), datatype=XSD.nonNegativeInteger))
            self.add(sel, OA.end, Literal(int(end), datatype=XSD.nonNegativeInteger))
        self.add(node, PROV.wasGeneratedBy, E)

    # ------------------------------------------------------- statements
    def responsibilities(self, cid: str, C: URIRef, doc_id: str, E: URIRef, region: str, mentions: list[dict]) -> None:
        by_name: dict[str, dict] = {}
        for a in mentions:
            if a.get("role") not in ROLES:
                raise GraphDataError(f"{cid}: agency role {a.get('role')!r} is not in graph.vocab.ROLES")
            name = a["name"]
            entry = by_name.setdefault(name, {"role": a["role"], "mentions": []})
            if a["role"] == "lead":
                entry["role"] = "lead"     # named as lead anywhere in the clause: it leads
            entry["mentions"].append(a)
            self.facts.agencies.add(name)
        for name, entry in by_name.items():
            R = iris.responsibility(C, name)
            A = iris.agency(name)
            self.add(R, RDF.type, PKG.Responsibility)
            self.add(R, PKG.task, C)
            self.add(R, PKG.agency, A)
            self.add(R, PKG.role, ROLES[entry["role"]])
            for m in entry["mentions"]:
                if m.get("as_written"):
                    self.add(R, PKG.asWritten, Literal(m["as_written"], lang="zh"))
            self.provenance(R, doc_id, E, [m["span"] for m in entry["mentions"]])
            self.add(C, ELI.responsibility_of_agent, A)

    def target(self, cid: str, T: URIRef, C: URIRef, doc_id: str, E: URIRef, t: dict) -> None:
        firmness = FIRMNESS.get(t.get("firmness") or "")
        if firmness is None:
            raise GraphDataError(f"{cid}: target firmness {t.get('firmness')!r} is not in graph.vocab.FIRMNESS")
        self.add(T, RDF.type, PKG.Target)
        self.add(T, PKG.statedIn, C)
        if t.get("indicator"):
            self.add(T, PKG.indicator, Literal(t["indicator"], lang="zh"))
        if t.get("comparator"):
            self.add(T, PKG.comparator, Literal(t["comparator"]))
        self.add(T, PKG.value, Literal(_decimal(t["value"], cid), datatype=XSD.decimal))
        if t.get("unit"):
            self.add(T, PKG.unit, Literal(t["unit"]))
        if t.get("year") is not None:
            self.add(T, PKG.deadlineYear, Literal(int(t["year"]), datatype=XSD.integer))
        if t.get("baseline_year") is not None:
            self.add(T, PKG.baselineYear, Literal(int(t["baseline_year"]), datatype=XSD.integer))
        if t.get("period"):
            self.add(T, PKG.period, Literal(t["period"]))
        self.add(T, PKG.firmness, firmness)
        if t.get("text"):
            self.add(T, PKG.text, Literal(t["text"], lang="zh"))
        self.provenance(T, doc_id, E, [t["span"]])

    def measure(self, cid: str, M: URIRef, C: URIRef, doc_id: str, E: URIRef, m: dict,
                clause: dict[str, Any], conditions: list[URIRef]) -> None:
        """A measure, with the industries, agencies and conditions its own sentence names (indices into the clause's lists)."""
        industries, agencies = clause.get("industries", []), clause.get("agencies", [])
        mtype = MEASURE_TYPES.get(m.get("type"))
        if mtype is None:
            raise GraphDataError(f"{cid}: measure type {m.get('type')!r} is not in graph.vocab.MEASURE_TYPES")
        self.add(M, RDF.type, PKG.Measure)
        if m["type"] in MEASURE_CLASSES:
            self.add(M, RDF.type, MEASURE_CLASSES[m["type"]])
        self.add(M, PKG.statedIn, C)
        self.add(M, PKG.measureType, mtype)
        if m.get("subtype"):
            sub = MEASURE_SUBTYPES.get(m["subtype"])
            if sub is None:
                raise GraphDataError(f"{cid}: measure subtype {m['subtype']!r} is not in graph.vocab.MEASURE_SUBTYPES")
            self.add(M, PKG.measureSubtype, sub)
        if m.get("text"):
            self.add(M, PKG.text, Literal(m["text"], lang="zh"))
        for i in m.get("industries", []):
            if not 0 <= i < len(industries):
                raise GraphDataError(f"{cid}: measure names industry {i}, the clause has {len(industries)}")
            self.add(M, PKG.namesIndustry, iris.industry(industries[i]["id"]))
        for i in m.get("agencies", []):
            if not 0 <= i < len(agencies):
                raise GraphDataError(f"{cid}: measure names agency {i}, the clause has {len(agencies)}")
            self.add(M, PKG.namesAgency, iris.agency(agencies[i]["name"]))
        self.conditions_of(cid, "measure", M, m, conditions)
        self.provenance(M, doc_id, E, [m["span"]])

    def conditions_of(self, cid: str, what: str, node: URIRef, record: dict, conditions: list[URIRef]) -> None:
        for i in record.get("conditions", []):
            if not 0 <= i < len(conditions):
                raise GraphDataError(f"{cid}: {what} names condition {i}, the clause has {len(conditions)}")
            self.add(node, PKG.hasCondition, conditions[i])

    def entitlement(self, cid: str, N: URIRef, C: URIRef, doc_id: str, E: URIRef, e: dict,
                    conditions: list[URIRef]) -> None:
        """What a clause grants (:class:`records.Entitlement`), with the conditions it is given on."""
        instrument = INSTRUMENTS.get(e.get("kind"))
        if instrument is None:
            raise GraphDataError(f"{cid}: entitlement kind {e.get('kind')!r} is not in graph.vocab.INSTRUMENTS")
        if e.get("frequency") and e["frequency"] not in FREQUENCIES:
            raise GraphDataError(f"{cid}: entitlement frequency {e['frequency']!r} is not in graph.vocab.FREQUENCIES")
        self.add(N, RDF.type, PKG.Entitlement)
        self.add(N, PKG.statedIn, C)
        self.add(N, PKG.instrument, instrument)
        for key, prop in (("value", PKG.value), ("value_max", PKG.valueMax), ("cap", PKG.cap)):
            if e.get(key) is not None:
                self.add(N, prop, Literal(_decimal(e[key], cid), datatype=XSD.decimal))
        for key, prop in (("unit", PKG.unit), ("cap_unit", PKG.capUnit), ("frequency", PKG.frequency)):
            if e.get(key):
                self.add(N, prop, Literal(e[key]))
        for key, prop in (("per", PKG.per), ("beneficiary", PKG.beneficiary), ("accepted_by", PKG.acceptedBy),
                          ("deadline", PKG.deadline), ("text", PKG.text)):
            if e.get(key):
                self.add(N, prop, Literal(e[key], lang="zh"))
        self.conditions_of(cid, "entitlement", N, e, conditions)
        self.provenance(N, doc_id, E, [e["span"]])

    def condition(self, cid: str, K: URIRef, C: URIRef, doc_id: str, E: URIRef, c: dict) -> None:
        """A quantitative condition as ingest stored it (:class:`records.Condition`)."""
        kind = CONDITION_KINDS.get(c.get("kind"))
        if kind is None:
            raise GraphDataError(f"{cid}: condition kind {c.get('kind')!r} is not in graph.vocab.CONDITION_KINDS")
        if c.get("comparator") not in COMPARISONS:
            raise GraphDataError(f"{cid}: condition comparator {c.get('comparator')!r} is not in graph.vocab.COMPARISONS")
        self.add(K, RDF.type, PKG.Condition)
        self.add(K, PKG.statedIn, C)
        self.add(K, PKG.conditionKind, kind)
        self.add(K, PKG.measuredQuantity, Literal(c["subject"], lang="zh"))
        self.add(K, PKG.comparison, Literal(c["comparator"]))
        if c.get("comparator_text"):
            self.add(K, PKG.comparatorText, Literal(c["comparator_text"]))
        self.add(K, PKG.value, Literal(_decimal(c["value"], cid), datatype=XSD.decimal))
        if c.get("unit"):
            self.add(K, PKG.unit, Literal(c["unit"]))
        if c.get("canonical_value") is not None and c.get("canonical_unit"):
            self.add(K, PKG.canonicalValue, Literal(_decimal(c["canonical_value"], cid), datatype=XSD.decimal))
            self.add(K, PKG.canonicalUnit, Literal(c["canonical_unit"]))
        if c.get("scope"):
            self.add(K, PKG.appliesTo, Literal(c["scope"], lang="zh"))
        if c.get("consequence"):
            self.add(K, PKG.consequence, Literal(c["consequence"], lang="zh"))
        if c.get("year") is not None:
            self.add(K, PKG.deadlineYear, Literal(int(c["year"]), datatype=XSD.integer))
        if c.get("period"):
            self.add(K, PKG.period, Literal(c["period"]))
        if c.get("text"):
            self.add(K, PKG.text, Literal(c["text"], lang="zh"))
        self.provenance(K, doc_id, E, [c["span"]])

    def industry_mentions(self, cid: str, C: URIRef, doc_id: str, E: URIRef, mentions: list[dict]) -> None:
        by_id: dict[str, list[dict]] = {}
        for i in mentions:
            if self.scheme is not None and self.scheme.get(i["id"]) is None:
                raise GraphDataError(f"{cid}: industry {i['id']!r} is not in the industry scheme")
            by_id.setdefault(i["id"], []).append(i)
            self.facts.concepts.setdefault(i["id"], i.get("label") or i["id"])
        for concept_id, found in by_id.items():
            I = iris.statement(C, "industry", concept_id)
            K = iris.industry(concept_id)
            self.add(I, RDF.type, PKG.IndustryMention)
            self.add(I, PKG.statedIn, C)
            self.add(I, PKG.industry, K)
            for i in found:
                if i.get("as_written"):
                    self.add(I, PKG.asWritten, Literal(i["as_written"], lang="zh"))
            self.provenance(I, doc_id, E, [i["span"] for i in found])
            self.add(C, ELI.is_about, K)

    def citation(self, X: URIRef, C: URIRef, D: URIRef, doc_id: str, E: URIRef, x: dict) -> None:
        title, number = x.get("title") or "", x.get("number") or ""
        if not title and not number:
            return
        cited = self.cited_document(title, number)
        self.add(X, RDF.type, PKG.Citation)
        self.add(X, PKG.statedIn, C)
        if title:
            self.add(X, PKG.citedTitle, Literal(title, lang="zh"))
        if number:
            self.add(X, PKG.citedNumber, Literal(number))
        self.add(X, PKG.citedResource, cited)
        self.provenance(X, doc_id, E, [x["span"]])
        if cited != D:      # a notice naming the plan it issues is not a citation of another document
            self.add(C, ELI.cites, cited)
            self.add(D, ELI.cites, cited)

    def cited_document(self, title: str, number: str) -> URIRef:
        """The corpus document a citation names, else an external one (named in the facts)."""
        found = self.cited.get(citation_key(title, number))
        if found is None:
            raise GraphDataError(f"citation {title or number!r} was not resolved against the corpus")
        if not found.in_corpus:
            self.facts.cite_external(found.doc_id, found.title, found.number)
        return iris.document(found.doc_id)

    # ------------------------------------------------------------ agencies
    def canonical(self, name: str, region: str) -> str:
        if self.lexicon is not None:
            resolved = self.lexicon.resolve(name, region)
            if resolved:
                self.facts.agencies.add(resolved)
                return resolved
        self.facts.agencies.add(name)
        return name


def _decimal(value: Any, where: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise GraphDataError(f"{where}: value {value!r} is not a number") from None
    if not d.is_finite():
        raise GraphDataError(f"{where}: value {value!r} is not a finite number")
    return d
