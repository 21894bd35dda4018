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
        options = facets[key]
        st.session_state[f"search_{key}"] = [v for v in url[key] if v in options]

st.title("🔍 检索")
st.caption("在全部政策条款中检索：输入关键词或一句话，按地区、文件、部门、行业、措施类型、年份筛选。结果页的网址可以直接分享。")

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
                                     format_func=lambda v, o=options: o[v], placeholder="不限")

filters = {key: list(st.session_state.get(f"search_{key}") or []) for key, _ in FILTERS}
filters = {k: v for k, v in filters.items() if v}
new_url = {"q": query.strip(), **filters}
st.query_params.from_dict({k: v for k, v in new_url.items() if v})
st.session_state["search_url"] = {"q": query.strip()} | {key: filters.get(key, []) for key, _ in FILTERS}

if not query.strip():
    st.info("输入检索词后按回车。示例：" + "、".join(f"`{q}`" for q in ("绿电直连", "可再生能源消纳责任权重", "零碳产业园 财政支持")))
    st.stop()

hits = svc.search(query.strip(), k=20, filters=filters or None)
if not hits:
    st.warning("没有找到匹配的条款。可以换个说法，或减少筛选条件。")
    st.stop()

st.markdown(f"找到 **{len(hits)}** 条相关条款")
for rank, hit in enumerate(hits, 1):
    with st.container(border=True):
        crumb = components.breadcrumb(hit["doc_title"], hit.get("parents") or [], hit.get("path", ""))
        st.markdown(f'<div class="pk-crumb">{rank}. {html.escape(crumb)}'
                    + (f"　{html.escape(hit['doc_number'])}" if hit.get("doc_number") else "") + "</div>",
                    unsafe_allow_html=True)
        st.markdown(components.clause_html(hit.get("marked") or hit["text"]), unsafe_allow_html=True)
        why = hit.get("why")
        if why:
            st.caption("匹配原因：" + (why if isinstance(why, str) else "；".join(map(str, why))))
        tags = components.hit_tags(hit)
        if tags:
            st.caption(tags)
        with st.expander("在文件中的位置"):
            context = svc.clause_context(hit["clause_id"], before=1, after=1)
            if context:
                path = " › ".join(" ".join(x for x in (s["number"], s["heading"]) if x) for s in context["sections"])
                st.caption(f"《{context['document']['title']}》第 {context['position']}/{context['total']} 条"
                           + (f" · {path}" if path else ""))
                for c in context["before"]:
                    st.markdown(f'<div class="pk-context">{html.escape(c["text"])}</div>', unsafe_allow_html=True)
                st.markdown(components.clause_html(hit.get("marked") or hit["text"]).replace(
                    'class="pk-clause"', 'class="pk-clause" style="border-left:3px solid #f0b400;padding-left:8px"'),
                    unsafe_allow_html=True)
                for c in context["after"]:
                    st.markdown(f'<div class="pk-context">{html.escape(c["text"])}</div>', unsafe_allow_html=True)
            st.page_link("pages/documents_page.py", label="打开整份文件", icon="📄",
                         query_params={"doc": hit["clause_id"].split("#")[0], "clause": hit["clause_id"]})
