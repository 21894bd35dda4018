"""The service reads one document when one is opened, not the whole corpus."""
from __future__ import annotations

from collections import Counter

from app.service import PolicyService
from ingest.files import iter_clauses


def test_a_clause_is_read_from_its_document_alone(built_data):
    svc = PolicyService(built_data)
    table = {c["id"]: c for c in iter_clauses(built_data)}
    sample = list(table)[::23]
    assert [svc.clause(cid) for cid in sample] == [table[cid] for cid in sample]
    assert svc.clause("jnygf-2024-195#九十九") is None and svc.clause("nope#1") is None
    assert "clauses" not in svc.corpus.__dict__     # the clause table was never loaded whole


def test_documents_hold_fields_and_counts_not_clauses(built_data):
    svc = PolicyService(built_data)
    per_document = Counter(c["doc_id"] for c in iter_clauses(built_data))
    assert {i: d["clause_count"] for i, d in svc.documents.items()} == per_document
    assert all("clauses" not in d for d in svc.documents.values())
    doc_id = next(iter(per_document))
    assert len(svc.document(doc_id)["clauses"]) == per_document[doc_id]
    assert svc.document(doc_id) is svc.document(doc_id)        # read once while it is open


def test_every_public_name_of_a_service_part_is_served_by_the_service():
    from app.service import _PART_CLASSES, SERVED_BY, PolicyService

    for part, cls in _PART_CLASSES.items():
        public = {n for n in vars(cls) if not n.startswith("_")} - {"remote_sparql", "sparql_examples"}
        assert public <= set(SERVED_BY[part]), (part, public - set(SERVED_BY[part]))
        assert all(hasattr(PolicyService, n) for n in SERVED_BY[part])


def test_a_table_shown_and_exported_asks_the_graph_once(built_data, monkeypatch):
    import graph.tables

    svc = PolicyService(built_data)
    asked = []
    real = graph.tables.agency_tasks
    monkeypatch.setattr(graph.tables, "agency_tasks", lambda store, doc=None: asked.append(doc) or real(store, doc))
    shown = svc.agency_task_matrix("jnygf-2024-195")
    shown[0]["agency"] = "changed by a caller"
    assert svc.export_table("matrix", "csv", document="jnygf-2024-195") and svc.export_table("matrix", "xlsx", document="jnygf-2024-195")
    assert svc.agency_task_matrix("jnygf-2024-195")[0]["agency"] != "changed by a caller"
    assert asked == ["jnygf-2024-195"]


def test_an_export_writes_the_rows_it_is_given_and_asks_the_graph_nothing(service, monkeypatch):
    import graph.tables

    rows = service.agency_task_matrix("jnygf-2024-195")
    expected = {fmt: service.export_table("matrix", fmt, document="jnygf-2024-195") for fmt in ("csv", "xlsx")}

    def no_query(*_args, **_kwargs):
        raise AssertionError("an export asked the graph")

    for name in ("agency_tasks", "targets", "incentives", "document_titles", "select"):
        monkeypatch.setattr(graph.tables, name, no_query)
    assert service.export_rows("matrix", rows, "csv") == expected["csv"]
    assert service.export_rows("matrix", rows, "xlsx")[:2] == b"PK"
    import csv
    import io

    table = list(csv.reader(io.StringIO(service.export_rows("matrix", rows[:1], "csv").decode("utf-8-sig"))))
    assert len(table) == 2 and table[1][0] == rows[0]["agency"]       # the header and the one row given
