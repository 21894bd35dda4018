"""文件 Documents: the corpus with metadata and validity, a document as its
clause tree, and uploading a new document into the corpus."""
from __future__ import annotations

import html
from urllib.parse import quote

import pandas as pd
import streamlit as st

from app.service import MAX_UPLOAD_BYTES, UploadRefused
from app.ui import components, messages, state

REFUSALS = {
    "name": "文件名不可用",
    "size": f"文件过大（上限 {MAX_UPLOAD_BYTES // 2**20} MB）",
    "empty": "文件是空的",
    "format": "无法作为政策文件读取（支持 .txt、.md、.docx、.pdf、.html；按文件内容判断格式）",
    "limits": "读取这份文件所需的内存或时间超出上限",
    "duplicate": "这份文件已在语料中",
    "busy": "另一位用户正在添加文件，请稍后再试",
    "readonly": "当前数据目录不是由 policykg build 发布的，不能添加文件",
    "build": "重建索引失败，原有数据未改动",
}

components.css()
svc = state.service()
st.title("文件")
st.caption("语料库中的政策文件及其元数据、效力状态：可按效力级别、发文机关、地区、日期和是否有效筛选，按文号或标题查找；"
           "点表格中的一行或在下方选择，按条款树阅读；上传新文件加入语料库，或移除一份文件。")

docs = svc.documents


def level_of(d: dict) -> str:
    """效力级别, when ingest gives it (documents built before it did list without one)."""
    return d.get("level") or d.get("effect_level") or ""


def validity_of(d: dict) -> str:
    """时效性 as the document says it (现行有效, 已废止) when ingest gives it, else from the yes/no field."""
    return d.get("validity") or components.VALID_LABELS.get(d.get("valid"), "未知")


def date_of(d: dict) -> str:
    return d.get("date_published") or d.get("date_written") or d.get("date") or ""


rows = []
for doc_id, doc in docs.items():
    d = doc["document"]
    rows.append({
        "标题": d["title"], "发文字号": d.get("number") or "", "效力级别": level_of(d), "地区": d.get("region") or "",
        "发文机关": "、".join(d.get("issuers") or []), "日期": date_of(d),
        "是否有效": validity_of(d), "条款数": doc["clause_count"],
        "格式": d.get("source_format") or "", "编号": doc_id,
    })
table = pd.DataFrame(rows, columns=["标题", "发文字号", "效力级别", "地区", "发文机关", "日期", "是否有效", "条款数", "格式", "编号"])

with st.container(border=True):
    cols = st.columns([3, 2, 2])
    needle = cols[0].text_input("按文号或标题查找", key="docs_find", placeholder="例如：晋能源规发、绿电直连")
    sort = cols[1].selectbox("排序", ["日期（新→旧）", "日期（旧→新）", "标题", "效力级别", "地区", "条款数"], key="docs_sort")
    validity = cols[2].multiselect("是否有效", sorted(set(table["是否有效"])), key="docs_valid", placeholder="不限")
    cols = st.columns(3)
    choices = {name: sorted({v for v in table[name] if v}) for name in ("效力级别", "地区")}
    issuers = sorted({i for d in docs.values() for i in d["document"].get("issuers") or []})
    levels = cols[0].multiselect("效力级别", choices["效力级别"], key="docs_level",
                                 placeholder="不限" if choices["效力级别"] else "（文件未标注效力级别）")
    regions = cols[1].multiselect("地区", choices["地区"], key="docs_region", placeholder="不限")
    by_issuer = cols[2].multiselect("发文机关", issuers, key="docs_issuer", placeholder="不限")
    years = sorted({int(v[:4]) for v in table["日期"] if v[:4].isdigit()})
    span = (st.slider("年份", years[0], years[-1], (years[0], years[-1]), key="docs_years")
            if len(years) > 1 else None)

shown = table
if needle.strip():
    words = needle.split()
    shown = shown[shown.apply(lambda r: all(w in r["标题"] or w in r["发文字号"] for w in words), axis=1)]
for column, wanted in (("效力级别", levels), ("地区", regions), ("是否有效", validity)):
    if wanted:
        shown = shown[shown[column].isin(wanted)]
if by_issuer:
    shown = shown[shown["发文机关"].map(lambda v: any(i in v.split("、") for i in by_issuer))]
if span and span != (years[0], years[-1]):
    year = shown["日期"].str[:4]
    shown = shown[year.str.isdigit() & year.between(str(span[0]), str(span[1]))]
order = {"日期（新→旧）": ("日期", False), "日期（旧→新）": ("日期", True), "标题": ("标题", True),
         "效力级别": ("效力级别", True), "地区": ("地区", True), "条款数": ("条款数", False)}[sort]
shown = shown.sort_values(order[0], ascending=order[1], kind="stable")

st.caption(f"共 {len(table)} 份文件" + (f"，符合条件 {len(shown)} 份" if len(shown) != len(table) else "")
           + "。点一行打开这份文件。")
picked = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key="docs_table", column_config={"条款数": st.column_config.NumberColumn(width="small"),
                                                       "标题": st.column_config.TextColumn(width="large")})

# -- one document as its clause tree --------------------------------------------
ids = list(docs)
# A link (?doc=…&clause=…) opens a document; the choice made here goes back into the URL.
wanted = st.query_params.get("doc")
if wanted != st.session_state.get("docs_url"):
    st.session_state["docs_url"] = wanted
    if wanted in docs:
        st.session_state["docs_open"] = wanted
rows_picked = ((picked or {}).get("selection") or {}).get("rows") or []
row_doc = shown.iloc[rows_picked[0]]["编号"] if rows_picked and rows_picked[0] < len(shown) else None
if row_doc and row_doc != st.session_state.get("docs_last_row"):
    st.session_state["docs_open"] = row_doc
st.session_state["docs_last_row"] = row_doc
if st.session_state.get("docs_pending_open") in docs:
    st.session_state["docs_open"] = st.session_state.pop("docs_pending_open")
if st.session_state.get("docs_open") not in docs and ids:
    st.session_state["docs_open"] = ids[0]


@st.dialog("移除文件")
def confirm_removal(doc_id: str) -> None:
    d = docs[doc_id]["document"]
    st.markdown(f"将从语料库中移除《{html.escape(d['title'])}》及其 **{docs[doc_id]['clause_count']}** 条条款，"
                "并重建索引。语料文件夹中的原文件不会被删除；上传的文件会移到备份文件夹。")
    sure = st.checkbox("我确认移除这份文件", key="docs_remove_sure")
    if st.button("移除并重建索引", type="primary", disabled=not sure, key="docs_remove_go"):
        with st.spinner("正在移除并重建索引…"):
            try:
                report = svc.remove_document(doc_id)
            except UploadRefused as refused:
                st.session_state["docs_result"] = ("error", refused.reason, refused.detail, [])
            else:
                state.reload_service()
                st.session_state["docs_result"] = ("removed", report, [])
                st.session_state.pop("docs_open", None)
                st.query_params.pop("doc", None)
                st.query_params.pop("clause", None)
        st.session_state.pop("docs_remove_sure", None)
        st.rerun()


st.subheader("阅读文件")
if ids:
    doc_id = st.selectbox("选择文件", ids, key="docs_open",
                          format_func=lambda i: components.doc_label(docs[i]["document"]))
    st.query_params["doc"] = doc_id
    st.session_state["docs_url"] = doc_id
    if not st.query_params.get("clause", "").startswith(f"{doc_id}#"):
        st.query_params.pop("clause", None)
    tree = svc.document_tree(doc_id)
    d = tree["document"]
    meta = [f"**发文字号** {d.get('number') or '—'}", f"**效力级别** {level_of(d) or '未标注'}",
            f"**地区** {d.get('region') or '—'}", f"**发文机关** {'、'.join(d.get('issuers') or []) or '—'}",
            f"**日期** {date_of(d) or '—'}", f"**是否有效** {validity_of(d)}",
            f"**条款** {docs[doc_id]['clause_count']} 条"]
    st.markdown(" · ".join(meta))
    for warning in tree["warnings"]:
        st.caption(components.icon("warning", "提示") + " " + html.escape(warning), unsafe_allow_html=True)
    links = svc.document_links(doc_id)
    for key, label in (("cites", "本文件引用"), ("cited_by", "引用本文件的")):
        if links[key]:
            st.markdown(f"**{label}**：" + "　".join(
                f"[{components.doc_label(svc.documents[x['doc_id']]['document'])}](documents?doc={quote(x['doc_id'])})"
                f"（{len(x['clauses'])} 处）" for x in links[key]))
    if links.get("cites_outside"):
        st.caption("还引用了语料库中没有的文件：" + "、".join(
            f"《{x['title']}》" + (f"（{x['number']}）" if x["number"] else "") if x["title"] else x["number"]
            for x in links["cites_outside"]))
    anchor = st.query_params.get("clause")
    with st.container(height=560 if docs[doc_id]["clause_count"] > 12 else "content", border=True):
        components.clause_tree(tree["children"], highlight=anchor, resolve=svc.resolve_citation)
    if anchor:
        components.scroll_to_anchor(anchor)
        clause = svc.clause(anchor)
        if clause:
            st.caption("所选条款的引用格式（点右侧按钮复制）：")
            st.code(components.citation_text(clause), language=None, wrap_lines=True)
    if st.button("移除这份文件…", icon=":material/delete:", key="docs_remove"):
        confirm_removal(doc_id)

# -- upload ---------------------------------------------------------------------
st.subheader("上传新文件")
st.caption(f"支持 .txt / .md / .docx / .pdf / .html，单个文件不超过 {MAX_UPLOAD_BYTES // 2**20} MB。"
           "格式按文件内容判断；解析后重建索引，完成后即可检索。")
upload = st.file_uploader("选择文件", key="docs_upload", max_upload_size=MAX_UPLOAD_BYTES // 2**20)
if st.button("解析并加入语料库", type="primary", disabled=upload is None, key="docs_add"):
    log: list[str] = []

    def progress(message: str) -> None:
        log.append(messages.progress_zh(message))
        status.write(log[-1])

    with st.status(f"正在添加 {upload.name} …", expanded=True) as status:
        try:
            report = svc.add_document(upload.name, upload.getvalue(), progress=progress)
        except UploadRefused as refused:
            status.update(label=f"未添加：{REFUSALS.get(refused.reason, refused.reason)}", state="error")
            st.session_state["docs_result"] = ("error", refused.reason, refused.detail, log)
        else:
            status.update(label=f"已添加《{report['title']}》", state="complete")
            state.reload_service()
            st.session_state["docs_result"] = ("ok", report, log)
            st.session_state["docs_pending_open"] = report["doc_id"]  # opened on the rerun, before the select box
    st.rerun()

result = st.session_state.get("docs_result")
if result and result[0] == "removed":
    _, report, log = result
    st.success(f"已移除《{report['title']}》；语料现有 {report['documents']} 份文件，重建用时 {report['seconds']:.1f} 秒。")
elif result and result[0] == "error":
    _, reason, detail, log = result
    st.error(f"**未添加：{REFUSALS.get(reason, reason)}**\n\n{messages.zh(detail)}")
    if messages.technical(detail):
        with st.expander("技术细节（供管理员排查）"):
            st.code(messages.technical(detail), language=None)
elif result and result[0] == "ok":
    _, report, log = result
    st.success(f"已添加《{report['title']}》（{report['number'] or '无文号'}，{report['region'] or '地区未识别'}），"
               f"解析出 {report['clauses']} 条条款，用时 {report['seconds']:.1f} 秒。上方已打开这份文件，现在可以检索它。")
    for warning in report["warnings"]:
        st.caption(components.icon("warning", "提示") + " " + html.escape(warning), unsafe_allow_html=True)
    if report["doc_id"] in svc.documents:
        hits = svc.search(report["title"], k=3, filters={"document": report["doc_id"]})
        if hits:
            st.caption("检索验证：在新文件中检索它的标题，前几条结果：")
            for hit in hits:
                st.markdown(f"- `{hit['path']}` {html.escape(hit['text'][:80])}…")
    st.page_link("views/search_page.py", label="在检索页中只搜这份文件", icon=":material/search:",
                 query_params={"q": report["title"][:30], "document": report["doc_id"]})
if result:
    with st.expander("处理记录"):
        st.code("\n".join(result[-1]) or "—", language=None)
