"""我的项目 My project: a project profile in, the rules that bind it and the
checked conditions out, each cited to its clause; the report downloadable."""
from __future__ import annotations

import html
import re

import streamlit as st

from app.applicability.profile import FIELDS, FIELDS_BY_NAME
from app.ui import components, state

EXAMPLE = {"region": "广西壮族自治区", "city": "", "industry": "钢铁", "project_kind": "新建",
           "grid_connected": True, "direct_line_km": 60.0, "grid_voltage_kv": 110.0, "self_consumption_pct": 55.0,
           "description": "绿电直连项目，新建钢铁企业配套风电光伏"}
STATUS = {"met": ":green-badge[:material/check: 满足]", "not_met": ":red-badge[:material/close: 不满足]",
          "unknown": ":gray-badge[:material/help: 待定]"}
TRISTATE = {"未填写": None, "是": True, "否": False}
HELP = {  # the form's help in Chinese; the field list itself is app.applicability.profile.FIELDS
    "region": "省级行政区，如 山西、山西省、广西壮族自治区",
    "city": "设区市，如 太原市",
    "industry": "按行业分类识别，如 电解铝、数据中心、钢铁",
    "project_kind": "新建、扩建或存量改造",
    "exports": "企业是否出口（或为出口企业配套）",
    "own_power_plant": "负荷是否配有燃煤或燃气自备电厂",
    "grid_connected": "是：并网型（整体接入公用电网）；否：离网型。填写了接入电压等级或上网电量比例时按并网型处理",
    "load_mw": "规划用电负荷",
    "capacity_mw": "规划新能源发电装机",
    "renewable_share_pct": "项目用电中可再生能源（绿电）的比例",
    "co2_capture_t_per_year": "每年捕集的二氧化碳吨数",
    "energy_use_tce": "每年综合能源消费量（吨标准煤）",
    "description": "自由填写；用于识别项目涉及的政策主题，如 绿电直连、CCUS、源网荷储",
}
GROUPS = {"obligations": "义务与条件", "incentives": "支持措施", "restrictions": "限制要求", "targets": "相关目标",
          "context": "政策背景"}
SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "=", "~": "≈"}


def explain_zh(c: dict) -> str:
    """The check's outcome in Chinese, from its fields (the engine's own words are in the report)."""
    spec = FIELDS_BY_NAME.get(c.get("field") or "")
    if spec is None:
        text = "项目信息中没有对应的指标，需要人工核对"
    elif c.get("status") == "unknown":
        text = f"填写“{spec.label}（{spec.unit}）”后即可判断"
    else:
        mine = f"{c['profile_value']:g}{spec.unit}" if isinstance(c.get("profile_value"), (int, float)) else "—"
        text = f"本项目{spec.label}为 {mine}，" + ("满足要求" if c["status"] == "met" else "不满足要求")
        if c["status"] == "not_met" and c.get("gap"):
            text += f"，相差 {c['gap']:g}{'个百分点' if spec.unit == '%' else spec.unit}"
    if c.get("firmness") == "原则上":
        text += "（条款写“原则上”，可经批准例外）"
    return text


REASONS = {"region": "地区适用", "industry": "行业", "broader_industry": "上位行业", "narrower_industry": "细分行业",
           "energy_intensive": "高耗能行业", "generic_industry": "行业大类", "topic": "主题", "project_kind": "项目类型",
           "document_topic": "文件主题", "description": "项目描述相关"}


def reasons_zh(rule: dict) -> str:
    """``地区适用 · 主题“绿电直连” · 项目类型“新增负荷”`` from the rule's reasons (their words quoted as written)."""
    parts = []
    for r in rule.get("reasons") or []:
        quoted = "".join(f"“{q}”" for q in re.findall(r"“([^”]+)”", r.get("text", ""))[:2])
        part = REASONS.get(r.get("kind"), r.get("kind", "")) + quoted
        if part not in parts:
            parts.append(part)
    return " · ".join(parts)


def condition_text(c: dict) -> str:
    """``整体新能源年自发自用电量占总可用发电量的比例 ≥ 60%``."""
    if c.get("condition"):
        return c["condition"]
    value = c.get("value")
    value = f"{value:g}" if isinstance(value, (int, float)) else (value or "")
    return f"{c.get('subject', '')} {SYMBOLS.get(c.get('comparator'), c.get('comparator', ''))} {value}{c.get('unit', '')}"

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
            col.selectbox(spec.label, [""] + list(spec.choices), key=key, help=HELP.get(spec.name),
                          format_func=lambda v: v or "未填写")
        else:
            col.text_input(spec.label, key=key, help=HELP.get(spec.name))
    cols = st.columns(len(bool_fields))
    for col, spec in zip(cols, bool_fields):
        col.selectbox(spec.label, list(TRISTATE), key=f"profile_{spec.name}", help=HELP.get(spec.name))
    st.markdown("**项目指标**（不清楚的可以不填，相关条件会显示为“待定”）")
    cols = st.columns(3)
    for i, spec in enumerate(number_fields):
        cols[i % 3].number_input(f"{spec.label}（{spec.unit}）", key=f"profile_{spec.name}", value=None,
                                 min_value=0.0, step=1.0, format="%g", help=HELP.get(spec.name))
    description = [f for f in FIELDS if f.name == "description"]
    for spec in description:
        st.text_area(spec.label, key=f"profile_{spec.name}", help=HELP.get(spec.name), height=80)
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
except ValueError as err:  # the profile could not be read (unknown unit, bad value …)
    st.error(f"项目信息有误：{err}")
    st.stop()

rules = result.get("rules", [])
conditions = result.get("conditions", [])
counts = {s: sum(1 for c in conditions if c.get("status") == s) for s in STATUS}
cols = st.columns(4)
cols[0].metric("适用条款", len(rules))
cols[1].metric("条件满足", counts["met"])
cols[2].metric("条件不满足", counts["not_met"])
cols[3].metric("待定", counts["unknown"])

industry = result.get("industry") or {}
notes = []
if industry.get("label"):
    notes.append(f"行业按“{industry['label']}”匹配" + (f"（上位：{'、'.join(industry.get('broader') or [])}）" if industry.get("broader") else ""))
if result.get("topics"):
    notes.append("项目涉及的政策主题：" + "、".join(result["topics"]))
for line in notes:
    st.caption(line)
for warning in [*result.get("warnings", []), *result.get("profile_notes", [])]:
    st.caption(f":material/warning: {warning}")

components.downloads("项目政策核查报告", xlsx=svc.apply_report(checked, "xlsx"), markdown=svc.apply_report(checked, "md"),
                     key="project")

skipped = result.get("skipped_documents", [])
triggers = result.get("triggers", [])
tab_conditions, tab_rules, tab_triggers, tab_skipped = st.tabs(
    [f"量化条件（{len(conditions)}）", f"适用条款（{len(rules)}）", f"触发情形（{len(triggers)}）", f"不适用的文件（{len(skipped)}）"])
with tab_conditions:
    if not conditions:
        st.caption("没有需要核对的量化条件。")
    order = {"not_met": 0, "unknown": 1, "met": 2}
    for c in sorted(conditions, key=lambda c: (order.get(c.get("status"), 3), c.get("clause_id", ""))):
        with st.container(border=True):
            st.markdown(f"**{STATUS.get(c.get('status'), c.get('status'))}**　{html.escape(condition_text(c))}"
                        + (f"　`{c['firmness']}`" if c.get("firmness") else ""), unsafe_allow_html=True)
            st.caption(explain_zh(c))
            st.markdown(components.clause_html(c.get("text", "")), unsafe_allow_html=True)
            components.cite(svc, c.get("clause_id"))
with tab_rules:
    groups: dict[str, list] = {}
    for r in rules:
        groups.setdefault(r.get("group") or "other", []).append(r)
    for group, items in sorted(groups.items(), key=lambda kv: list(GROUPS).index(kv[0]) if kv[0] in GROUPS else 99):
        more = (result.get("more") or {}).get(group)
        st.markdown(f"#### {GROUPS.get(group, group)}（{len(items)}）" + (f"　另有 {more} 条未列出" if more else ""))
        for r in items:
            with st.container(border=True):
                st.markdown(components.clause_html(r.get("text", "")), unsafe_allow_html=True)
                if r.get("reasons"):
                    st.caption("适用原因：" + reasons_zh(r), help=r.get("why") or None)
                components.cite(svc, r.get("clause_id"))
with tab_triggers:
    st.caption("条款中“如果……则……”式的规定：项目满足前提时会产生的后果。")
    for t in triggers:
        with st.container(border=True):
            fires = {True: ":orange-badge[会触发]", False: ":gray-badge[不会触发]"}.get(t.get("fires"), ":gray-badge[待定]")
            st.markdown(f"**{fires}**　{html.escape(t.get('condition', ''))} → {html.escape(t.get('consequence', ''))}")
            spec = FIELDS_BY_NAME.get(t.get("field") or "")
            if t.get("fires") is None and spec:
                st.caption(f"填写“{spec.label}（{spec.unit}）”后即可判断", help=t.get("explanation") or None)
            components.cite(svc, t.get("clause_id"))
with tab_skipped:
    for d in skipped:
        st.markdown(f"- 《{html.escape(d['document'])}》：{html.escape(d.get('why', ''))}")
