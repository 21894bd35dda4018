"""PolicyKG 政策知识图谱 — the Streamlit app's entry point and page router.

    streamlit run app/ui/Home.py -- --data data

Every page is a thin shell over the one shared :class:`PolicyService`
(``app/ui/state.py``); nothing here builds or reloads data on a page view.
"""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run app/ui/Home.py` puts app/ui/ on sys.path, not the project root.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from app.ui import components, localize  # noqa: E402

# A local icon: a Material icon or an emoji as page_icon makes the browser fetch the favicon from a CDN.
st.set_page_config(page_title="PolicyKG 政策知识图谱", page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
                   layout="wide")
# .streamlit/config.toml says the same; this holds when the app is started from another folder.
st.set_option("client.toolbarMode", "minimal")

# The page files live in views/, not pages/: Streamlit also reads a folder named pages/ as old-style
# pages, and a deep link as the first visit to a fresh server then showed "Page not found".
PAGES = [
    st.Page("views/search_page.py", title="检索", icon=":material/search:", default=True),  # at /, so /?q=… is a search
    st.Page("views/project_page.py", title="我的项目", icon=":material/assignment_turned_in:", url_path="project"),
    st.Page("views/incentives_page.py", title="产业政策", icon=":material/factory:", url_path="incentives"),
    st.Page("views/matrix_page.py", title="任务分工", icon=":material/grid_on:", url_path="matrix"),
    st.Page("views/targets_page.py", title="目标", icon=":material/flag:", url_path="targets"),
    st.Page("views/graph_page.py", title="图谱", icon=":material/hub:", url_path="graph"),
    st.Page("views/documents_page.py", title="文件", icon=":material/description:", url_path="documents"),
]

page = st.navigation(PAGES)
localize.install()
components.sidebar_info()
page.run()
