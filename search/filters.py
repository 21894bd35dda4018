"""Filters: which clause rows a search may return.

Document-level filters (region, document, issuing body, validity) select the
rows of matching documents; clause-level filters (responsible agency,
industry with its narrower concepts, measure type, target year) read the
facet postings of the row store.  Names are resolved with the same
vocabularies as queries: ``--agency 省统计局`` finds 山西省统计局 clauses,
``--industry 新能源`` also finds 光伏 and 风电 ones.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

MEASURE_TYPES = {
    "incentive": ("激励", "支持", "奖励", "补贴", "incentives"),
    "restriction": ("限制", "约束", "禁止", "restrictions"),
    "requirement": ("要求", "规定", "requirements"),
    "target": ("目标", "指标", "targets"),
    "task": ("任务", "工作", "tasks"),
    "definition": ("定义", "definitions"),
}


# What each filter takes, in Filters' field order: the CLI's options and the API's parameters say it.
FILTER_HELP = {
    "region": "document region, its places included: 山西 / 浙江省 / 温岭市",
    "level": "document level (效力级别): 法律 / 行政法规 / 地方性法规 / 规范性文件 / 工作报告 …",
    "document": "document id, number (晋能源规发〔2024〕195号) or part of its title",
    "issuer": "issuing body, any alias (省能源局)",
    "agency": "responsible agency of the clause, any alias (省统计局)",
    "industry": "industry label, synonym or concept id; narrower industries included",
    "measure": "measure type: " + " / ".join(MEASURE_TYPES) + " (or 支持 / 限制 …)",
    "year": "target year, e.g. 2025",
    "valid": "only documents still in force (true) or not (false)",
}


class FilterError(ValueError):
    """A filter value that names nothing known (the message says what is)."""


Value = str | int | bool | None


@dataclass
class Filters:
    """Each field takes one value or a list (any of them); fields combine with AND."""

    region: Value | list = None      # 山西 / 山西省 / 温岭市 / 浙江省台州市温岭市: documents of it and of places inside it
    level: Value | list = None       # 效力级别: 法律 / 行政法规 / 地方性法规 / 规范性文件 / 工作报告 …
    document: Value | list = None    # document id, number (晋能源规发〔2024〕195号) or part of its title
    issuer: Value | list = None      # issuing body, any alias (省能源局)
    agency: Value | list = None      # responsible agency of the clause, any alias
    industry: Value | list = None    # industry label, synonym or concept id; narrower concepts included
    measure: Value | list = None     # incentive / restriction / requirement / target / task (or 激励 / 限制 …)
    year: Value | list = None        # target year
    valid: bool | None = None        # document still in force

    def values(self, name: str) -> list:
        v = getattr(self, name)
        if v is None or v == "" or v == []:
            return []
        return [x for x in (v if isinstance(v, (list, tuple, set)) else [v]) if x not in (None, "")]

    def is_empty(self) -> bool:
        return not any(self.values(f.name) for f in fields(self))

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if self.values(f.name)}

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> "Filters":
        values = dict(values or {})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise FilterError(f"unknown filter(s): {', '.join(sorted(unknown))}; "
                              f"known: {', '.join(f.name for f in fields(cls))}")
        return cls(**values)


def measure_type(value: str) -> str:
    v = str(value).strip().lower()
    for t, aliases in MEASURE_TYPES.items():
        if v == t or v in aliases:
            return t
    raise FilterError(f"unknown measure type {value!r}; use one of {', '.join(MEASURE_TYPES)}")


def _year(value) -> int:
    try:
        return int(str(value).strip().rstrip("年"))
    except ValueError:
        raise FilterError(f"a target year is a number like 2025, not {value!r}") from None


def _rows_of_docs(store, keep) -> np.ndarray:
    return store.doc_rows_of(i for i, d in enumerate(store.documents) if keep(d))


def allowed_rows(filters: Filters | None, store, analyzer) -> np.ndarray | None:
    """Sorted rows passing every filter, or None when nothing is filtered."""
    if filters is None or filters.is_empty():
        return None
    norm = analyzer.tokenizer.normalize
    scheme = analyzer.scheme

    def region(v) -> np.ndarray:
        found = {r for _, _, r in analyzer.region_trie.find_all(norm(str(v)))} | _region_paths(str(v)) or {str(v)}
        # a document's region is a full path (浙江省台州市温岭市): a province selects its places too
        return _rows_of_docs(store, lambda d: any((d["region"] or "").startswith(r) for r in found))

    def level(v) -> np.ndarray:
        return _rows_of_docs(store, lambda d: d.get("level") == str(v).strip())

    def document(v) -> np.ndarray:
        v = norm(str(v))
        return _rows_of_docs(store, lambda d: v == d["id"] or (d["number"] and v in norm(d["number"]))
                             or v in norm(d["title"]))

    def issuer(v) -> np.ndarray:
        names, v = _agency_names(str(v), analyzer), norm(str(v))
        return _rows_of_docs(store, lambda d: bool(names & set(d["issuers"])) or any(v in norm(i) for i in d["issuers"]))

    def agency(v) -> np.ndarray:
        names, v = _agency_names(str(v), analyzer), norm(str(v))
        return store.rows_any("agency", names | {k for k in store.keys("agency") if v in k})

    def industry(v) -> np.ndarray:
        cid = v if scheme.get(v) else scheme.resolve(norm(str(v)))
        if cid is None:
            raise FilterError(f"unknown industry {v!r}: not a label, synonym or id of the industry scheme")
        return store.rows_any("industry", scheme.narrower_closure(cid))

    def valid(v) -> np.ndarray:
        return _rows_of_docs(store, lambda d: d["valid"] is bool(v))

    select = {
        "region": region, "level": level, "document": document, "issuer": issuer, "agency": agency, "industry": industry,
        "measure": lambda v: store.rows("measure", measure_type(v)),
        "year": lambda v: store.rows("year", str(_year(v))),
        "valid": valid,
    }
    keep = None
    for name, fn in select.items():
        values = filters.values(name)
        if not values:
            continue
        mask = np.zeros(len(store), dtype=bool)
        for v in values:
            mask[fn(v)] = True
        keep = mask if keep is None else keep & mask
    return None if keep is None else np.flatnonzero(keep)


def _region_paths(value: str) -> set[str]:
    """The full path of a place the regions table knows (温岭 → 浙江省台州市温岭市)."""
    from ingest.regions import default_table

    table = default_table()
    place = table.by_path(value.strip()) or table.resolve(value.strip())
    return {place.path} if place else set()


def _agency_names(value: str, analyzer) -> set[str]:
    names: set[str] = set()
    for ref in analyzer.agencies.find(analyzer.tokenizer.normalize(value), []):
        names |= ref.names
    return names
