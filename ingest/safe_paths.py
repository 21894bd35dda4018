"""Document ids that are safe to use as file names, and paths that stay inside their folder.

A document id becomes ``documents/<id>.json`` and ``sources/<id>.txt``, whether
it was derived from the text, given by a sidecar or by an upload, or asked for
by a reader.  :func:`check_document_id` admits only a short run of letters,
digits, Chinese characters, ``-``, ``_`` and ``.`` (no ``/``, no ``..``, no
leading dot), and :func:`inside` checks that a path really lies in its folder
(after resolving links) before anything is read or written there.
"""
from __future__ import annotations

import re
from pathlib import Path

MAX_ID_LENGTH = 100
_ID = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]*")


class UnsafePath(ValueError):
    """A document id or path that would leave its folder, or is not a usable file name."""


def check_document_id(doc_id: object) -> str:
    """``doc_id`` itself when safe; :class:`UnsafePath` saying why not."""
    if not isinstance(doc_id, str) or not doc_id:
        raise UnsafePath(f"document id {doc_id!r} must be a non-empty string")
    if len(doc_id) > MAX_ID_LENGTH:
        raise UnsafePath(f"document id {doc_id[:20]!r}… is {len(doc_id)} characters, over the {MAX_ID_LENGTH} limit")
    if not _ID.fullmatch(doc_id) or ".." in doc_id:
        raise UnsafePath(f"document id {doc_id!r} may hold only letters, digits, Chinese characters, '-', '_' "
                         "and '.' (no '/', no '..', not starting with '.')")
    return doc_id


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, checked to lie inside ``folder`` once links and ``..`` are resolved."""
    path = Path(folder) / name
    base = Path(folder).resolve()
    if not path.resolve().is_relative_to(base):
        raise UnsafePath(f"{name!r} would lie outside its folder")
    return path


def document_file(data_dir: Path, folder: str, doc_id: str, suffix: str) -> Path:
    """``<data_dir>/<folder>/<doc_id><suffix>`` for a checked id, inside that folder."""
    return inside(Path(data_dir) / folder, check_document_id(doc_id) + suffix)
