"""任务分工 Agency–task matrix: who leads (牵头) or supports (配合) which task,
as a heat map and a table; click an agency to see its tasks; CSV and Excel."""
from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from app.ui import components, state

ALL = ""

components.css()
svc = state.service()
st.title("任务分工")
st.caption("各部门在政策文件中牵头或配合的任务。热力图颜色越深，任务越多；点击热力图中的一个部门（或在下方选择）查看它的全部任务。")

docs = svc.documents
# The URL is the page's state (?doc=…&agency=…&focus=…): a reload or a shared link shows the same.
url = (st.query_params.get("doc", ""), tuple(st.query_params.get_all("agency")), st.query_params.get("focus"))
if url != st.session_state.get("matrix_url"):
    st.session_state["matrix_url"] = url
    st.session_state["matrix_document"] = url[0] if url[0] in docs else ALL
    st.session_state["matrix_agencies"] = list(url[1])
    if url[2]:
        st.session_state["matrix_focus"] = url[2]
cols = st.columns([3, 3])
document = cols[0].selectbox("文件", [ALL, *docs], key="matrix_document",
                             format_func=lambda d: "全部文件" if d == ALL else components.doc_label(docs[d]["document"]))
first_leads = cols[1].checkbox("责任单位名单的第一个单位视为牵头", value=False, key="matrix_first_leads",
                               help="文件只列出责任单位、未标明牵头时，按惯例把排在第一位的单位算作牵头、其余算作配合。默认关闭：按原文标注显示。")
rows = svc.agency_task_matrix(document or None, True) if first_leads else svc.agency_task_matrix(document or None)
if not rows:
    st.info("这份文件中没有识别出部门分工。")
    st.stop()

frame = pd.DataFrame(rows)
counts = frame.groupby("agency")["clause_id"].nunique().sort_values(ascending=False)
st.session_state["matrix_agencies"] = [a for a in st.session_state.get("matrix_agencies") or [] if a in counts.index]
agencies = cols[1].multiselect("部门", list(counts.index), key="matrix_agencies", placeholder="全部部门",
                               format_func=lambda a: f"{a}（{counts[a]}）")
if agencies:
    frame = frame[frame["agency"].isin(agencies)]


def column_of(row) -> str:
    """Documents across the top; the chapters of one document when one is chosen."""
    if not document:
        return components.short_title(docs[row["document"]]["document"]["title"], 14)
    clause = svc.clause(row["clause_id"]) or {}
    parents = clause.get("parents") or []
    if not parents:
        return "前言" if clause.get("kind") == "preamble" or row["path"].startswith("p") else row["path"]
    top = row["path"].split(".")[0]
    heading = parents[0] if len(parents[0]) <= 10 else parents[0][:9] + "…"
    return heading if top == parents[0] else f"{top} {heading}"


frame = frame.assign(column=frame.apply(column_of, axis=1))
order = list(dict.fromkeys(frame["column"]))
cells = (frame.groupby(["agency", "column"])
         .agg(tasks=("clause_id", "nunique"), lead=("role", lambda r: int((r == "牵头").sum())),
              support=("role", lambda r: int((r == "配合").sum())))
         .reset_index())
agency_order = list(cells.groupby("agency")["tasks"].sum().sort_values(ascending=False).index)

pick = alt.selection_point(fields=["agency"], name="pick")
heat = (
    alt.Chart(cells)
    .mark_rect(stroke="white", strokeWidth=1)
    .encode(
        x=alt.X("column:N", sort=order, title=None,
                axis=alt.Axis(labelAngle=-25, labelLimit=200, labelOverlap=False, orient="top", labelFontSize=12)),
        y=alt.Y("agency:N", sort=agency_order, title=None, axis=alt.Axis(labelLimit=280, labelOverlap=False, labelFontSize=12)),
        color=alt.Color("tasks:Q", title="任务数", scale=alt.Scale(scheme="orangered")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        tooltip=[alt.Tooltip("agency:N", title="部门"), alt.Tooltip("column:N", title="文件/章节"),
                 alt.Tooltip("tasks:Q", title="任务"), alt.Tooltip("lead:Q", title="牵头"),
                 alt.Tooltip("support:Q", title="配合")],
    )
    .add_params(pick)
    .properties(height=max(160, 28 * len(agency_order)))
)
dark = max(2, int(cells["tasks"].max() * 0.6))
labels = alt.Chart(cells).mark_text(fontSize=11).encode(
    x=alt.X("column:N", sort=order), y=alt.Y("agency:N", sort=agency_order), text="tasks:Q",
    color=alt.condition(f"datum.tasks >= {dark}", alt.value("white"), alt.value("#333")))

heat_tab, table_tab = st.tabs(["热力图", "表格"])
with heat_tab:
    with st.container(key="pk-wide-matrix"):        # on a phone the heat map is one squeezed column: a list instead
        event = st.altair_chart(heat + labels, on_select="rerun", key="matrix_heat", width="stretch")
    with st.container(key="pk-narrow-matrix"):
        per_agency = (cells.groupby("agency")[["tasks", "lead", "support"]].sum().reindex(agency_order).reset_index()
                      .rename(columns={"agency": "部门", "tasks": "任务", "lead": "牵头", "support": "配合"}))
        st.caption("各部门的任务数（在宽屏上显示为热力图）；在下方选择部门查看任务。")
        st.dataframe(per_agency, hide_index=True, width="stretch",
                     column_config={"部门": st.column_config.TextColumn(width="medium")})
with table_tab:
    pivot = cells.assign(cell=cells.apply(lambda r: f"{r['lead']}/{r['support']}", axis=1))
    pivot = pivot.pivot(index="agency", columns="column", values="cell").reindex(index=agency_order, columns=order)
    st.caption("单元格为 牵头/配合 的任务数。")
    st.dataframe(pivot.fillna(""), width="stretch")

# A click on the heat map chooses the agency whose tasks are listed below.
points = ((event or {}).get("selection") or {}).get("pick") or []
clicked = next((p["agency"] for p in points if p.get("agency") in agency_order), None)
if clicked and clicked != st.session_state.get("matrix_last_click"):
    st.session_state["matrix_focus"] = clicked
st.session_state["matrix_last_click"] = clicked
if st.session_state.get("matrix_focus") not in agency_order:
    st.session_state["matrix_focus"] = agency_order[0]

st.subheader("部门任务")
chosen = st.selectbox("部门", agency_order, key="matrix_focus", format_func=lambda a: f"{a}（{counts.get(a, 0)}）")
st.query_params.from_dict({k: v for k, v in (("doc", document or None), ("agency", agencies or None), ("focus", chosen)) if v})
st.session_state["matrix_url"] = (document or "", tuple(agencies), chosen)
mine = frame[frame["agency"] == chosen]
st.markdown(f"**{html.escape(chosen)}**：牵头 {int((mine['role'] == '牵头').sum())} 项，"
            f"配合 {int((mine['role'] == '配合').sum())} 项，"
            f"列为责任单位 {int((mine['role'] == '责任单位').sum())} 项，"
            f"责任主体 {int((mine['role'] == '责任主体').sum())} 项")
for _, row in mine.iterrows():
    with st.container(border=True):
        st.markdown(f"`{row['role']}`　**{html.escape(row['heading'] or row['path'])}**")
        clause = svc.clause(row["clause_id"]) or {}
        st.markdown(components.clause_html(clause.get("text") or row["excerpt"], [chosen]), unsafe_allow_html=True)
        components.cite(svc, row["clause_id"])

stem = f"任务分工_{document or '全部文件'}"
components.downloads(stem, csv=svc.export_rows("matrix", rows, "csv"), xlsx=svc.export_rows("matrix", rows, "xlsx"),
                     key="matrix")
st.caption("下载的是所选文件范围内的完整矩阵（Excel 含汇总表和每份文件一张表）。")
