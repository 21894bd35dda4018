"""Widgets the pages share: the sidebar, clause cards, highlighted text, downloads.

Only presentation lives here; every fact comes from :class:`PolicyService`.
Text from documents (uploads included) is HTML-escaped before it is shown.
"""
from __future__ import annotations

import html
import io
import re
from typing import Any, Iterable

import streamlit as st

from app.ui import state

VALID_LABELS = {True: "有效", False: "失效", None: "未知"}

_MARK_CSS = (
    "<style>"
    "mark.pk{background:#ffe58f;padding:0 2px;border-radius:2px}"
    ".pk-clause{line-height:1.75;font-size:0.97rem;white-space:pre-line}"
    ".pk-context{color:#888;font-size:0.9rem;line-height:1.6}"
    ".pk-crumb{color:#666;font-size:0.85rem}"
    ".pk-path{color:#999;font-size:0.8rem;margin-left:0.6em}"
    "</style>"
)


def sidebar_info() -> None:
    """What data the app is serving, at the foot of the sidebar."""
    svc = state.service()
    manifest = svc.manifest
    docs = manifest.get("documents", {})
    clauses = sum(d.get("clauses", 0) for d in docs.values())
    built = str(manifest.get("built_at", ""))[:16].replace("T", " ")
    with st.sidebar:
        st.caption(f"数据：{len(docs)} 份文件 · {clauses} 条条款" + (f"\n\n构建于 {built}" if built else ""))


def css() -> None:
    st.html(_MARK_CSS)


def marked_html(text: str, terms: Iterable[str] = ()) -> str:
    """``text`` escaped, with every occurrence of ``terms`` highlighted (longest first)."""
    escaped = html.escape(text)
    words = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return escaped
    pattern = "|".join(re.escape(html.escape(w)) for w in words)
    return re.sub(pattern, lambda m: f'<mark class="pk">{m.group(0)}</mark>', escaped)


def search_marks_html(text: str, marked: str, open_mark: str = "【", close_mark: str = "】") -> str:
    """Highlight the words search put in 【】 in ``marked``, telling its marks from brackets in ``text`` itself.

    ``marked`` is ``text`` with marks inserted; walking both strings, a mark
    character that is not the next character of ``text`` is one search added.
    """
    out, inside, j = [], False, 0
    for ch in marked:
        if j < len(text) and ch == text[j]:
            out.append(html.escape(ch))
            j += 1
        elif ch == open_mark and not inside:
            out.append('<mark class="pk">')
            inside = True
        elif ch == close_mark and inside:
            out.append("</mark>")
            inside = False
        else:
            out.append(html.escape(ch))
    if inside:
        out.append("</mark>")
    return "".join(out)


def clause_html(text: str, terms: Iterable[str] = (), marked: str | None = None) -> str:
    body = search_marks_html(text, marked) if marked else marked_html(text, terms)
    return f'<div class="pk-clause">{body}</div>'


def breadcrumb(doc_title: str, parents: Iterable[str], path: str = "") -> str:
    items = [f"《{doc_title}》", *[p for p in parents if p]]
    if path:
        items.append(path)
    return " › ".join(items)


def section_title(number: str, heading: str) -> str:
    """``一、总体要求``; ``附件1`` once when the heading is the number; ``(一) 目标`` for bracketed numbers."""
    if not number or number == heading:
        return heading or number
    if number.startswith(("附件", "(", "（")) or number[-1:].isdigit():
        return f"{number} {heading}".strip()
    return f"{number}、{heading}"


def doc_label(doc: dict[str, Any]) -> str:
    """``《标题》（文号）`` for lists and select boxes."""
    number = doc.get("number") or ""
    return f"《{doc.get('title', '')}》" + (f"（{number}）" if number else "")


def to_excel(sheets: dict[str, Any]) -> bytes:
    """Data frames → one .xlsx workbook, a sheet each."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def to_csv(frame) -> bytes:
    """CSV with a BOM, so Excel on Chinese Windows opens it as UTF-8."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def downloads(stem: str, csv: bytes | None = None, xlsx: bytes | None = None, markdown: str | None = None,
              key: str | None = None) -> None:
    """A row of download buttons for whichever formats are given."""
    items = [(csv, "CSV", f"{stem}.csv", "text/csv"),
             (xlsx, "Excel", f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (markdown, "Markdown", f"{stem}.md", "text/markdown")]
    items = [i for i in items if i[0] is not None]
    cols = st.columns(max(len(items), 1) + 2)
    for col, (payload, label, name, mime) in zip(cols, items):
        col.download_button(f"下载 {label}", payload, file_name=name, mime=mime, icon=":material/download:",
                            key=f"{key or stem}-{label}", width="stretch")


def clause_tree(children: list[dict[str, Any]], highlight: str | None = None, depth: int = 0) -> None:
    """Render a :meth:`PolicyService.document_tree` as headings and clauses."""
    for node in children:
        if node["type"] == "section":
            title = section_title(node["number"], node["heading"])
            if depth == 0:
                st.markdown(f"#### {html.escape(title)}")
            else:
                st.markdown(f"{'&emsp;' * depth}**{html.escape(title)}**", unsafe_allow_html=True)
            clause_tree(node["children"], highlight, depth + 1)
        else:
            clause = node["clause"]
            anchor = clause["id"] == highlight
            body = html.escape(clause["text"])
            style = "background:#fff7d6;border-left:3px solid #f0b400;padding:4px 8px;" if anchor else "padding:2px 8px;"
            st.markdown(
                f'<div class="pk-clause" style="margin-left:{depth * 1.2}em;{style}">'
                f'<span class="pk-crumb">{html.escape(clause["path"])}</span>&ensp;{body}</div>',
                unsafe_allow_html=True,
            )


def hit_tags(hit: dict[str, Any]) -> str:
    """Agencies and targets a hit mentions, as one caption line."""
    parts = []
    agencies = hit.get("agencies") or []
    names = []
    for a in agencies:
        name = a.get("name") if isinstance(a, dict) else str(a)
        role = a.get("role") if isinstance(a, dict) else ""
        label = f"{name}（牵头）" if role == "lead" else name
        if label not in names:
            names.append(label)
    if names:
        parts.append(":material/account_balance: " + "、".join(names[:6]) + ("…" if len(names) > 6 else ""))
    targets = hit.get("targets") or []
    if targets:
        parts.append(":material/flag: " + "；".join(target_label(t) for t in targets[:3]))
    return "　".join(parts)


def target_label(t: dict[str, Any]) -> str:
    """``2025年 非化石能源消费比重 达到 20%``."""
    year = f"{t['year']}年 " if t.get("year") else (f"{t['period']} " if t.get("period") else "")
    value = t.get("value")
    value = f"{value:g}" if isinstance(value, (int, float)) else str(value or "")
    return f"{year}{t.get('indicator', '')} {t.get('comparator', '')} {value}{t.get('unit', '')}".strip()


def cite(svc, clause_id: str | None) -> None:
    """``出处：《文件》 一.(三)`` with a link that opens the clause in its document."""
    clause = svc.clause(clause_id) if clause_id else None
    if clause is None:
        if clause_id:
            st.caption(f"出处：{clause_id}")
        return
    number = f"（{clause['doc_number']}）" if clause.get("doc_number") else ""
    st.page_link("views/documents_page.py", label=f"出处：《{clause['doc_title']}》{number} {clause['path']}",
                 icon=":material/description:", query_params={"doc": clause["doc_id"], "clause": clause_id})


def short_title(title: str, limit: int = 16) -> str:
    """A document title short enough for a chart axis: the part after 关于 and before 的通知."""
    core = title
    if "关于" in core:
        core = core.split("关于", 1)[1]
    for tail in ("的通知", "的实施意见", "的意见"):
        core = core.removesuffix(tail)
    core = core.removeprefix("印发")
    return core if len(core) <= limit else core[: limit - 1] + "…"
