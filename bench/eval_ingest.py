"""Ingest quality on the wide dev set: metadata accuracy per field against gold, and lost text.

    python bench/eval_ingest.py CORPUS_DIR [--gold ../shared/wide/gold/metadata.jsonl] [--out DIR] [--show]

Parses every file of CORPUS_DIR (no mention extraction), writes an ingest-only
data folder (``documents/``, ``sources/``; default a temporary one) that
``check_coverage.py`` can read, and scores each gold field: title, number,
issuers (as a set), date (the date written), region (full path) and level.
``--show`` prints every miss as ``field  file  got | expected``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.errors import IngestError  # noqa: E402
from ingest.ids import disambiguate, id_chosen_by_user, rename_document  # noqa: E402
from app.build import corpus_files  # noqa: E402
from ingest.pipeline import parse_document  # noqa: E402
from ingest.files import write_document  # noqa: E402

FIELDS = ("title", "number", "issuers", "date", "region", "level")
# ../shared beside the repository (a worktree sits one level deeper).
_GOLD_PLACES = [up / "shared" / "wide" / "gold" / "metadata.jsonl" for up in Path(__file__).resolve().parents[2:4]]
DEFAULT_GOLD = next((p for p in _GOLD_PLACES if p.exists()), _GOLD_PLACES[0])


def _norm(value) -> object:
    if isinstance(value, list):
        return sorted(_norm(v) for v in value)
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def predicted(meta: dict) -> dict:
    return {"title": meta.get("title", ""), "number": meta.get("number", ""), "issuers": meta.get("issuers", []),
            "date": meta.get("date_written", ""), "region": meta.get("region", ""), "level": meta.get("level", "")}


def parse_corpus(corpus: Path, out: Path) -> tuple[dict[str, dict], list[str]]:
    """File name → document metadata; and the refusals (errors and id collisions)."""
    metas, refused, taken = {}, [], {}
    for path in corpus_files(corpus):
        try:
            doc = parse_document(path, extract=False)
        except IngestError as err:
            refused.append(str(err))
            continue
        if doc.meta.id in taken:
            if id_chosen_by_user(path):
                refused.append(f"{path.name}: id {doc.meta.id} taken by {taken[doc.meta.id]}")
                continue
            rename_document(doc, disambiguate(doc, set(taken)))
        taken[doc.meta.id] = path.name
        write_document(doc, out)
        metas[path.name] = json.loads(json.dumps(doc.to_json()["document"], ensure_ascii=False))
    return metas, refused


def score(metas: dict[str, dict], gold_path: Path, show: bool) -> dict[str, float]:
    gold = [json.loads(l) for l in gold_path.read_text(encoding="utf-8").splitlines() if l.strip()]
    right = dict.fromkeys(FIELDS, 0)
    for g in gold:
        got = predicted(metas.get(g["file"], {}))
        for f in FIELDS:
            if _norm(got[f]) == _norm(g[f]):
                right[f] += 1
            elif show:
                print(f"{f:8} {g['file'][:40]:42} {got[f]} | {g[f]}")
    return {f: right[f] / len(gold) for f in FIELDS}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--out", type=Path, help="write the ingest-only data folder here")
    ap.add_argument("--show", action="store_true", help="print every miss")
    a = ap.parse_args()
    out = a.out or Path(tempfile.mkdtemp(prefix="eval-ingest-"))
    metas, refused = parse_corpus(a.corpus, out)
    for r in refused:
        print("refused:", r)
    scores = score(metas, a.gold, a.show)
    print(f"documents {len(metas)}, refused {len(refused)}; data folder {out}")
    print("  ".join(f"{f} {v:.0%}" for f, v in scores.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
