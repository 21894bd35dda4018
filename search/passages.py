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

    passages/dense/        vectors.npy (float32, L2-normalised, one row per passage) and
                           faiss.index, the same kind of FAISS index as the clauses'
                           (:mod:`search.faiss_index`: exact, HNSW for many passages)
    passages/rows.npy      the clause row of each passage (ascending)
    passages/spans.npy     (start, end) of each passage in its clause's text

A query meets the passages twice, both cheaply at any size: FAISS finds the
clauses whose best passages are nearest (candidates), and the candidates'
and hits' own passages are scored exactly from their vectors.  (An index
built before the FAISS index was kept, with ``passages/vectors.npy`` only,
still loads: the exact index is made in memory.)
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from search.faiss_index import DenseIndex

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
    index = PassageIndex(DenseIndex.build(vectors), np.array(rows, dtype=np.int32),
                         np.array(spans, dtype=np.int32).reshape(-1, 2))
    index.save(folder)
    return {"passages": len(texts), "long_clause_chars": LONG_CLAUSE, "passage_chars": PASSAGE_CHARS,
            "faiss_index": type(index.dense.index).__name__}


class PassageIndex:
    """The passages of one index folder: their FAISS index, clause rows and spans."""

    def __init__(self, dense: DenseIndex, rows: np.ndarray, spans: np.ndarray) -> None:
        self.dense, self.rows, self.spans = dense, rows, spans

    @property
    def vectors(self) -> np.ndarray:
        return self.dense.vectors

    def save(self, folder: Path) -> None:
        out = Path(folder) / FOLDER
        out.mkdir(parents=True, exist_ok=True)
        self.dense.save(out)
        (out / "vectors.npy").unlink(missing_ok=True)      # the layout before the FAISS index was kept
        np.save(out / "rows.npy", self.rows, allow_pickle=False)
        np.save(out / "spans.npy", self.spans, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "PassageIndex | None":
        """The folder's passages, or None for an index built without them."""
        d = Path(folder) / FOLDER
        if (d / DenseIndex.FOLDER).is_dir():
            dense = DenseIndex.load(d)
        elif (d / "vectors.npy").exists():
            dense = DenseIndex.build(np.load(d / "vectors.npy", allow_pickle=False))
        else:
            return None
        return cls(dense, np.load(d / "rows.npy", allow_pickle=False), np.load(d / "spans.npy", allow_pickle=False))

    def __len__(self) -> int:
        return len(self.rows)

    def _of_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The passages of the given clause rows (any order): their indexes, and how many each row has."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = np.searchsorted(self.rows, rows, side="left")
        counts = np.searchsorted(self.rows, rows, side="right") - starts
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, np.int64), counts
        # starts[i], starts[i]+1, … for each row, without a Python loop
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(starts, counts) + offsets, counts

    def nearest_rows(self, query: np.ndarray, n: int, ids, allowed: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` clause rows whose best passage is nearest the query (within ``allowed``), best first."""
        from search import hybrid

        within = None if allowed is None else self._of_rows(allowed)[0]
        if within is not None and len(within) == 0:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        # rows have a few passages each: three per wanted row find ``n`` distinct rows in all but odd cases
        found, scores = self.dense.search(query, 3 * n, within)
        rows = self.rows[found].astype(np.int64)
        first = np.unique(rows, return_index=True)[1]     # found is best first: a row's first is its best
        return hybrid.rank(rows[first], scores[first], ids, n)

    def best_of_rows(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Each given row's best passage cosine, exactly (-1 for a clause without passages)."""
        index, counts = self._of_rows(rows)
        out = np.full(len(rows), -1.0, dtype=np.float32)
        if len(index):
            scores = self.dense.scores_for(index, query)
            has = counts > 0
            out[has] = np.maximum.reduceat(scores, (np.cumsum(counts) - counts)[has])
        return out

    def best_span(self, query: np.ndarray, row: int) -> tuple[tuple[int, int], float] | None:
        """The best passage of one row, as its span in the clause's text and its cosine."""
        start, end = np.searchsorted(self.rows, [row, row + 1])
        if start == end:
            return None
        scores = self.dense.scores_for(np.arange(start, end), query)
        i = start + int(np.argmax(scores))
        return (int(self.spans[i][0]), int(self.spans[i][1])), float(scores[i - start])
