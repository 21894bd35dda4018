"""Write the graph's tables as CSV (UTF-8 with BOM, so Excel shows Chinese) or Excel workbooks."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable

BOM = "\ufeff"


def to_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """CSV text with a BOM and CRLF line ends; None is an empty cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
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


def table_xlsx(rows: list[dict[str, Any]], columns: list[str], out: Path, title: str = "Sheet") -> None:
    """One sheet: a header row and the records."""
    wb = _workbook()
    ws = wb.active
    ws.title = sheet_name(title, set())
    ws.append(columns)
    for row in rows:
        ws.append(["" if row.get(c) is None else row.get(c) for c in columns])
    _style_header(ws)
    ws.freeze_panes = "A2"
    _widths(ws, {c: (60 if c in ("text", "source_text", "excerpt") else 18) for c in columns}, columns)
    wb.save(out)


def _widths(ws, widths: dict[str, int], columns: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    for i, c in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(c, 16)


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
    """The agency–task matrix: a summary sheet, then one sheet per document (agencies × tasks)."""
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
        summary.column_dimensions[col].width = 12

    lead_fill = PatternFill("solid", fgColor="F8CBAD")
    support_fill = PatternFill("solid", fgColor="E2EFDA")
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["document"], []).append(r)
    for doc_id, doc_rows in by_doc.items():
        ws = wb.create_sheet(sheet_name(doc_id, taken))
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
