"""Score extracted targets and agencies against hand-read gold files.

Gold rows name a file, the words of the sentence as printed and the expected
fields (``../shared/wide/gold/{targets,agencies}.jsonl``).  A gold row is
placed in the document by finding its sentence in the source text, so a
prediction matches it when their spans overlap — no reliance on how the
pipeline cuts clauses or sentences.

    python -m ingest.extract.evaluate --corpus DIR --gold DIR [--json] [--show N]

Targets: precision and recall over the annotated reports, headline recall,
negatives taken (past results or numbers that are not goals), and among
matched targets the share with the right year and indicator.
Agencies: mention precision and recall, canonical-name and role accuracy
among matched mentions.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import ParsedDocument


def read_gold(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise SystemExit(f"{path}:{n}: not JSON ({err})") from err
            if "file" in row:            # the agencies file opens with a note
                rows.append(row)
    return rows


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], text.find(needle)
    while needle and i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s“”\"（）()、，]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def indicator_agrees(predicted: str, gold: str) -> bool:
    """Same indicator: one holds the other, or most of the gold's character pairs."""
    p, g = predicted.strip(), gold.strip()
    if not p or not g:
        return False
    core = re.sub(r"（[^）]*）", "", g)
    if p in g or core in p or p in core:
        return True
    gb = _bigrams(core)
    return len(gb & _bigrams(p)) / len(gb) >= 0.6


@dataclass
class Score:
    found: int = 0          # predictions in the annotated documents
    gold: int = 0
    matched: int = 0
    details: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


# ------------------------------------------------------------------ targets

def _report_year(doc: ParsedDocument) -> int | None:
    from ingest.extract.context import document_year
    return document_year(doc.meta)


def score_targets(docs: dict[str, ParsedDocument], gold: list[dict]) -> Score:
    sc = Score()
    by_file: dict[str, list[dict]] = {}
    for row in gold:
        by_file.setdefault(row["file"], []).append(row)
    headline_total = headline_hit = year_ok = ind_ok = negatives = 0
    for fname, rows in by_file.items():
        doc = docs.get(fname)
        if doc is None:
            raise SystemExit(f"gold names {fname}, which is not in the corpus")
        src = doc.source_text
        preds = [(c, t) for c in doc.clauses for t in c.targets]
        sc.found += len(preds)
        used: set[int] = set()
        for row in rows:
            places = _occurrences(src, row["sentence"])
            if not places:
                sc.misses.append(("not in text", fname, row["sentence"]))
                continue
            near = [k for k, (_, t) in enumerate(preds)
                    if any(_overlaps((t.span.start, t.span.end), p) for p in places)]
            if row.get("negative"):
                if any(k not in used for k in near):
                    negatives += 1
                    sc.wrong.append(("negative taken", fname, row["sentence"]))
                    used.update(near)      # not extras twice
                continue
            sc.gold += 1
            headline_total += bool(row.get("headline"))
            cands = [k for k in near if k not in used and preds[k][1].value == row["value"]]
            if not cands:
                sc.misses.append(("missed", fname, row["sentence"], row["indicator"]))
                continue
            k = max(cands, key=lambda k: indicator_agrees(preds[k][1].indicator, row["indicator"]))
            used.add(k)
            t = preds[k][1]
            sc.matched += 1
            headline_hit += bool(row.get("headline"))
            year_ok += t.year == row["year"]
            good_ind = indicator_agrees(t.indicator, row["indicator"])
            ind_ok += good_ind
            if t.year != row["year"] or not good_ind:
                sc.wrong.append(("field", fname, row["sentence"], f"year {t.year}/{row['year']}",
                                 f"indicator {t.indicator!r}/{row['indicator']!r}"))
        sc.extras += [(fname, t.text, t.indicator, t.value) for k, (_, t) in enumerate(preds) if k not in used]
    sc.details = {
        "headline_recall": headline_hit / headline_total if headline_total else 0.0,
        "negatives_taken": negatives,
        "year_accuracy": year_ok / sc.matched if sc.matched else 0.0,
        "indicator_accuracy": ind_ok / sc.matched if sc.matched else 0.0,
    }
    return sc


# ------------------------------------------------------------------ agencies

def score_agencies(docs: dict[str, ParsedDocument], gold: list[dict]) -> Score:
    sc = Score()
    by_file: dict[str, list[dict]] = {}
    for row in gold:
        by_file.setdefault(row["file"], []).append(row)
    name_ok = role_ok = 0
    for fname, rows in by_file.items():
        doc = docs.get(fname)
        if doc is None:
            raise SystemExit(f"gold names {fname}, which is not in the corpus")
        src = doc.source_text
        preds = [a for c in doc.clauses for a in c.agencies]
        sc.found += len(preds)
        used: set[int] = set()
        # Repeated (sentence, name) rows are repeated occurrences, in order.
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            sc.gold += 1
            key = (row["sentence"], row["as_written"])
            nth = seen.get(key, 0)
            seen[key] = nth + 1
            places = []
            for s, e in _occurrences(src, row["sentence"]):
                places += [(s + a, s + b) for a, b in _occurrences(src[s:e], row["as_written"])]
            if not places:
                sc.misses.append(("not in text", fname, row["as_written"], row["sentence"][:60]))
                continue
            cands = [k for k, a in enumerate(preds) if k not in used
                     and any(_overlaps((a.span.start, a.span.end), p) for p in places)]
            if not cands:
                sc.misses.append(("missed", fname, row["as_written"], row["role"], row["sentence"][:60]))
                continue
            k = min(cands, key=lambda k: (preds[k].name != row["canonical"], preds[k].span.start))
            used.add(k)
            a = preds[k]
            sc.matched += 1
            name_ok += a.name == row["canonical"]
            role_ok += a.role == row["role"]
            if a.name != row["canonical"] or a.role != row["role"]:
                sc.wrong.append((fname, row["as_written"], f"name {a.name}/{row['canonical']}",
                                 f"role {a.role}/{row['role']}", row["sentence"][:50]))
        sc.extras += [(fname, a.as_written, a.name, a.role, src[max(0, a.span.start - 20):a.span.end + 10])
                      for k, a in enumerate(preds) if k not in used]
    sc.details = {
        "name_accuracy": name_ok / sc.matched if sc.matched else 0.0,
        "role_accuracy": role_ok / sc.matched if sc.matched else 0.0,
        "name_right": name_ok,
        "role_right": role_ok,
    }
    return sc


# ------------------------------------------------------------------ command

def parse_gold_documents(corpus: Path, files: set[str]) -> dict[str, ParsedDocument]:
    from ingest.pipeline import parse_document

    found = {p.name: p for p in corpus.rglob("*") if p.is_file() and p.name in files}
    missing = files - set(found)
    if missing:
        raise SystemExit(f"{corpus}: gold files not found: {', '.join(sorted(missing))}")
    return {name: parse_document(path) for name, path in sorted(found.items())}


def summary(sc: Score) -> dict:
    out = {"gold": sc.gold, "found": sc.found, "matched": sc.matched,
           "precision": round(sc.precision, 3), "recall": round(sc.recall, 3)}
    out.update({k: round(v, 3) if isinstance(v, float) else v for k, v in sc.details.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ingest.extract.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="folder holding the gold documents")
    ap.add_argument("--gold", type=Path, required=True, help="folder with targets.jsonl and agencies.jsonl")
    ap.add_argument("--only", choices=("targets", "agencies"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses, extras and wrong fields")
    args = ap.parse_args(argv)

    tasks = [t for t in ("targets", "agencies") if args.only in (None, t)]
    gold = {t: read_gold(args.gold / f"{t}.jsonl") for t in tasks}
    docs = parse_gold_documents(args.corpus, {r["file"] for rows in gold.values() for r in rows})
    scorers = {"targets": score_targets, "agencies": score_agencies}
    result = {}
    for t in tasks:
        sc = scorers[t](docs, gold[t])
        result[t] = summary(sc)
        if args.show:
            for label, items in (("MISS", sc.misses), ("EXTRA", sc.extras), ("WRONG", sc.wrong)):
                for item in items[:args.show]:
                    print(t, label, *item, sep=" | ", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, indent=1 if not args.json else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
