"""``PolicyService``: the one object the CLI, the Streamlit app and the HTTP API call.

It holds the loaded data folder (documents, clauses, graph, indexes), loads
each part lazily on first use, and has no user-interface logic of its own.
Heavy libraries are imported inside the methods that need them.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from app.paths import default_data


class DataNotBuilt(Exception):
    pass


class PolicyService:
    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data()
        manifest = self.data_dir / "manifest.json"
        if not manifest.exists():
            raise DataNotBuilt(f"{self.data_dir}: no built data here; run `policykg build --out {self.data_dir}` first")
        # Resolve the published version once, so a rebuild mid-session does not mix versions.
        self.data_dir = self.data_dir.resolve()

    # -- documents and clauses ------------------------------------------------
    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.data_dir / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Document id → the extract JSON of that document."""
        from ingest.store import load_documents

        return {d["document"]["id"]: d for d in load_documents(self.data_dir)}

    @cached_property
    def clauses(self) -> dict[str, dict[str, Any]]:
        """Clause id → clause record (with ``doc_id``, ``doc_title``, ``region`` …)."""
        from ingest.store import iter_clauses

        return {c["id"]: c for c in iter_clauses(self.data_dir)}

    def clause(self, clause_id: str) -> dict[str, Any] | None:
        return self.clauses.get(clause_id)

    def source_text(self, doc_id: str) -> str:
        from ingest.store import load_source

        return load_source(self.data_dir, doc_id)

    # -- clause search -------------------------------------------------------------
    @cached_property
    def search_engine(self):
        """The search indexes of this data folder (:class:`search.engine.SearchEngine`), loaded on first use."""
        from search.engine import SearchEngine

        return SearchEngine.load(self.data_dir)

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None,
               mode: str = "hybrid") -> list[dict[str, Any]]:
        """The ``k`` best clauses for ``query`` as JSON hits (:meth:`search.engine.Hit.to_json`).

        ``filters`` maps region / document / issuer / agency / industry / measure /
        year / valid to a value or a list of values (any of them); an unknown
        filter or value raises ``ValueError`` saying what is known.
        """
        from search.filters import Filters

        hits = self.search_engine.search(query, k, Filters.from_mapping(filters), mode)
        return [h.to_json() for h in hits]

    def search_many(self, queries: list[str], k: int = 10, filters: dict[str, Any] | None = None,
                    mode: str = "hybrid") -> list[list[dict[str, Any]]]:
        """:meth:`search` for many queries at once (the dense side runs as one batch)."""
        from search.filters import Filters

        found = self.search_engine.search_many(queries, k, Filters.from_mapping(filters), mode)
        return [[h.to_json() for h in hits] for hits in found]

    # -- knowledge graph ------------------------------------------------------------
    # The graph is graph/ in the data folder (see graph.store); these methods read it
    # and return plain records, text or bytes for the CLI, the app and the API.
    @cached_property
    def graph_store(self):
        """The graph as a pyoxigraph ``Store`` (the on-disk store opened read-only, else loaded into memory)."""
        from graph.store import open_store

        return open_store(self.data_dir)

    @cached_property
    def graph(self):
        """The graph as an rdflib ``Graph`` over the same store (oxrdflib); for reading."""
        from oxrdflib import OxigraphStore
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
        from graph.query import run_query

        return run_query(query, data_dir=self.data_dir, timeout=timeout, limit=limit)

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

    def agency_task_matrix(self, document: str | None = None) -> list[dict[str, Any]]:
        """Who leads (牵头) or supports (配合) which task: rows of ``agency, role, document, clause_id,
        heading, path, excerpt`` in document and text order, leads first."""
        from graph.tables import agency_tasks

        self._check_document(document)
        return agency_tasks(self.graph_store, document)

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

    def incentives(self, industry: str) -> list[dict[str, Any]]:
        """Sentences that support (支持) or restrict (限制) an industry or a narrower one: ``industry,
        industry_id, stance, instrument, match, document, clause_id, heading, text``.  Raises
        ``ValueError`` when ``industry`` names no concept."""
        from graph.tables import incentives

        concept = self.industry(industry)
        if concept is None:
            raise ValueError(f"no industry {industry!r} in the industry scheme (give an id, a label or a synonym)")
        return incentives(self.graph_store, concept["id"])

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

    def export_table(self, name: str, fmt: str = "csv", **options) -> bytes:
        """``matrix``, ``targets``, ``incentives`` (``industry=…``) or ``centrality`` as CSV (UTF-8 with BOM)
        or Excel bytes; the matrix workbook has a summary sheet and one sheet per document."""
        import io

        from graph import exports, networks, tables

        if name == "matrix":
            rows, columns = self.agency_task_matrix(options.get("document")), tables.MATRIX_COLUMNS
        elif name == "targets":
            rows, columns = self.targets(**options), tables.TARGET_COLUMNS
        elif name == "incentives":
            rows, columns = self.incentives(options["industry"]), tables.INCENTIVE_COLUMNS
        elif name == "centrality":
            rows, columns = self.agency_centrality(options.get("document")), networks.CENTRALITY_COLUMNS
        else:
            raise ValueError(f"no table {name!r} (matrix, targets, incentives, centrality)")
        if fmt == "csv":
            return exports.to_csv(rows, columns).encode("utf-8")
        if fmt != "xlsx":
            raise ValueError(f"unknown table format {fmt!r} (csv, xlsx)")
        buf = io.BytesIO()
        if name == "matrix":
            exports.matrix_xlsx(rows, tables.document_titles(self.graph_store), buf)
        else:
            exports.table_xlsx(rows, columns, buf, title=name)
        return buf.getvalue()

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

    # -- which rules apply to a project ------------------------------------------
    def apply(self, profile: dict[str, Any] | str | Path) -> dict[str, Any]:
        """The rules that apply to a project profile, why, and its quantitative conditions checked.

        ``profile`` is a dict of profile fields or a JSON file path (see
        :mod:`app.applicability.profile`).  Returns the JSON shape of
        ``policykg apply --json``: ``{"rules": [{"clause_id", "group", "text", "why", …}],
        "conditions": [{"clause_id", "text", "subject", "comparator", "value", "unit",
        "status", "explanation", …}], "triggers", "not_applicable", …}``.  Raises
        :class:`app.applicability.profile.ProfileError` (a ``ValueError``) for a bad profile.
        """
        return self.apply_result(profile).to_json()

    def apply_result(self, profile: dict[str, Any] | str | Path, cap: int | None = None):
        """As :meth:`apply`, as the engine's :class:`~app.applicability.matcher.Applicability`
        object; ``cap`` clauses shown per group (default 30)."""
        from app.applicability.matcher import CAP, apply_profile
        from app.applicability.profile import load_profile
        from ingest.extract.lexicon import load_industry_scheme

        parsed = load_profile(profile)
        return apply_profile(parsed, self.clauses.values(), scheme=load_industry_scheme(),
                             sources=self.source_text, search=self._description_search(parsed), cap=cap or CAP)

    def apply_report(self, profile: dict[str, Any] | str | Path, fmt: str = "md") -> str | bytes:
        """The applicability report as Markdown text (``fmt="md"``) or Excel bytes (``fmt="xlsx"``)."""
        import tempfile

        from app.applicability.report import render_markdown

        result = self.apply_result(profile)
        if fmt == "md":
            return render_markdown(result, self._report_meta())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"report.{fmt}"
            self.write_apply_report(result, path)
            return path.read_bytes()

    def write_apply_report(self, result, path: Path) -> None:
        """Write an applicability result as ``.md`` or ``.xlsx``; ``.pdf`` raises ``ReportError`` saying why not."""
        from app.applicability.report import write_report

        write_report(result, Path(path), self._report_meta())

    def _report_meta(self) -> dict[str, Any]:
        import time

        return {"data_dir": str(self.data_dir), "built_at": self.manifest.get("built_at", ""),
                "documents": len(self.documents), "made_at": time.strftime("%Y-%m-%d %H:%M")}

    def _description_search(self, profile):
        """Clause ids ranked for the profile's description by this build's search, if it has one."""
        search = getattr(self, "search", None)
        if not profile.get("description") or not callable(search):
            return None

        def ranked(query: str, k: int):
            for hit in search(query, k=k):
                hit = hit if isinstance(hit, dict) else vars(hit)
                yield hit.get("clause_id") or hit.get("id"), float(hit.get("score") or 0.0)

        return ranked

    # -- app and API helpers: clause trees, clause context, uploads ------------
    # (the documents page, the search results' context, the upload form)

    def document_tree(self, doc_id: str) -> dict[str, Any]:
        """A document as nested sections, for reading it as its clause tree.

        Returns ``{"document": fields, "warnings": [...], "children": [node, …]}``
        where a node is ``{"type": "section", "number", "heading", "children"}``
        or ``{"type": "clause", "clause": record}``, in document order.
        Raises ``KeyError`` for an unknown document id.
        """
        doc = self.documents[doc_id]
        root: dict[str, Any] = {"children": []}
        for clause in _document_order(doc):
            node = root
            for number, heading in _section_path(clause):
                last = node["children"][-1] if node["children"] else None
                if last and last["type"] == "section" and (last["number"], last["heading"]) == (number, heading):
                    node = last
                else:
                    node["children"].append({"type": "section", "number": number, "heading": heading, "children": []})
                    node = node["children"][-1]
            node["children"].append({"type": "clause", "clause": clause})
        return {"document": doc["document"], "warnings": doc.get("warnings", []), "children": root["children"]}

    def clause_context(self, clause_id: str, before: int = 1, after: int = 1) -> dict[str, Any] | None:
        """A clause in its document: the document's fields, the enclosing sections,
        and the ``before``/``after`` clauses next to it in document order (``None`` for an unknown id)."""
        clause = self.clause(clause_id)
        if clause is None:
            return None
        doc = self.documents[clause["doc_id"]]
        seq = _document_order(doc)
        i = next(n for n, c in enumerate(seq) if c["id"] == clause_id)
        return {
            "clause": clause,
            "document": doc["document"],
            "sections": [{"number": n, "heading": h} for n, h in _section_path(clause)],
            "before": seq[max(0, i - before):i],
            "after": seq[i + 1:i + 1 + after],
            "position": i + 1,
            "total": len(seq),
        }

    def add_document(self, filename: str, data: bytes, progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
        """Add an uploaded file to the corpus and publish a rebuilt data version.

        Checks come before anything is kept: a safe name (:func:`safe_upload_name`),
        the size limit (:data:`MAX_UPLOAD_BYTES`), the format sniffed from the
        bytes by :func:`ingest.readers.read_source`, that it parses into clauses,
        and that neither its content nor its document id is in the corpus
        already.  The file is then kept (named after its real format) in
        ``.<data>.versions/uploads/`` and the original corpus plus every upload
        is rebuilt into the data folder by :func:`app.build.build`, which
        includes that uploads folder in every later build of the same data
        folder (atomic publish; a failed build keeps the old data).  This object goes on
        serving the version it loaded: load a new ``PolicyService`` to see the
        document.

        Returns ``{"doc_id", "title", "number", "region", "clauses", "format",
        "file", "warnings", "seconds"}``; raises :class:`UploadRefused`.
        """
        import hashlib
        import tempfile

        from app.build import BuildError, build, uploads_dir
        from ingest.errors import IngestError
        from ingest.pipeline import parse_document

        name = safe_upload_name(filename)
        if not data:
            raise UploadRefused("empty", f"{name}: the file is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise UploadRefused("size", f"{name}: {len(data) / 2**20:.1f} MB, over the {MAX_UPLOAD_BYTES // 2**20} MB limit")
        out = self._published_path()
        uploads = uploads_dir(out)
        uploads.mkdir(parents=True, exist_ok=True)

        progress(f"检查文件 {name}（{len(data) / 1024:.0f} KB）")
        with tempfile.TemporaryDirectory(dir=uploads.parent, prefix="upload-") as tmp:
            probe = Path(tmp) / name
            probe.write_bytes(data)
            try:
                parsed = parse_document(probe)
            except IngestError as err:
                raise UploadRefused("format", f"{name}: {err.problem}") from None
        meta = parsed.meta
        sha = hashlib.sha256(data).hexdigest()
        for other in self.documents.values():
            fields = other["document"]
            if fields.get("source_sha256") == sha:
                raise UploadRefused("duplicate", f"{name}: same content as 《{fields['title']}》 ({fields['id']}), already in the corpus")
            if fields["id"] == meta.id:
                raise UploadRefused("duplicate", f"{name}: document id {meta.id} is taken by 《{fields['title']}》 (same number or title)")
        progress(f"已解析：《{meta.title}》，{len(parsed.clauses)} 条条款")

        stem, suffix = name.rpartition(".")[0] or name, meta.source_format or "txt"
        kept, n = uploads / f"{stem}.{suffix}", 2
        while kept.exists():
            kept, n = uploads / f"{stem}-{n}.{suffix}", n + 1
        kept.write_bytes(data)
        try:
            # Incremental: only the new file is parsed; the build lock serialises uploads.
            report = build(Path(self.manifest["corpus"]), out, settings=self.manifest.get("settings") or {},
                           progress=progress, stages=bool(self.manifest.get("stages")))
        except BuildError as err:
            kept.unlink(missing_ok=True)
            reason = "busy" if "another build" in str(err) else "build"
            raise UploadRefused(reason, str(err)) from None
        if meta.id not in report.documents:
            kept.unlink(missing_ok=True)
            why = [r for r in report.refused + report.warnings if kept.name in r]
            raise UploadRefused("build", "; ".join(why) or f"{name} was not added by the build")
        progress(f"完成：语料共 {len(report.documents)} 份文件，用时 {report.seconds:.1f} 秒")
        return {
            "doc_id": meta.id, "title": meta.title, "number": meta.number, "region": meta.region,
            "clauses": len(parsed.clauses), "format": meta.source_format, "file": kept.name,
            "warnings": list(parsed.warnings), "seconds": report.seconds,
        }

    def search_facets(self) -> dict[str, dict[str, str]]:
        """The values each search filter can take in this corpus, as ``{filter: {value: label}}``.

        ``region``, ``document`` (id → title), ``agency`` (responsible agencies
        named in clauses), ``industry`` (concept id → label: the mentioned
        concepts and their broader ones), ``measure`` (type → 中文), ``year``
        (target years, as text).  Values are what :meth:`search` filters take.
        Computed once per loaded data version.
        """
        return self._search_facets

    @cached_property
    def _search_facets(self) -> dict[str, dict[str, str]]:
        from collections import Counter

        agencies: Counter[str] = Counter()
        industries: dict[str, str] = {}
        measures: set[str] = set()
        years: set[int] = set()
        for clause in self.clauses.values():
            agencies.update({a["name"] for a in clause.get("agencies") or []})
            industries.update({i["id"]: i["label"] for i in clause.get("industries") or []})
            measures.update(m["type"] for m in clause.get("measures") or [])
            years.update(t["year"] for t in clause.get("targets") or [] if t.get("year"))
        try:
            concepts = {c["id"]: c for c in self.industries()}
        except Exception:  # a data folder without the graph stage: the mentioned concepts only
            concepts = {}
        todo = list(industries)
        while todo:
            for broader in concepts.get(todo.pop(), {}).get("broader", []):
                if broader not in industries and broader in concepts:
                    industries[broader] = concepts[broader]["label"]
                    todo.append(broader)
        return {
            "region": {r: r for r in sorted({d["document"].get("region") or "" for d in self.documents.values()} - {""})},
            "document": {i: d["document"]["title"] for i, d in self.documents.items()},
            "agency": {a: a for a, _ in sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0]))},
            "industry": dict(sorted(industries.items(), key=lambda kv: kv[1])),
            "measure": {m: MEASURE_NAMES.get(m, m) for m in sorted(measures, key=lambda m: list(MEASURE_NAMES).index(m) if m in MEASURE_NAMES else 99)},
            "year": {str(y): f"{y}年" for y in sorted(years)},
        }

    def neighbourhood(self, node_id: str, depth: int = 1, limit: int = 60) -> dict[str, Any]:
        """The nodes within ``depth`` links of ``node_id`` in the entity graph, for drawing.

        The entity graph (:meth:`entity_graph`) links a clause to its document,
        to the agencies that lead or support it, to the industries it names and
        to the documents it cites.  Node ids are ``doc:<id>``, ``clause:<id>``,
        ``agency:<name>``, ``industry:<concept id>`` and ``cited:<title>`` for a
        cited document outside the corpus.  At most ``limit`` nodes,
        nearest first.  Returns ``{"center", "nodes": [{id, kind, label, depth}],
        "edges": [{source, target, label}], "truncated"}``; ``KeyError`` for an unknown node.
        """
        g = self.entity_graph
        if node_id not in g:
            raise KeyError(node_id)
        seen = {node_id: 0}
        frontier = [node_id]
        truncated = False
        for level in range(1, depth + 1):
            nxt = []
            for node in frontier:
                for other in sorted(set(g.successors(node)) | set(g.predecessors(node)), key=lambda n: (g.nodes[n]["kind"], n)):
                    if other in seen:
                        continue
                    if len(seen) >= limit:
                        truncated = True
                        break
                    seen[other] = level
                    nxt.append(other)
            frontier = nxt
        nodes = [{"id": n, "kind": g.nodes[n]["kind"], "label": g.nodes[n]["label"], "depth": d} for n, d in seen.items()]
        edges = [{"source": a, "target": b, "label": data["label"]}
                 for a, b, data in g.edges(data=True) if a in seen and b in seen]
        return {"center": node_id, "nodes": nodes, "edges": edges, "truncated": truncated}

    @cached_property
    def entity_graph(self):
        """A networkx ``MultiDiGraph`` of documents, clauses, agencies and industries (see :meth:`neighbourhood`),
        from the same clause records the knowledge graph is built from."""
        import networkx as nx

        g = nx.MultiDiGraph()
        titles = {i: d["document"]["title"] for i, d in self.documents.items()}
        for doc_id, title in titles.items():
            g.add_node(f"doc:{doc_id}", kind="document", label=title)
        for cid, clause in self.clauses.items():
            node = f"clause:{cid}"
            g.add_node(node, kind="clause", label=f"{clause['path']} {clause.get('heading') or clause['text'][:16]}".strip())
            g.add_edge(f"doc:{clause['doc_id']}", node, label="包含")
            for a in clause.get("agencies") or []:
                g.add_node(f"agency:{a['name']}", kind="agency", label=a["name"])
                role = "牵头" if a.get("role") == "lead" else "配合"
                if not g.has_edge(f"agency:{a['name']}", node):
                    g.add_edge(f"agency:{a['name']}", node, label=role)
            for i in clause.get("industries") or []:
                g.add_node(f"industry:{i['id']}", kind="industry", label=i["label"])
                if not g.has_edge(node, f"industry:{i['id']}"):
                    g.add_edge(node, f"industry:{i['id']}", label="涉及")
            for x in clause.get("cites") or []:
                corpus_doc = next((i for i, t in titles.items() if x.get("title") and x["title"] in t), None)
                if corpus_doc is not None:
                    target = f"doc:{corpus_doc}"
                elif x.get("title") or x.get("number"):
                    target = f"cited:{x.get('title') or x.get('number')}"
                    g.add_node(target, kind="cited", label=f"《{x['title']}》" if x.get("title") else x["number"])
                else:
                    continue
                if not g.has_edge(node, target):
                    g.add_edge(node, target, label="引用")
        return g

    def graph_entities(self) -> list[dict[str, str]]:
        """Agencies, industries, documents and clauses of :meth:`entity_graph`, for choosing a centre:
        ``[{id, kind, label, links}]``, most linked first within each kind."""
        g = self.entity_graph
        kinds = {"agency": 0, "industry": 1, "document": 2, "clause": 3}
        rows = [{"id": n, "kind": data["kind"], "label": data["label"], "links": g.degree(n)}
                for n, data in g.nodes(data=True) if data["kind"] in kinds]
        return sorted(rows, key=lambda r: (kinds[r["kind"]], -r["links"], r["label"]))

    @staticmethod
    def sparql_examples() -> dict[str, str]:
        """The worked SPARQL queries shipped in ``graph/queries`` (file name → query text)."""
        folder = Path(__file__).resolve().parent.parent / "graph" / "queries"
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.rq"))}

    def _published_path(self) -> Path:
        """The data folder path a build publishes to (the symlink to this version)."""
        versions = self.data_dir.parent
        if versions.name.startswith(".") and versions.name.endswith(".versions"):
            return versions.parent / versions.name[1:-len(".versions")]
        raise UploadRefused("readonly", f"{self.data_dir} is not a published build (made by `policykg build`); documents cannot be added to it")


# -- helpers of the app and API block above -------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MEASURE_NAMES = {"task": "任务", "incentive": "激励", "restriction": "限制", "requirement": "要求",
                 "target": "目标", "definition": "定义"}


class UploadRefused(ValueError):
    """An uploaded file was not added.

    ``reason`` is one of ``name``, ``size``, ``empty``, ``format``, ``duplicate``,
    ``busy``, ``readonly``, ``build``; ``detail`` says what was wrong, in the
    words of the check that refused it.
    """

    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def safe_upload_name(name: str) -> str:
    """A file name that is safe to write: no folders, no hidden or control characters.

    ``../../etc/passwd`` → ``passwd``; ``C:\\x\\方案.docx`` → ``方案.docx``;
    raises :class:`UploadRefused` when nothing usable is left.
    """
    import re
    import unicodedata

    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip()[:80]
    if not stem:
        raise UploadRefused("name", f"{name!r} is not a usable file name")
    return f"{stem}.{suffix[:10]}" if suffix else stem


def _document_order(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(doc["clauses"], key=lambda c: (c["span"][0], c["span"][1]))


def _section_path(clause: dict[str, Any]) -> list[tuple[str, str]]:
    """``[(number, heading), …]`` of the sections enclosing a clause, outermost first."""
    segments = clause["path"].split(".")
    return [(segments[i] if i < len(segments) - 1 else "", heading) for i, heading in enumerate(clause["parents"])]
