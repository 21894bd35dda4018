"""我的项目 My project: a project profile in, the rules that bind it and the
checked conditions out, each cited to its clause; the report downloadable.

Every sentence shown about the result (reasons, explanations, notes) is the
engine's own Chinese text; field labels and help come from
:data:`rules.profile.FIELDS`.  This page only lays them out."""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode, urlsplit

import streamlit as st

from app.service.applying import plain_words
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

plain = plain_words      # the engine's words without raw field names (direct_line_km=60 → 直连线路长度60公里)
SITUATIONAL = re.compile(r"此期间|该期间|上述期间|过渡期|期间内|变更|转让|情形下|情况下|发生.{0,8}时")
def situational(c: dict) -> bool:
    """A condition that binds only in a situation (此期间…, 变更投资主体时…), not the project as such."""
    return bool(SITUATIONAL.search(c.get("scope") or ""))


components.css()
svc = state.service()
st.title("我的项目")
st.caption("填写项目情况，查看哪些政策条款适用于本项目、哪些量化条件已满足或未满足；每条结论都注明出处条款，可下载报告。"
           "检查结果的网址可以直接分享。")

# The URL is the form's state: a reload or a shared link brings the same profile and its check back.
url_profile = {}
for spec in FIELDS:
    raw = st.query_params.get(spec.name)
    if raw in (None, ""):
        continue
    if spec.kind == "number":
        try:
            url_profile[spec.name] = float(raw)
        except ValueError:
            continue
    elif spec.kind == "bool":
        url_profile[spec.name] = {"是": True, "否": False}.get(raw)
    else:
        url_profile[spec.name] = raw
url_profile = {k: v for k, v in url_profile.items() if v is not None}
if url_profile != st.session_state.get("project_url"):
    st.session_state["project_url"] = url_profile
    if url_profile:
        for spec in FIELDS:
            value = url_profile.get(spec.name, None if spec.kind == "number" else "")
            if spec.kind == "bool":
                value = next(label for label, v in TRISTATE.items() if v is url_profile.get(spec.name))
            st.session_state[f"profile_{spec.name}"] = value
        st.session_state["project_profile"] = url_profile

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
    st.session_state["project_url"] = profile
    st.query_params.from_dict({k: ("是" if v is True else "否" if v is False else f"{v:g}" if isinstance(v, float) else v)
                               for k, v in profile.items()})
checked = st.session_state.get("project_profile")
if not checked:
    st.info("填写后点击“检查适用政策”。至少填写省份和行业，结果才有意义。")
    st.stop()

try:
    result = svc.apply(checked)
except ValueError as err:  # ProfileError: the profile could not be read; its message lists each problem
    st.error(plain(str(err)))
    st.stop()

rules = result.get("rules", [])
conditions = result.get("conditions", [])
targets = [c for c in conditions if c.get("kind") == "target"]
situations = [c for c in conditions if c.get("kind") != "target" and situational(c)]
standing = [c for c in conditions if c.get("kind") != "target" and not situational(c)]
counts = {s: sum(1 for c in standing if c.get("status") == s) for s in STATUS}
cols = st.columns(5)
cols[0].metric("适用条款", len(rules))
cols[1].metric("条件满足", counts["met"])
cols[2].metric("条件不满足", counts["not_met"])
cols[3].metric("待定", counts["unknown"])
cols[4].metric("情形条件与目标", len(situations) + len(targets),
               help="只在特定情形下适用的条件，和约束地区或行业整体的目标：不算作本项目的不满足。")

for line in result.get("interpretation", []):
    st.caption(line)
for warning in [*result.get("warnings", []), *result.get("profile_notes", [])]:
    st.caption(components.icon("warning", "提示") + " " + html.escape(plain(warning)), unsafe_allow_html=True)

with st.expander("分享这次检查"):
    base = urlsplit(st.context.url or "")
    link = f"{base.scheme}://{base.netloc}/project?" + urlencode(
        {k: ("是" if v is True else "否" if v is False else f"{v:g}" if isinstance(v, float) else v) for k, v in checked.items()})
    st.caption("打开这个链接会填好同样的项目信息并显示同样的检查结果（点右侧按钮复制）：")
    st.code(link if base.netloc else link.split("://", 1)[-1], language=None, wrap_lines=True)

components.downloads("项目政策核查报告", xlsx=svc.apply_report(checked, "xlsx"), markdown=svc.apply_report(checked, "md"),
                     key="project")
if st.button("生成 PDF 报告", icon=":material/picture_as_pdf:", key="project_pdf"):
    with st.spinner("正在排版 PDF…"):
        try:
            st.session_state["project_pdf_bytes"] = (checked, svc.apply_report(checked, "pdf"))
        except Exception as err:  # ReportError: no Chinese font or no browser here; its message says which
            st.session_state["project_pdf_bytes"] = (checked, None)
            st.warning(str(err))
made = st.session_state.get("project_pdf_bytes")
if made and made[0] == checked and made[1]:
    st.download_button("下载 PDF", made[1], file_name="项目政策核查报告.pdf", mime="application/pdf",
                       icon=":material/download:", key="project_pdf_download")

skipped = result.get("skipped_documents", [])
triggers = result.get("triggers", [])
excluded = [(r, s) for r in rules for s in r.get("sentences") or [] if s.get("applies") is False]
not_applicable = result.get("not_applicable", [])


def condition_card(c: dict, badge: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{badge}**　{html.escape(c.get('condition', ''))}"
                    + (f"　`{c['firmness']}`" if c.get("firmness") else ""), unsafe_allow_html=True)
        if c.get("scope"):
            st.caption(f"适用对象：{c['scope']}")
        st.caption(plain(c.get("explanation", "")))
        st.markdown(components.clause_html(c.get("text", "")), unsafe_allow_html=True)
        components.cite(svc, c.get("clause_id"))


# What the documents binding the project grant, and which of their conditions it meets.
entitled = svc.check_entitlements(checked)
entitled_by_clause: dict[str, list] = {}
for e in entitled:
    entitled_by_clause.setdefault(e["clause_id"], []).append(e)

tab_conditions, tab_entitled, tab_situations, tab_rules, tab_triggers, tab_excluded, tab_skipped = st.tabs(
    [f"量化条件（{len(standing)}）", f"可享受的支持（{len(entitled)}）", f"情形条件与目标（{len(situations) + len(targets)}）",
     f"适用条款（{len(rules)}）",
     f"触发情形（{len(triggers)}）", f"不适用于本项目的内容（{len(excluded) + len(not_applicable)}）",
     f"不适用本项目的文件（{len(skipped)}）"])
with tab_conditions:
    if not standing:
        st.caption("没有需要核对的量化条件。")
    for c in standing:        # the engine's order: not met, then unknown, then met
        condition_card(c, STATUS.get(c.get("status"), c.get("status")))
with tab_entitled:
    if not entitled:
        st.caption("约束本项目的文件（全国、本省、本市）中没有识别出奖励、补助等支持措施。")
    else:
        met = sum(1 for e in entitled if e["status"] == "met")
        st.caption(f"约束本项目的文件（全国、本省、本市）给予的奖励、补助、税收优惠等，共 {len(entitled)} 项，"
                   f"按本项目信息核对其量化条件：{met} 项条件均满足。投资额、营业收入、纳税额等在上方表单填写后才能判断。")
        import pandas as pd

        def title_of(clause_id: str) -> str:
            clause = svc.clause(clause_id) or {}
            doc = svc.documents.get(clause.get("doc_id") or clause_id.partition("#")[0], {}).get("document", {})
            return f"{components.short_title(doc.get('title', ''), 20)} {clause.get('path', '')}".strip()

        st.dataframe(pd.DataFrame(components.checked_entitlement_rows(entitled, title_of)), hide_index=True,
                     width="stretch")
with tab_situations:
    st.caption("情形条件只在条款写明的情形下适用（如“此期间”、变更投资主体时）；目标约束的是地区或行业整体。"
               "二者都不算作本项目的不满足，列出供参考。")
    for c in situations:
        condition_card(c, f":blue-badge[:material/schedule: 情形条件] {STATUS.get(c.get('status'), '')}")
    for c in targets:
        year = f"{c['year']}年" if c.get("year") else ""
        condition_card(c, f":violet-badge[:material/flag: {year}目标]")
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
                    st.caption("适用原因：" + plain(r["why"]))
                notes = [s for s in r.get("sentences") or [] if s.get("applies") is False]
                if notes:
                    st.caption("其中不适用于本项目：" + "；".join(f"“{s['text'][:40]}…”——{plain(s.get('why', ''))}" for s in notes))
                clause = svc.clause(r.get("clause_id")) or {}
                components.entitlements(clause, entitled_by_clause.get(r.get("clause_id")))
                components.cite(svc, r.get("clause_id"))
with tab_triggers:
    st.caption("条款中“如果……则……”式的规定：项目满足前提时会产生的后果。")
    for t in triggers:
        with st.container(border=True):
            st.markdown(f"**{FIRES.get(t.get('fires'), FIRES[None])}**　{html.escape(t.get('condition', ''))}"
                        f" → {html.escape(t.get('consequence', ''))}")
            st.caption(plain(t.get("explanation", "")))
            components.cite(svc, t.get("clause_id"))
with tab_excluded:
    st.caption("适用条款中，写明只适用于其他对象的句子和条件（按项目信息判断）。")
    for r, s in excluded:
        with st.container(border=True):
            st.markdown(f":gray-badge[不适用于本项目]　{html.escape(plain(s.get('why', '')))}")
            st.markdown(components.clause_html(s.get("text", "")), unsafe_allow_html=True)
            components.cite(svc, r.get("clause_id"))
    for n in not_applicable:
        with st.container(border=True):
            st.markdown(f":gray-badge[不适用于本项目]　{html.escape(n.get('condition', ''))}：{html.escape(plain(n.get('reason', '')))}")
            components.cite(svc, n.get("clause_id"))
with tab_skipped:
    for d in skipped:
        st.markdown(f"- 《{html.escape(d['document'])}》：{html.escape(plain(d.get('why', '')))}")
