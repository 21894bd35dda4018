"""The knowledge graph of the loaded data folder: SPARQL, tables, exports, networks."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from app.service.corpus_reader import CorpusReader
from app.service.memo import remember_rows


class KnowledgeGraph(CorpusReader):
    """The graph is ``graph/`` in the data folder (see :mod:`graph.store`); these methods read it
    and return plain records, text or bytes for the CLI, the app and the API.  The corpus names
    the documents a table may be scoped to, and feeds the entity graph."""

    def __init__(self, data_dir: Path, corpus):
        self.data_dir = data_dir
        self.corpus = corpus

    @cached_property
    def graph_store(self):
        """The graph as a pyoxigraph ``Store`` (the on-disk store opened read-only, else loaded into memory)."""
        from graph.store import open_store

        return open_store(self.data_dir)

    @cached_property
    def graph(self):
        """The graph as an rdflib ``Graph`` over the same store (oxrdflib); for reading."""
        try:
            from oxrdflib import OxigraphStore
        except ImportError:
            raise ImportError("the graph as an rdflib Graph needs oxrdflib: pip install 'policykg[rdflib]'") from None
        from rdflib import Graph
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from graph.vocab import PREFIXES

        g = Graph(store=OxigraphStore(store=self.graph_store), identifier=DATASET_DEFAULT_GRAPH_ID)
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        return g

    @cached_property
    def graph_manifest(self) -> dict[str, Any]:
        from graph.store import read_manifest

        return read_manifest(self.data_dir)

    def sparql_result(self, query: str, *, timeout: float | None = 30.0, limit: int = 10_000):
        """A read-only query (SELECT/ASK/CONSTRUCT/DESCRIBE) as a :class:`graph.query.QueryResult`.

        Runs in a child process killed after ``timeout`` seconds; at most ``limit`` rows.
        Raises :class:`graph.query.QueryRefused` for updates, :class:`graph.query.QueryTimeout`,
        :class:`graph.query.QueryError` (all ``ValueError``)."""
        from app.redact import hide_paths
        from graph.query import QueryError, run_query

        try:
            return run_query(query, data_dir=self.data_dir, timeout=timeout, limit=limit)
        except QueryError as err:   # e.g. a store that cannot be opened: say so without the server's paths
            raise type(err)(hide_paths(str(err), {self.data_dir: "data"})) from None

    def sparql(self, query: str, fmt: str = "json", *, timeout: float | None = 30.0, limit: int = 10_000) -> str | dict:
        """:meth:`sparql_result` rendered: ``json`` (a dict, SPARQL JSON results or JSON-LD), ``csv``, ``tsv``,
        ``xml``, ``table``, and for CONSTRUCT/DESCRIBE ``turtle``, ``nt``, ``jsonld`` (text)."""
        from graph.query import format_result

        return format_result(self.sparql_result(query, timeout=timeout, limit=limit), fmt)

    @staticmethod
    def remote_sparql(query: str, endpoint: str, fmt: str = "json", *, graph: str | None = None,
                      timeout: float | None = 30.0, limit: int = 10_000) -> str | dict:
        """As :meth:`sparql`, against a remote SPARQL 1.1 endpoint (no data folder needed).

        ``graph`` is the graph to query (default: the one ``policykg graph push`` writes;
        ``default`` for the server's default graph)."""
        from graph.query import format_result, run_query

        return format_result(run_query(query, endpoint=endpoint, graph=graph, timeout=timeout, limit=limit), fmt)

    def push_graph(self, endpoint: str, *, update_endpoint: str | None = None, graph: str | None = None,
                   progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
        """Replace ``graph`` on a remote SPARQL 1.1 endpoint with this data folder's graph (see :mod:`graph.remote`)."""
        from graph.remote import push
        from graph.store import NT_FILE, graph_dir

        return push(graph_dir(self.data_dir) / NT_FILE, endpoint, update_endpoint=update_endpoint, graph=graph,
                    progress=progress)

    @remember_rows
    def agency_task_matrix(self, document: str | None = None, first_listed_leads: bool = False) -> list[dict[str, Any]]:
        """Who leads (牵头), supports (配合), is listed for (责任单位) or acts in (责任主体) which task: rows of
        ``agency, role, document, clause_id, heading, path, excerpt`` in document and text order, leads first.
        ``first_listed_leads``: read a plain 责任单位 list as led by its first agency (see
        :func:`graph.tables.agency_tasks`)."""
        from graph.tables import agency_tasks

        self._check_document(document)
        if first_listed_leads:
            return agency_tasks(self.graph_store, document, first_listed_leads=True)
        return agency_tasks(self.graph_store, document)

    @remember_rows
    def targets(self, *, year: int | None = None, region: str | None = None, document: str | None = None,
                indicator: str | None = None) -> list[dict[str, Any]]:
        """Quantified targets: ``year, region, indicator, comparator, value, unit, baseline, firmness,
        document, clause_id, source_text``, by year then document order."""
        from graph.tables import targets

        self._check_document(document)
        return targets(self.graph_store, year=year, region=region, document=document, indicator=indicator)

    def industry(self, text: str) -> dict[str, Any] | None:
        """The industry concept for an id, label or synonym (``id, label, alt, gbt4754, broader``), or None."""
        from graph.tables import resolve_industry

        return resolve_industry(self.graph_store, text)

    def industries(self) -> list[dict[str, Any]]:
        from graph.tables import industry_concepts

        return industry_concepts(self.graph_store)

    @remember_rows
    def incentives(self, industry: str) -> list[dict[str, Any]]:
        """Sentences that support (支持) or restrict (限制) an industry or a narrower one: ``industry,
        industry_id, stance, instrument, match, document, clause_id, heading, text``.  Raises
        ``ValueError`` when ``industry`` names no concept."""
        from graph.tables import incentives

        concept = self.industry(industry)
        if concept is None:
            raise ValueError(f"no industry {industry!r} in the industry scheme (give an id, a label or a synonym)")
        rows = incentives(self.graph_store, concept["id"])
        for row in rows:
            row["amount"] = self._amount(row["clause_id"], row["text"])
        return rows

    def _amount(self, clause_id: str, sentence: str) -> str:
        """What the sentence grants, from its clause's entitlements (``450万元（一次性）``), or ""."""
        from ingest.extract.entitlements import describe

        clause = self.clause(clause_id) or {}
        found = [describe(e) for e in clause.get("entitlements") or [] if e.get("text") == sentence]
        return "；".join(dict.fromkeys(f for f in found if f))

    def entitlements(self, document: str | None = None) -> list[dict[str, Any]]:
        """Every entitlement (award, subsidy … with amount, cap, beneficiary and the conditions to
        qualify, each as ``subject comparator value unit``), with its document and clause."""
        self._check_document(document)
        out = []
        for clause in self.clauses.values():
            if document and clause.get("doc_id") != document:
                continue
            conditions = clause.get("conditions") or []
            for e in clause.get("entitlements") or []:
                row = {k: v for k, v in e.items() if k not in ("conditions", "sentence")}
                row["conditions"] = [{k: conditions[i][k] for k in ("subject", "comparator", "value", "unit", "text")}
                                     for i in e.get("conditions") or [] if i < len(conditions)]
                row.update(document=clause.get("doc_id", clause["id"].partition("#")[0]), clause_id=clause["id"])
                out.append(row)
        return out

    def agency_network(self, document: str | None = None):
        """The agency co-responsibility network (networkx ``Graph``, edge ``weight`` = shared tasks)."""
        from graph.networks import agency_network

        self._check_document(document)
        return agency_network(self.graph_store, document)

    def agency_centrality(self, document: str | None = None) -> list[dict[str, Any]]:
        """Agencies by how much they coordinate: tasks led/supported, partners, shared tasks, centralities."""
        from graph.networks import agency_centrality

        self._check_document(document)
        return agency_centrality(self.graph_store, document)

    def citation_network(self):
        """The document citation network (networkx ``DiGraph``, citing → cited)."""
        from graph.networks import citation_network

        return citation_network(self.graph_store)

    def table_rows(self, name: str, **options) -> list[dict[str, Any]]:
        """The rows of table ``matrix`` (``document``, ``first_listed_leads``), ``targets`` (its filters),
        ``incentives`` (``industry``) or ``centrality`` (``document``), as :meth:`export_rows` takes them."""
        from graph.exports import check_table

        check_table(name)
        if name == "matrix":
            # the same call as the page makes unless asked otherwise, so the remembered rows serve both
            return (self.agency_task_matrix(options.get("document"), True) if options.get("first_listed_leads")
                    else self.agency_task_matrix(options.get("document")))
        if name == "targets":
            return self.targets(**options)
        if name == "incentives":
            return self.incentives(options["industry"])
        return self.agency_centrality(options.get("document"))

    def export_table(self, name: str, fmt: str = "csv", ascii_headers: bool = False, **options) -> bytes:
        """``matrix``, ``targets``, ``incentives`` (``industry=…``) or ``centrality`` as CSV (UTF-8 with BOM)
        or Excel bytes: :meth:`table_rows` written by :meth:`export_rows`."""
        title = f"产业政策_{options.get('industry', '')}" if name == "incentives" else None
        return self.export_rows(name, self.table_rows(name, **options), fmt, ascii_headers=ascii_headers, title=title)

    def export_rows(self, name: str, rows: list[dict[str, Any]], fmt: str = "csv", *, ascii_headers: bool = False,
                    title: str | None = None) -> bytes:
        """Rows of table ``name`` already fetched (:meth:`table_rows`, or the page's own call) as CSV (UTF-8
        with BOM) or Excel bytes (:func:`graph.exports.table_bytes`); asks the graph nothing.  The matrix
        workbook has a summary sheet and one sheet per document.

        Column names are Chinese, each row has its document's title beside its id and
        the whole clause or sentence (no cut excerpt).  ``ascii_headers`` gives the
        ASCII column names scripts use, in their old order, the new columns last."""
        from graph.exports import table_bytes

        if name == "matrix":
            rows = [{**r, "text": (self.clause(r["clause_id"]) or {}).get("text") or r.get("excerpt", "")} for r in rows]
        rows = [{**r, "doc_title": self._doc_title(r["document"])} if "document" in r else r for r in rows]
        documents = {doc_id: {"number": meta.number or "", "title": meta.title} for doc_id, meta in self.metas.items()}
        return table_bytes(name, rows, fmt, ascii_headers=ascii_headers, title=title, documents=documents)

    def _doc_title(self, doc_id: str | None) -> str:
        meta = self.metas.get(doc_id or "")
        return meta.title if meta else ""

    def export_graphml(self, network: str, document: str | None = None) -> bytes:
        """The ``agencies`` or ``citations`` network as GraphML."""
        import io

        from graph.networks import write_graphml

        if network == "agencies":
            g = self.agency_network(document)
        elif network == "citations":
            g = self.citation_network()
        else:
            raise ValueError(f"no network {network!r} (agencies, citations)")
        buf = io.BytesIO()
        write_graphml(g, buf)
        return buf.getvalue()

    def graph_dump(self, fmt: str = "turtle") -> bytes:
        """The whole graph (data and ontology) as ``turtle``, ``nt`` (sorted N-Triples) or ``json-ld``."""
        from graph.store import NT_FILE, graph_dir

        if fmt == "nt":
            return (graph_dir(self.data_dir) / NT_FILE).read_bytes()
        import pyoxigraph as ox

        from graph.vocab import PREFIXES

        formats = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD}
        if fmt not in formats:
            raise ValueError(f"unknown graph format {fmt!r} (turtle, json-ld, nt)")
        # Prefixes whose local names are plain words; minted IRIs (doc/, agency/ …) stay whole.
        prefixes = {p: ns for p, ns in PREFIXES.items() if ns.endswith("#") or p in ("dcterms",)}
        # Streamed from the N-Triples dump, not the store: Oxigraph stores xsd:nonNegativeInteger as xsd:integer.
        triples = ox.parse(path=str(graph_dir(self.data_dir) / NT_FILE), format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(triples, format=formats[fmt], prefixes=prefixes)

    def _check_document(self, document: str | None) -> None:
        if document is not None and document not in self.documents:
            raise ValueError(f"no document {document!r} (ids: {', '.join(sorted(self.documents))})")

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 60) -> dict[str, Any]:
        """The nodes within ``depth`` links of ``node_id`` in the entity graph, for drawing
        (:func:`graph.entities.neighbourhood`); ``KeyError`` for an unknown node."""
        from graph.entities import neighbourhood

        return neighbourhood(self.entity_graph, node_id, depth, limit)

    @cached_property
    def entity_graph(self):
        """Documents, clauses, agencies, industries and cited documents as one networkx graph
        (:func:`graph.entities.entity_graph`), from the clause records the knowledge graph is built from."""
        from graph.entities import entity_graph

        by_doc: dict[str, list[dict[str, Any]]] = {doc_id: [] for doc_id in self.documents}
        for clause in self.clauses.values():
            by_doc.setdefault(clause["doc_id"], []).append(clause)
        return entity_graph({"document": d["document"], "clauses": by_doc[i]} for i, d in self.documents.items())

    def graph_entities(self) -> list[dict[str, str]]:
        """Agencies, industries, documents and clauses of :meth:`entity_graph`, for choosing a centre:
        ``[{id, kind, label, links}]``, most linked first within each kind."""
        from graph.entities import entity_rows

        return entity_rows(self.entity_graph)

    @staticmethod
    def sparql_examples() -> dict[str, str]:
        """The worked SPARQL queries shipped in ``graph/queries`` (file name → query text)."""
        import graph

        folder = Path(graph.__file__).resolve().parent / "queries"
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.rq"))}
