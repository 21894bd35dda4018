"""Where the app's data comes from, and the one shared :class:`PolicyService`.

The data folder reaches the app as ``streamlit run app/ui/Home.py -- --data DIR``
or through ``POLICYKG_DATA``.  The service is loaded once per process with
``st.cache_resource`` and shared by every session (it is read-only; an upload
publishes a new data version and then asks for a fresh service), so a page
view never rebuilds or reloads anything.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from app.paths import default_data
from app.service import DataNotBuilt, PolicyService


def data_dir_from_argv(argv: list[str] | None = None) -> Path | None:
    """``--data DIR`` from the script arguments (what follows ``--`` on the streamlit line)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", type=Path)
    known, _ = parser.parse_known_args(argv)
    return known.data


def data_dir() -> Path:
    """``--data`` on the command line, else ``POLICYKG_DATA``, else the project's ``data/``."""
    return (data_dir_from_argv() or default_data()).absolute()


@st.cache_resource(show_spinner="正在加载数据和索引…", max_entries=1)
def _load_service(path: str) -> PolicyService:
    service = PolicyService(path)
    # Load the parts every page needs here, once, under Streamlit's lock, rather than
    # lazily in whichever sessions come first.
    service.documents, service.clauses, service.search_engine  # noqa: B018
    return service


def service() -> PolicyService:
    """The shared service; stops the page with an explanation when there is no built data."""
    path = data_dir()
    try:
        # Keyed by the version the data folder's link points at: a rebuild (from the command line
        # too) is picked up at the next page view, and the one entry kept lets the old version go.
        return _load_service(str(path.resolve()))
    except DataNotBuilt:
        st.error(f"数据目录 `{path}` 中还没有构建好的数据。")
        st.markdown(
            "请先构建语料库，再刷新本页：\n\n"
            f"```bash\npolicykg build --corpus corpus --out {path}\n```\n"
            "或在项目根目录运行 `make run`（构建并启动应用）。"
        )
        st.stop()


def reload_service() -> None:
    """Drop the cached service so every session picks up a newly published data version."""
    _load_service.clear()
