"""A running reader follows rebuilds: the API serves the newly published version, and a version
that a reader still holds is not pruned from under it."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.build import build
from app.service import PolicyService

PLAN = "山西省{name}工作方案\n一、总体要求\n（一）目标。到2025年，{name}绿电占比达到50%。（省能源局）\n"
NAMES = ["示范", "试点", "推广", "深化"]


def _add(corpus: Path, n: int) -> None:
    (corpus / f"plan{n}.txt").write_text(PLAN.format(name=NAMES[n]), encoding="utf-8")


def test_the_api_follows_rebuilds_and_keeps_answering(tmp_path):
    from fastapi.testclient import TestClient

    from app.api import create_app

    corpus, out = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    _add(corpus, 0)
    build(corpus, out)
    client = TestClient(create_app(PolicyService(out)))
    assert len(client.get("/documents").json()) == 1
    for n in (1, 2, 3):            # three rebuilds: the first version is pruned on the way
        _add(corpus, n)
        build(corpus, out)
        assert len(client.get("/documents").json()) == n + 1
        search = client.get("/search", params={"q": f"{NAMES[n]}绿电占比"})
        assert search.status_code == 200
        assert NAMES[n] in search.json()["hits"][0]["text"]
        sparql = client.get("/sparql", params={"query": "SELECT (COUNT(?d) AS ?n) WHERE { ?d a eli:LegalResource }"})
        assert sparql.status_code == 200, sparql.text
    assert client.get("/health").json()["documents"] == 4
    versions = sorted(p.name for p in (tmp_path / ".data.versions").glob("v-*"))
    assert len(versions) <= 3      # the current, the one before, and at most one a reader may still use


def test_a_version_held_by_a_reader_is_not_pruned(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    _add(corpus, 0)
    build(corpus, out, stages=False)
    reader = PolicyService(out)
    first = reader.data_dir
    for n in (1, 2, 3):
        _add(corpus, n)
        build(corpus, out, stages=False)
    assert first.is_dir() and len(reader.documents) == 1     # still readable
    del reader
    gc.collect()
    build(corpus, out, stages=False)
    assert not first.exists()                                # released, then pruned
