"""Each page works its answer out once per rerun: the tables and the project check are
computed once, however many views (table, chart, CSV, Excel, Markdown report) show them."""
from __future__ import annotations

import pytest

GUANGXI_STEEL = {"region": "广西壮族自治区", "industry": "钢铁", "direct_line_km": "60", "grid_voltage_kv": "110"}


def count_calls(monkeypatch, owner, name: str) -> list:
    """Calls to ``owner.name`` from now on (the function still runs)."""
    calls: list = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def ready_page(open_page, page: str, query: dict[str, str]):
    """The page ready to run over a fresh service (nothing remembered from other tests)."""
    from app.ui import state

    state._load_service.clear()
    return open_page(page, query, run=False)


@pytest.mark.parametrize("page, query, service_call, work", [
    ("views/matrix_page.py", {}, "agency_task_matrix", ("graph.tables", "agency_tasks")),
    ("views/targets_page.py", {}, "targets", ("graph.tables", "targets")),
    ("views/incentives_page.py", {"industry": "steel"}, "incentives", ("graph.tables", "incentives")),
])
def test_a_table_page_queries_the_graph_once_for_its_table_and_both_downloads(open_page, monkeypatch, page, query,
                                                                                service_call, work):
    import importlib

    from app.service.graphing import KnowledgeGraph

    at = ready_page(open_page, page, query)
    asked = count_calls(monkeypatch, KnowledgeGraph, service_call)
    queried = count_calls(monkeypatch, importlib.import_module(work[0]), work[1])
    at.run()
    assert not at.exception, at.exception
    assert {b.proto.label for b in at.get("download_button")} >= {"下载 CSV", "下载 Excel"}
    assert len(asked) == 1, f"the page asked the service for its table {len(asked)} times"
    assert len(queried) == 1, f"the graph was queried {len(queried)} times"


def test_the_project_page_checks_a_profile_once_for_the_page_and_both_reports(open_page, monkeypatch):
    import rules.entitlements
    import rules.match

    at = ready_page(open_page, "views/project_page.py", GUANGXI_STEEL)
    applied = count_calls(monkeypatch, rules.match, "apply_profile")
    granted = count_calls(monkeypatch, rules.entitlements, "project_entitlements")
    at.run()
    assert not at.exception, at.exception
    assert {b.proto.label for b in at.get("download_button")} >= {"下载 Excel", "下载 Markdown"}
    assert {m.label: int(m.value) for m in at.metric}["适用条款"] > 0
    assert len(applied) == 1, f"the profile was checked {len(applied)} times in one run of the page"
    assert len(granted) == 1
