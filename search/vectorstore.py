"""Where the clause vectors are searched: FAISS in the data folder (default) or Milvus.

Selected by the build settings (``policykg build --vector-store milvus --milvus-uri …``):

    vector_store       ``faiss`` (default) or ``milvus``
    milvus_uri         a local file ending in ``.db`` (Milvus Lite, in-process) or
                       ``http://host:19530`` (a Milvus server, which scales out)
    milvus_collection  collection name prefix (default ``policykg_clauses``); each build
                       writes a new collection ``<prefix>_v<build version>``

Both backends answer the same calls with the same scores (inner product of
L2-normalised vectors, exact below :data:`search.faiss_index.HNSW_THRESHOLD`):

    search(query, k, rows=None)   the k nearest rows, restricted to ``rows`` when given
    search_batch(queries, k)      unfiltered, many queries at once (ids -1 pad short rows)
    scores_for(rows, query)       exact scores of given rows (from ``vectors.npy``)

``dense/vectors.npy`` stays in the data folder with either backend, row i =
clause row i (``ids.txt``): it scores the fused candidates exactly, and a data
folder can be indexed again without re-encoding.  The index manifest records
the backend (``vector_store``: backend, uri, collection, index type) and
loading checks that it is reachable and holds as many vectors as there are
clause rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from search.vector_common import EXTRA, SERVER_SCHEMES, VectorStoreError, is_server  # noqa: F401  (as before)

BACKENDS = ("faiss", "milvus")
DEFAULT_BACKEND = "faiss"
DEFAULT_COLLECTION = "policykg_clauses"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,199}")


class VectorStore(Protocol):
    kind: str

    @property
    def dimension(self) -> int: ...

    def __len__(self) -> int: ...

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def scores_for(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class StoreSettings:
    backend: str = DEFAULT_BACKEND
    uri: str | None = None
    collection: str = DEFAULT_COLLECTION

    @classmethod
    def from_settings(cls, settings: dict | None) -> "StoreSettings":
        """Read and check the ``vector_store`` / ``milvus_*`` build settings (ValueError names the problem)."""
        s = settings or {}
        backend = s.get("vector_store") or DEFAULT_BACKEND
        uri, collection = s.get("milvus_uri"), s.get("milvus_collection") or DEFAULT_COLLECTION
        if backend not in BACKENDS:
            raise ValueError(f"unknown vector store {backend!r}; use one of {', '.join(BACKENDS)}")
        if backend == "faiss":
            if uri or s.get("milvus_collection"):
                raise ValueError("--milvus-uri / --milvus-collection need --vector-store milvus")
            return cls()
        if not uri:
            raise ValueError("--vector-store milvus needs --milvus-uri: a local file ending in .db "
                             "(Milvus Lite) or a server address such as http://localhost:19530")
        if not _NAME.fullmatch(collection):
            raise ValueError(f"milvus collection {collection!r}: letters, digits and _ only, "
                             "not starting with a digit, at most 200 characters")
        return cls("milvus", normalize_uri(uri), collection)

    def to_settings(self) -> dict[str, str]:
        """The build settings for these choices (nothing for the default)."""
        if self.backend == DEFAULT_BACKEND:
            return {}
        return {"vector_store": self.backend, "milvus_uri": self.uri, "milvus_collection": self.collection}


def normalize_uri(uri: str) -> str:
    """A server address as given; a Milvus Lite file as an absolute path (builds started
    from the app, in another working directory, must find the same file)."""
    if is_server(uri):
        return uri
    path = Path(uri).expanduser()
    if path.suffix != ".db":
        raise ValueError(f"milvus uri {uri!r}: a Milvus Lite file must end in .db; "
                         "a server address starts with http:// (e.g. http://localhost:19530)")
    if not path.parent.is_dir():
        raise ValueError(f"milvus uri {uri!r}: the folder {path.parent.absolute()} does not exist")
    return str(path.absolute())


def options_to_settings(vector_store: str | None, milvus_uri: str | None, milvus_collection: str | None) -> dict[str, str]:
    """The command-line options as build settings (ValueError names what is wrong)."""
    return StoreSettings.from_settings({"vector_store": vector_store, "milvus_uri": milvus_uri,
                                        "milvus_collection": milvus_collection}).to_settings()


def build_store(vectors: np.ndarray, settings: dict | None, data_dir: Path) -> VectorStore:
    """Index ``vectors`` (row i = clause row i) in the configured backend.

    Milvus: a new collection named after the build version; call :func:`discard`
    if the build fails and :func:`release_old` once the new index is published."""
    s = StoreSettings.from_settings(settings)
    if s.backend == "milvus":
        from search.milvus import MilvusIndex

        return MilvusIndex.build(vectors, s.uri, s.collection, data_dir)
    from search.faiss_index import DenseIndex

    return DenseIndex.build(vectors)


def check(settings: dict | None, data_dir: Path | None = None) -> None:
    """:class:`VectorStoreError` when the settings are wrong or name a store that cannot be
    reached, or (given the folder being built) a Milvus Lite file that a later build would prune."""
    try:
        s = StoreSettings.from_settings(settings)
    except ValueError as err:
        raise VectorStoreError(str(err)) from None
    if s.backend == "milvus":
        from search.milvus import check_location, connect

        if data_dir is not None:
            check_location(s.uri, Path(data_dir))
        connect(s.uri)


def load_store(folder: Path, manifest: dict[str, Any]) -> VectorStore:
    """The vector store an index manifest names (FAISS when it names none: older indexes)."""
    info = manifest.get("vector_store") or {"backend": "faiss"}
    if info.get("backend") == "milvus":
        from search.milvus import MilvusIndex

        return MilvusIndex.load(folder, info)
    if info.get("backend") != "faiss":
        raise VectorStoreError(f"{folder}: unknown vector store {info.get('backend')!r} in the index manifest; "
                               "rebuild with `policykg build`")
    from search.faiss_index import DenseIndex

    return DenseIndex.load(folder)


def discard(store: VectorStore) -> None:
    """Drop what a failed build wrote outside the data folder (a Milvus collection)."""
    drop = getattr(store, "drop", None)
    if drop is not None:
        drop()


def release_old(store: VectorStore, data_dir: Path) -> list[str]:
    """After publishing: drop this data folder's collections that no published version uses any more."""
    release = getattr(store, "release_old", None)
    return release(data_dir) if release is not None else []
