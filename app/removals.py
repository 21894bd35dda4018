"""Documents taken out of a data folder, and kept out of its later builds.

A document uploaded through the app lives in the data folder's uploads
folder: removing it moves that file to ``removed/`` beside it.  A document of
the corpus folder is the user's file, which the app never deletes: it is
listed by content hash in ``removed.json`` and every later build of the same
data folder leaves it out (:func:`skip_removed`).  Either way the data
folder is then rebuilt and published atomically, as for an upload.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path


def versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def removed_list(out: Path) -> Path:
    return versions_dir(out) / "removed.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def removed_hashes(out: Path) -> dict[str, dict]:
    """Content hash → ``{"doc_id", "title", "file", "removed_at"}`` of the corpus files left out of ``out``."""
    path = removed_list(out)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("hashes", {})
    except (OSError, ValueError) as err:
        raise ValueError(f"{path}: unreadable list of removed documents ({err})") from None


def skip_removed(files: list[Path], out: Path) -> list[Path]:
    """``files`` without those whose content was removed from ``out``."""
    gone = removed_hashes(out.absolute())
    if not gone:
        return files
    return [f for f in files if _sha256(f) not in gone]


def leave_out(out: Path, source: Path, doc_id: str, title: str) -> str:
    """Keep ``source`` (a corpus file) out of later builds of ``out``; returns its content hash."""
    out = out.absolute()
    digest = _sha256(source)
    hashes = removed_hashes(out)
    hashes[digest] = {"doc_id": doc_id, "title": title, "file": source.name, "removed_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    _write_json(removed_list(out), {"hashes": hashes})
    return digest


def take_back(out: Path, digest: str) -> None:
    """Undo :func:`leave_out` (a failed rebuild must not leave the file excluded)."""
    out = out.absolute()
    hashes = removed_hashes(out)
    if hashes.pop(digest, None) is not None:
        _write_json(removed_list(out), {"hashes": hashes})


def _write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
