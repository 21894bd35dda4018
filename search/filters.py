"""Filters: which clause rows a search may return.

Document-level filters (region, document, issuing body, validity) select the
rows of matching documents; clause-level filters (responsible agency,
industry with its narrower concepts, measure type, target year) read the
facet postings of the row store.  Names are resolved with the same
vocabularies as queries: ``--agency 省统计局`` finds 山西省统计局 clauses,
``--industry 新能源`` also finds 光伏 and 风电 ones.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
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


class FilterError(ValueError):
    """A filter value that names nothing known (the message says what is)."""


@dataclass
class Filters:
    region: str | None = None      # 山西 / 山西省 / 广西壮族自治区
    document: str | None = None    # document id, number (晋能源规发〔2024〕195号) or part of its title
    issuer: str | None = None      # issuing body, any alias (省能源局)
    agency: str | None = None      # responsible agency of the clause, any alias
    industry: str | None = None    # industry label, synonym or concept id; narrower concepts included
    measure: str | None = None     # incentive / restriction / requirement / target / task (or 激励 / 限制 …)
    year: int | None = None        # target year
    valid: bool | None = None      # document still in force

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> "Filters":
        values = values or {}
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise FilterError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        out = cls(**values)
        if out.year is not None:
            out.year = int(out.year)
        return out


def measure_type(value: str) -> str:
    v = value.strip().lower()
    for t, aliases in MEASURE_TYPES.items():
        if v == t or v in aliases:
            return t
    raise FilterError(f"unknown measure type {value!r}; use one of {', '.join(MEASURE_TYPES)}")


def _rows_of_docs(store, keep) -> np.ndarray:
    return store.doc_rows_of(i for i, d in enumerate(store.documents) if keep(d))


def allowed_rows(filters: Filters | None, store, analyzer) -> np.ndarray | None:
    """Sorted rows passing every filter, or None when nothing is filtered."""
    if filters is None or filters.is_empty():
        return None
    norm = analyzer.tokenizer.normalize
    parts: list[np.ndarray] = []
    f = filters
    if f.region:
        found = [r for _, _, r in analyzer.region_trie.find_all(norm(f.region))]
        wanted = set(found) or {f.region}
        parts.append(_rows_of_docs(store, lambda d: d["region"] in wanted))
    if f.document:
        v = norm(f.document)
        parts.append(_rows_of_docs(store, lambda d: v == d["id"] or (d["number"] and v in norm(d["number"]))
                                   or v in norm(d["title"])))
    if f.issuer:
        names = _agency_names(f.issuer, analyzer)
        v = norm(f.issuer)
        parts.append(_rows_of_docs(store, lambda d: bool(names & set(d["issuers"]))
                                   or any(v in norm(i) for i in d["issuers"])))
    if f.agency:
        names = _agency_names(f.agency, analyzer)
        v = norm(f.agency)
        names |= {k for k in store.keys("agency") if v in k}
        parts.append(store.rows_any("agency", names))
    if f.industry:
        scheme = analyzer.scheme
        cid = f.industry if scheme.get(f.industry) else scheme.resolve(norm(f.industry))
        if cid is None:
            raise FilterError(f"unknown industry {f.industry!r}: not a label, synonym or id of the industry scheme")
        parts.append(store.rows_any("industry", scheme.narrower_closure(cid)))
    if f.measure:
        parts.append(store.rows("measure", measure_type(f.measure)))
    if f.year is not None:
        parts.append(store.rows("year", str(int(f.year))))
    if f.valid is not None:
        parts.append(_rows_of_docs(store, lambda d: d["valid"] is f.valid))
    rows = parts[0]
    for p in parts[1:]:
        rows = np.intersect1d(rows, p)
    return np.unique(rows).astype(np.int64)


def _agency_names(value: str, analyzer) -> set[str]:
    names: set[str] = set()
    for ref in analyzer.agencies.find(analyzer.tokenizer.normalize(value), []):
        names |= ref.names
    return names
