"""The one writer of table exports: rows already fetched → CSV (UTF-8 with BOM, so Excel shows
Chinese) or an Excel workbook of :class:`Sheet` s laid out one way.

The graph's tables (matrix, targets, incentives, centrality) and the applicability
report (:mod:`rules.report`) are written here; callers hand over rows, never a query."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
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


# The exported tables: the columns of the Chinese export, in reading order (None: the query's
# columns), and the sheet title.  The ASCII export keeps the query's columns first.
EXPORT_COLUMNS: dict[str, list[str] | None] = {
    "matrix": ["agency", "role", "doc_title", "path", "heading", "text", "document", "clause_id"],
    "targets": ["year", "region", "indicator", "comparator", "value", "unit", "baseline", "firmness", "doc_title",
                "source_text", "document", "clause_id"],
    "incentives": ["industry", "stance", "instrument", "amount", "match", "doc_title", "heading", "text", "industry_id",
                   "document", "clause_id"],
    "centrality": None,
}
SHEET_TITLES = {"targets": "目标", "incentives": "产业政策", "centrality": "部门协同"}


def check_table(name: str) -> None:
    if name not in EXPORT_COLUMNS:
        raise ValueError(f"no table {name!r} ({', '.join(EXPORT_COLUMNS)})")


def query_columns(name: str) -> list[str]:
    """The columns the graph's query for table ``name`` answers with (:mod:`graph.tables`, :mod:`graph.networks`)."""
    from graph import networks, tables

    check_table(name)
    return list({"matrix": tables.MATRIX_COLUMNS, "targets": tables.TARGET_COLUMNS,
                 "incentives": tables.INCENTIVE_COLUMNS, "centrality": networks.CENTRALITY_COLUMNS}[name])


def table_bytes(name: str, rows: list[dict[str, Any]], fmt: str = "csv", *, ascii_headers: bool = False,
                title: str | None = None, documents: dict[str, dict[str, str]] | None = None) -> bytes:
    """Rows of table ``name``, already fetched (and given their ``doc_title``, the matrix its clause ``text``),
    as CSV bytes or an Excel workbook; ``documents`` (id → number, title) heads the matrix's sheets.

    Column names are Chinese (:data:`HEADINGS`) and coded values words, unless ``ascii_headers``:
    then the query's column names, in its order, the added columns last."""
    ascii_columns = query_columns(name)
    chinese = EXPORT_COLUMNS[name] or ascii_columns
    if ascii_headers:
        columns = header = ascii_columns + [c for c in chinese if c not in ascii_columns]
    else:
        columns, header, rows = chinese, headings(chinese), readable(rows)
    if fmt == "csv":
        return to_csv(rows, columns, header).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"unknown table format {fmt!r} (csv, xlsx)")
    buf = io.BytesIO()
    if name == "matrix":
        matrix_xlsx(rows, documents or {}, buf)
    else:
        table_xlsx(rows, columns, buf, title=title or SHEET_TITLES[name], header=header)
    return buf.getvalue()


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


# ------------------------------------------------------------------ Excel: the one workbook writer

HEADER_FILL = "DDEBF7"


@dataclass
class Sheet:
    """One worksheet as every export lays it out: caption lines, header rows (bold, shaded), data rows.

    The view stays on the header (frozen panes below it, and right of ``frozen_columns``);
    data cells wrap (long clause text) unless ``centre_from`` centres them from that column on;
    a data cell whose value is a key of ``fills`` gets that background colour."""
    title: str
    header: list[list[Any]]
    rows: list[list[Any]]
    caption: list[str] = field(default_factory=list)   # lines above the header, the first in large bold
    caption_size: int = 14
    widths: list[int] | None = None                    # None: as wide as the heading and most of the text
    wrap: bool = True
    centre_from: int | None = None
    fills: dict[Any, str] = field(default_factory=dict)
    frozen_columns: int = 0
    freeze: bool = True
    autofilter: bool = True
    header_height: int | None = None                   # of the last header row (tall wrapped headings)


def workbook(sheets: Iterable[Sheet]):
    """An openpyxl ``Workbook`` with these sheets, in order, under unique valid sheet names."""
    try:
        from openpyxl import Workbook
    except ImportError as err:  # pragma: no cover - openpyxl is a dependency
        raise ImportError("Excel export needs openpyxl: pip install openpyxl") from err
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for sheet in sheets:
        _lay_out(wb.create_sheet(sheet_name(sheet.title, taken)), sheet)
    return wb


def write_workbook(sheets: Iterable[Sheet], out) -> None:
    """Save :func:`workbook` to a path or a binary file object."""
    workbook(sheets).save(out)


def _lay_out(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for line in sheet.caption:
        ws.append([line] if line else [])
    for row in [*sheet.header, *sheet.rows]:
        ws.append(["" if v is None else v for v in row])
    top = len(sheet.caption) + 1                    # the first header row
    first = top + len(sheet.header)                 # the first data row
    if sheet.caption:
        ws["A1"].font = Font(bold=True, size=sheet.caption_size)
    for row in range(top, first):
        _style_header(ws, row)
    if sheet.header_height:
        ws.row_dimensions[first - 1].height = sheet.header_height
    if sheet.freeze:
        ws.freeze_panes = ws.cell(first, sheet.frozen_columns + 1).coordinate
    if sheet.autofilter and sheet.rows:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(ws.max_column)}{ws.max_row}"
    widths = sheet.widths or _fitted_widths(sheet.header[-1] if sheet.header else [], sheet.rows)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap, centre = Alignment(wrap_text=True, vertical="top"), Alignment(horizontal="center")
    fills = {value: PatternFill("solid", fgColor=colour) for value, colour in sheet.fills.items()}
    for row in ws.iter_rows(min_row=first):
        for cell in row:
            if sheet.centre_from and cell.column >= sheet.centre_from:
                cell.alignment = centre
            elif sheet.wrap:
                cell.alignment = wrap
            if fills and cell.value in fills:
                cell.fill = fills[cell.value]


def _style_header(ws, row: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def text_width(value: Any) -> int:
    """Columns a value takes in Excel: a Chinese character is two, others one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value if value is not None else ""))


def _fitted_widths(header: list[Any], rows: list[list[Any]], widest: int = 70) -> list[int]:
    """Each column as wide as its heading, and as most of its cells up to ``widest`` (long text wraps)."""
    out = []
    for i, name in enumerate(header):
        lengths = sorted(text_width(r[i]) for r in rows) or [0]
        usual = lengths[int(0.9 * (len(lengths) - 1))]
        out.append(min(max(text_width(name) + 4, usual + 2, 8), widest))
    return out


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


# ------------------------------------------------------------------ the graph's tables as sheets

def table_xlsx(rows: list[dict[str, Any]], columns: list[str], out, title: str = "Sheet",
               header: list[str] | None = None) -> None:
    """One sheet: a header row and the records."""
    write_workbook([Sheet(title, [header or columns], [[row.get(c) for c in columns] for row in rows])], out)


LEAD, SUPPORT = "牵头", "配合"
ROLE_FILLS = {LEAD: "F8CBAD", SUPPORT: "E2EFDA"}


def matrix_xlsx(rows: list[dict[str, Any]], documents: dict[str, dict[str, str]], out) -> None:
    """The agency–task matrix: a summary sheet, then one sheet per document (agencies × tasks),
    named by the document's short title (its number and full title head the sheet)."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["document"], []).append(r)
    write_workbook([_matrix_summary(rows), *(_matrix_sheet(doc_rows, documents.get(doc_id, {}), doc_id)
                                             for doc_id, doc_rows in by_doc.items())], out)


def _matrix_summary(rows: list[dict[str, Any]]) -> Sheet:
    """Per agency: tasks led, supported, in all, and documents; most leads first."""
    per_agency: dict[str, dict[str, set]] = {}
    for r in rows:
        a = per_agency.setdefault(r["agency"], {LEAD: set(), SUPPORT: set(), "docs": set()})
        a.setdefault(r["role"], set()).add(r["clause_id"])
        a["docs"].add(r["document"])
    ranked = sorted(per_agency.items(), key=lambda kv: (-len(kv[1][LEAD]), -len(kv[1][SUPPORT]), kv[0]))
    return Sheet("汇总", [["单位", "牵头任务数", "配合任务数", "任务总数", "文件数"]],
                 [[name, len(a[LEAD]), len(a[SUPPORT]), len(set().union(*(v for k, v in a.items() if k != "docs"))),
                   len(a["docs"])] for name, a in ranked],
                 widths=[36, 14, 14, 14, 14], wrap=False, autofilter=False)


def _matrix_sheet(doc_rows: list[dict[str, Any]], meta: dict[str, str], doc_id: str) -> Sheet:
    """One document: agencies down (most leads first), its tasks across in text order, 牵头/配合 in the cells."""
    tasks = list({r["clause_id"]: (r["path"], r["heading"]) for r in doc_rows}.items())
    agencies = list(dict.fromkeys(r["agency"] for r in doc_rows))
    cell = {(r["agency"], r["clause_id"]): r["role"] for r in doc_rows}
    led = {a: sum(1 for t, _ in tasks if cell.get((a, t)) == LEAD) for a in agencies}
    supported = {a: sum(1 for t, _ in tasks if cell.get((a, t)) == SUPPORT) for a in agencies}
    first = {a: i for i, a in enumerate(agencies)}
    agencies.sort(key=lambda a: (-led[a], -supported[a], first[a]))
    return Sheet(short_title(meta.get("title") or doc_id, 28),
                 [["单位 \\ 任务", LEAD, SUPPORT, *[path for _, (path, _h) in tasks]],
                  ["", "", "", *[heading for _, (_p, heading) in tasks]]],
                 [[a, led[a], supported[a], *[cell.get((a, t), "") for t, _ in tasks]] for a in agencies],
                 caption=[" ".join(x for x in (meta.get("number", ""), meta.get("title", doc_id)) if x)], caption_size=12,
                 widths=[36, 6, 6, *[12] * len(tasks)], wrap=False, centre_from=4, fills=ROLE_FILLS,
                 frozen_columns=3, autofilter=False, header_height=60)
