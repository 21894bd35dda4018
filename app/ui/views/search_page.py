"""检索 Search: a query box, filters, highlighted hits with why they matched,
and each clause in its document context.  The query and filters live in the
URL (``?q=…&region=…``), so a result page can be shared."""
from __future__ import annotations

import html

import streamlit as st

from app.ui import components, state

FILTERS = [  # URL / filter key, label
    ("region", "地区"), ("document", "文件"), ("agency", "部门"),
    ("industry", "行业"), ("measure", "措施类型"), ("year", "年份"),
]

components.css()
svc = state.service()
facets = svc.search_facets()

# The URL is the page's state: read it into the widgets on the first run and
# whenever it changes (a shared link, the browser's back button).
url = {"q": st.query_params.get("q", "")} | {key: st.query_params.get_all(key) for key, _ in FILTERS}
if st.session_state.get("search_url") != url:
    st.session_state["search_url"] = url
    st.session_state["search_q"] = url["q"]
    for key, _ in FILTERS:
        st.session_state[f"search_{key}"] = [v for v in url[key] if v in facets[key]]

st.title("检索")
st.caption("在全部政策条款中检索：输入关键词或一句话，可按地区、文件、部门、行业、措施类型、年份筛选（同一项可多选）。"
           "结果页的网址可以直接分享。")

with st.form("search_form", border=False):
    cols = st.columns([6, 1])
    query = cols[0].text_input("检索词", key="search_q", placeholder="例如：绿电直连 接入电压等级、数据中心 绿电比例、氢能 补贴",
                               label_visibility="collapsed")
    cols[1].form_submit_button("检索", type="primary", width="stretch")
    with st.expander("筛选条件", expanded=any(st.session_state.get(f"search_{k}") for k, _ in FILTERS)):
        fcols = st.columns(3)
        for i, (key, label) in enumerate(FILTERS):
            options = facets[key]
            fcols[i % 3].multiselect(label, list(options), key=f"search_{key}",
                                     format_func=lambda v, o=options: o.get(v, v), placeholder="不限")

query = query.strip()
filters = {key: list(st.session_state.get(f"search_{key}") or []) for key, _ in FILTERS}
filters = {k: v for k, v in filters.items() if v}
st.session_state["search_url"] = {"q": query} | {key: filters.get(key, []) for key, _ in FILTERS}
st.query_params.from_dict({k: v for k, v in {"q": query, **filters}.items() if v})

if not query:
    st.info("输入检索词后按回车。示例：" + "、".join(f"`{q}`" for q in ("绿电直连", "可再生能源消纳责任权重", "零碳产业园 财政支持")))
    st.stop()

try:
    hits = svc.search(query, k=20, filters=filters or None)
except ValueError as err:  # a filter value the search does not know
    st.error(f"检索条件有误：{err}")
    st.stop()
if not hits:
    st.warning("没有找到匹配的条款。可以换个说法，或减少筛选条件。")
    st.stop()

labels = [components.strength(hit, query) for hit in hits]
if all(hit.get("relevant") is False for hit in hits) or all(label in components.WEAK for label, _ in labels):
    # No clause has the words asked for: say so first, rather than present near misses as answers.
    st.warning("没有找到直接回答这个问题的条款：下面的条款只有个别字词相同或意思相近，仅供参考。"
               "可以换个说法、检查错别字，或减少筛选条件。")
else:
    strong = sum(1 for label, _ in labels if label == "高度相关")
    st.markdown(f"找到 **{len(hits)}** 条条款，按相关程度排列" + (f"，其中 **{strong}** 条含全部检索词" if strong else "")
                + ("（最多显示 20 条）" if len(hits) == 20 else ""))
for hit, (label, colour) in zip(hits, labels):
    with st.container(border=True):
        crumb = components.breadcrumb(hit["doc_title"], hit.get("parents") or [])
        extra = "　".join(x for x in (hit.get("doc_number"), hit.get("region"), f"条款 {hit['path']}") if x)
        st.markdown(f'<div class="pk-crumb">{hit["rank"]}. {html.escape(crumb)}'
                    f'<span class="pk-path">{html.escape(extra)}</span></div>', unsafe_allow_html=True)
        st.markdown(components.clause_html(hit["text"], marked=hit.get("marked")), unsafe_allow_html=True)
        sentence = (hit.get("sentence") or {}).get("text")
        if sentence and sentence != hit["text"]:
            st.caption("最相关的一句：" + html.escape(sentence))
        why = components.plain_why(hit.get("why"))
        st.markdown(f":{colour}-badge[{label}]" + ("　" + html.escape("；".join(why)) if why else ""))
        tags = components.hit_tags(hit)
        if tags:
            st.caption(tags, unsafe_allow_html=True)
        with st.expander("在文件中的位置"):
            context = svc.clause_context(hit["clause_id"], before=1, after=1)
            path = " › ".join(components.section_title(s["number"], s["heading"]) for s in context["sections"])
            st.caption(f"《{context['document']['title']}》第 {context['position']}/{context['total']} 条"
                       + (f" · {path}" if path else ""))
            for c in context["before"]:
                st.markdown(f'<div class="pk-context">{html.escape(c["text"])}</div>', unsafe_allow_html=True)
            st.markdown(components.clause_html(hit["text"], marked=hit.get("marked")).replace(
                'class="pk-clause"', 'class="pk-clause" style="border-left:3px solid #f0b400;padding-left:8px"'),
                unsafe_allow_html=True)
            for c in context["after"]:
                st.markdown(f'<div class="pk-context">{html.escape(c["text"])}</div>', unsafe_allow_html=True)
        components.cite(svc, hit["clause_id"])
