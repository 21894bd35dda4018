"""Widgets the pages share: the sidebar, clause cards, highlighted text, downloads.

Only presentation lives here; every fact comes from :class:`PolicyService`.
Text from documents (uploads included) is HTML-escaped before it is shown.
"""
from __future__ import annotations

import html
import re
from typing import Any, Iterable
from urllib.parse import quote

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
    "a.pk-cite{color:#1d4ed8;text-decoration:underline dotted}"
    ".pk-icon{font-family:'Material Symbols Rounded';font-weight:normal;display:inline-block;vertical-align:bottom;"
    "user-select:none;white-space:nowrap;word-wrap:normal;font-feature-settings:'liga'}"
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


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """Rows as CSV with a BOM, so Excel on Chinese Windows opens it as UTF-8 (:func:`graph.exports.to_csv`)."""
    from graph.exports import to_csv as write_csv

    return write_csv(rows, columns).encode("utf-8")


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


def clause_tree(children: list[dict[str, Any]], highlight: str | None = None, depth: int = 0, resolve=None) -> None:
    """Render a :meth:`PolicyService.document_tree` as headings and clauses.

    The ``highlight`` clause is marked (``pk-anchor``, for :func:`scroll_to_anchor`);
    with ``resolve`` (title, number → corpus document id), citations of corpus documents are links.
    """
    for node in children:
        if node["type"] == "section":
            title = section_title(node["number"], node["heading"])
            if depth == 0:
                st.markdown(f"#### {html.escape(title)}")
            else:
                st.markdown(f"{'&emsp;' * depth}**{html.escape(title)}**", unsafe_allow_html=True)
            clause_tree(node["children"], highlight, depth + 1, resolve)
        else:
            clause = node["clause"]
            anchor = clause["id"] == highlight
            body = (cited_html(clause["text"], clause.get("cites") or [], clause["span"][0], resolve)
                    if resolve and clause.get("cites") else html.escape(clause["text"]))
            extra = " pk-anchor" if anchor else ""
            st.markdown(
                f'<div class="pk-clause{extra}" style="margin-left:{depth * 1.2}em;{"" if anchor else "padding:2px 8px;"}">'
                f'<span class="pk-crumb">{html.escape(clause["path"])}</span>&ensp;{body}</div>',
                unsafe_allow_html=True,
            )


def scroll_to_anchor(clause_id: str) -> None:
    """Scroll the page (and the document's box) so that the highlighted clause is in view, once it is drawn."""
    script = ("<script>(function(){let n=0;const t=setInterval(function(){"
              "const e=window.parent.document.querySelector('.pk-anchor');"
              "if(e){e.scrollIntoView({block:'center'});clearInterval(t);}if(++n>50)clearInterval(t);},100);})();"
              f"/* {html.escape(clause_id).replace('*/', '')} */</script>")
    with st.container(key="pk-scroll", border=False):     # hidden by localize's CSS; the script still runs
        st.iframe(script, height=1)


def icon(name: str, label: str) -> str:
    """A Material icon (HTML, for ``unsafe_allow_html``) that a screen reader announces by a Chinese
    ``label``: Streamlit's own ``:material/warning:`` is announced as "warning icon"."""
    return f'<span class="pk-icon" role="img" aria-label="{html.escape(label)}" translate="no">{name}</span>'


def hit_tags(hit: dict[str, Any]) -> str:
    """Agencies and targets a hit mentions, as one caption line (HTML)."""
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
        parts.append(icon("account_balance", "部门") + " " + html.escape("、".join(names[:6])) + ("…" if len(names) > 6 else ""))
    targets = hit.get("targets") or []
    if targets:
        parts.append(icon("flag", "目标") + " " + html.escape("；".join(target_label(t) for t in targets[:3])))
    return "　".join(parts)


def target_label(t: dict[str, Any]) -> str:
    """``2025年 非化石能源消费比重 达到 20%``."""
    year = f"{t['year']}年 " if t.get("year") else (f"{t['period']} " if t.get("period") else "")
    value = t.get("value")
    value = f"{value:g}" if isinstance(value, (int, float)) else str(value or "")
    return f"{year}{t.get('indicator', '')} {t.get('comparator', '')} {value}{t.get('unit', '')}".strip()


def citation_text(clause: dict[str, Any]) -> str:
    """The line to paste into a memo: ``《标题》（文号）附件1.二.(一) 有序推动…，2025-05-20``."""
    number = f"（{clause['doc_number']}）" if clause.get("doc_number") else ""
    heading = f" {clause['heading']}" if clause.get("heading") else ""
    date = clause.get("doc_date_published") or clause.get("doc_date_written") or ""
    return f"《{clause['doc_title']}》{number}{clause['path']}{heading}" + (f"，{date}" if date else "")


def cite(svc, clause_id: str | None) -> None:
    """The clause's citation line with a copy button, and a link that opens its document at the clause."""
    clause = svc.clause(clause_id) if clause_id else None
    if clause is None:
        if clause_id:
            st.caption(f"出处：{clause_id}")
        return
    cols = st.columns([5, 1], vertical_alignment="center", gap="small")
    with cols[0]:
        st.code(citation_text(clause), language=None, wrap_lines=True)   # Streamlit's copy button sits on the block
    cols[1].page_link("views/documents_page.py", label="打开整份文件", icon=":material/description:",
                      query_params={"doc": clause["doc_id"], "clause": clause_id})


def cited_html(text: str, cites: list[dict[str, Any]], base: int, resolve) -> str:
    """Clause ``text`` escaped, each citation of a corpus document a link to it.

    ``cites`` are the clause's ``{"title", "number", "span"}`` (spans into the
    document, ``base`` the clause's own start); ``resolve(title, number)``
    gives a corpus document id or ``None``.
    """
    out, at = [], 0
    for c in sorted(cites or [], key=lambda c: c["span"][0]):
        start, end = c["span"][0] - base, c["span"][1] - base
        doc_id = resolve(c.get("title") or "", c.get("number") or "")
        if doc_id is None or start < at or end > len(text) or start < 0:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f'<a class="pk-cite" href="documents?doc={quote(doc_id)}" target="_self">{html.escape(text[start:end])}</a>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


WEAK = ("仅个别字词相同", "仅意思相近")


def strength(hit: dict[str, Any], query: str = "") -> tuple[str, str]:
    """How well a search hit answers, in words an officer reads: (label, badge colour).

    From what matched, not from a raw similarity: every word of the query in
    the clause (or a synonym of it) is 高度相关; matched words covering half
    the query or more, 相关; less, 仅个别字词相同; none, 仅意思相近 (the last
    two are :data:`WEAK`).  A ``strength`` label the search gives itself wins.
    """
    given = hit.get("strength")
    if isinstance(given, str) and given:
        return given, "green" if given.startswith(("强", "高")) else "orange" if given.startswith(("中", "部分", "相关")) else "gray"
    words = [w for w in query.split() if w]
    text = hit.get("text") or ""
    matched: list[str] = []
    for line in hit.get("why") or []:
        if line.startswith("命中词："):
            matched += line.removeprefix("命中词：").split("、")
        elif line.startswith("同义词："):
            matched += line.removeprefix("同义词：").split(" → ")[0].split("、")
    if words and all(w in text or w in matched for w in words):
        return "高度相关", "green"
    asked = "".join(words)
    covered = [False] * len(asked)
    for term in filter(None, matched):
        for m in re.finditer(re.escape(term), asked):
            covered[m.start():m.end()] = [True] * len(term)
    share = sum(covered) / len(asked) if asked else 0.0
    if share >= 0.5:
        return "相关", "orange"
    return (WEAK[0] if share > 0 else WEAK[1]), "gray"


_SIMILARITY = re.compile(r"语义相似度\s*[0-9.]+")


def plain_why(why: Iterable[str]) -> list[str]:
    """Search's match reasons without raw scores."""
    out = []
    for w in why or []:
        w = _SIMILARITY.sub("意思相近", w)
        if w not in out:
            out.append(w)
    return out


INSTRUMENT_WORDS = {
    "funds": "资金支持", "subsidy": "补贴", "award": "奖励", "tax": "税收优惠", "land": "用地支持",
    "power_price": "电价优惠", "finance": "金融支持", "insurance": "保险", "priority": "优先支持",
    "encouragement": "鼓励", "loan_interest": "贷款贴息", "fee": "费用减免", "other": "其他支持",
}


def _amount(e: dict[str, Any]) -> str:
    """``450万元``, ``研发费用的50%``, ``最高200万元``, joined as written."""
    def num(v):
        return f"{v:g}" if isinstance(v, (int, float)) else str(v)

    parts = []
    if e.get("value") is not None:
        value = num(e["value"]) + (f"–{num(e['value_max'])}" if e.get("value_max") is not None else "") + (e.get("unit") or "")
        parts.append(f"{e['per']}的{value}" if e.get("per") and e.get("unit") == "%" else
                     (f"每{e['per'].removeprefix('每')}{value}" if e.get("per") else value))
    if e.get("cap") is not None and (e["cap"], e.get("cap_unit")) == (e.get("value"), e.get("unit")) and parts:
        parts[-1] = "最高" + parts[-1]                 # 给予最高100万元: the amount is the cap
    elif e.get("cap") is not None:
        parts.append(f"最高{num(e['cap'])}{e.get('cap_unit') or ''}")
    return "，".join(parts)


CHECK_MARKS = {"met": "✅ 满足", "not_met": "❌ 不满足", "unknown": "❔ 待定"}
ENTITLEMENT_STATUS = {"met": "✅ 条件均满足", "not_met": "❌ 有条件不满足", "unknown": "❔ 条件待核对", "none": "无量化条件"}


def entitlement_rows(clause: dict[str, Any], checked: list[dict[str, Any]] | None = None,
                     sentence: str | None = None) -> list[dict[str, str]]:
    """A clause's entitlements (when extraction gives them) as rows people read: 给予什么、多少、给谁、条件、受理、期限.

    ``checked`` (:meth:`PolicyService.check_entitlements` for this clause) adds 本项目: each condition
    marked met / not met / to decide, and the entitlement's overall status.  ``sentence``: only what
    that sentence grants (a clause often grants several things, one per sentence)."""
    conditions = clause.get("conditions") or []
    rows = []
    for n, e in enumerate(clause.get("entitlements") or []):
        if sentence is not None and not _same_sentence(e.get("text") or "", sentence):
            continue
        needs = [conditions[i].get("text", "") if isinstance(conditions[i], dict) else str(conditions[i])
                 for i in e.get("conditions") or [] if isinstance(i, int) and 0 <= i < len(conditions)]
        row = {"给予": INSTRUMENT_WORDS.get(e.get("kind") or "", "支持"), "金额或标准": _amount(e) or "—",
               "对象": e.get("beneficiary") or "条款所指对象", "条件": "；".join(n for n in needs if n) or "—",
               "受理单位": e.get("accepted_by") or "—", "期限": e.get("deadline") or "—", "原文": e.get("text") or ""}
        mine = checked[n] if checked is not None and n < len(checked) else None
        if mine is not None:
            original = row.pop("原文")
            row = {"本项目": ENTITLEMENT_STATUS.get(mine["status"], ""), **row,
                   "条件": "；".join(f"{CHECK_MARKS.get(c['status'], '')} {c['text']}" for c in mine["conditions"]) or "—",
                   "核对说明": "；".join(c["explanation"] for c in mine["conditions"]) or "—", "原文": original}
        rows.append(row)
    return rows


ENTITLEMENT_ORDER = {"met": 0, "unknown": 1, "none": 2, "not_met": 3}


def checked_entitlement_rows(checked: list[dict[str, Any]], title_of=lambda clause_id: clause_id) -> list[dict[str, str]]:
    """Entitlements checked against a project (:meth:`PolicyService.check_entitlements`) as one table:
    the ones whose conditions the project meets first, those it misses last; each with its clause."""
    rows = []
    for e in sorted(checked, key=lambda e: ENTITLEMENT_ORDER.get(e.get("status"), 9)):
        rows.append({"本项目": ENTITLEMENT_STATUS.get(e.get("status"), ""),
                     "给予": INSTRUMENT_WORDS.get(e.get("kind") or "", "支持"), "金额或标准": _amount(e) or "—",
                     "对象": e.get("beneficiary") or "条款所指对象",
                     "条件": "；".join(f"{CHECK_MARKS.get(c['status'], '')} {c['text']}" for c in e["conditions"]) or "—",
                     "核对说明": "；".join(c["explanation"] for c in e["conditions"]) or "—",
                     "受理单位": e.get("accepted_by") or "—", "期限": e.get("deadline") or "—",
                     "出处": title_of(e.get("clause_id", "")), "原文": e.get("text") or ""})
    return rows


def _same_sentence(granting: str, sentence: str) -> bool:
    return bool(granting) and (granting in sentence or sentence in granting)


def entitlements(clause: dict[str, Any], checked: list[dict[str, Any]] | None = None, sentence: str | None = None) -> None:
    """The clause's entitlements as a small table (with the project's conditions marked when ``checked``
    is given); nothing when it has none (or extraction gives none yet)."""
    rows = entitlement_rows(clause, checked, sentence)
    if rows:
        import pandas as pd

        st.caption("可享受的支持" + ("（按本项目信息核对条件）：" if checked is not None else "："))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def short_title(title: str, limit: int = 16) -> str:
    """A document title short enough for a chart axis (:func:`graph.exports.short_title`)."""
    from graph.exports import short_title as shorten

    return shorten(title, limit)
