"""Shared fixtures: the real corpus, and data folders built from it once per session.

``built_data`` is the five-document corpus built with every stage, once per session:
tests that only read it share it (and ``service`` over it); a test that changes a
data folder copies it first (``shutil.copytree(built_data.resolve(), …)``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
