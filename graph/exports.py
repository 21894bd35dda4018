"""Write the graph's tables as CSV (UTF-8 with BOM, so Excel shows Chinese) or Excel workbooks."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable

BOM = "\ufeff"

# Column names people read (the default in CSV and Excel); the ASCII names stay available for scripts.
HEADINGS = {
    "agency": "部门", "role": "职责", "document": "文件编号", "doc_title": "文件", "clause_id": "条款编号",
    "heading": "条款标题", "path": "条款位置", "excerpt": "摘录", "text": "条款原文",
    "year": "年份", "region": "地区", "indicator": "指标", "comparator": "比较", "value": "数值", "unit": "单位",
    "baseline": "基准年", "firmness": "约束性", "source_text": "原文句子",
    "industry": "行业", "industry_id": "行业编号", "stance": "类型", "instrument": "政策工具", "amount": "可享额度", "match": "提及方式",
    "tasks_led": "牵头任务数", "tasks_supported": "配合任务数", "partners": "合作部门数", "shared_tasks": "共同任务数",
    "degree_centrality": "度中心性", "betweenness": "中介中心性",
}
# Code values a person should not have to decode, in the Chinese tables.
VALUE_WORDS = {"match": {"sentence": "本句直接提及", "broader": "本句提及其上位类别", "clause": "条款其他句子提及"}}


def headings(columns: list[str]) -> list[str]:
    return [HEADINGS.get(c, c) for c in columns]


def readable(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with coded values (``match: sentence``) in words."""
    out = []
    for row in rows:
        row = dict(row)
        for column, words in VALUE_WORDS.items():
            if row.get(column) in words:
                row[column] = words[row[column]]
        out.append(row)
    return out


def short_title(title: str, limit: int = 16) -> str:
    """A document title short enough for a sheet name or a chart axis: the part after 关于 and before 的通知."""
    core = title
    if "关于" in core:
        core = core.split("关于", 1)[1]
    for tail in ("的通知", "的实施意见", "的意见"):
        core = core.removesuffix(tail)
    core = core.removeprefix("印发")
    return core if len(core) <= limit else core[: limit - 1] + "…"


def to_csv(rows: Iterable[dict[str, Any]], columns: list[str], header: list[str] | None = None) -> str:
    """CSV text with a BOM and CRLF line ends; None is an empty cell; ``header`` names the columns (else the keys)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header or columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return BOM + buf.getvalue()


def write_text(text: str, out: Path) -> None:
    Path(out).write_text(text, encoding="utf-8", newline="")


def _workbook():
    try:
        from openpyxl import Workbook
    except ImportError as err:  # pragma: no cover - openpyxl is a dependency
        raise ImportError("Excel export needs openpyxl: pip install openpyxl") from err
    return Workbook()


def _style_header(ws, row: int = 1) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def table_xlsx(rows: list[dict[str, Any]], columns: list[str], out: Path, title: str = "Sheet",
               header: list[str] | None = None) -> None:
    """One sheet: a header row and the records, columns as wide as their heading and most of their text."""
    from openpyxl.styles import Alignment

    wb = _workbook()
    ws = wb.active
    ws.title = sheet_name(title, set())
    header = header or columns
    ws.append(header)
    for row in rows:
        ws.append(["" if row.get(c) is None else row.get(c) for c in columns])
    _style_header(ws)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    _fit_widths(ws, header, [[row.get(c) for c in columns] for row in rows])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    wb.save(out)


def text_width(value: Any) -> int:
    """Columns a value takes in Excel: a Chinese character is two, others one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value if value is not None else ""))


def _fit_widths(ws, header: list[str], values: list[list[Any]], widest: int = 70) -> None:
    """Each column as wide as its heading, and as most of its cells up to ``widest`` (long text wraps)."""
    from openpyxl.utils import get_column_letter

    for i, name in enumerate(header):
        lengths = sorted(text_width(v[i]) for v in values) or [0]
        usual = lengths[int(0.9 * (len(lengths) - 1))]
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(text_width(name) + 4, usual + 2, 8), widest)


_BAD_SHEET_CHARS = set('[]:*?/\\')


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\), unique among ``taken``."""
    clean = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"~{n}"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def matrix_xlsx(rows: list[dict[str, Any]], documents: dict[str, dict[str, str]], out: Path) -> None:
    """The agency–task matrix: a summary sheet, then one sheet per document (agencies × tasks),
    named by the document's short title (its number and full title head the sheet)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = _workbook()
    taken: set[str] = set()
    summary = wb.active
    summary.title = sheet_name("汇总", taken)
    summary.append(["单位", "牵头任务数", "配合任务数", "任务总数", "文件数"])
    per_agency: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = per_agency.setdefault(r["agency"], {"牵头": set(), "配合": set(), "docs": set()})
        a.setdefault(r["role"], set()).add(r["clause_id"])
        a["docs"].add(r["document"])
    for name, a in sorted(per_agency.items(), key=lambda kv: (-len(kv[1]["牵头"]), -len(kv[1]["配合"]), kv[0])):
        tasks = set().union(*(v for k, v in a.items() if k != "docs"))
        summary.append([name, len(a["牵头"]), len(a["配合"]), len(tasks), len(a["docs"])])
    _style_header(summary)
    summary.freeze_panes = "A2"
    summary.column_dimensions["A"].width = 36
    for col in "BCDE":
        summary.column_dimensions[col].width = 14

    lead_fill = PatternFill("solid", fgColor="F8CBAD")
    support_fill = PatternFill("solid", fgColor="E2EFDA")
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["document"], []).append(r)
    for doc_id, doc_rows in by_doc.items():
        ws = wb.create_sheet(sheet_name(short_title(documents.get(doc_id, {}).get("title") or doc_id, 28), taken))
        tasks: list[tuple[str, str, str]] = []          # clause id, path, heading, in text order
        for r in doc_rows:
            if r["clause_id"] not in {t[0] for t in tasks}:
                tasks.append((r["clause_id"], r["path"], r["heading"]))
        agencies: list[str] = []
        for r in doc_rows:
            if r["agency"] not in agencies:
                agencies.append(r["agency"])
        cell = {(r["agency"], r["clause_id"]): r["role"] for r in doc_rows}
        led = {a: sum(1 for t in tasks if cell.get((a, t[0])) == "牵头") for a in agencies}
        supported = {a: sum(1 for t in tasks if cell.get((a, t[0])) == "配合") for a in agencies}
        first = {a: i for i, a in enumerate(agencies)}
        agencies.sort(key=lambda a: (-led[a], -supported[a], first[a]))

        meta = documents.get(doc_id, {})
        ws.append([" ".join(x for x in (meta.get("number", ""), meta.get("title", doc_id)) if x)])
        ws.append(["单位 \\ 任务", "牵头", "配合", *[t[1] for t in tasks]])
        ws.append(["", "", "", *[t[2] for t in tasks]])
        for a in agencies:
            ws.append([a, led[a], supported[a], *[cell.get((a, t[0]), "") for t in tasks]])
        ws["A1"].font = Font(bold=True, size=12)
        _style_header(ws, 2)
        _style_header(ws, 3)
        ws.freeze_panes = "D4"
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 6
        ws.column_dimensions["C"].width = 6
        for i in range(len(tasks)):
            ws.column_dimensions[get_column_letter(4 + i)].width = 12
        ws.row_dimensions[3].height = 60
        for row in ws.iter_rows(min_row=4, min_col=4):
            for c in row:
                c.alignment = Alignment(horizontal="center")
                if c.value == "牵头":
                    c.fill = lead_fill
                elif c.value == "配合":
                    c.fill = support_fill
    wb.save(out)
