"""文件 Documents: the corpus with metadata and validity, a document as its
clause tree, and uploading a new document into the corpus."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app.service import MAX_UPLOAD_BYTES, UploadRefused
from app.ui import components, state

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
st.caption("语料库中的政策文件及其元数据、效力状态；点开一份文件按条款树阅读；上传新文件加入语料库。")

docs = svc.documents
rows = []
for doc_id, doc in docs.items():
    d = doc["document"]
    rows.append({
        "标题": d["title"], "发文字号": d.get("number") or "", "地区": d.get("region") or "",
        "发文机关": "、".join(d.get("issuers") or []), "成文日期": d.get("date_written") or "",
        "发布日期": d.get("date_published") or "", "是否有效": components.VALID_LABELS.get(d.get("valid"), "未知"),
        "条款数": doc["clause_count"], "格式": d.get("source_format") or "", "文件": d.get("source_file") or "",
        "编号": doc_id,
    })
table = pd.DataFrame(rows)
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"条款数": st.column_config.NumberColumn(width="small")})

# -- one document as its clause tree --------------------------------------------
ids = list(docs)
# A link (?doc=…&clause=…) opens a document; the choice made here goes back into the URL.
wanted = st.query_params.get("doc")
if wanted != st.session_state.get("docs_url"):
    st.session_state["docs_url"] = wanted
    if wanted in docs:
        st.session_state["docs_open"] = wanted
if st.session_state.get("docs_pending_open") in docs:
    st.session_state["docs_open"] = st.session_state.pop("docs_pending_open")
if st.session_state.get("docs_open") not in docs and ids:
    st.session_state["docs_open"] = ids[0]

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
    meta = [f"**发文字号** {d.get('number') or '—'}", f"**地区** {d.get('region') or '—'}",
            f"**成文日期** {d.get('date_written') or '—'}", f"**是否有效** {components.VALID_LABELS.get(d.get('valid'), '未知')}",
            f"**条款** {docs[doc_id]['clause_count']} 条"]
    st.markdown(" · ".join(meta))
    for warning in tree["warnings"]:
        st.caption(f":material/warning: {warning}")
    with st.container(height=560 if docs[doc_id]["clause_count"] > 12 else "content", border=True):
        components.clause_tree(tree["children"], highlight=st.query_params.get("clause"))

# -- upload ---------------------------------------------------------------------
st.subheader("上传新文件")
st.caption(f"支持 .txt / .md / .docx / .pdf / .html，单个文件不超过 {MAX_UPLOAD_BYTES // 2**20} MB。"
           "格式按文件内容判断；解析后重建索引，完成后即可检索。")
upload = st.file_uploader("选择文件", key="docs_upload", max_upload_size=MAX_UPLOAD_BYTES // 2**20)
if st.button("解析并加入语料库", type="primary", disabled=upload is None, key="docs_add"):
    log: list[str] = []

    def progress(message: str) -> None:
        log.append(message)
        status.write(message)

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
if result and result[0] == "error":
    _, reason, detail, log = result
    st.error(f"**未添加：{REFUSALS.get(reason, reason)}**\n\n{detail}")
elif result and result[0] == "ok":
    _, report, log = result
    st.success(f"已添加《{report['title']}》（{report['number'] or '无文号'}，{report['region'] or '地区未识别'}），"
               f"解析出 {report['clauses']} 条条款，用时 {report['seconds']:.1f} 秒。上方已打开这份文件，现在可以检索它。")
    for warning in report["warnings"]:
        st.caption(f":material/warning: {warning}")
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
