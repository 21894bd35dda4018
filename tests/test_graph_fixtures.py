"""A tiny hand-made document for the graph tests, and helpers to build data folders.

Imported by the other ``test_graph_*`` modules (it has no tests of its own).
The document is written out by hand in the ``policykg extract --json`` shape,
with spans computed from its source text so every offset is right.
"""
from __future__ import annotations

import json
from pathlib import Path

SOURCE = (
    "山西省能源局关于印发测试工作方案的通知\n"
    "晋能源测〔2024〕1号\n"
    "依据《山西省碳达峰实施方案》，制定本方案。\n"
    "一、重点任务\n"
    "1.发展绿电。到2030年，绿电占比达到50%。对钢铁行业给予资金支持。（省能源局、省工信厅）\n"
)
DOC_ID = "test-2024-1"


def span(text: str, start_at: int = 0) -> list[int]:
    i = SOURCE.index(text, start_at)
    return [i, i + len(text)]


def tiny_document() -> dict:
    p1 = "依据《山西省碳达峰实施方案》，制定本方案。"
    item = "1.发展绿电。到2030年，绿电占比达到50%。对钢铁行业给予资金支持。（省能源局、省工信厅）"
    return {
        "document": {
            "id": DOC_ID, "title": "山西省能源局关于印发测试工作方案的通知", "number": "晋能源测〔2024〕1号",
            "region": "山西省", "issuers": ["山西省能源局"], "recipients": [], "signature": "山西省能源局",
            "date_written": "2024-07-08", "date_published": "2024-07-09", "valid": True, "topics": ["电力"],
            "source_file": "test.txt", "source_format": "txt", "source_sha256": "00" * 32,
        },
        "clauses": [
            {"id": f"{DOC_ID}#p1", "path": "p1", "heading": "", "parents": [], "kind": "preamble", "text": p1,
             "span": span(p1), "agencies": [], "targets": [], "measures": [], "industries": [],
             "cites": [{"title": "山西省碳达峰实施方案", "number": "", "span": span("《山西省碳达峰实施方案》")}]},
            {"id": f"{DOC_ID}#一.1", "path": "一.1", "heading": "发展绿电", "parents": ["重点任务"], "kind": "item",
             "text": item, "span": span(item),
             "agencies": [
                 {"name": "山西省能源局", "as_written": "省能源局", "role": "lead", "span": span("省能源局", SOURCE.index("（")), "known": True},
                 {"name": "山西省工业和信息化厅", "as_written": "省工信厅", "role": "support", "span": span("省工信厅"), "known": True},
             ],
             "targets": [{"year": 2030, "indicator": "绿电占比", "comparator": "达到", "value": 50.0, "unit": "%",
                          "baseline_year": None, "firmness": "", "text": "到2030年，绿电占比达到50%",
                          "span": span("到2030年，绿电占比达到50%"), "period": ""}],
             "measures": [
                 {"type": "task", "subtype": "", "text": "1.发展绿电。", "span": span("1.发展绿电。")},
                 {"type": "target", "subtype": "", "text": "到2030年，绿电占比达到50%。", "span": span("到2030年，绿电占比达到50%。"),
                  "conditions": [0]},
                 {"type": "incentive", "subtype": "funds", "text": "对钢铁行业给予资金支持。", "span": span("对钢铁行业给予资金支持。")},
             ],
             "industries": [{"id": "steel", "label": "钢铁", "as_written": "钢铁行业", "span": span("钢铁行业")}],
             "cites": [],
             "conditions": [{"subject": "绿电占比", "comparator": ">=", "value": 50.0, "unit": "%", "text": "绿电占比达到50%",
                             "span": span("绿电占比达到50%"), "comparator_text": "达到", "canonical_value": 50.0,
                             "canonical_unit": "%", "scope": "", "firmness": "", "year": 2030, "period": "",
                             "kind": "target", "consequence": "", "inherited": False, "sentence": 1}]},
        ],
        "warnings": [],
    }


def write_data_folder(folder: Path, documents: list[dict], source: str = SOURCE) -> Path:
    """The ingest files of a data folder (documents, sources, clauses.jsonl, a manifest) for ``documents``."""
    from ingest.files import write_clause_table

    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    for doc in documents:
        doc_id = doc["document"]["id"]
        (folder / "documents" / f"{doc_id}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        (folder / "sources" / f"{doc_id}.txt").write_text(source, encoding="utf-8")
    write_clause_table(folder)
    (folder / "manifest.json").write_text(json.dumps({"schema_version": 1, "documents": {}}), encoding="utf-8")
    return folder
