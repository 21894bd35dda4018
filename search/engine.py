"""The search engine over one data folder: load once, answer many queries.

    engine = SearchEngine.load(data_dir)
    hits = engine.search("省统计局参与哪些工作", k=10, filters=Filters(region="山西"))

Every query runs the same stages, each counted in the latency figures of
``bench/bench_search.py``: tokenise and analyse the query, score BM25 over
all clauses (text field plus a lightly weighted context field), search the
vectors (FAISS, or Milvus: :mod:`search.vectorstore`), collect the graph
signals (agencies, industries, document numbers; regions and years as
boosts), fuse (:mod:`search.hybrid`), then read the hits' records and
explain them.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from search import blas, hybrid
from search.filters import Filters, allowed_rows
from search.units import group

CONTEXT_WEIGHT = 0.2     # BM25 over parent headings + document title, relative to the clause text
MODES = ("hybrid", "lexical", "dense")

# Graph signal weights (a row's graph score is the sum over what the query names).
AGENCY_LEAD = 1.0        # the named agency leads the clause's task
AGENCY_ANY = 0.6         # … takes part in it
AGENCY_ANY_IF_LEAD_ASKED = 0.3
INDUSTRY_EXACT = 0.6
INDUSTRY_NARROWER = 0.4
DOCUMENT = 1.0
YEAR = 0.3               # boosts only: never adds candidates on its own
REGION = 0.2
PLACE_PARENT = 0.5       # a document of a region enclosing the place named (its prefecture, its province)
PLACE_CANDIDATES = 20    # clauses of the place's documents added as candidates, by words and by meaning each
NATIONAL = "全国"
UNIT_DEPTH = 5           # rows fetched per hit asked for, before the items of an article fold into it
DOCUMENT_REQUEST = 0.6   # a query at least this much a document's title or number gets that document first


@dataclass
class Hit:
    rank: int
    clause_id: str
    score: float
    document: str              # document title
    doc_id: str
    doc_number: str            # 发文字号
    region: str
    path: str
    heading: str
    parents: list[str]
    kind: str
    text: str
    marked: str                # text with the matched words in 【】
    why: list[str]
    agencies: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    span: list[int]
    signals: dict[str, float] = field(default_factory=dict)
    # How likely the clause answers the question (search.confidence): level 高/中/低, probability,
    # and whether it clears the fitted floor; None when no model is fitted for this encoder or mode.
    relevance: dict[str, Any] | None = None
    # A law article returned whole (search.units): the article's clauses that matched, best first
    # (clause_id, path, span); empty when the hit is one clause.
    matched: list[dict[str, Any]] = field(default_factory=list)
    # The sentence (or short passage) that answers best: its text and where it lies in ``text``.
    sentence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The hit as plain JSON; ``doc_title`` repeats ``document`` under the clause table's name."""
        return {**asdict(self), "doc_title": self.document}


class SearchEngine:
    def __init__(self, data_dir: Path, folder: Path, manifest: dict, tokenizer, store, text_index, context_index,
                 dense, encoder, analyzer) -> None:
        self.data_dir = data_dir
        self.folder = folder
        self.manifest = manifest
        self.tokenizer = tokenizer
        self.store = store
        self.text_index = text_index
        self.context_index = context_index
        self.dense = dense
        self.encoder = encoder
        self.analyzer = analyzer
        self.doc_index = None
        self.sentence_index = self.sentence_rows = None
        self.passages = None      # passage vectors of long clauses (search.passages), when built
        self.fusion_settings = hybrid.settings_for({"name": "lsa"})

    @classmethod
    def load(cls, data_dir: Path | str, encoder: str | None = None) -> "SearchEngine":
        """Load ``<data_dir>/search``; refuses (``IndexMismatch``) an index built by another setup."""
        from search import manifest as mf
        from search.build import CONTEXT_FIELD, DOCUMENT_FIELD, SENTENCE_FIELD, TEXT_FIELD, index_folder
        from search.lexical import LexicalIndex
        from search.passages import PassageIndex
        from search.query import QueryAnalyzer
        from search.rows import ClauseRows
        from search.tokenize import get_tokenizer
        from search.vectorstore import load_store

        data_dir = Path(data_dir)
        folder = index_folder(data_dir)
        manifest = mf.read(folder)
        tokenizer = get_tokenizer()
        mf.check(manifest, folder, tokenizer, encoder)
        store = ClauseRows(folder, data_dir / "clauses.jsonl")
        text_index = LexicalIndex.load(folder / TEXT_FIELD)
        context_index = LexicalIndex.load(folder / CONTEXT_FIELD)
        # Indexes built before the document field have none: the signal is then zero.
        doc_index = LexicalIndex.load(folder / DOCUMENT_FIELD) if (folder / DOCUMENT_FIELD).exists() else None
        sentence_index = sentence_rows = None
        if (folder / SENTENCE_FIELD).exists():
            sentence_index = LexicalIndex.load(folder / SENTENCE_FIELD)
            sentence_rows = np.load(folder / SENTENCE_FIELD / "sentence_rows.npy", allow_pickle=False)
        dense = load_store(folder, manifest)     # FAISS in the folder, or the Milvus collection it names
        enc = manifest["encoder"]
        if enc["name"] == "lsa":
            from search.encoders.lsa import LSAEncoder

            model = LSAEncoder.load(folder, tokenizer)
        else:
            from search.encoders.sbert import SbertEncoder

            model = SbertEncoder(enc["ref"])
        sizes = {"clause ids": len(store), "BM25": text_index.num_docs, "vectors": len(dense)}
        if len(set(sizes.values())) != 1 or model.dimension != dense.dimension:
            raise mf.IndexMismatch(f"{folder}: parts out of step ({sizes}, encoder dimension {model.dimension}); "
                                   "rebuild with `policykg build`")
        analyzer = QueryAnalyzer(tokenizer, documents=store.documents)
        engine = cls(data_dir, folder, manifest, tokenizer, store, text_index, context_index, dense, model, analyzer)
        engine.doc_index = doc_index
        engine.sentence_index, engine.sentence_rows = sentence_index, sentence_rows
        engine.passages = PassageIndex.load(folder)
        engine.fusion_settings = hybrid.settings_for(enc)
        return engine

    # ------------------------------------------------------------ signals
    def analyze(self, query: str):
        return self.analyzer.analyze(query)

    def _lexical(self, weights: dict[str, float]) -> np.ndarray:
        return self.text_index.scores(weights) + np.float32(CONTEXT_WEIGHT) * self.context_index.scores(weights)

    def _specificity(self, rows: np.ndarray) -> float:
        """How much naming an entity tells: ln(1 + N/df) / ln(1 + N), 1 for a single clause.

        An agency named in three clauses is strong evidence; a broad industry
        whose narrower concepts tag half the corpus is weak."""
        n = len(self.store)
        return float(np.log1p(n / max(len(rows), 1)) / np.log1p(n)) if len(rows) else 0.0

    def _graph_strong(self, a) -> tuple[np.ndarray, np.ndarray, float]:
        """Rows the query's agencies, industries and document numbers point at, their
        graph scores (role or exactness × specificity) and the strongest specificity."""
        st = self.store
        score: np.ndarray | None = None
        best = 0.0

        def add(rows: np.ndarray, weight: float) -> None:
            nonlocal score
            if len(rows):
                if score is None:
                    score = np.zeros(len(st))
                score[rows] += weight     # rows are unique within one posting list

        support = AGENCY_ANY_IF_LEAD_ASKED if a.lead_only else AGENCY_ANY
        for ref in a.agencies:
            any_rows = st.rows_any("agency", ref.names)
            spec = self._specificity(any_rows)
            add(any_rows, support * spec)
            add(st.rows_any("agency_lead", ref.names), (AGENCY_LEAD - support) * spec)
            best = max(best, spec)
        for ind in a.industries:
            linked = st.rows_any("industry", ind.closure)      # the concept or a narrower one
            spec = self._specificity(linked)
            add(linked, INDUSTRY_NARROWER * spec)
            add(st.rows("industry", ind.id), (INDUSTRY_EXACT - INDUSTRY_NARROWER) * spec)
            best = max(best, spec)
        docs = self.analyzer.documents_numbered(a.doc_numbers) if a.doc_numbers else []
        docs = sorted(set(docs) | set(a.doc_titles))
        if docs:
            r = st.doc_rows_of(docs)
            spec = self._specificity(r)
            add(r, DOCUMENT * spec)
            best = max(best, spec)
        if score is None:
            return np.empty(0, np.int64), np.empty(0), 0.0
        rows = np.flatnonzero(score > 0)
        return rows, score[rows], best

    def _graph_weak(self, a, rows: np.ndarray) -> np.ndarray:
        """Region and target-year boosts for candidate rows."""
        out = np.zeros(len(rows))
        if a.regions:
            # a document's region is a full path: 浙江省台州市温岭市 is in 浙江省
            region_of = np.array([any((d["region"] or "").startswith(r) for r in a.regions) for d in self.store.documents])
            out += REGION * region_of[self.store.doc_rows[rows]]
        for y in a.years:
            out += YEAR * _contains(self.store.rows("year", str(y)), rows)
        return out

    # ------------------------------------------------------------ search
    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               fusion: str = hybrid.FUSION, timings: dict[str, float] | None = None) -> list[Hit]:
        """The ``k`` best clauses for ``query``; ``mode`` lexical / dense gives one signal alone.
        ``timings`` (a dict) receives the seconds spent in each stage."""
        clock = _Clock(timings)
        with blas.one_thread():
            return self._search(self.analyzer.analyze(query), k, filters, mode, fusion, clock)

    def search_many(self, queries: Sequence[str], k: int = 10, filters: Filters | None = None,
                    mode: str = "hybrid") -> list[list[Hit]]:
        """:meth:`search` for many queries, the unfiltered FAISS searches done as one batch."""
        analyses = [self.analyzer.analyze(q) for q in queries]
        batched: list = [None] * len(queries)
        if mode != "lexical" and (filters is None or filters.is_empty()) and queries:
            vectors = _encode_queries(self.encoder, [a.text for a in analyses], [a.tokens for a in analyses])
            ids, scores = self.dense.search_batch(vectors, k if mode == "dense" else hybrid.CANDIDATES)
            batched = [(ids[i][ids[i] >= 0], scores[i][ids[i] >= 0]) for i in range(len(queries))]
        with blas.one_thread():
            return [self._search(a, k, filters, mode, hybrid.FUSION, _Clock(None), d) for a, d in zip(analyses, batched)]

    def _search(self, a, k: int, filters: Filters | None, mode: str, fusion: str, clock: "_Clock",
                dense_hits: tuple[np.ndarray, np.ndarray] | None = None) -> list[Hit]:
        """One analysed query; ``dense_hits`` are its unfiltered FAISS results when batched."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        ids = self.store.ids
        allowed = allowed_rows(filters, self.store, self.analyzer)
        clock("analyze")
        if allowed is not None and len(allowed) == 0:
            return []
        deep = max(k * UNIT_DEPTH, k)     # items of one article fold into one hit: fetch more rows than k
        if mode == "lexical":
            lex = self._lexical(a.typed_weights)
            rows, scores = hybrid.top_positive(lex, deep, ids, allowed)
            signals = {"lexical": scores}
            clock("lexical")
        elif mode == "dense":
            q = a.vector = self.encoder.encode_query(a.text, a.tokens)
            rows, scores = dense_hits if dense_hits is not None and allowed is None else self.dense.search(q, deep, allowed)
            rows, scores = hybrid.rank(rows, scores, ids, deep)
            signals = {"dense": scores}
            clock("dense")
        else:
            rows, scores, signals = self._hybrid(a, allowed, fusion, clock, dense_hits)
        units, unit_scores, members = group(rows, scores, self.store.unit_of, ids, k)
        position = {r: i for i, r in enumerate(rows.tolist())}
        best = [position[members[u][0]] for u in units.tolist()]
        unit_signals = {name: dict(zip(units.tolist(), np.asarray(v)[best].tolist())) for name, v in signals.items()}
        hits = self._hits(a, units, unit_scores, unit_signals, members)
        clock("hits")
        return hits

    def _document_scores(self, a) -> np.ndarray | None:
        """How much each document as a whole is about the query (BM25 over whole documents, / the best)."""
        if self.doc_index is None:
            return None
        d = self.doc_index.scores(a.weights)
        top = float(d.max()) if len(d) else 0.0
        return d / top if top > 0 else d

    def _place_scores(self, a) -> np.ndarray | None:
        """How much each document is of the places the query names: 1 for a document of the place or
        inside it (温岭 → 浙江省台州市温岭市), :data:`PLACE_PARENT` for one of an enclosing region (its
        prefecture's or province's rules apply there too), 0 otherwise; None when no place is named."""
        if not a.places:
            return None
        out = np.zeros(len(self.store.documents))
        for d, doc in enumerate(self.store.documents):
            region = doc.get("region") or ""
            if not region or region == NATIONAL:
                continue
            if any(region.startswith(p) for p in a.places):
                out[d] = 1.0
            elif any(p.startswith(region) for p in a.places):
                out[d] = PLACE_PARENT
        return out

    def _sentence_scores(self, a) -> np.ndarray | None:
        """Each clause's best sentence under BM25 over sentences (None for indexes built without them)."""
        if self.sentence_index is None:
            return None
        s = self.sentence_index.scores(a.weights)
        hit = np.flatnonzero(s)
        out = np.zeros(len(self.store), dtype=np.float32)
        np.maximum.at(out, self.sentence_rows[hit], s[hit])
        return out

    def candidates(self, a, allowed=None, depth: int | None = None, clock=None, dense_hits=None) -> dict[str, np.ndarray]:
        """The candidate rows of one analysed query and every signal of each (one array per signal,
        aligned with ``rows``), plus the rank of each row in the lexical and dense rankings."""
        clock = clock or _Clock(None)
        ids = self.store.ids
        n = depth or self.fusion_settings.candidates
        lex = self._lexical(a.weights)
        lex_rows, _ = hybrid.top_positive(lex, n, ids, allowed)
        sent = self._sentence_scores(a)
        if sent is not None:      # a clause whose one sentence matches well is a candidate too
            lex_rows = np.union1d(lex_rows, hybrid.top_positive(sent, n, ids, allowed)[0])
        clock("lexical")
        q = a.vector = self.encoder.encode_query(a.text, a.tokens)
        if dense_hits is not None and allowed is None:
            dense_rows, dense_scores = dense_hits
        else:
            dense_rows, dense_scores = self.dense.search(q, n, allowed)
        dense_rows, dense_scores = hybrid.rank(dense_rows, dense_scores, ids)
        dense_rows = dense_rows[:n]
        use_passages = self.passages is not None and len(self.passages) > 0 and bool(np.any(q))
        passage_rows = np.empty(0, np.int64)
        if use_passages:
            # a long clause whose one passage is close in meaning is a candidate too
            passage_rows = self.passages.nearest_rows(q, n, ids, allowed)[0]
        clock("dense")
        place = self._place_scores(a)
        place_rows = np.empty(0, np.int64)
        if place is not None and (place >= 1).any():
            # the clauses of the documents of the place named that best match, by words and by meaning
            inside = self.store.doc_rows_of(np.flatnonzero(place >= 1))
            if allowed is not None:
                inside = inside[_contains(allowed, inside)]
            if len(inside):
                place_rows = np.union1d(hybrid.top_positive(lex, PLACE_CANDIDATES, ids, inside)[0],
                                        self.dense.search(q, PLACE_CANDIDATES, inside)[0])
        g_rows, g_scores, g_weight = self._graph_strong(a)
        if allowed is not None and len(g_rows):
            keep = _contains(allowed, g_rows)
            g_rows, g_scores = g_rows[keep], g_scores[keep]
        if len(g_rows) > hybrid.GRAPH_CANDIDATES:
            # by graph score, then lexical score (graph scores step by far more than 1e-3)
            best = np.sort(hybrid.rank(g_rows, g_scores * 1e3 + lex[g_rows], ids, hybrid.GRAPH_CANDIDATES)[0])
            g_scores = g_scores[np.searchsorted(g_rows, best)]
            g_rows = best
        cands = np.unique(np.concatenate([lex_rows, dense_rows, passage_rows, place_rows, g_rows]).astype(np.int64))
        graph = np.zeros(len(cands))
        if len(g_rows):
            graph[np.searchsorted(cands, g_rows)] = g_scores
        graph += self._graph_weak(a, cands)
        docs = self._document_scores(a)
        clock("graph")
        big = np.iinfo(np.int64).max
        lex_rank = np.full(len(cands), big)
        lex_order = np.lexsort((lex_rows, -lex[lex_rows])) if len(lex_rows) else lex_rows
        lex_rank[np.searchsorted(cands, lex_rows[lex_order])] = np.arange(1, len(lex_rows) + 1)
        dense_rank = np.full(len(cands), big)
        dense_rank[np.searchsorted(cands, dense_rows)] = np.arange(1, len(dense_rows) + 1)
        passage_rank = np.full(len(cands), big)
        passage_rank[np.searchsorted(cands, passage_rows)] = np.arange(1, len(passage_rows) + 1)
        dense = self.dense.scores_for(cands, q).astype(np.float64) if len(cands) else np.empty(0)
        return {
            "rows": cands, "lexical": lex[cands].astype(np.float64), "dense": dense,
            # the clause's best passage or, for a clause without passages, the clause itself
            "passage": np.maximum(dense, self.passages.best_of_rows(q, cands)) if use_passages else dense.copy(),
            "graph": graph, "document": docs[self.store.doc_rows[cands]] if docs is not None else np.zeros(len(cands)),
            "sentence": sent[cands].astype(np.float64) if sent is not None else np.zeros(len(cands)),
            "place": place[self.store.doc_rows[cands]] if place is not None else np.zeros(len(cands)),
            "annex": np.array([_in_annex(ids[int(r)]) for r in cands], dtype=np.float64),
            "lexical_rank": lex_rank, "dense_rank": dense_rank, "passage_rank": passage_rank,
            "graph_focus": np.array([a.coverage * g_weight]), "graph_weight": np.array([g_weight]),
        }

    def _hybrid(self, a, allowed, fusion: str, clock, dense_hits=None):
        """Every candidate, ranked by fused score, with the signal arrays aligned with the ranking."""
        ids = self.store.ids
        c = self.candidates(a, allowed, None, clock, dense_hits)
        cands = c["rows"]
        if len(cands) == 0:
            return cands, np.empty(0), {}
        if fusion == "rrf":
            graph, lex_c = c["graph"], c["lexical"]
            has = graph > 0   # the graph's ranking: graph score, then lexical score
            graph_list = hybrid.rank(cands[has], graph[has] * 1e3 + lex_c[has], ids)[0]
            lex_list = cands[np.argsort(c["lexical_rank"], kind="stable")][: int((c["lexical_rank"] < 2**62).sum())]
            dense_list = cands[np.argsort(c["dense_rank"], kind="stable")][: int((c["dense_rank"] < 2**62).sum())]
            fused = hybrid.rrf([lex_list, dense_list, graph_list], weights=[1.0, 1.0, float(c["graph_weight"][0])])
            scores = np.array([fused.get(int(r), 0.0) for r in cands])
        elif fusion == "convex":
            scores = hybrid.fuse(c, self.fusion_settings)
        else:
            raise ValueError(f"unknown fusion {fusion!r}")
        if a.document_named >= DOCUMENT_REQUEST:
            # Asked for a document by name: its clauses first (scores shifted above every other), in fused order.
            docs = self.analyzer.documents_numbered(a.doc_numbers) if a.doc_numbers else []
            named = np.isin(self.store.doc_rows[cands], sorted(set(docs) | set(a.doc_titles)))
            scores = scores + named * (float(scores.max() - scores.min()) + 1.0)
        rows, scores = hybrid.rank(cands, scores, ids)
        clock("fuse")
        where = np.searchsorted(cands, rows)
        signals = {name: c[name][where] for name in ("lexical", "dense", "passage", "graph", "document", "sentence")
                   if name in c}
        return rows, scores, signals

    # ------------------------------------------------------------ hits
    def _relevance(self, a, rec: dict[str, Any], signals: dict[str, float]) -> dict[str, Any] | None:
        model = self.fusion_settings.floor
        if model is None or "dense" not in signals:
            return None
        from search import confidence
        from search.build import context_text

        cover = confidence.coverage(a.typed_weights, (rec["text"] + " " + context_text(rec)).lower())
        p = float(confidence.probability(confidence.features(signals, cover, model["features"]), model))
        return {"level": confidence.label(p, model["floor"]), "probability": round(p, 3), "answers": p >= model["floor"]}

    def _unit_record(self, unit: int) -> tuple[dict[str, Any], dict[int, int]]:
        """The record a hit shows for a unit: the clause itself, or a law article whole (its head and
        items joined, the span from the head's start to the last item's end, their mentions together);
        and where each of its clause rows starts in that text."""
        rows = self.store.unit_members(unit).tolist()
        recs = self.store.records(rows)
        if len(recs) == 1:
            return recs[0], {rows[0]: 0}
        starts = np.cumsum([0] + [len(r["text"]) + 1 for r in recs[:-1]]).tolist()
        head = recs[0]
        spans = [r["span"] for r in recs if r.get("span")]
        return {**head, "text": "\n".join(r["text"] for r in recs),
                "span": [spans[0][0], max(e for _, e in spans)] if spans else head.get("span") or [],
                "agencies": [x for r in recs for x in r.get("agencies") or []],
                "targets": [x for r in recs for x in r.get("targets") or []],
                "industries": [x for r in recs for x in r.get("industries") or []]}, dict(zip(rows, starts))

    def _best_sentence(self, a, text: str, row: int, starts: dict[int, int], query) -> dict[str, Any]:
        """The sentence of a hit that answers best: of its best-matching clause (an article's item),
        the passage closest in meaning when the clause has passage vectors, else the sentence holding
        the most of the query's words (the clause itself when it is one sentence)."""
        from search import confidence
        from search.build import sentences

        start = starts.get(row, 0)
        clause = text[start:start + len(self.store.record(row)["text"])] if len(starts) > 1 else text
        span = None
        if query is not None:
            best = self.passages.best_span(query, row)
            span = best[0] if best else None
        if span is None:
            pos, best_cover = 0, -1.0
            for s in sentences(clause, min_chars=1):
                cover = confidence.coverage(a.typed_weights, s.lower())
                if cover > best_cover:
                    span, best_cover = (pos, pos + len(s)), cover
                pos += len(s)
        s, e = span or (0, len(clause))
        return {"text": clause[s:e], "start": start + s, "end": start + e}

    def _hits(self, a, rows: np.ndarray, scores: np.ndarray, signals: dict[str, dict[int, float]],
              members: dict[int, list[int]] | None = None) -> list[Hit]:
        from search.explain import explain

        hits = []
        query = (a.vector if self.passages is not None and a.vector is not None and np.any(a.vector) else None)
        for i, row in enumerate(rows.tolist()):
            rec, starts = self._unit_record(row)
            came_back = (members or {}).get(row, [row])
            matched = [{"clause_id": m["id"], "path": m["path"], "span": m.get("span") or []}
                       for m in self.store.records(came_back)] if len(starts) > 1 else []
            sig = {name: round(s[row], 4) for name, s in signals.items() if row in s}
            relevance = self._relevance(a, rec, sig)
            marked, why = explain(rec, a, sig, self.store.document(row), relevance, matched)
            hits.append(Hit(
                rank=i + 1, clause_id=rec["id"], score=round(float(scores[i]), 6),
                document=rec.get("doc_title") or "", doc_id=rec.get("doc_id") or "",
                doc_number=rec.get("doc_number") or "", region=rec.get("region") or "", path=rec["path"],
                heading=rec.get("heading") or "", parents=list(rec.get("parents") or []), kind=rec.get("kind") or "",
                text=rec["text"], marked=marked, why=why, agencies=rec.get("agencies") or [],
                targets=rec.get("targets") or [], span=rec.get("span") or [], signals=sig, relevance=relevance,
                matched=matched, sentence=self._best_sentence(a, rec["text"], came_back[0], starts, query),
            ))
        return hits


ANNEX = "附件"


def _in_annex(clause_id: str) -> bool:
    """An annex's clause (forms, tables, lists of attachments): its path starts in 附件."""
    return clause_id.partition("#")[2].startswith(ANNEX)


def _encode_queries(encoder, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
    """Many queries at once: with the encoder's query prompt when it has one (e5), else as passages (LSA)."""
    many = getattr(encoder, "encode_queries", None)
    return many(texts) if many else encoder.encode(texts, tokens)


def _contains(sorted_rows: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``: is it in ``sorted_rows`` (ascending)?  Binary search, no sort of the big side."""
    if len(sorted_rows) == 0 or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    pos = np.searchsorted(sorted_rows, rows)
    pos[pos == len(sorted_rows)] = 0
    return sorted_rows[pos] == rows


class _Clock:
    """Adds the time since the previous call to ``timings[stage]`` (no-op without timings)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now
