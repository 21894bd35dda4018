"""Shared fixtures: the real corpus, and data folders built from it once per session.

``built_data`` is the five-document corpus built with every stage, once per session:
tests that only read it share it (and ``service`` over it); a test that changes a
data folder copies it first (``shutil.copytree(built_data.resolve(), …)``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
HOME = ROOT / "app" / "ui" / "Home.py"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_files() -> dict[str, Path]:
    """The five documents by their number prefix: "000" … "004"."""
    return {p.name[:3]: p for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> Path:
    """The real corpus built into a data folder with every stage (graph, indexes)."""
    from app.build import build

    out = tmp_path_factory.mktemp("built") / "data"
    build(CORPUS, out)
    return out


@pytest.fixture(scope="session")
def service(built_data):
    """A :class:`PolicyService` over ``built_data``, loaded once, for tests that only read through it."""
    from app.service import PolicyService

    return PolicyService(built_data)


@pytest.fixture(scope="session")
def search_engine(built_data):
    """The search engine over ``built_data``, loaded once."""
    from search.engine import SearchEngine

    return SearchEngine.load(built_data)


@pytest.fixture
def published_data(built_data, tmp_path) -> Path:
    """A published copy of ``built_data`` (as `policykg build` lays it out: a link to a version
    folder), for a test that uploads, removes or rebuilds."""
    (tmp_path / ".data.versions").mkdir()
    shutil.copytree(built_data.resolve(), tmp_path / ".data.versions" / "v-copy")
    os.symlink(".data.versions/v-copy", tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def open_page(built_data, monkeypatch):
    """``open_page("views/x_page.py", {"q": …})`` → an AppTest that has run that page with those URL
    parameters, over ``built_data`` (or ``data=``); ``run=False``: ready to run, not yet run."""
    from streamlit.testing.v1 import AppTest

    def opener(page: str, query: dict | None = None, *, data: Path | None = None, run: bool = True):
        monkeypatch.setenv("POLICYKG_DATA", str(data or built_data))
        at = AppTest.from_file(str(HOME), default_timeout=60)
        at.run()
        if page != "views/search_page.py":
            at.switch_page(page)
        at.query_params.update(query or {})
        if run:
            at.run()
            assert not at.exception, at.exception
        return at

    return opener
