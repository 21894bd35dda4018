"""Reports a person can keep: Markdown, Excel, PDF, and a short text for the terminal.

PDF is made only where it can be made well.  Chinese text needs a CJK font
(``fc-list :lang=zh`` must list one) and a typesetter that shapes it; the
report is rendered to HTML (from the same Markdown) and printed by a headless
Chromium or Chrome if one is installed.  Where either is missing,
:func:`write_report` refuses ``.pdf`` with a message that says what is
missing and how to get a PDF from the Markdown report instead.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from app.applicability.matcher import GROUPS, Applicability, Condition, Rule
from app.applicability.profile import FIELDS, FIELDS_BY_NAME

STATUS_WORDS = {"not_met": "NOT MET", "unknown": "unknown", "met": "met"}
CONTEXT_CHARS = 300


class ReportError(Exception):
    pass


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def _safe(text: Any) -> str:
    """Document text can never form an HTML tag in the rendered report."""
    return _TAG_START.sub("&lt;", str(text))


def _esc(text: Any) -> str:
    """Safe inside a Markdown table cell."""
    return _safe(text).replace("|", "\\|").replace("\n", " ")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _title(result: Applicability) -> str:
    p = result.profile
    what = result.industry.get("label") or p.get("industry") or "project"
    kind = p.get("project_kind") or ""
    where = " ".join(x for x in (p.get("region"), p.get("city")) if x) or "no region given"
    return f"Which rules apply: {kind}{what} project in {where}"


def _source_words(span: list[int] | None) -> str:
    return f"source characters {span[0]}–{span[1]}" if span else "source position not found"


def _where(rule_or_condition: Rule | Condition) -> str:
    return f"{rule_or_condition.document} · {rule_or_condition.path}"


# ------------------------------------------------------------------ markdown

def render_markdown(result: Applicability, meta: dict[str, Any] | None = None) -> str:
    meta = meta or {}
    out: list[str] = [f"# {_title(result)}", ""]
    if meta:
        out += [f"_Data: {meta.get('data_dir', '')} (built {meta.get('built_at', 'unknown')}, "
                f"{meta.get('documents', '?')} documents). Report made {meta.get('made_at', '')}._", ""]

    out += ["## Project profile", "", "| Field | Value |", "|---|---|"]
    for f in FIELDS:
        if result.profile.has(f.name):
            unit = f" {f.unit}" if f.unit and f.unit != "%" else ("%" if f.unit == "%" else "")
            out.append(f"| {f.name} ({_esc(f.label)}) | {_esc(_value(result.profile.get(f.name)))}{unit} |")
    for k, v in result.profile.extra.items():
        out.append(f"| {_esc(k)} (not used) | {_esc(v)} |")
    out.append("")
    ind = result.industry
    if ind.get("id"):
        broader = ", ".join(ind.get("broader") or []) or "none"
        out.append(f"- Industry “{_safe(ind['as_written'])}” read as **{ind['label']}** (`{ind['id']}`); broader: {broader}.")
    if result.topics:
        out.append(f"- Kinds of project seen in the profile: {', '.join(result.topics)}.")
    for note in result.profile.notes:
        out.append(f"- Note: {_safe(note)}.")
    out.append("")

    counts = {g: len(result.group(g)) + result.more.get(g, 0) for g, _ in GROUPS}
    status = {s: sum(c.status == s for c in result.conditions) for s in ("not_met", "unknown", "met")}
    out += ["## Summary", "",
            f"- **{sum(counts.values())} clauses apply**: " + ", ".join(f"{title.lower()} {counts[g]}" for g, title in GROUPS if counts[g]) + ".",
            f"- **Quantitative conditions**: {status['not_met']} not met, {status['unknown']} unknown, {status['met']} met.",
            f"- Documents that do not bind this project: {len(result.skipped_documents)}.", ""]

    out += ["## Quantitative conditions", ""]
    if result.conditions:
        out += ["| Status | Condition | This project | Explanation | Where |", "|---|---|---|---|---|"]
        for c in result.conditions:
            mine = "—" if c.profile_value is None else _value(c.profile_value) + _unit_suffix(c.field)
            scope = f"<br>for: {_esc(c.scope)}" if c.scope else ""
            out.append(f"| **{STATUS_WORDS[c.status]}** | {_esc(c.condition)}{scope}<br>“{_esc(c.text)}” | {_esc(mine)} | "
                       f"{_esc(c.explanation)} | {_esc(_where(c))}<br>`{c.clause_id}`, {_source_words(c.source_span)} |")
    else:
        out.append("No quantitative condition in the applying clauses measures something the profile has a field for.")
    out.append("")
    if result.triggers:
        out += ["### Provisions that depend on the project's figures", "",
                "| Applies? | When | Then | Explanation | Where |", "|---|---|---|---|---|"]
        for t in result.triggers:
            fires = {True: "**yes**", False: "no", None: "unknown"}[t.fires]
            out.append(f"| {fires} | {_esc(t.condition)} | {_esc(t.consequence)} | {_esc(t.explanation)} | "
                       f"{_esc(t.document)} · {_esc(t.path)}<br>`{t.clause_id}` |")
        out.append("")
    if result.not_applicable:
        out += ["### Conditions whose scope excludes this project", ""]
        for n in result.not_applicable:
            out.append(f"- {n.condition} (“{n.text}”, `{n.clause_id}`): {n.reason}.")
        out.append("")

    for g, title in GROUPS:
        rules = result.group(g)
        if not rules:
            continue
        total = counts[g]
        out += [f"## {title} ({total})", ""]
        for i, r in enumerate(rules, 1):
            out += _render_rule(i, r, context=(g == "context"))
        if result.more.get(g):
            out += [f"_…and {result.more[g]} more in this group (ranked lower; see the JSON or Excel output)._", ""]

    if result.skipped_documents:
        out += ["## Documents that do not bind this project", ""]
        for d in result.skipped_documents:
            out.append(f"- {d['document']} (`{d['doc_id']}`, {d['region'] or 'region unknown'}): {d['why']}.")
        out.append("")
    if result.warnings:
        out += ["## Warnings", ""] + [f"- {w}" for w in result.warnings] + [""]
    out += ["---", "",
            "Statuses compare the profile's figures with the numbers written in the clauses; "
            "“原则上” limits admit approved exceptions, targets bind the region or industry rather than each project, "
            "and the documents themselves are the authority."]
    return "\n".join(out) + "\n"


def _unit_suffix(field: str | None) -> str:
    spec = FIELDS_BY_NAME.get(field or "")
    if not spec or not spec.unit:
        return ""
    return "%" if spec.unit == "%" else f" {spec.unit}"


def _render_rule(i: int, r: Rule, context: bool = False) -> list[str]:
    heading = f" {r.heading}" if r.heading else ""
    number = f", {r.doc_number}" if r.doc_number else ""
    lines = [f"### {i}. {r.document}{number} · {r.path}{heading}", "",
             f"- **Why**: {r.why}.",
             f"- **Source**: `{r.clause_id}`, {_source_words(r.span)}."]
    if r.conditions:
        lines.append(f"- **Conditions**: {'; '.join(r.conditions)} (checked above).")
    lines.append("")
    text = r.text
    if context and len(text) > CONTEXT_CHARS:
        text = text[:CONTEXT_CHARS] + "…"
    lines += ["> " + _safe(line) for line in text.splitlines() if line.strip()]
    lines.append("")
    excluded = [s for s in r.sentences if s.applies is False]
    if excluded:
        lines.append("Not for this project:")
        lines += [f"- “{_safe(s.text)}” — {s.why}." for s in excluded]
        lines.append("")
    unsure = [s for s in r.sentences if s.applies is None]
    if unsure:
        lines.append("Depends on what the profile does not say:")
        lines += [f"- “{_safe(s.text)}” — {s.why}." for s in unsure]
        lines.append("")
    return lines


# ------------------------------------------------------------------ terminal

def render_text(result: Applicability) -> str:
    """A short summary: conditions first, then each applying clause with its reason."""
    out = [_title(result), ""]
    if result.conditions:
        out.append("Quantitative conditions:")
        for c in result.conditions:
            out.append(f"  [{STATUS_WORDS[c.status]:>7}] {c.condition}  — {c.explanation}  ({c.clause_id})")
        out.append("")
    for t in result.triggers:
        fires = {True: "applies", False: "does not apply", None: "unknown"}[t.fires]
        out.append(f"  [{fires}] when {t.condition}: {t.consequence}  ({t.clause_id})")
    if result.triggers:
        out.append("")
    for g, title in GROUPS:
        rules = result.group(g)
        if not rules:
            continue
        out.append(f"{title} ({len(rules) + result.more.get(g, 0)}):")
        for r in rules:
            out.append(f"  {r.clause_id}  {r.heading or r.text[:30]}")
            out.append(f"      why: {r.why}")
        if result.more.get(g):
            out.append(f"  … and {result.more[g]} more")
        out.append("")
    if result.skipped_documents:
        out.append(f"Not binding here: {', '.join(d['doc_id'] for d in result.skipped_documents)}")
    for w in result.warnings:
        out.append(f"warning: {w}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ excel

def write_excel(result: Applicability, path: Path, meta: dict[str, Any] | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {"not_met": PatternFill("solid", fgColor="F8CBAD"), "unknown": PatternFill("solid", fgColor="FFF2CC"),
             "met": PatternFill("solid", fgColor="C6E0B4")}

    def sheet(ws, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(["" if v is None else v for v in row])
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions

    ws = wb.active
    ws.title = "Summary"
    ws.append([_title(result)])
    ws["A1"].font = Font(bold=True, size=14)
    if meta:
        ws.append([f"Data: {meta.get('data_dir', '')} (built {meta.get('built_at', 'unknown')}); report made {meta.get('made_at', '')}"])
    ws.append([])
    ws.append(["Field", "Value"])
    for f in FIELDS:
        if result.profile.has(f.name):
            ws.append([f"{f.name} ({f.label})", _value(result.profile.get(f.name)) + _unit_suffix(f.name)])
    for k, v in result.profile.extra.items():
        ws.append([f"{k} (not used)", str(v)])
    ws.append([])
    if result.industry.get("id"):
        ws.append(["Industry", f"{result.industry['label']} ({result.industry['id']}); broader: {', '.join(result.industry.get('broader') or [])}"])
    ws.append(["Topics", ", ".join(result.topics)])
    for g, title in GROUPS:
        ws.append([title, len(result.group(g)) + result.more.get(g, 0)])
    for s in ("not_met", "unknown", "met"):
        ws.append([f"Conditions {STATUS_WORDS[s]}", sum(c.status == s for c in result.conditions)])
    for w in result.warnings:
        ws.append(["Warning", w])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 90

    cs = wb.create_sheet("Conditions")
    sheet(cs, ["Status", "Condition", "Words in the clause", "Field", "This project", "Rule value", "Unit",
               "Gap", "Explanation", "Kind", "Scope", "Document", "Path", "Clause id", "Source start", "Source end"],
          [[STATUS_WORDS[c.status], c.condition, c.text, c.field, c.profile_value, c.value, c.unit, c.gap,
            c.explanation, c.kind, c.scope, c.document, c.path, c.clause_id,
            c.source_span[0] if c.source_span else None, c.source_span[1] if c.source_span else None]
           for c in result.conditions],
          [10, 34, 40, 22, 12, 10, 8, 8, 60, 11, 30, 34, 14, 34, 10, 10])
    for row in cs.iter_rows(min_row=2, max_col=1):
        for cell in row:
            key = {v: k for k, v in STATUS_WORDS.items()}.get(cell.value)
            if key:
                cell.fill = fills[key]

    rs = wb.create_sheet("Rules")
    titles = dict(GROUPS)
    sheet(rs, ["Group", "Rank", "Document", "Number", "Region", "Path", "Heading", "Why", "Conditions", "Text",
               "Not for this project", "Depends on", "Clause id", "Source start", "Source end", "Score"],
          [[titles[r.group], i, r.document, r.doc_number, r.region, r.path, r.heading, r.why, "; ".join(r.conditions),
            r.text, "\n".join(f"{s.text} — {s.why}" for s in r.sentences if s.applies is False),
            "\n".join(f"{s.text} — {s.why}" for s in r.sentences if s.applies is None), r.clause_id,
            r.span[0] if r.span else None, r.span[1] if r.span else None, round(r.score, 2)]
           for g, _ in GROUPS for i, r in enumerate(result.group(g), 1)],
          [22, 6, 34, 18, 14, 14, 24, 60, 30, 90, 50, 50, 34, 10, 10, 7])

    if result.triggers:
        ts = wb.create_sheet("Triggers")
        sheet(ts, ["Applies", "When", "Then", "Explanation", "Document", "Path", "Clause id"],
              [[{True: "yes", False: "no", None: "unknown"}[t.fires], t.condition, t.consequence, t.explanation,
                t.document, t.path, t.clause_id] for t in result.triggers],
              [9, 40, 40, 60, 34, 14, 34])
    if result.not_applicable:
        ns = wb.create_sheet("Not applicable")
        sheet(ns, ["Condition", "Words", "Why not", "Clause id"],
              [[n.condition, n.text, n.reason, n.clause_id] for n in result.not_applicable], [40, 50, 50, 34])
    if result.skipped_documents:
        ds = wb.create_sheet("Not binding")
        sheet(ds, ["Document", "Id", "Region", "Why"],
              [[d["document"], d["doc_id"], d["region"], d["why"]] for d in result.skipped_documents], [60, 28, 18, 60])
    _atomic_save(path, wb.save)


# ------------------------------------------------------------------ writing

def cjk_fonts() -> list[str]:
    """Font files with Chinese glyphs, as fontconfig lists them (empty when none or no fontconfig)."""
    if not shutil.which("fc-list"):
        return []
    try:
        done = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split(":")[0].strip() for line in done.stdout.splitlines() if line.strip()]


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
       font-size: 9.5pt; line-height: 1.5; color: #111; }
h1 { font-size: 16pt; border-bottom: 2px solid #333; padding-bottom: 4px; }
h2 { font-size: 13pt; margin-top: 18px; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 14px 0 4px; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid #bbb; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eee; }
tr { break-inside: avoid; }
blockquote { margin: 4px 0 8px; padding: 4px 10px; border-left: 3px solid #999; background: #f6f6f6; }
code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 8.5pt; }
.not_met { color: #b00020; } .unknown { color: #8a6d00; } .met { color: #1b6e20; }
ul { padding-left: 18px; }
"""


def pdf_unavailable_reason() -> str | None:
    """Why a PDF cannot be made well here, or ``None`` when it can."""
    missing = []
    if not cjk_fonts():
        missing.append("no CJK font is installed (`fc-list :lang=zh` lists none), so Chinese text cannot be typeset")
    if _browser() is None:
        missing.append(f"no headless browser to print it ({', '.join(BROWSERS)} not on PATH)")
    if not missing:
        return None
    return (f"PDF not written: {'; '.join(missing)}. Write the report as .md or .xlsx instead; to get a PDF, "
            f"convert the Markdown where a CJK font is available, e.g. "
            f"`pandoc report.md -o report.pdf --pdf-engine=xelatex -V CJKmainfont='Noto Sans CJK SC'`.")


def _browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_html(result: Applicability, meta: dict[str, Any] | None = None) -> str:
    """The Markdown report as a standalone HTML page (for printing to PDF)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(result, meta))
    for key, word in STATUS_WORDS.items():
        body = body.replace(f"<strong>{word}</strong>", f'<strong class="{key}">{word}</strong>')
    title = _title(result).replace("&", "&amp;").replace("<", "&lt;")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body>\n{body}</body></html>\n")


def write_pdf(result: Applicability, path: Path, meta: dict[str, Any] | None = None, timeout: float = 120) -> None:
    """Print the HTML report to PDF with headless Chromium; :class:`ReportError` when it cannot be made well."""
    reason = pdf_unavailable_reason()
    if reason:
        raise ReportError(reason)
    html = render_html(result, meta)
    with tempfile.TemporaryDirectory(prefix="policykg-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
                   "--no-first-run", f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReportError(f"PDF not written: the browser did not finish within {timeout:g} s") from None
        if not out.exists() or out.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ReportError(f"PDF not written: {Path(command[0]).name} failed ({detail[0]})")
        data = out.read_bytes()
    _atomic_save(path, lambda p: Path(p).write_bytes(data))


def write_report(result: Applicability, path: Path, meta: dict[str, Any] | None = None) -> None:
    """Write ``.md`` or ``.xlsx`` by the path's suffix; ``.pdf`` raises :class:`ReportError` with the reason."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        text = render_markdown(result, meta)
        _atomic_save(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    elif suffix == ".xlsx":
        write_excel(result, path, meta)
    elif suffix == ".pdf":
        write_pdf(result, path, meta)
    else:
        raise ReportError(f"{path}: unknown report format {suffix or '(none)'}; use .md, .xlsx or .pdf")


def _atomic_save(path: Path, save) -> None:
    """Write beside the target, then rename: a failed write never leaves half a report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        save(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)    # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
