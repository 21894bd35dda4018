"""我的项目 My project: a project profile in, the rules that bind it and the
checked conditions out, each cited to its clause; the report downloadable.

Every sentence shown about the result (reasons, explanations, notes) is the
engine's own Chinese text; field labels and help come from
:data:`rules.profile.FIELDS`.  This page only lays them out."""
from __future__ import annotations

import html

import streamlit as st

from rules.profile import FIELDS
from rules.results import FIRES_WORDS, GROUP_TITLES, STATUS_WORDS
from app.ui import components, state

EXAMPLE = {"region": "广西壮族自治区", "city": "", "industry": "钢铁", "project_kind": "新建",
           "grid_connected": True, "direct_line_km": 60.0, "grid_voltage_kv": 110.0, "self_consumption_pct": 55.0,
           "description": "绿电直连项目，新建钢铁企业配套风电光伏"}
STATUS = {"met": f":green-badge[:material/check: {STATUS_WORDS['met']}]",
          "not_met": f":red-badge[:material/close: {STATUS_WORDS['not_met']}]",
          "unknown": f":gray-badge[:material/help: {STATUS_WORDS['unknown']}]"}
FIRES = {True: f":orange-badge[{FIRES_WORDS[True]}]", False: f":gray-badge[{FIRES_WORDS[False]}]",
         None: f":gray-badge[{FIRES_WORDS[None]}]"}
TRISTATE = {"未填写": None, "是": True, "否": False}

components.css()
svc = state.service()
st.title("我的项目")
st.caption("填写项目情况，查看哪些政策条款适用于本项目、哪些量化条件已满足或未满足；每条结论都注明出处条款，可下载报告。")

if st.button("填入示例项目", key="project_example"):
    for spec in FIELDS:
        value = EXAMPLE.get(spec.name, None if spec.kind == "number" else "")
        if spec.kind == "bool":
            value = next(label for label, v in TRISTATE.items() if v is EXAMPLE.get(spec.name))
        st.session_state[f"profile_{spec.name}"] = value

text_fields = [f for f in FIELDS if f.kind in ("text", "choice") and f.name != "description"]
bool_fields = [f for f in FIELDS if f.kind == "bool"]
number_fields = [f for f in FIELDS if f.kind == "number"]

with st.form("profile_form"):
    st.markdown("**基本情况**")
    cols = st.columns(len(text_fields))
    for col, spec in zip(cols, text_fields):
        key = f"profile_{spec.name}"
        if spec.kind == "choice":
            col.selectbox(spec.label, [""] + list(spec.choices), key=key, help=spec.help,
                          format_func=lambda v: v or "未填写")
        else:
            col.text_input(spec.label, key=key, help=spec.help)
    cols = st.columns(len(bool_fields))
    for col, spec in zip(cols, bool_fields):
        col.selectbox(spec.label, list(TRISTATE), key=f"profile_{spec.name}", help=spec.help)
    st.markdown("**项目指标**（不清楚的可以不填，相关条件会显示为“待定”）")
    cols = st.columns(3)
    for i, spec in enumerate(number_fields):
        cols[i % 3].number_input(spec.display_label, key=f"profile_{spec.name}", value=None,
                                 min_value=0.0, step=1.0, format="%g", help=spec.help)
    description = [f for f in FIELDS if f.name == "description"]
    for spec in description:
        st.text_area(spec.label, key=f"profile_{spec.name}", help=spec.help, height=80)
    submitted = st.form_submit_button("检查适用政策", type="primary")

profile = {}
for spec in FIELDS:
    value = st.session_state.get(f"profile_{spec.name}")
    if spec.kind == "bool":
        value = TRISTATE.get(value)
    if value not in (None, ""):
        profile[spec.name] = value

if submitted:
    st.session_state["project_profile"] = profile
checked = st.session_state.get("project_profile")
if not checked:
    st.info("填写后点击“检查适用政策”。至少填写省份和行业，结果才有意义。")
    st.stop()

try:
    result = svc.apply(checked)
except ValueError as err:  # ProfileError: the profile could not be read; its message lists each problem
    st.error(str(err))
    st.stop()

rules = result.get("rules", [])
conditions = result.get("conditions", [])
counts = {s: sum(1 for c in conditions if c.get("status") == s) for s in STATUS}
cols = st.columns(4)
cols[0].metric("适用条款", len(rules))
cols[1].metric("条件满足", counts["met"])
cols[2].metric("条件不满足", counts["not_met"])
cols[3].metric("待定", counts["unknown"])

for line in result.get("interpretation", []):
    st.caption(line)
for warning in [*result.get("warnings", []), *result.get("profile_notes", [])]:
    st.caption(f":material/warning: {warning}")

components.downloads("项目政策核查报告", xlsx=svc.apply_report(checked, "xlsx"), markdown=svc.apply_report(checked, "md"),
                     key="project")

skipped = result.get("skipped_documents", [])
triggers = result.get("triggers", [])
tab_conditions, tab_rules, tab_triggers, tab_skipped = st.tabs(
    [f"量化条件（{len(conditions)}）", f"适用条款（{len(rules)}）", f"触发情形（{len(triggers)}）", f"不适用本项目的文件（{len(skipped)}）"])
with tab_conditions:
    if not conditions:
        st.caption("没有需要核对的量化条件。")
    for c in conditions:        # the engine's order: not met, then unknown, then met
        with st.container(border=True):
            st.markdown(f"**{STATUS.get(c.get('status'), c.get('status'))}**　{html.escape(c.get('condition', ''))}"
                        + (f"　`{c['firmness']}`" if c.get("firmness") else ""), unsafe_allow_html=True)
            st.caption(c.get("explanation", ""))
            st.markdown(components.clause_html(c.get("text", "")), unsafe_allow_html=True)
            components.cite(svc, c.get("clause_id"))
with tab_rules:
    groups: dict[str, list] = {}
    for r in rules:
        groups.setdefault(r.get("group") or "other", []).append(r)
    order = list(GROUP_TITLES)
    for group, items in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99):
        more = (result.get("more") or {}).get(group)
        st.markdown(f"#### {GROUP_TITLES.get(group, group)}（{len(items)}）" + (f"　另有 {more} 条未列出" if more else ""))
        for r in items:
            with st.container(border=True):
                st.markdown(components.clause_html(r.get("text", "")), unsafe_allow_html=True)
                if r.get("why"):
                    st.caption("适用原因：" + r["why"])
                components.cite(svc, r.get("clause_id"))
with tab_triggers:
    st.caption("条款中“如果……则……”式的规定：项目满足前提时会产生的后果。")
    for t in triggers:
        with st.container(border=True):
            st.markdown(f"**{FIRES.get(t.get('fires'), FIRES[None])}**　{html.escape(t.get('condition', ''))}"
                        f" → {html.escape(t.get('consequence', ''))}")
            st.caption(t.get("explanation", ""))
            components.cite(svc, t.get("clause_id"))
with tab_skipped:
    for d in skipped:
        st.markdown(f"- 《{html.escape(d['document'])}》：{html.escape(d.get('why', ''))}")
