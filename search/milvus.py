"""Milvus as the vector store: one collection per build, through pymilvus's ``MilvusClient``.

``uri`` is a local file ending in ``.db`` (Milvus Lite: the same client API,
served in-process; one process at a time may open a file) or a server
address such as ``http://localhost:19530`` (Milvus standalone or a cluster,
which scales out).  The collection holds two fields:

    row     INT64 primary key: the clause row (line of ids.txt, row of vectors.npy)
    vector  FLOAT_VECTOR, L2-normalised, metric IP (inner product = cosine)

indexed ``FLAT`` below :data:`search.faiss_index.HNSW_THRESHOLD` vectors and
``HNSW`` from there, with FAISS's parameters, so both backends give the same
scores.  A filter (the sorted rows it allows) goes to Milvus as a ``filter``
expression on ``row`` (:func:`row_filter`), evaluated before the vector
search, so the k results are the k best allowed rows, exactly as FAISS's ID
selector gives them; a filter allowing many scattered rows is applied after
an over-fetching search instead (:meth:`MilvusIndex.search`).  Measured with
Milvus Lite 3.2.2, 100k vectors of d=256, k=10 and 100: an expression costs
45 ms for 1 % of the rows scattered (5.9k characters) up to 200 ms for 50 %
(294k characters: parsing dominates); the unfiltered over-fetch 125-135 ms
at any share, but it needs 2k/share rows.  Same top 10 as FAISS either way.

Publishing: each build writes a new collection ``<prefix>_v<build version>``,
tagged with the data folder it belongs to; the index manifest names it.
After the new index is in place, :meth:`MilvusIndex.release_old` drops this
data folder's collections that no version on disk names any more: the
previous version (kept by ``policykg build`` beside the current one) stays
searchable until a later build prunes its folder.
"""
from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from search.faiss_index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, index_kind
from search.vector_common import EXTRA, VectorStoreError, is_server

ROW, VECTOR = "row", "vector"
OWNER = "policykg.data_folder"     # collection property: which data folder wrote it
INSERT_BYTES = 16 << 20            # vectors per insert call: well under gRPC's 64 MB message limit
CONNECT_TIMEOUT = 10.0             # seconds
CONNECT_ATTEMPTS = 3
RUN_MIN = 16                       # consecutive rows written as a range in a filter, not listed
POST_FILTER_SHARE = 0.25           # a filter allowing at least this share of the rows, whose expression
POST_FILTER_CHARS = 20_000         # is longer than this, is applied after an over-fetching search (measured)
MAX_LIMIT = 16_384                 # the largest ``limit`` Milvus accepts

_BUILD_DIR = re.compile(r"(?:tmp|v)-(\d{8}T\d{6})-([0-9a-f]{8})")


def _pymilvus():
    try:
        import pymilvus
    except ImportError as err:
        raise VectorStoreError(
            f"the Milvus vector store needs pymilvus ({err}); install the extra: pip install 'policykg[{EXTRA}]'"
        ) from None
    return pymilvus


def connect(uri: str):
    """The process's ``MilvusClient`` for ``uri``, or :class:`VectorStoreError` saying why there is none.

    One client per address, kept: pymilvus health-checks a shared connection
    that has been idle for 30 s when a *new* client asks for it, and with
    Milvus Lite serving from a thread of a busy process (a build encoding
    for a minute) that check was seen to fail; the kept client's calls go
    through pymilvus's own retries instead.  A failed first connection is
    tried :data:`CONNECT_ATTEMPTS` times."""
    with _clients_lock:
        client = _clients.get(uri)
    if client is None:
        client = _connect(uri)
        with _clients_lock:
            client = _clients.setdefault(uri, client)
    return client


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _connect(uri: str):
    pymilvus = _pymilvus()
    if not is_server(uri):
        try:
            import milvus_lite  # noqa: F401
        except ImportError as err:
            raise VectorStoreError(
                f"a local Milvus file ({uri}) needs milvus-lite ({err}); install the extra: "
                f"pip install 'policykg[{EXTRA}]', or give a server address (http://host:19530)") from None
    for attempt in range(CONNECT_ATTEMPTS):
        lite_errors = _LiteErrors()
        try:
            with lite_errors:
                return pymilvus.MilvusClient(uri=uri, timeout=CONNECT_TIMEOUT)
        except Exception as err:  # pymilvus raises MilvusException subclasses, grpc its own
            reason = lite_errors.reason or getattr(err, "message", None) or str(err) or type(err).__name__
            if "lock" in reason or attempt == CONNECT_ATTEMPTS - 1:
                break
            time.sleep(0.5 * (attempt + 1))
    if is_server(uri):
        hint = "is the server running, and is this its gRPC port (default 19530)?"
    elif "lock" in reason:
        hint = ("Milvus Lite opens a file in one process at a time: stop the other process (the app, "
                "another build), or share the vectors through a Milvus server (http://host:19530).")
    else:
        hint = "is it a Milvus Lite folder written by this milvus-lite version?"
    raise VectorStoreError(f"cannot open Milvus at {uri}: {reason}\n{hint}")


class _LiteErrors(logging.Handler):
    """While active, keeps Milvus Lite's start-up error (which it logs with a traceback
    and then hides behind "Open local milvus failed") for our message instead."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.reason = ""
        self._log = logging.getLogger("milvus_lite.server_manager")

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.reason = str(record.exc_info[1])

    def __enter__(self) -> "_LiteErrors":
        self._propagate = self._log.propagate
        self._log.addHandler(self)
        self._log.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        self._log.removeHandler(self)
        self._log.propagate = self._propagate


def row_filter(rows: np.ndarray) -> str:
    """A Milvus boolean expression true on exactly ``rows`` (sorted, unique).

    Runs of at least :data:`RUN_MIN` consecutive rows (the clauses of one
    document are consecutive, so document, region and issuer filters are a
    few runs) become ranges; the rest one ``row in [...]`` list."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return f"{ROW} < 0"
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(rows)]])
    long = (ends - starts) >= RUN_MIN
    parts = [f"({ROW} >= {rows[s]} and {ROW} <= {rows[e - 1]})" for s, e in zip(starts[long], ends[long])]
    singles = np.concatenate([rows[s:e] for s, e in zip(starts[~long], ends[~long])] or [np.empty(0, np.int64)])
    if len(singles):
        parts.append(f"{ROW} in [{','.join(map(str, singles.tolist()))}]")
    return " or ".join(parts)


def build_version(data_dir: Path) -> str:
    """``v<date>T<time>_<id>``: the build's own version when ``data_dir`` is a build's
    staging folder (``tmp-…`` / ``v-…``), a fresh one otherwise."""
    m = _BUILD_DIR.fullmatch(Path(data_dir).name)
    if m:
        return f"v{m[1]}_{m[2]}"
    return f"v{time.strftime('%Y%m%dT%H%M%S')}_{uuid.uuid4().hex[:8]}"


def data_home(data_dir: Path) -> Path:
    """The folder whose versions share collections: ``.<out>.versions`` for a build's
    staging folder, else the data folder itself."""
    data_dir = Path(data_dir).absolute()
    parent = data_dir.parent
    return parent if parent.name.startswith(".") and parent.name.endswith(".versions") else data_dir


def check_location(uri: str, data_dir: Path) -> None:
    """Refuse a Milvus Lite file inside a data version (``--milvus-uri data/x.db`` goes through
    the ``data`` link into the current version, which a later build replaces and prunes)."""
    from search.manifest import INDEX_DIR

    if is_server(uri):
        return
    home, path, data_dir = data_home(data_dir).resolve(), Path(uri).resolve(), Path(data_dir).resolve()
    if home == data_dir:        # a plain data folder: only its index folder is replaced
        inside = path.is_relative_to(data_dir / INDEX_DIR)
    else:                       # a build's staging folder: every version is replaced in turn
        inside = path.is_relative_to(home) and bool(_BUILD_DIR.fullmatch(path.relative_to(home).parts[0]))
    if inside:
        raise VectorStoreError(f"the Milvus Lite file {uri} is inside a data folder version ({path.parent}), "
                               "which a later build replaces; keep it beside the data folder, e.g. "
                               f"{home.parent / 'vectors.db'}")


def owner_tag(home: Path) -> str:
    return f"{socket.gethostname()}:{home}"


class MilvusIndex:
    FOLDER = "dense"        # vectors.npy stays in the data folder, row-aligned with ids.txt

    def __init__(self, client, uri: str, collection: str, prefix: str, kind: str, vectors: np.ndarray) -> None:
        self.client = client
        self.uri = uri
        self.collection = collection
        self.prefix = prefix
        self.kind = kind
        self.vectors = vectors

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def describe(self) -> dict[str, Any]:
        return {"backend": "milvus", "uri": self.uri, "collection": self.collection, "prefix": self.prefix,
                "index": self.kind, "metric": "IP", "vectors": len(self), "pymilvus": _pymilvus().__version__}

    # ------------------------------------------------------------ build
    @classmethod
    def build(cls, vectors: np.ndarray, uri: str, prefix: str, data_dir: Path) -> "MilvusIndex":
        """A new collection ``<prefix>_<build version>`` holding ``vectors`` (row i has id i)."""
        pymilvus = _pymilvus()
        client = connect(uri)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, d = vectors.shape
        name = f"{prefix}_{build_version(data_dir)}"
        if client.has_collection(name):
            raise VectorStoreError(f"Milvus at {uri} already has a collection {name}; build again")
        kind = "HNSW" if index_kind(n) == "hnsw" else "FLAT"
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field(ROW, pymilvus.DataType.INT64, is_primary=True)
        schema.add_field(VECTOR, pymilvus.DataType.FLOAT_VECTOR, dim=d)
        params = client.prepare_index_params()
        params.add_index(field_name=VECTOR, index_type=kind, metric_type="IP",
                         params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION} if kind == "HNSW" else {})
        client.create_collection(name, schema=schema, index_params=params,
                                 properties={OWNER: owner_tag(data_home(data_dir))})
        index = cls(client, uri, name, prefix, kind, vectors)
        try:
            step = max(1, INSERT_BYTES // (4 * d))
            for start in range(0, n, step):
                client.insert(name, [{ROW: i, VECTOR: vectors[i]} for i in range(start, min(n, start + step))])
            client.flush(name)
            client.load_collection(name)
        except BaseException:
            index.drop()
            raise
        return index

    def save(self, folder: Path) -> None:
        d = Path(folder) / self.FOLDER
        d.mkdir(parents=True, exist_ok=True)
        np.save(d / "vectors.npy", self.vectors, allow_pickle=False)

    def drop(self) -> None:
        """Drop this collection (best effort: a failed build must not fail twice)."""
        try:
            self.client.drop_collection(self.collection)
        except Exception:
            pass

    def release_old(self, data_dir: Path) -> list[str]:
        """Drop the collections of this data folder (same prefix and owner tag) that no
        index manifest under it names any more; returns their names."""
        home = data_home(data_dir)
        keep = {self.collection}
        for manifest in [home / "search" / "manifest.json", *home.glob("*/search/manifest.json")]:
            try:
                info = json.loads(manifest.read_text(encoding="utf-8")).get("vector_store") or {}
            except (OSError, ValueError):
                continue
            if info.get("uri") == self.uri and info.get("collection"):
                keep.add(info["collection"])
        mine, dropped = owner_tag(home), []
        for name in self.client.list_collections():
            if name in keep or not name.startswith(f"{self.prefix}_v"):
                continue
            if (self.client.describe_collection(name).get("properties") or {}).get(OWNER) == mine:
                self.client.drop_collection(name)
                dropped.append(name)
        return dropped

    # ------------------------------------------------------------ load
    @classmethod
    def load(cls, folder: Path, info: dict[str, Any]) -> "MilvusIndex":
        """The collection an index manifest names; :class:`VectorStoreError` when it cannot be used."""
        uri, name = info.get("uri") or "", info.get("collection") or ""
        where = f"the search index in {folder} keeps its vectors in the Milvus collection {name} at {uri}"
        try:
            _pymilvus()
        except VectorStoreError as err:
            raise VectorStoreError(f"{where}; {err}") from None
        if not is_server(uri) and not Path(uri).exists():
            raise VectorStoreError(f"{where}, and that Milvus Lite file does not exist (moved or deleted?).\n"
                                   "Restore it, or rebuild: policykg build --out <data folder> [--vector-store …]")
        try:
            client = connect(uri)
        except VectorStoreError as err:
            raise VectorStoreError(f"{where}, which cannot be reached:\n{err}") from None
        if not client.has_collection(name):
            raise VectorStoreError(f"{where}, and it has no such collection (dropped?).\n"
                                   "Rebuild: policykg build --out <data folder> [--vector-store …]")
        client.load_collection(name)
        vectors = np.load(Path(folder) / cls.FOLDER / "vectors.npy", mmap_mode="r", allow_pickle=False)
        count = int(client.get_collection_stats(name).get("row_count", -1))
        if count != len(vectors):
            raise VectorStoreError(f"{where}; it holds {count} vectors but vectors.npy {len(vectors)}; "
                                   "rebuild with `policykg build`")
        return cls(client, uri, name, info.get("prefix") or name.rsplit("_v", 1)[0], info.get("index") or "FLAT",
                   vectors)

    # ------------------------------------------------------------ search
    def _params(self, k: int) -> dict[str, Any]:
        return {"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, k)} if self.kind == "HNSW" else {}}

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows and their scores, restricted to ``rows`` when given.

        The restriction is a filter expression evaluated before the vector
        search.  A long expression (many scattered rows) for a filter that
        allows a large share of the rows costs more to send and parse than
        the search itself: then the search fetches ``2k / share`` rows
        unfiltered and keeps the allowed ones, which with an exact index are
        exactly the best allowed rows when at least ``k`` remain (else the
        expression is used after all)."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        k = min(k, len(self) if rows is None else len(rows))
        if k <= 0 or not q.any():    # a query the encoder has no features for is near nothing
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if rows is None or len(rows) == len(self):
            return self._search(q, k)
        rows = np.unique(rows)
        expr, share = row_filter(rows), len(rows) / len(self)
        fetch = int(np.ceil(2 * k / share))
        if share >= POST_FILTER_SHARE and len(expr) > POST_FILTER_CHARS and fetch <= MAX_LIMIT:
            ids, scores = self._search(q, fetch)
            pos = np.minimum(np.searchsorted(rows, ids), len(rows) - 1)
            keep = rows[pos] == ids
            if keep.sum() >= k:
                return ids[keep][:k], scores[keep][:k]
        return self._search(q, k, expr)

    def _search(self, q: np.ndarray, k: int, expr: str = "") -> tuple[np.ndarray, np.ndarray]:
        hits = self.client.search(self.collection, data=[q.tolist()], limit=k, filter=expr,
                                  output_fields=[ROW], search_params=self._params(k))
        return _arrays(hits[0])

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Unfiltered search of many queries in one call (ids, scores: one row per query, -1 padded)."""
        q = np.asarray(queries, dtype=np.float32)
        k = min(k, len(self))
        ids = np.full((len(q), k), -1, dtype=np.int64)
        scores = np.zeros((len(q), k), dtype=np.float32)
        if len(q) and k > 0:
            hits = self.client.search(self.collection, data=q.tolist(), limit=k, output_fields=[ROW],
                                      search_params=self._params(k))
            for i, h in enumerate(hits):
                r, s = _arrays(h)
                ids[i, :len(r)], scores[i, :len(s)] = r, s
        return ids, scores

    def scores_for(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact inner products of ``query`` with the given rows (from ``vectors.npy``)."""
        if len(rows) == 0:
            return np.empty(0, np.float32)
        return np.asarray(self.vectors[rows] @ np.asarray(query, dtype=np.float32), dtype=np.float32)


def _arrays(hits) -> tuple[np.ndarray, np.ndarray]:
    ids = getattr(hits, "ids", None)
    if ids is None:
        ids, scores = [h[ROW] for h in hits], [h["distance"] for h in hits]
    else:
        scores = hits.distances
    return np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float32)
