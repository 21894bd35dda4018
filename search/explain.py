"""Why a clause came back: the matched words marked in its text, and reasons.

Reasons are short and read by Chinese users as they are, e.g.::

    命中词：绿电直连、结算
    同义词：碳捕集 → CCUS
    部门：山西省统计局（配合，原文作“省统计局”）
    行业：光伏（属于新能源）
    2025年目标：新能源和清洁能源装机占比达到50%
    命中本条：(二)、(三)
    相关程度：高
"""
from __future__ import annotations

import re
from typing import Any

from records import Role, labels
from search.build import context_text

MARK_OPEN, MARK_CLOSE = "【", "】"
MAX_TERMS = 8
MAX_LINES = 3      # industry or target lines before "… n more"
_MEANINGFUL = re.compile(r"[0-9a-z]|..")   # a number, a Latin word or at least two characters


def _maximal(terms: list[str]) -> list[str]:
    """Drop terms contained in a longer one of the list (纳米管 when 碳纳米管 is there)."""
    terms = sorted(set(terms), key=lambda t: (-len(t), t))
    out: list[str] = []
    for t in terms:
        if not any(t in o for o in out):
            out.append(t)
    return out


def _as_in(text: str, low: str, term: str) -> str:
    """``term`` (lower case) as ``text`` writes it (CCUS, not ccus)."""
    i = low.find(term)
    return text[i:i + len(term)] if i >= 0 else term


def mark(text: str, words: list[str]) -> str:
    """``text`` with every occurrence of ``words`` (case-insensitive) in 【】, longest first, no overlaps."""
    low = text.lower()
    spans: list[tuple[int, int]] = []
    for w in sorted({w.lower() for w in words if w}, key=lambda w: (-len(w), w)):
        start = low.find(w)
        while start >= 0:
            end = start + len(w)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = low.find(w, start + 1)
    out, pos = [], 0
    for s, e in sorted(spans):
        out += [text[pos:s], MARK_OPEN, text[s:e], MARK_CLOSE]
        pos = e
    out.append(text[pos:])
    return "".join(out)


ROLE_NAMES = labels(Role)


def explain(rec: dict[str, Any], a, signals: dict[str, float], doc: dict[str, Any],
            relevance: dict[str, Any] | None = None, matched: list[dict[str, Any]] | None = None
            ) -> tuple[str, list[str]]:
    text = rec["text"]
    low = text.lower()
    why: list[str] = []
    items = [m["path"][len(rec["path"]) + 1:] for m in matched or [] if m["path"] != rec["path"]]
    if items:     # a law article returned whole: which of its items matched
        why.append("命中本条：" + "、".join(items[:MAX_TERMS]))
    to_mark: list[str] = []

    typed = [t for t in dict.fromkeys(a.tokens) if _MEANINGFUL.match(t)]
    matched = [_as_in(text, low, t) for t in _maximal([t for t in typed if t in low])]
    if matched:
        why.append("命中词：" + "、".join(matched[:MAX_TERMS]))
        to_mark += matched
    context = context_text(rec).lower()
    in_context = _maximal([t for t in typed if t not in low and t in context])
    if in_context:
        why.append("标题或章节中：" + "、".join(in_context[:MAX_TERMS]))
    for term, alts in a.expansions.items():
        found = [_as_in(text, low, alt) for alt in _maximal([alt for alt in alts if alt in low and alt not in term])]
        if found:
            shown = a.text_cased[a.text.find(term):a.text.find(term) + len(term)] if term in a.text else term
            why.append(f"同义词：{shown} → {'、'.join(found)}")
            to_mark += found

    for ag in rec.get("agencies") or []:
        if any(ag["name"] in ref.names for ref in a.agencies):
            written = f"，原文作“{ag['as_written']}”" if ag.get("as_written") and ag["as_written"] != ag["name"] else ""
            why.append(f"部门：{ag['name']}（{ROLE_NAMES.get(ag.get('role'), '提及')}{written}）")
            to_mark.append(ag.get("as_written") or ag["name"])
    industries = []
    for link in rec.get("industries") or []:
        for ind in a.industries:
            if link["id"] == ind.id:
                industries.append(f"行业：{link['label']}")
            elif link["id"] in ind.closure:
                industries.append(f"行业：{link['label']}（属于{ind.label}）")
            else:
                continue
            to_mark.append(link.get("as_written") or link["label"])
            break
    industries = list(dict.fromkeys(industries))
    why += industries[:MAX_LINES]
    if len(industries) > MAX_LINES:
        why.append(f"…另有 {len(industries) - MAX_LINES} 个相关行业")
    if a.doc_numbers and doc.get("number") and any(c in doc["number"] for _, c in a.doc_numbers):
        why.append(f"文号：{doc['number']}")
    targets = [t for t in rec.get("targets") or [] if t.get("year") in a.years]
    for t in targets[:MAX_LINES]:
        value = f"{t['value']:g}" if isinstance(t.get("value"), (int, float)) else t.get("value", "")
        why.append(f"{t['year']}年目标：{t.get('indicator', '')}{t.get('comparator', '')}{value}{t.get('unit', '')}")
    if len(targets) > MAX_LINES:
        why.append(f"…另有 {len(targets) - MAX_LINES} 个{'、'.join(map(str, a.years))}年目标")
    if a.regions and doc.get("region") in a.regions:
        why.append(f"地区：{doc['region']}")
    if relevance is not None:
        # What a policy officer can act on: how likely this clause answers the question, not a raw cosine.
        why.append(f"相关程度：{relevance['level']}" + ("" if relevance["answers"] else "（可能不能回答这个问题）"))
    elif "dense" in signals and signals["dense"] > 0:
        why.append(f"意思相近程度 {signals['dense']:.2f}（0–1，越高越接近）")
    return mark(text, to_mark), list(dict.fromkeys(why))
