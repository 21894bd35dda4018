"""Retrieval evaluation: queries with gold substrings in, Recall@k / MRR / nDCG out.

A query file is JSON lines ``{"id", "query", "gold": [substring, ...]}``.  A
result is relevant when its text contains a gold substring, both compared
after NFKC and keeping only letters and digits (as in
``shared/eval/score_retrieval.py``).

* ``R@k`` (Recall@k as the shared scorer computes it): the share of queries
  with a relevant result in the top k.
* ``MRR@10``: mean of 1/rank of the first relevant result (0 when none).
* ``nDCG@10``: binary gain; a result gains 1 when it contains a gold
  substring that no higher result contained (each gold counts once), and the
  ideal ranking has one result per gold substring at the top.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CUTOFFS = (1, 5, 10)
_NOT_WORD = re.compile(r"[\W_]")


def norm(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def read_query_lines(path: str | Path, required: tuple[str, ...] = ("id", "query")) -> list[dict[str, Any]]:
    """JSON lines with at least the ``required`` keys; blank lines skipped."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                q = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{n}: not JSON ({err})") from None
            if not isinstance(q, dict) or not set(required) <= q.keys():
                raise ValueError(f"{path}:{n}: each line needs {', '.join(required)}")
            out.append(q)
    return out


def load_queries(path: str | Path) -> list[dict[str, Any]]:
    """A query file with judgements: ``{"id", "query", "gold"}`` lines."""
    return read_query_lines(path, ("id", "query", "gold"))


def gains(texts: Sequence[str], golds: Sequence[str]) -> list[int]:
    """Binary gain of each result: 1 when it contains a gold not found higher up."""
    todo = {norm(g) for g in golds if norm(g)}
    out = []
    for text in texts:
        t = norm(text)
        found = {g for g in todo if g in t}
        todo -= found
        out.append(1 if found else 0)
    return out


def first_rank(texts: Sequence[str], golds: Sequence[str]) -> int | None:
    """1-based rank of the first result containing any gold substring."""
    golds_n = [norm(g) for g in golds if norm(g)]
    for i, text in enumerate(texts, 1):
        t = norm(text)
        if any(g in t for g in golds_n):
            return i
    return None


def ndcg(texts: Sequence[str], golds: Sequence[str], k: int = 10) -> float:
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains(texts[:k], golds)))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len({norm(g) for g in golds}), k)))
    return dcg / ideal if ideal else 0.0


@dataclass
class QueryOutcome:
    id: str
    query: str
    rank: int | None         # first relevant result, None when not in the top k
    top: str                 # clause id of the top hit ("" when nothing came back)
    ndcg: float


@dataclass
class Report:
    name: str
    k: int
    outcomes: list[QueryOutcome] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, float]:
        n = len(self.outcomes) or 1
        out = {f"R@{c}": sum(1 for o in self.outcomes if o.rank and o.rank <= c) / n for c in CUTOFFS if c <= self.k}
        out[f"MRR@{self.k}"] = sum(1 / o.rank for o in self.outcomes if o.rank) / n
        out[f"nDCG@{self.k}"] = sum(o.ndcg for o in self.outcomes) / n
        return out

    def misses(self, worse_than: int = 1) -> list[QueryOutcome]:
        return [o for o in self.outcomes if o.rank is None or o.rank > worse_than]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "k": self.k, "metrics": {m: round(v, 4) for m, v in self.metrics.items()},
            "queries": [vars(o) for o in self.outcomes],
        }


# A run function answers one query with ranked (clause id, text) pairs.
RunFn = Callable[[str], Sequence[tuple[str, str]]]


def evaluate(name: str, run: RunFn, queries: Sequence[dict[str, Any]], k: int = 10) -> Report:
    report = Report(name, k)
    for q in queries:
        hits = list(run(q["query"]))[:k]
        texts = [t for _, t in hits]
        report.outcomes.append(QueryOutcome(
            id=q["id"], query=q["query"], rank=first_rank(texts, q["gold"]),
            top=hits[0][0] if hits else "", ndcg=ndcg(texts, q["gold"], k),
        ))
    return report


def format_table(reports: Sequence[Report]) -> str:
    names = list(reports[0].metrics)
    width = max(8, *(len(r.name) for r in reports))
    lines = [f"{'config':<{width}}  " + "  ".join(f"{m:>7}" for m in names)]
    for r in reports:
        lines.append(f"{r.name:<{width}}  " + "  ".join(f"{v:7.3f}" for v in r.metrics.values()))
    return "\n".join(lines)


def format_misses(report: Report, worse_than: int = 1) -> str:
    lines = []
    for o in report.misses(worse_than):
        where = f"rank {o.rank}" if o.rank else "not found"
        lines.append(f"  {o.id}  {where:<10} top {o.top or '-'}  {o.query}")
    return "\n".join(lines)


MODES = ("lexical", "dense", "hybrid")   # lexical only, dense only, the full system


def evaluate_engine(engine, queries: Sequence[dict[str, Any]], k: int = 10, modes: Sequence[str] = MODES) -> list[Report]:
    """One :class:`Report` per search mode of a loaded :class:`search.engine.SearchEngine`
    (each mode answers all queries in one :meth:`~search.engine.SearchEngine.search_many`)."""
    texts = [q["query"] for q in queries]
    reports = []
    for mode in modes:
        answers = dict(zip(texts, engine.search_many(texts, k, mode=mode)))
        reports.append(evaluate(mode, lambda q: [(h.clause_id, h.text) for h in answers[q]], queries, k))
    return reports
