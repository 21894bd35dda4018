"""What the search keeps about each clause row, besides the two indexes.

    ids.txt          clause ids, one a line: row i of every index is clause ids[i]
    offsets.npy      byte offset of each row's line in ``clauses.jsonl``
    documents.json   one record per document (id, title, number, region, issuers, valid)
    doc_rows.npy     the document (index into documents.json) of each row
    facets.json      facet → key → [start, count] into facet_rows.npy
    facet_rows.npy   rows sorted per (facet, key): the postings of the graph facts

Facets: ``agency`` (canonical names of every responsible agency),
``agency_lead`` (agencies that lead or are the subject of the task), ``industry`` (concept ids), ``measure``
(measure types) and ``year`` (target years).  Clause records themselves are
read on demand from ``clauses.jsonl`` by offset, so a million clauses cost a
few arrays in memory, not a million dicts.
"""
from __future__ import annotations

import json
from array import array
from pathlib import Path
from typing import Any

import numpy as np

FACETS = ("agency", "agency_lead", "industry", "measure", "year")


def union(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Sorted union of row arrays, through a mask over all ``n`` rows (no sort of big arrays)."""
    mask = np.zeros(n, dtype=bool)
    for p in parts:
        mask[p] = True
    return np.flatnonzero(mask).astype(np.int32)


class RowsBuilder:
    """Collects row metadata while ``clauses.jsonl`` is read once."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.offsets = array("q")
        self.doc_rows = array("i")
        self.documents: list[dict[str, Any]] = []
        self._doc_index: dict[str, int] = {}
        self.postings: dict[str, dict[str, array]] = {f: {} for f in FACETS}

    def add(self, clause: dict[str, Any], offset: int) -> None:
        row = len(self.ids)
        self.ids.append(clause["id"])
        self.offsets.append(offset)
        doc_id = clause.get("doc_id") or clause["id"].split("#", 1)[0]
        d = self._doc_index.get(doc_id)
        if d is None:
            d = self._doc_index[doc_id] = len(self.documents)
            self.documents.append({
                "id": doc_id, "title": clause.get("doc_title") or "", "number": clause.get("doc_number") or "",
                "region": clause.get("region") or "", "level": clause.get("level") or "",
                "issuers": list(clause.get("doc_issuers") or []),
                "valid": clause.get("doc_valid"),
            })
        self.doc_rows.append(d)
        keys: dict[str, set[str]] = {f: set() for f in FACETS}
        for a in clause.get("agencies") or []:
            keys["agency"].add(a["name"])
            # Leads and the subjects of a duty (X组织…, X应当…): the bodies that carry the task.
            if a.get("role") in ("lead", "actor"):
                keys["agency_lead"].add(a["name"])
        for i in clause.get("industries") or []:
            keys["industry"].add(i["id"])
        for m in clause.get("measures") or []:
            keys["measure"].add(m["type"])
        for t in clause.get("targets") or []:
            if t.get("year"):
                keys["year"].add(str(t["year"]))
        for facet, values in keys.items():
            for v in values:
                self.postings[facet].setdefault(v, array("i")).append(row)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ids.txt").write_text("".join(i + "\n" for i in self.ids), encoding="utf-8")
        np.save(folder / "offsets.npy", np.frombuffer(self.offsets, dtype=np.int64), allow_pickle=False)
        np.save(folder / "doc_rows.npy", np.frombuffer(self.doc_rows, dtype=np.int32), allow_pickle=False)
        (folder / "documents.json").write_text(json.dumps(self.documents, ensure_ascii=False, indent=1), encoding="utf-8")
        index: dict[str, dict[str, list[int]]] = {}
        parts, start = [], 0
        for facet in FACETS:
            index[facet] = {}
            for key in sorted(self.postings[facet]):
                rows = self.postings[facet][key]
                index[facet][key] = [start, len(rows)]
                parts.append(np.frombuffer(rows, dtype=np.int32))
                start += len(rows)
        np.save(folder / "facet_rows.npy", np.concatenate(parts) if parts else np.empty(0, np.int32), allow_pickle=False)
        (folder / "facets.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


class ClauseRows:
    """Row metadata and on-demand clause records (see the module docstring)."""

    def __init__(self, folder: Path, clauses_file: Path) -> None:
        self.clauses_file = clauses_file
        self.ids: list[str] = (folder / "ids.txt").read_text(encoding="utf-8").splitlines()
        self.offsets = np.load(folder / "offsets.npy", allow_pickle=False)
        self.doc_rows = np.load(folder / "doc_rows.npy", allow_pickle=False)
        self.documents: list[dict[str, Any]] = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        self._facets: dict[str, dict[str, list[int]]] = json.loads((folder / "facets.json").read_text(encoding="utf-8"))
        self._facet_rows = np.load(folder / "facet_rows.npy", allow_pickle=False)
        self._row_of: dict[str, int] | None = None
        self._units: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, clause_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {c: i for i, c in enumerate(self.ids)}
        return self._row_of.get(clause_id)

    @property
    def unit_of(self) -> np.ndarray:
        """The row of each row's result unit (:mod:`search.units`: a law article for its items)."""
        return self._unit_index()[0]

    def unit_members(self, unit: int) -> np.ndarray:
        """The rows of one unit in clause order (the article's head, then its items)."""
        _, order, sorted_units = self._unit_index()
        start, end = np.searchsorted(sorted_units, [unit, unit + 1])
        return np.sort(order[start:end])

    def _unit_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._units is None:
            from search.units import unit_rows

            unit_of = unit_rows(self.ids)
            order = np.argsort(unit_of, kind="stable")
            self._units = (unit_of, order, unit_of[order])
        return self._units

    def keys(self, facet: str) -> list[str]:
        return list(self._facets.get(facet, {}))

    def rows(self, facet: str, key: str) -> np.ndarray:
        span = self._facets.get(facet, {}).get(key)
        if span is None:
            return np.empty(0, np.int32)
        return self._facet_rows[span[0]:span[0] + span[1]]

    def rows_any(self, facet: str, keys) -> np.ndarray:
        """Sorted rows having any of ``keys`` (a union of postings)."""
        parts = [p for p in (self.rows(facet, k) for k in keys) if len(p)]
        if len(parts) <= 1:
            return parts[0] if parts else np.empty(0, np.int32)
        return union(parts, len(self))

    def doc_rows_of(self, doc_indexes) -> np.ndarray:
        """Rows of the given documents (indexes into :attr:`documents`)."""
        wanted = np.zeros(len(self.documents), dtype=bool)
        wanted[list(doc_indexes)] = True
        return np.flatnonzero(wanted[self.doc_rows]).astype(np.int32)

    def record(self, row: int) -> dict[str, Any]:
        """The full ``clauses.jsonl`` record of a row."""
        return self.records([row])[0]

    def records(self, rows) -> list[dict[str, Any]]:
        """Records of the given rows, read by byte offset."""
        out = []
        with open(self.clauses_file, "rb") as f:
            for row in rows:
                f.seek(int(self.offsets[row]))
                out.append(json.loads(f.readline()))
        return out

    def document(self, row: int) -> dict[str, Any]:
        return self.documents[int(self.doc_rows[row])]
