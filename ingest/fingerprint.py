"""Hashes of code and data files: a build reuses earlier output only when these match."""
from __future__ import annotations

import hashlib
from pathlib import Path

INGEST_ROOT = Path(__file__).resolve().parent
CODE_SUFFIXES = frozenset({".py", ".toml", ".txt", ".json", ".csv", ".tsv", ".ttl", ".rq"})


def files_fingerprint(root: Path, suffixes=CODE_SUFFIXES) -> str:
    """A hash of every file under ``root`` with one of ``suffixes``: names and bytes."""
    digest = hashlib.sha256()
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ingest_fingerprint() -> str:
    """The ingest code and its lexicons, and the user's own regions table (``POLICYKG_REGIONS``):
    when any changes, every file is parsed again."""
    import os

    digest = hashlib.sha256(files_fingerprint(INGEST_ROOT).encode())
    for name in filter(None, os.environ.get("POLICYKG_REGIONS", "").split(os.pathsep)):
        path = Path(name)
        digest.update(path.read_bytes() if path.is_file() else b"missing:" + name.encode())
    return digest.hexdigest()
