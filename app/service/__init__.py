"""``PolicyService``: the one object the CLI, the Streamlit app and the HTTP API call.

It holds one loaded data folder, composed of parts that each do one job and
are handed what they read (no shared hidden state):

    corpus     documents, clauses, source texts          :class:`~app.service.documents.Corpus`
    knowledge  the graph: SPARQL, tables, networks, exports  :class:`~app.service.graphing.KnowledgeGraph`
    searcher   hybrid clause search and its facets       :class:`~app.service.searching.ClauseSearch`
    rules      a project profile against the clauses     :class:`~app.service.applying.ProjectRules`
    publisher  checked uploads, published by a rebuild   :class:`~app.service.uploads.Publisher`

Every public name of a part is served by the service itself (``svc.search(…)``,
``svc.documents``), as listed in :data:`SERVED_BY`.  Each part loads what it
reads on first use; heavy libraries are imported inside the methods that need them.
"""
from __future__ import annotations

from operator import attrgetter
from pathlib import Path

from app import version_lease
from app.paths import default_data
from app.service.applying import ProjectRules
from app.service.documents import Corpus
from app.service.graphing import KnowledgeGraph
from app.service.searching import MEASURE_NAMES, ClauseSearch
from app.service.uploads import MAX_UPLOAD_BYTES, Publisher, UploadRefused, safe_upload_name

__all__ = ["PolicyService", "DataNotBuilt", "UploadRefused", "safe_upload_name", "MAX_UPLOAD_BYTES", "MEASURE_NAMES"]


class DataNotBuilt(Exception):
    pass


class PolicyService:
    """One loaded data folder: its parts, and their public names (:data:`SERVED_BY`) on this object."""

    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data()
        manifest = self.data_dir / "manifest.json"
        if not manifest.exists():
            raise DataNotBuilt(f"{self.data_dir}: no built data here; run `policykg build --out {self.data_dir}` first")
        # Resolve the published version once, so a rebuild mid-session does not mix versions,
        # and hold it, so a build does not prune it while this object reads it.
        self.data_dir = self.data_dir.resolve()
        self._lease = version_lease.hold(self.data_dir)
        self.corpus = Corpus(self.data_dir)
        self.knowledge = KnowledgeGraph(self.data_dir, self.corpus)
        self.searcher = ClauseSearch(self.data_dir, self.corpus, self.knowledge)
        # the rules part ranks a profile's description with whatever serves this service's `search`
        self.rules = ProjectRules(self.corpus, search=lambda query, k=10: self.search(query, k=k))
        self.publisher = Publisher(self.data_dir, self.corpus)

    def release(self) -> None:
        """Let a build prune this object's version (it must not be read after this)."""
        if self._lease is not None:
            self._lease.close()
            self._lease = None

    # Need no data folder: callable on the class too (``PolicyService.remote_sparql(…)``).
    remote_sparql = staticmethod(KnowledgeGraph.remote_sparql)
    sparql_examples = staticmethod(KnowledgeGraph.sparql_examples)


# part → the names it serves on PolicyService
SERVED_BY: dict[str, tuple[str, ...]] = {
    "corpus": ("manifest", "documents", "metas", "document", "clauses", "clause", "source_text", "document_tree",
               "clause_context", "resolve_citation", "document_links"),
    "knowledge": ("graph_store", "graph", "graph_manifest", "sparql_result", "sparql", "push_graph",
                  "agency_task_matrix", "targets", "industry", "industries", "incentives", "entitlements", "agency_network",
                  "agency_centrality", "citation_network", "table_rows", "export_table", "export_rows", "export_graphml", "graph_dump",
                  "neighbourhood", "entity_graph", "graph_entities"),
    "searcher": ("search_engine", "search", "search_many", "search_facets"),
    "rules": ("apply", "apply_result", "apply_report", "write_apply_report", "check_entitlements"),
    "publisher": ("add_document", "remove_document", "_published_path"),
}
_PART_CLASSES = {"corpus": Corpus, "knowledge": KnowledgeGraph, "searcher": ClauseSearch, "rules": ProjectRules,
                 "publisher": Publisher}

for _part, _names in SERVED_BY.items():
    for _name in _names:
        _doc = getattr(getattr(_PART_CLASSES[_part], _name), "__doc__", None)
        setattr(PolicyService, _name, property(attrgetter(f"{_part}.{_name}"), doc=_doc))
