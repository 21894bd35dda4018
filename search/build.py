"""Build the search indexes of a data folder: ``clauses.jsonl`` → ``search/``.

One read of the clause table feeds everything, row i being the i-th line:

* the lexical index: BM25 over the clause text, a second, lightly
  weighted BM25 over its context (parent headings and document title), and
  a third over whole documents (a question naming a place, a kind of
  beneficiary or a topic that the document as a whole is about), and a
  fourth over single sentences (most answers are one sentence of a longer
  clause, which BM25's length normalisation would otherwise hold back);
* the dense index: each clause text encoded (LSA fitted on the corpus first,
  or a local sentence-transformers model) into FAISS, or into a Milvus
  collection when the settings say so (:mod:`search.vectorstore`), and the
  passages of long clauses encoded beside it (:mod:`search.passages`);
* the row store: ids, byte offsets, documents and facet postings (agencies,
  industries, measures, target years) for filters and graph signals.

The folder is written beside its final place and swapped in with
``os.replace``; its manifest records the tokenizer, encoder and libraries.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from search.manifest import INDEX_DIR

TEXT_FIELD = "bm25"            # folder of the BM25 index over clause texts
CONTEXT_FIELD = "bm25_context"  # … over parent headings + document title
DOCUMENT_FIELD = "bm25_docs"    # … over whole documents (one row per document): what a document is about
SENTENCE_FIELD = "bm25_sentences"  # … over the sentences of clauses (sentence_rows.npy: the clause of each)
ENCODE_BATCH = 2048

_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def index_folder(data_dir: Path) -> Path:
    return Path(data_dir) / INDEX_DIR


def sentences(text: str, min_chars: int = 5) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if len(s) >= min_chars]


def context_text(clause: dict[str, Any]) -> str:
    """What a clause inherits from where it stands: parent headings, document title."""
    return " ".join([*clause.get("parents", []), clause.get("doc_title") or ""])


def dense_text(clause: dict[str, Any]) -> str:
    """What the dense encoder reads: the parent headings, then the clause text.

    Measured on the development queries, LSA dense-only: MRR@10 0.917 for the
    text alone, 0.935 with the headings (the fit stays on texts + sentences)."""
    parents = " ".join(clause.get("parents") or [])
    return f"{parents}。{clause['text']}" if parents else clause["text"]


def read_rows(clauses_file: Path) -> Iterator[tuple[int, bytes]]:
    """(byte offset, raw line) of every clause line."""
    offset = 0
    with open(clauses_file, "rb") as f:
        for line in f:
            if line.strip():
                yield offset, line
            offset += len(line)


def fitting_units(texts: list[str]) -> list[str]:
    """Rows the LSA is fitted on: each clause, and each of its sentences."""
    return texts + [s for t in texts for s in sentences(t) if s != t]


def document_stream(clauses, doc_rows: np.ndarray):
    """The token stream of whole documents (row d = document d) from the clause stream: a
    document's tokens are its clauses' tokens, so nothing is tokenised twice."""
    from search.lexical import TokenStream

    lengths = np.frombuffer(clauses.lengths, dtype=np.int32)
    ids = np.frombuffer(clauses.ids, dtype=np.int32)
    if len(doc_rows) and np.any(np.diff(doc_rows) < 0):      # a document's clauses apart: gather them
        order = np.argsort(doc_rows, kind="stable")
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        ids = np.concatenate([ids[starts[r]:starts[r] + lengths[r]] for r in order]) if len(order) else ids
    out = TokenStream()
    out.vocab = clauses.vocab
    out.ids.frombytes(np.ascontiguousarray(ids, dtype=np.int32).tobytes())
    n_docs = int(doc_rows.max()) + 1 if len(doc_rows) else 0
    out.lengths.frombytes(np.bincount(doc_rows, weights=lengths, minlength=n_docs).astype(np.int32).tobytes())
    return out


def make_encoder(ref: str, clauses_file: Path, n_rows: int, tokenizer, progress: Callable[[str], None]):
    """The encoder named by ``ref``: LSA fitted on (a sample of) the clauses, or a local model."""
    from search.encoders import is_builtin

    if not is_builtin(ref):
        from search.encoders.sbert import SbertEncoder

        return SbertEncoder(ref)
    from search.encoders.lsa import FIT_SAMPLE, LSAEncoder

    step = max(1, -(-n_rows // FIT_SAMPLE))
    texts = [json.loads(line)["text"] for i, (_, line) in enumerate(read_rows(clauses_file)) if i % step == 0]
    units = fitting_units(texts)
    progress(f"    fitting LSA on {len(texts)} clauses ({len(units)} units)")
    return LSAEncoder.fit(units, tokenizer=tokenizer)


def build_indexes(data_dir: Path, settings: dict | None = None,
                  progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Build ``<data_dir>/search`` from ``<data_dir>/clauses.jsonl``; returns a summary for the build manifest."""
    from search import manifest, passages, vectorstore
    from search.encoders import encoder_name
    from search.lexical import LexicalIndex, TokenStream
    from search.rows import RowsBuilder
    from search.tokenize import RULES_VERSION, get_tokenizer

    started = time.perf_counter()
    data_dir = Path(data_dir)
    clauses_file = data_dir / "clauses.jsonl"
    vectorstore.check(settings, data_dir)       # settings valid, store reachable: before the encoding work
    checked = time.perf_counter()
    tokenizer = get_tokenizer()
    ref = encoder_name(settings)
    n_rows = sum(1 for _ in read_rows(clauses_file))
    encoder = make_encoder(ref, clauses_file, n_rows, tokenizer, progress)
    timings = {"encoder_fit": time.perf_counter() - checked}

    store = RowsBuilder()
    text_stream, context_stream, sentence_stream = TokenStream(), TokenStream(), TokenStream()
    sentence_rows = array("i")
    parents_cache: dict[tuple[str, ...], list[str]] = {}
    title_cache: dict[str, list[str]] = {}
    vectors = np.empty((n_rows, encoder.dimension), dtype=np.float32)
    batch_texts: list[str] = []
    batch_tokens: list[list[str]] = []
    done = 0

    def flush() -> None:
        nonlocal done
        if batch_texts:
            vectors[done:done + len(batch_texts)] = encoder.encode(batch_texts, batch_tokens)
            done += len(batch_texts)
            batch_texts.clear()
            batch_tokens.clear()

    for row, (offset, line) in enumerate(read_rows(clauses_file)):
        clause = json.loads(line)
        store.add(clause, offset)
        tokens = tokenizer.tokens(tokenizer.fold(clause["text"]), normalized=True)
        text_stream.add(tokens)
        parts = sentences(clause["text"])
        if len(parts) > 1:
            for part in parts:
                sentence_stream.add(tokenizer.tokens(tokenizer.fold(part), normalized=True))
                sentence_rows.append(row)
        else:                      # one sentence: the clause's own tokens
            sentence_stream.add(tokens)
            sentence_rows.append(row)
        parents = tuple(clause.get("parents") or ())
        if parents not in parents_cache:
            parents_cache[parents] = tokenizer.tokens(tokenizer.fold(" ".join(parents)), normalized=True)
        title = clause.get("doc_title") or ""
        if title not in title_cache:
            title_cache[title] = tokenizer.tokens(tokenizer.fold(title), normalized=True)
        context_stream.add(parents_cache[parents] + title_cache[title])
        batch_texts.append(dense_text(clause))
        batch_tokens.append(parents_cache[parents] + tokens)
        if len(batch_texts) >= ENCODE_BATCH:
            flush()
            if row % 100_000 < ENCODE_BATCH:
                progress(f"    {row + 1}/{n_rows} clauses")
    flush()
    del parents_cache, title_cache
    timings["tokenize_encode"] = time.perf_counter() - checked - timings["encoder_fit"]

    final = index_folder(data_dir)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    dense = None
    try:
        t0 = time.perf_counter()
        store.save(tmp)
        store_doc_rows = store.doc_rows
        del store
        LexicalIndex.build(document_stream(text_stream, np.frombuffer(store_doc_rows, dtype=np.int32))
                           ).save(tmp / DOCUMENT_FIELD)
        LexicalIndex.build(sentence_stream).save(tmp / SENTENCE_FIELD)
        np.save(tmp / SENTENCE_FIELD / "sentence_rows.npy", np.frombuffer(sentence_rows, dtype=np.int32),
                allow_pickle=False)
        del sentence_stream, sentence_rows
        text_index = LexicalIndex.build(text_stream)
        del text_stream
        text_index.save(tmp / TEXT_FIELD)
        context_index = LexicalIndex.build(context_stream)
        del context_stream
        context_index.save(tmp / CONTEXT_FIELD)
        timings["lexical"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        dense = vectorstore.build_store(vectors, settings, data_dir)
        dense.save(tmp)
        encoder.save(tmp)
        timings["dense"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        passage_info = passages.build(tmp, ((row, json.loads(line)) for row, (_, line) in enumerate(read_rows(clauses_file))),
                                      encoder, lambda c: " ".join(c.get("parents") or []), progress)
        timings["passages"] = time.perf_counter() - t0
        store_info = dense.describe()
        info = manifest.write(
            tmp,
            clauses=n_rows,
            encoder=encoder.describe(),
            dimension=encoder.dimension,
            normalization="l2",
            metric="inner_product",
            faiss_index=store_info["index"] if store_info["backend"] == "faiss" else None,
            vector_store=store_info,
            passages={**passage_info, "per_clause": round(passage_info["passages"] / max(n_rows, 1), 3)},
            lexical={"method": "lucene", "k1": text_index.retriever.k1, "b": text_index.retriever.b,
                     "fields": {TEXT_FIELD: "clause text", CONTEXT_FIELD: "parent headings + document title",
                                DOCUMENT_FIELD: "whole documents (one row per document)",
                                SENTENCE_FIELD: "sentences of clauses (sentence_rows.npy: the clause row of each)"},
                     "vocabulary": len(text_index.vocab)},
            tokenizer={"jieba": tokenizer.jieba_version, "userdict_hash": tokenizer.userdict_hash,
                       "user_words": len(tokenizer.user_words), "rules": RULES_VERSION},
            libraries=manifest.library_versions(),
            seconds={k: round(v, 2) for k, v in timings.items()},
        )
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
            os.replace(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if dense is not None:
            vectorstore.discard(dense)
        raise
    try:
        dropped = vectorstore.release_old(dense, data_dir)
        if dropped:
            progress(f"    dropped vector collections no version uses any more: {', '.join(dropped)}")
    except Exception as err:    # the new index is in place; a leftover collection goes at the next build
        progress(f"    warning: could not drop old vector collections: {err}")
    return {
        "folder": INDEX_DIR, "clauses": n_rows, "encoder": info["encoder"]["ref"], "dimension": encoder.dimension,
        "faiss_index": info["faiss_index"], "vector_store": info["vector_store"],
        "userdict_hash": tokenizer.userdict_hash,
        "seconds": round(time.perf_counter() - started, 2),
    }
