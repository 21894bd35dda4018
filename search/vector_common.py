"""What the vector store and its backends share: its error, its install extra, a server address told from a file.

Kept apart from :mod:`search.vectorstore` (which picks a backend) so that a
backend (:mod:`search.milvus`) imports this and the picker imports the backend,
never the other way round.
"""
from __future__ import annotations

from urllib.parse import urlparse

from search.manifest import IndexMismatch

EXTRA = "milvus"               # pip install 'policykg[milvus]'
SERVER_SCHEMES = ("http", "https", "tcp", "unix")


class VectorStoreError(IndexMismatch):
    """The vector store named in the settings or in an index manifest cannot be used
    (library missing, server or file unreachable, collection gone).  An
    :class:`IndexMismatch`, so whatever reports a refused index reports this too."""


def is_server(uri: str) -> bool:
    return urlparse(uri).scheme.lower() in SERVER_SCHEMES
