"""图谱 Graph: the neighbourhood of an agency, industry, document or clause
drawn as a graph, and a read-only SPARQL box for those who want it."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app.ui import components, messages, state

KINDS = {"agency": "部门", "industry": "行业", "document": "文件", "clause": "条款"}
STYLE = {  # node kind → graphviz attributes
    "agency": 'shape=box style="rounded,filled" fillcolor="#dbeafe" color="#3b82f6"',
    "industry": 'shape=ellipse style=filled fillcolor="#dcfce7" color="#16a34a"',
    "document": 'shape=note style=filled fillcolor="#fef3c7" color="#d97706"',
    "cited": 'shape=note style="filled,dashed" fillcolor="#f5f5f4" color="#78716c"',
    "clause": 'shape=box style="filled" fillcolor="#f8fafc" color="#94a3b8" fontsize=10',
}
def _q(text: str) -> str:
    """Quote for a DOT string."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


EDGE_COLOR = {"牵头": "#dc2626", "配合": "#f59e0b", "责任单位": "#ea580c", "责任主体": "#9333ea", "涉及": "#16a34a", "引用": "#78716c", "包含": "#cbd5e1"}



def dot_source(hood: dict, centre: str) -> str:
    """The neighbourhood as Graphviz DOT: left to right, clauses grouped in a box per document."""
    lines = ['digraph G {',
             'graph [layout=dot rankdir=LR ranksep=1.1 nodesep=0.12 bgcolor="transparent" fontname="Noto Sans CJK SC" fontsize=12]',
             'node [fontname="Noto Sans CJK SC" fontsize=12 margin="0.10,0.04" height=0.3]',
             'edge [fontname="Noto Sans CJK SC" fontsize=10 arrowsize=0.6]']
    clusters: dict[str, list[str]] = {}
    for n in hood["nodes"]:
        label = n["label"] if n["kind"] != "document" else components.short_title(n["label"], 20)
        label = label if len(label) <= 26 else label[:25] + "…"
        size = 15 if n["id"] == centre else (10 if n["kind"] == "clause" else 12)
        extra = f" penwidth=3 fontsize={size}" if n["id"] == centre else ""
        # Graphviz measures CJK text too narrow; give each node the width its label needs.
        width = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in label) * size / 72 + 0.35
        line = (f'"{_q(n["id"])}" [label="{_q(label)}" {STYLE.get(n["kind"], "")}{extra} width={width:.2f} '
                f'tooltip="{_q(n["label"])}"]')
        doc = n["id"].removeprefix("clause:").split("#")[0] if n["kind"] == "clause" else None
        if doc:
            clusters.setdefault(doc, []).append(line)
        else:
            lines.append(line)
    for i, (doc, members) in enumerate(clusters.items()):
        title = components.short_title(svc.documents[doc]["document"]["title"], 24) if doc in svc.documents else doc
        lines += [f'subgraph cluster_{i} {{', f'label="{_q(title)}" style="rounded,filled" fillcolor="#f1f5f9" color="#cbd5e1" fontcolor="#475569"',
                  *members, "}"]
    for e in hood["edges"]:
        color = EDGE_COLOR.get(e["label"], "#94a3b8")
        label = "" if e["label"] in ("牵头", "配合", "包含", "涉及") else f' label="{_q(e["label"])}" fontcolor="{color}"'
        lines.append(f'"{_q(e["source"])}" -> "{_q(e["target"])}" [color="{color}"{label}]')
    lines.append("}")
    return "\n".join(lines)


components.css()
svc = state.service()
st.title("图谱")
st.caption("以一个部门、行业、文件或条款为中心，查看与它直接相连的实体：部门牵头或配合的条款、条款涉及的行业、文件之间的引用。")

entities = svc.graph_entities()
by_id = {e["id"]: e for e in entities}
wanted = st.query_params.get("node")
if wanted in by_id and wanted != st.session_state.get("graph_last_url"):
    st.session_state["graph_kind"] = by_id[wanted]["kind"]
    st.session_state["graph_node"] = wanted
st.session_state.setdefault("graph_kind", "agency")

tab_graph, tab_sparql = st.tabs(["关系图", "SPARQL 查询"])

with tab_graph:
    cols = st.columns([2, 5, 2])
    kind = cols[0].radio("类型", list(KINDS), key="graph_kind", format_func=KINDS.get, horizontal=False)
    choices = [e["id"] for e in entities if e["kind"] == kind]
    if st.session_state.get("graph_node") not in choices:
        st.session_state["graph_node"] = choices[0]
    node = cols[1].selectbox("中心", choices, key="graph_node",
                             format_func=lambda i: f"{by_id[i]['label']}（{by_id[i]['links']} 条关系）")
    depth = cols[2].slider("层数", 1, 2, 1, key="graph_depth", help="2 层会包含邻居的邻居，图会大很多")
    st.query_params["node"] = node
    st.session_state["graph_last_url"] = node

    hood = svc.neighbourhood(node, depth=depth, limit=60)
    st.graphviz_chart(dot_source(hood, node), width="content")
    st.caption("蓝色：部门　绿色：行业　黄色：文件　灰色框：条款（按所在文件分组）　虚线：语料外被引用的文件。"
               "连线：红色＝牵头，橙色＝配合，绿色＝涉及行业，灰色＝引用。"
               f"共 {len(hood['nodes'])} 个节点、{len(hood['edges'])} 条关系"
               + ("（已截断，只显示最近的 60 个节点）" if hood["truncated"] else ""))

    neighbours = [n for n in hood["nodes"] if n["id"] != node and n["id"] in by_id]
    if neighbours:
        table = pd.DataFrame([{"类型": KINDS.get(n["kind"], n["kind"]), "名称": n["label"], "层": n["depth"]} for n in neighbours])
        with st.expander(f"相邻实体列表（{len(neighbours)}）"):
            st.dataframe(table, hide_index=True, width="stretch")
        nxt = st.selectbox("换一个中心", [""] + [n["id"] for n in neighbours], key="graph_next",
                           format_func=lambda i: "选择相邻实体…" if not i else f"{KINDS.get(by_id[i]['kind'])}：{by_id[i]['label']}")
        if nxt:
            st.query_params["node"] = nxt
            st.session_state.pop("graph_next")
            st.rerun()
    if by_id[node]["kind"] == "clause":
        components.cite(svc, node.removeprefix("clause:"))

def example_title(query: str, name: str) -> str:
    """An example query named by its first comment's first phrase (某部门负责的任务), else by its file name."""
    first = query.lstrip().splitlines()[0] if query.strip() else ""
    return re.split(r"[：，（。]", first.removeprefix("#").strip())[0] or name if first.startswith("#") else name


with tab_sparql:
    st.caption("对知识图谱运行只读 SPARQL 查询（SELECT / ASK / CONSTRUCT / DESCRIBE）。更新语句会被拒绝；单次查询最长 30 秒。")
    examples = svc.sparql_examples()
    example = st.selectbox("示例查询", list(examples), key="sparql_example", format_func=lambda name: example_title(examples[name], name))
    if st.session_state.get("sparql_loaded") != example:
        st.session_state["sparql_query"] = examples[example]
        st.session_state["sparql_loaded"] = example
    query = st.text_area("SPARQL", key="sparql_query", height=300)
    if st.button("运行查询", type="primary", key="sparql_run"):
        try:
            result = svc.sparql(query, "json")
        except ValueError as err:  # refused update, syntax error, timeout
            st.error(f"查询未执行：{messages.zh(err)}")
            if messages.technical(str(err)):
                with st.expander("技术细节"):
                    st.code(str(err), language=None)
        else:
            if isinstance(result, dict) and "boolean" in result:
                st.success(f"ASK 结果：{'是' if result['boolean'] else '否'}")
            elif isinstance(result, dict) and "results" in result:
                names = result["head"]["vars"]
                rows = [{v: b.get(v, {}).get("value", "") for v in names} for b in result["results"]["bindings"]]
                frame = pd.DataFrame(rows, columns=names)
                st.caption(f"{len(frame)} 行")
                st.dataframe(frame, hide_index=True, width="stretch")
                components.downloads("sparql_result", csv=components.to_csv(rows, names), key="sparql")
            else:
                st.code(result if isinstance(result, str) else str(result)[:20000])
