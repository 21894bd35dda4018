"""Reports a person can keep, in Chinese: Markdown, Excel, PDF, and a short text for the terminal.

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

from graph.exports import Sheet, workbook
from rules.results import FIRES_WORDS, GROUPS, KIND_WORDS, STATUS_WORDS, Applicability, Condition, Rule
from rules.profile import FIELDS, FIELDS_BY_NAME

CONTEXT_CHARS = 300
DISCLAIMER = ("说明：状态是将项目信息中的数值与条款写明的数值相比较得出的；写“原则上”的限值可经批准例外，"
              "目标约束的是地区或行业整体而非单个项目；一切以文件原文为准。")


class ReportError(Exception):
    pass


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def _safe(text: Any) -> str:
    """Document text can never form an HTML tag in the rendered report."""
    return _TAG_START.sub("&lt;", str(text))


def _esc(text: Any) -> str:
    """Safe inside a Markdown table cell."""
    return _safe(text).replace("|", "\\|").replace("\n", " ")


def _field_value(name: str | None, value: Any) -> str:
    """A profile value as people read it (``60公里``, ``是``), by its field."""
    spec = FIELDS_BY_NAME.get(name or "")
    return spec.format(value) if spec else str(value)


def _profile_rows(result: Applicability) -> list[tuple[str, str]]:
    """(Chinese label, value) for every field the profile fills, then the fields the engine does not use."""
    rows = [(f.label, f.format(result.profile.get(f.name))) for f in FIELDS if result.profile.has(f.name)]
    rows += [(f"{k}（未使用）", str(v)) for k, v in result.profile.extra.items()]
    return rows


def _title(result: Applicability) -> str:
    """``适用政策核查：广西壮族自治区防城港市新建钢铁项目``."""
    p = result.profile
    what = result.industry.get("label") or p.get("industry") or ""
    where = "".join(x for x in (p.get("region"), p.get("city")) if x) or "（未填写地区）"
    return f"适用政策核查：{where}{p.get('project_kind') or ''}{what}项目"


def _source_words(span: list[int] | None) -> str:
    return f"原文第 {span[0]}–{span[1]} 字符" if span else "未能定位原文位置"


def _where(rule_or_condition: Rule | Condition) -> str:
    return f"《{rule_or_condition.document}》{rule_or_condition.path}"


def _counts(result: Applicability) -> tuple[dict[str, int], dict[str, int]]:
    """Applying clauses per group (shown and cut), conditions per status."""
    groups = {g: len(result.group(g)) + result.more.get(g, 0) for g, _ in GROUPS}
    status = {s: sum(c.status == s for c in result.conditions) for s in STATUS_WORDS}
    return groups, status


def _this_project(c: Condition) -> str:
    return "—" if c.profile_value is None else _field_value(c.field, c.profile_value)


# ------------------------------------------------------------------ markdown

def render_markdown(result: Applicability, meta: dict[str, Any] | None = None) -> str:
    meta = meta or {}
    out: list[str] = [f"# {_title(result)}", ""]
    if meta:
        out += [f"_数据：{meta.get('data_dir', '')}（构建于 {meta.get('built_at') or '未知'}，共 "
                f"{meta.get('documents', '?')} 份文件）；报告生成于 {meta.get('made_at', '')}。_", ""]

    out += ["## 项目信息", "", "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {_esc(label)} | {_esc(value)} |" for label, value in _profile_rows(result)]
    out.append("")
    out += [f"- {_safe(line)}。" for line in result.interpretation()]
    out += [f"- 说明：{_safe(note)}。" for note in result.profile.notes]
    out.append("")

    counts, status = _counts(result)
    out += ["## 概要", "",
            f"- **适用条款 {sum(counts.values())} 条**：" + "，".join(f"{title} {counts[g]} 条" for g, title in GROUPS if counts[g]) + "。",
            "- **量化条件**：" + "，".join(f"{STATUS_WORDS[s]} {n} 项" for s, n in status.items()) + "。",
            f"- 不适用本项目的文件：{len(result.skipped_documents)} 份。", ""]

    out += ["## 量化条件", ""]
    if result.conditions:
        out += ["| 状态 | 条件 | 本项目 | 说明 | 出处 |", "|---|---|---|---|---|"]
        for c in result.conditions:
            scope = f"<br>适用对象：{_esc(c.scope)}" if c.scope else ""
            out.append(f"| **{STATUS_WORDS[c.status]}** | {_esc(c.condition)}{scope}<br>“{_esc(c.text)}” | {_esc(_this_project(c))} | "
                       f"{_esc(c.explanation)} | {_esc(_where(c))}<br>`{c.clause_id}`，{_source_words(c.source_span)} |")
    else:
        out.append("适用条款中没有可与项目信息比对的量化条件。")
    out.append("")
    if result.triggers:
        out += ["### 取决于项目数值的规定（触发情形）", "",
                "| 是否触发 | 条件 | 后果 | 说明 | 出处 |", "|---|---|---|---|---|"]
        for t in result.triggers:
            fires = f"**{FIRES_WORDS[t.fires]}**" if t.fires else FIRES_WORDS[t.fires]
            out.append(f"| {fires} | {_esc(t.condition)} | {_esc(t.consequence)} | {_esc(t.explanation)} | "
                       f"《{_esc(t.document)}》{_esc(t.path)}<br>`{t.clause_id}` |")
        out.append("")
    if result.not_applicable:
        out += ["### 适用对象不含本项目的条件", ""]
        for n in result.not_applicable:
            out.append(f"- {_safe(n.condition)}（“{_safe(n.text)}”，`{n.clause_id}`）：{_safe(n.reason)}。")
        out.append("")

    out += [f"## 适用条款（{sum(counts.values())}）", ""]
    for g, title in GROUPS:
        rules = result.group(g)
        if not rules:
            continue
        out += [f"### {title}（{counts[g]}）", ""]
        for i, r in enumerate(rules, 1):
            out += _render_rule(i, r, context=(g == "context"))
        if result.more.get(g):
            out += [f"_……本组另有 {result.more[g]} 条排序靠后的条款，见 JSON 或 Excel 输出。_", ""]

    if result.skipped_documents:
        out += ["## 不适用本项目的文件", ""]
        for d in result.skipped_documents:
            out.append(f"- 《{_safe(d['document'])}》（`{d['doc_id']}`，{d['region'] or '地区不明'}）：{_safe(d['why'])}。")
        out.append("")
    if result.warnings:
        out += ["## 提示", ""] + [f"- {_safe(w)}。" for w in result.warnings] + [""]
    out += ["---", "", DISCLAIMER]
    return "\n".join(out) + "\n"


def _render_rule(i: int, r: Rule, context: bool = False) -> list[str]:
    heading = f" {r.heading}" if r.heading else ""
    number = f"（{r.doc_number}）" if r.doc_number else ""
    lines = [f"#### {i}. 《{_safe(r.document)}》{_safe(number)} {r.path}{_safe(heading)}", "",
             f"- **适用原因**：{_safe(r.why)}。",
             f"- **出处**：`{r.clause_id}`，{_source_words(r.span)}。"]
    if r.conditions:
        lines.append(f"- **量化条件**：{_safe('；'.join(r.conditions))}（核对结果见上文）。")
    lines.append("")
    text = r.text
    if context and len(text) > CONTEXT_CHARS:
        text = text[:CONTEXT_CHARS] + "……"
    lines += ["> " + _safe(line) for line in text.splitlines() if line.strip()]
    lines.append("")
    excluded = [s for s in r.sentences if s.applies is False]
    if excluded:
        lines.append("不适用于本项目的内容：")
        lines += [f"- “{_safe(s.text)}”——{_safe(s.why)}。" for s in excluded]
        lines.append("")
    unsure = [s for s in r.sentences if s.applies is None]
    if unsure:
        lines.append("取决于项目信息中尚未填写的内容：")
        lines += [f"- “{_safe(s.text)}”——{_safe(s.why)}。" for s in unsure]
        lines.append("")
    return lines


# ------------------------------------------------------------------ terminal

def render_text(result: Applicability) -> str:
    """A short summary: conditions first, then each applying clause with its reason."""
    out = [_title(result), ""]
    if result.conditions:
        out.append("量化条件：")
        for c in result.conditions:
            out.append(f"  [{STATUS_WORDS[c.status]:\u3000<3}] {c.condition}  —— {c.explanation}  （{c.clause_id}）")
        out.append("")
    if result.triggers:
        out.append("触发情形：")
        for t in result.triggers:
            out.append(f"  [{FIRES_WORDS[t.fires]:\u3000<4}] 当 {t.condition} 时：{t.consequence}  （{t.clause_id}）")
        out.append("")
    for g, title in GROUPS:
        rules = result.group(g)
        if not rules:
            continue
        out.append(f"{title}（{len(rules) + result.more.get(g, 0)}）：")
        for r in rules:
            out.append(f"  {r.clause_id}  {r.heading or r.text[:30]}")
            out.append(f"      适用原因：{r.why}")
        if result.more.get(g):
            out.append(f"  ……另有 {result.more[g]} 条")
        out.append("")
    if result.skipped_documents:
        out.append(f"不适用本项目的文件：{'、'.join(d['doc_id'] for d in result.skipped_documents)}")
    for w in result.warnings:
        out.append(f"提示：{w}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ excel

STATUS_FILLS = {STATUS_WORDS["not_met"]: "F8CBAD", STATUS_WORDS["unknown"]: "FFF2CC", STATUS_WORDS["met"]: "C6E0B4"}


def write_excel(result: Applicability, path: Path, meta: dict[str, Any] | None = None) -> None:
    """The report as a workbook (:mod:`graph.exports` lays it out): the summary, the checked conditions,
    the applying clauses, and where there are any the triggers, the conditions and documents that do not apply."""
    sheets = [_summary_sheet(result, meta), _conditions_sheet(result), _rules_sheet(result)]
    if result.triggers:
        sheets.append(Sheet("触发情形", [["是否触发", "条件", "后果", "说明", "文件", "位置", "条款编号"]],
                            [[FIRES_WORDS[t.fires], t.condition, t.consequence, t.explanation, t.document, t.path,
                              t.clause_id] for t in result.triggers], widths=[9, 40, 40, 60, 34, 14, 34]))
    if result.not_applicable:
        sheets.append(Sheet("不适用的条件", [["条件", "条款原文", "不适用的原因", "条款编号"]],
                            [[n.condition, n.text, n.reason, n.clause_id] for n in result.not_applicable],
                            widths=[40, 50, 50, 34]))
    if result.skipped_documents:
        sheets.append(Sheet("不适用本项目的文件", [["文件", "编号", "地区", "原因"]],
                            [[d["document"], d["doc_id"], d["region"], d["why"]] for d in result.skipped_documents],
                            widths=[60, 28, 18, 60]))
    _atomic_save(path, workbook(sheets).save)


def _summary_sheet(result: Applicability, meta: dict[str, Any] | None) -> Sheet:
    counts, status = _counts(result)
    caption = [_title(result)]
    if meta:
        caption.append(f"数据：{meta.get('data_dir', '')}（构建于 {meta.get('built_at') or '未知'}）；报告生成于 {meta.get('made_at', '')}")
    rows: list[list[Any]] = [[label, value] for label, value in _profile_rows(result)]
    rows.append([])
    rows += [[key, value] for key, _, value in (line.partition("：") for line in result.interpretation())]
    rows += [["说明", note] for note in result.profile.notes]
    rows += [[title, counts[g]] for g, title in GROUPS]
    rows += [[f"量化条件：{STATUS_WORDS[s]}", n] for s, n in status.items()]
    rows += [["提示", w] for w in result.warnings]
    return Sheet("概要", [["项目", "内容"]], rows, caption=[*caption, ""], widths=[42, 90], wrap=False,
                 freeze=False, autofilter=False)


def _conditions_sheet(result: Applicability) -> Sheet:
    return Sheet("量化条件", [["状态", "条件", "条款原文", "项目字段", "本项目", "条款数值", "单位", "差距", "说明", "类型",
                               "适用对象", "文件", "位置", "条款编号", "原文起始", "原文结束"]],
                 [[STATUS_WORDS[c.status], c.condition, c.text,
                   FIELDS_BY_NAME[c.field].label if c.field in FIELDS_BY_NAME else c.field,
                   None if c.profile_value is None else _field_value(c.field, c.profile_value), c.value, c.unit, c.gap,
                   c.explanation, KIND_WORDS.get(c.kind, c.kind), c.scope, c.document, c.path, c.clause_id,
                   *(c.source_span or (None, None))] for c in result.conditions],
                 widths=[10, 34, 40, 22, 12, 10, 8, 8, 60, 11, 30, 34, 14, 34, 10, 10], fills=STATUS_FILLS)


def _rules_sheet(result: Applicability) -> Sheet:
    titles = dict(GROUPS)
    return Sheet("适用条款", [["类别", "排序", "文件", "文号", "地区", "位置", "标题", "适用原因", "量化条件", "条款原文",
                               "不适用于本项目的内容", "取决于未填写的信息", "条款编号", "原文起始", "原文结束", "得分"]],
                 [[titles[r.group], i, r.document, r.doc_number, r.region, r.path, r.heading, r.why,
                   "；".join(r.conditions), r.text,
                   "\n".join(f"{s.text}——{s.why}" for s in r.sentences if s.applies is False),
                   "\n".join(f"{s.text}——{s.why}" for s in r.sentences if s.applies is None), r.clause_id,
                   *(r.span or (None, None)), round(r.score, 2)]
                  for g, _ in GROUPS for i, r in enumerate(result.group(g), 1)],
                 widths=[22, 6, 34, 18, 14, 14, 24, 60, 30, 90, 50, 50, 34, 10, 10, 7])


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
td:first-child, th:first-child { white-space: nowrap; }   /* 状态 / 是否触发 / 项目 stay on one line */
tr { break-inside: avoid; }
blockquote { margin: 4px 0 8px; padding: 4px 10px; border-left: 3px solid #999; background: #f6f6f6; }
code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 8.5pt; }
.not_met { color: #b00020; } .unknown { color: #8a6d00; } .met { color: #1b6e20; } .fires { color: #b35c00; }
ul { padding-left: 18px; }
"""


def pdf_unavailable_reason() -> str | None:
    """Why a PDF cannot be made well here, or ``None`` when it can."""
    missing = []
    if not cjk_fonts():
        missing.append("未安装中文字体（`fc-list :lang=zh` 未列出任何字体），无法排版中文")
    if _browser() is None:
        missing.append(f"没有用于打印的无头浏览器（{'、'.join(BROWSERS)} 均不在 PATH 中）")
    if not missing:
        return None
    return (f"未生成 PDF：{'；'.join(missing)}。请改为输出 .md 或 .xlsx 报告；如需 PDF，可在有中文字体的环境中"
            f"转换 Markdown 报告，例如 "
            f"`pandoc report.md -o report.pdf --pdf-engine=xelatex -V CJKmainfont='Noto Sans CJK SC'`。")


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
    body = body.replace(f"<strong>{FIRES_WORDS[True]}</strong>", f'<strong class="fires">{FIRES_WORDS[True]}</strong>')
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
            raise ReportError(f"未生成 PDF：浏览器在 {timeout:g} 秒内未完成打印") from None
        if not out.exists() or out.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ReportError(f"未生成 PDF：{Path(command[0]).name} 打印失败（{detail[0]}）")
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
        raise ReportError(f"{path}：不支持的报告格式 {suffix or '（无扩展名）'}；请使用 .md、.xlsx 或 .pdf")


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
