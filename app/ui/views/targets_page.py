"""目标 Targets: quantified targets on a timeline by year, grouped by indicator
and region, with charts; downloadable."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app.ui import components, state

ALL = ""

components.css()
svc = state.service()
st.title("目标")
st.caption("政策文件中的量化目标（指标、数值、年份），按年份排在时间轴上，按指标和地区分组。")

everything_rows = svc.targets()
everything = pd.DataFrame(everything_rows)
if everything.empty:
    st.info("语料中没有识别出量化目标。")
    st.stop()
docs = svc.documents
everything["year"] = pd.to_numeric(everything["year"], errors="coerce").astype("Int64")

regions = sorted(r for r in everything["region"].dropna().unique() if r)
documents = sorted(everything["document"].unique())
years = sorted(int(y) for y in everything["year"].dropna().unique())
choices = {"targets_region": [ALL, *regions], "targets_document": [ALL, *documents], "targets_year": [ALL, *map(str, years)]}

# The URL is the page's state (?region=…&doc=…&indicator=…&year=…): a reload or a shared link shows the same.
url = tuple(st.query_params.get(k, "") for k in ("region", "doc", "indicator", "year"))
if url != st.session_state.get("targets_url"):
    st.session_state["targets_url"] = url
    st.session_state["targets_region"], st.session_state["targets_document"] = url[0], url[1]
    st.session_state["targets_indicator"], st.session_state["targets_year"] = url[2], url[3]
for key, allowed in choices.items():
    if st.session_state.get(key) not in allowed:
        st.session_state[key] = ALL

cols = st.columns([2, 3, 3, 3])
region = cols[0].selectbox("地区", choices["targets_region"], key="targets_region", format_func=lambda r: r or "全部地区")
document = cols[1].selectbox("文件", choices["targets_document"], key="targets_document",
                             format_func=lambda d: "全部文件" if d == ALL else components.doc_label(docs[d]["document"]))
indicator = cols[2].text_input("指标包含", key="targets_indicator", placeholder="例如：非化石能源、能耗、装机")
year = cols[3].selectbox("年份", choices["targets_year"], key="targets_year", format_func=lambda y: f"{y}年" if y else "全部年份")

st.query_params.from_dict({k: v for k, v in (("region", region), ("doc", document), ("indicator", indicator.strip()),
                                             ("year", year)) if v})
st.session_state["targets_url"] = (region, document, indicator.strip(), year)
options = {k: v for k, v in (("region", region or None), ("document", document or None),
                             ("indicator", indicator.strip() or None), ("year", int(year) if year else None)) if v is not None}
rows = svc.targets(**options) if options else everything_rows
frame = pd.DataFrame(rows)
if frame.empty:
    st.warning("没有符合条件的目标。")
    st.stop()
frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
frame["doc_title"] = frame["document"].map(lambda d: components.short_title(docs[d]["document"]["title"]) if d in docs else d)
frame["target"] = frame.apply(lambda r: f"{r['comparator']} {r['value']:g}{r['unit'] or ''}"
                              if isinstance(r["value"], (int, float)) else f"{r['comparator']} {r['value']}{r['unit'] or ''}", axis=1)

dated = frame.dropna(subset=["year"])
m = st.columns(4)
m[0].metric("目标", len(frame))
m[1].metric("指标", frame["indicator"].nunique())
m[2].metric("年份", f"{dated['year'].min()}–{dated['year'].max()}" if len(dated) else "—")
m[3].metric("未写明年份", int(frame["year"].isna().sum()))

if len(dated):
    with st.container(key="pk-narrow-targets"):   # a phone gets the targets by year as a list, not a squeezed chart
        st.subheader("按年份")
        st.dataframe(dated.sort_values(["year", "indicator"])[["year", "indicator", "target", "region"]]
                     .rename(columns={"year": "年份", "indicator": "指标", "target": "目标值", "region": "地区"}),
                     hide_index=True, width="stretch")
    with st.container(key="pk-wide-targets"):
        st.subheader("时间轴")
        indicators = list(dated.sort_values(["year", "indicator"])["indicator"].drop_duplicates())
        timeline = (
            alt.Chart(dated)
            .mark_circle(size=160, opacity=0.85)
            .encode(
                x=alt.X("year:O", title="年份", axis=alt.Axis(labelAngle=0, orient="top", grid=True, labelFontSize=13,
                                                             labelExpr="datum.value + '年'")),
                y=alt.Y("indicator:N", sort=indicators, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
                color=alt.Color("region:N", title="地区"),
                tooltip=[alt.Tooltip("year:O", title="年份"), alt.Tooltip("indicator:N", title="指标"),
                         alt.Tooltip("target:N", title="目标"), alt.Tooltip("firmness:N", title="约束性"),
                         alt.Tooltip("region:N", title="地区"), alt.Tooltip("doc_title:N", title="文件"),
                         alt.Tooltip("clause_id:N", title="条款")],
            )
            .properties(height=max(200, 24 * len(indicators)))
        )
        # One label per point: several targets for one indicator and year used to print over each other.
        cell = (dated.groupby(["year", "indicator"])["target"]
                .agg(lambda t: t.iloc[0] if t.nunique() == 1 else f"{t.nunique()} 个目标").reset_index(name="label"))
        labels = alt.Chart(cell).mark_text(align="left", dx=10, fontSize=11, limit=110).encode(
            x="year:O", y=alt.Y("indicator:N", sort=indicators), text="label:N")
        st.altair_chart(timeline + labels, width="stretch")

        st.subheader("各年份目标数")
        per_year = (dated.groupby(["year", "region"]).size().reset_index(name="count"))
        bars = (alt.Chart(per_year).mark_bar()
                .encode(x=alt.X("year:O", title="年份", axis=alt.Axis(labelAngle=0)), y=alt.Y("count:Q", title="目标数"),
                        color=alt.Color("region:N", title="地区"), xOffset="region:N",
                        tooltip=["year:O", "region:N", "count:Q"])
                .properties(height=220))
        st.altair_chart(bars, width="stretch")

st.subheader("按指标和地区")
for (ind, reg), group in frame.sort_values(["indicator", "region", "year"]).groupby(["indicator", "region"], sort=False, dropna=False):
    label = f"{ind}　·　{reg or '地区未识别'}（{len(group)}）"
    with st.expander(label):
        for _, row in group.iterrows():
            when = f"{row['year']}年" if pd.notna(row["year"]) else "未写明年份"
            firm = f"（{row['firmness']}）" if row.get("firmness") else ""
            st.markdown(f"**{when}** {row['indicator']} **{row['target']}**{firm}")
            if row.get("source_text"):
                st.markdown(components.clause_html(row["source_text"], [row["indicator"]]), unsafe_allow_html=True)
            components.cite(svc, row["clause_id"])

st.subheader("目标表")
shown = frame[["year", "region", "indicator", "target", "firmness", "baseline", "doc_title", "clause_id"]].rename(columns={
    "year": "年份", "region": "地区", "indicator": "指标", "target": "目标值", "firmness": "约束性", "baseline": "基准",
    "doc_title": "文件", "clause_id": "条款"})
st.dataframe(shown, hide_index=True, width="stretch")
components.downloads("目标", csv=svc.export_rows("targets", rows, "csv"), xlsx=svc.export_rows("targets", rows, "xlsx"),
                     key="targets")
