"""Dense vectors of the passages of long clauses: a clause scored by its best passage too.

Most answers are one sentence of a longer clause, and an encoder reads at
most its first 256 tokens, so a long clause's vector stands for its opening.
Clauses longer than :data:`LONG_CLAUSE` characters are cut at sentence ends
(。；！？ and line breaks) into passages of whole sentences, each at most
:data:`PASSAGE_CHARS` characters unless one sentence is longer, and each
passage is encoded (behind the clause's parent headings, as the clause is).
Shorter clauses have no passages: their own vector is their best passage.
The cost is bounded by the long clauses alone: 0.75 passages per clause on
the wide development corpus (4,466 for 5,926 clauses), 0.23 on STARD's laws.

    passages/vectors.npy   float32, L2-normalised, one row per passage
    passages/rows.npy      the clause row of each passage (ascending)
    passages/spans.npy     (start, end) of each passage in its clause's text

Scoring is a plain matrix product (a query against every passage), a few
milliseconds per 100k passages on two cores.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

FOLDER = "passages"
LONG_CLAUSE = 150     # characters: longer clauses get passage vectors
PASSAGE_CHARS = 150   # characters a passage gathers sentences up to

_SENTENCE_END = re.compile(r"(?<=[。；！？\n])")


def passage_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage of a long clause's text; [] for a clause that is its own passage."""
    if len(text) <= LONG_CLAUSE:
        return []
    spans: list[tuple[int, int]] = []
    start = pos = 0
    for sentence in _SENTENCE_END.split(text):
        end = pos + len(sentence)
        if pos > start and end - start > PASSAGE_CHARS:
            spans.append((start, pos))
            start = pos
        pos = end
    if pos > start:
        spans.append((start, pos))
    spans = [(s, e) for s, e in spans if text[s:e].strip()]
    return spans if len(spans) > 1 else []


def build(folder: Path, clauses: Iterable[tuple[int, dict]], encoder, heading: Callable[[dict], str],
          progress: Callable[[str], None] = lambda _: None, batch: int = 1024) -> dict:
    """Encode the passages of the long ones among ``clauses`` ((row, record) pairs) into ``folder/passages``;
    ``heading(clause)`` is what stands before each passage (the clause's parent headings)."""
    rows: list[int] = []
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    for row, clause in clauses:
        head = heading(clause)
        for s, e in passage_spans(clause["text"]):
            rows.append(row)
            spans.append((s, e))
            texts.append(f"{head}。{clause['text'][s:e]}" if head else clause["text"][s:e])
    dim = encoder.dimension
    vectors = np.empty((len(texts), dim), dtype=np.float32)
    for i in range(0, len(texts), batch):
        vectors[i:i + batch] = encoder.encode(texts[i:i + batch], None)
        progress(f"    {min(i + batch, len(texts))}/{len(texts)} passages")
    out = Path(folder) / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "vectors.npy", vectors, allow_pickle=False)
    np.save(out / "rows.npy", np.array(rows, dtype=np.int32), allow_pickle=False)
    np.save(out / "spans.npy", np.array(spans, dtype=np.int32).reshape(-1, 2), allow_pickle=False)
    return {"passages": len(texts), "long_clause_chars": LONG_CLAUSE, "passage_chars": PASSAGE_CHARS}


class PassageIndex:
    """The passage vectors of one index folder."""

    def __init__(self, vectors: np.ndarray, rows: np.ndarray, spans: np.ndarray) -> None:
        self.vectors, self.rows, self.spans = vectors, rows, spans

    @classmethod
    def load(cls, folder: Path) -> "PassageIndex | None":
        """The folder's passages, or None for an index built without them."""
        d = Path(folder) / FOLDER
        if not (d / "vectors.npy").exists():
            return None
        return cls(np.load(d / "vectors.npy", allow_pickle=False), np.load(d / "rows.npy", allow_pickle=False),
                   np.load(d / "spans.npy", allow_pickle=False))

    def __len__(self) -> int:
        return len(self.rows)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the query with every passage."""
        return self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)

    def best_per_row(self, scores: np.ndarray, n_rows: int) -> np.ndarray:
        """Each clause row's best passage cosine (-1 for a clause without passages)."""
        out = np.full(n_rows, -1.0, dtype=np.float32)
        np.maximum.at(out, self.rows, scores)
        return out

    def best_span(self, scores: np.ndarray, row: int) -> tuple[tuple[int, int], float] | None:
        """The best passage of one row, as its span in the clause's text and its cosine."""
        start, end = np.searchsorted(self.rows, [row, row + 1])
        if start == end:
            return None
        i = start + int(np.argmax(scores[start:end]))
        return (int(self.spans[i][0]), int(self.spans[i][1])), float(scores[i])

