"""产业政策 Incentives by industry: pick an industry in the industry tree and see
the incentives and restrictions for it and its narrower industries, by region
and document; downloadable."""
from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from app.ui import components, state

STANCE_BADGE = {"支持": ":green-badge[支持]", "限制": ":red-badge[限制]"}

components.css()
svc = state.service()
st.title("产业政策")
st.caption("选择一个行业（含其下位细分行业），查看各地政策文件对它的支持措施和限制要求。")

concepts = {c["id"]: c for c in svc.industries()}
children: dict[str, list[str]] = {}
for c in concepts.values():
    for b in c["broader"]:
        children.setdefault(b, []).append(c["id"])
for kids in children.values():
    kids.sort(key=lambda i: concepts[i]["label"])

# The tree as an indented list; a concept under two broader ones is listed under the first.
tree: list[tuple[str, int]] = []
placed: set[str] = set()


def walk(cid: str, depth: int) -> None:
    if cid in placed:
        return
    placed.add(cid)
    tree.append((cid, depth))
    for kid in children.get(cid, []):
        walk(kid, depth + 1)


for root in sorted((c for c in concepts.values() if not c["broader"]), key=lambda c: c["label"]):
    walk(root["id"], 0)
for cid in sorted(set(concepts) - placed):
    walk(cid, 0)
depth_of = dict(tree)

# The URL is the page's state (?industry=steel&stance=限制&direct=1): a reload or a shared link shows the same.
url = (st.query_params.get("industry"), st.query_params.get("stance"), st.query_params.get("direct"))
if url != st.session_state.get("inc_last_url"):
    if url[0] in concepts:
        st.session_state["inc_industry"] = url[0]
    st.session_state["inc_stance"] = url[1] if url[1] in ("支持", "限制") else "全部"
    st.session_state["inc_direct"] = url[2] == "1"
st.session_state.setdefault("inc_industry", "new-energy" if "new-energy" in concepts else tree[0][0])

cols = st.columns([3, 2, 2], vertical_alignment="bottom")
industry = cols[0].selectbox(
    "行业", [cid for cid, _ in tree], key="inc_industry",
    format_func=lambda cid: "\u3000" * depth_of[cid] + ("└ " if depth_of[cid] else "") + concepts[cid]["label"])
stance = cols[1].segmented_control("类型", ["全部", "支持", "限制"], key="inc_stance")
direct = cols[2].toggle("只看点名本行业的", key="inc_direct",
                        help="关闭时也列出只点名其上位类别（如 制造业、高耗能行业）的措施。")
st.query_params.from_dict({k: v for k, v in (("industry", industry), ("stance", stance if stance in ("支持", "限制") else None),
                                             ("direct", "1" if direct else None)) if v})
st.session_state["inc_last_url"] = (industry, stance if stance in ("支持", "限制") else None, "1" if direct else None)

concept = concepts[industry]
facts = []
if concept["broader"]:
    facts.append("上位：" + "、".join(concepts[b]["label"] for b in concept["broader"] if b in concepts))
if children.get(industry):
    facts.append("下位：" + "、".join(concepts[k]["label"] for k in children[industry]))
if concept["alt"]:
    facts.append("又称：" + "、".join(concept["alt"][:8]))
if concept["gbt4754"]:
    facts.append(f"国民经济行业分类 {concept['gbt4754']}")
st.caption("　|　".join(facts))

found = svc.incentives(industry)
rows = pd.DataFrame(found)
if rows.empty:
    st.info(f"语料中没有针对“{concept['label']}”及其细分行业的支持或限制措施。")
    st.stop()
rows["region"] = rows["document"].map(lambda d: svc.documents[d]["document"].get("region") or "地区未识别"
                                      if d in svc.documents else "地区未识别")
rows["doc_title"] = rows["document"].map(lambda d: svc.documents[d]["document"]["title"] if d in svc.documents else d)
if stance and stance != "全部":
    rows = rows[rows["stance"] == stance]
if direct:
    rows = rows[rows["match"] == "sentence"]


def why_it_applies(row) -> str:
    """Named in the sentence (the industry, a narrower one, or a class it belongs to) or only elsewhere in the clause."""
    named = row["industry"]
    via = (f"{concept['label']} → {named}" if industry not in str(row["industry_id"]).split() else named)
    if row["match"] == "broader":                       # the sentence names a class the industry belongs to
        return f"本句提及其上位类别：{row['industry']} ⊃ {concept['label']}"
    return (f"本句直接提及：{via}" if row["match"] == "sentence" else f"间接：条款其他句子提及 {via}")


m = st.columns(4)
m[0].metric("措施", len(rows))
m[1].metric("支持", int((rows["stance"] == "支持").sum()))
m[2].metric("限制", int((rows["stance"] == "限制").sum()))
m[3].metric("文件", rows["document"].nunique())

if not rows.empty:
    with st.container(key="pk-wide-incentives"):   # the chart on wide screens; a table on phones
        chart_rows = rows.assign(short=rows["doc_title"].map(components.short_title))
        counts = chart_rows.groupby(["region", "short", "stance"]).size().reset_index(name="count")
        chart = (alt.Chart(counts).mark_bar()
                 .encode(y=alt.Y("short:N", title=None, axis=alt.Axis(labelLimit=260)), x=alt.X("count:Q", title="措施数", axis=alt.Axis(format="d", tickMinStep=1)),
                         color=alt.Color("stance:N", title="类型", scale=alt.Scale(domain=["支持", "限制"], range=["#52c41a", "#f5222d"])),
                         row=alt.Row("region:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
                         tooltip=["region:N", "short:N", "stance:N", "count:Q"])
                 .properties(height=alt.Step(26)))
        st.altair_chart(chart)
    with st.container(key="pk-narrow-incentives"):
        st.dataframe(counts.pivot_table(index=["region", "short"], columns="stance", values="count", fill_value=0)
                     .reset_index().rename(columns={"region": "地区", "short": "文件"}), hide_index=True, width="stretch")

profile = st.session_state.get("project_profile")


def checked_for(clause_id: str):
    """The clause's entitlements checked against the project; None when its profile cannot be read."""
    try:
        return svc.check_entitlements(profile, [clause_id])
    except ValueError:
        return None


if profile:
    st.caption("奖励、补助的量化条件已按“我的项目”中填写的项目信息核对（✅ 满足 ❌ 不满足 ❔ 待定）。")

for region, by_region in rows.groupby("region", sort=True):
    st.subheader(f"{region}（{len(by_region)}）")
    for doc_id, by_doc in by_region.groupby("document", sort=False):
        title = by_doc["doc_title"].iloc[0]
        with st.expander(f"《{title}》　{len(by_doc)} 条", expanded=len(rows) <= 12):
            for _, row in by_doc.iterrows():
                badge = STANCE_BADGE.get(row["stance"], row["stance"])
                instrument = f"　`{row['instrument']}`" if row["instrument"] else ""
                amount = f"　💰 {html.escape(row['amount'])}" if row.get("amount") else ""
                st.markdown(f"{badge}{instrument}{amount}　**{html.escape(why_it_applies(row))}**"
                            + (f"　· {html.escape(row['heading'])}" if row["heading"] else ""))
                st.markdown(components.clause_html(row["text"], [row["industry"], *concepts.get(row["industry_id"], {}).get("alt", [])]),
                            unsafe_allow_html=True)
                # marked against the project filled in on 我的项目, when there is one
                mine = checked_for(row["clause_id"]) if profile else None
                components.entitlements(svc.clause(row["clause_id"]) or {}, mine, sentence=row["text"])
                components.cite(svc, row["clause_id"])

title = f"产业政策_{industry}"
components.downloads(f"产业政策_{concept['label']}", csv=svc.export_rows("incentives", found, "csv", title=title),
                     xlsx=svc.export_rows("incentives", found, "xlsx", title=title), key="incentives")
