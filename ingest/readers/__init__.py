"""Turn a file on disk into its source text.

``read_source(path)`` returns a :class:`SourceText`; the text is what every
span in the ingest output indexes.  One module per format: ``text`` (.txt,
.md), ``docx``, ``pdf``, ``html``.  The format comes from the file's bytes
(``sniff``); the extension only breaks ties.  Every failure is an
:class:`~ingest.errors.IngestError` naming the file and the problem.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError
from ..limits import check_text
from .sniff import SUPPORTED, NotADocument, sniff

MAX_BYTES = 50 * 1024 * 1024

# Text whose visible characters are mostly U+FFFD or control codes is a wrong
# encoding or a corrupt file; a few are worth a warning.
_JUNK_LIMIT = 0.5
_JUNK_WARN = 0.01


@dataclass(frozen=True)
class SourceText:
    text: str
    format: str       # txt / md / docx / pdf / html
    encoding: str     # utf-8 / utf-8-sig / gb18030 / utf-16 ... / "" for binary formats
    warnings: tuple[str, ...] = ()   # readable but suspicious, e.g. PDF pages without text


def read_source(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read ``path`` as a policy document; raise IngestError if it is not one."""
    p = Path(path)
    data = _read_bytes(p, max_bytes)
    try:
        fmt = sniff(data, p.suffix.lower())
    except NotADocument as exc:
        hint = f" ({exc.kind})" if exc.kind else ""
        raise IngestError(path, f"binary file{hint}, not a supported document ({SUPPORTED})") from None

    from . import docx, html, pdf, text

    if fmt == "pdf":
        source = pdf.read(path, data)
    elif fmt == "docx":
        source = docx.read(path, data)
    elif fmt == "html":
        source = html.read(path, data)
    else:
        source = text.read(path, data, fmt)
    del data
    check_text(source.text, str(path))   # before anything makes per-character copies
    return _checked(path, source)


def _read_bytes(p: Path, max_bytes: int) -> bytes:
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise IngestError(p, "is a directory, not a file")
        # Check the size before reading: a stray video must not fill memory.
        if size > max_bytes:
            raise IngestError(p, f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise IngestError(p, "no such file") from None
    except PermissionError:
        raise IngestError(p, "permission denied") from None
    except IngestError:
        raise
    except OSError as exc:
        raise IngestError(p, f"cannot read file ({exc.strerror or exc})") from None
    if not data:
        raise IngestError(p, "empty file")
    if len(data) > max_bytes:  # grew since stat
        raise IngestError(p, f"file is {_size(len(data))}, over the {_size(max_bytes)} limit")
    return data


def _checked(path, source: SourceText) -> SourceText:
    # Counted, not listed: a list of characters would cost some 60 bytes per character.
    visible = sum(1 for c in source.text if not c.isspace())
    if not visible:
        raise IngestError(path, f"no text in this {source.format} file (only whitespace)")
    junk = sum(1 for c in source.text
               if c == "\ufffd" or (not c.isspace() and unicodedata.category(c) in ("Cc", "Co", "Cs")))
    share = junk / visible
    if share > _JUNK_LIMIT:
        raise IngestError(
            path,
            f"text is {share:.0%} replacement or control characters: wrong encoding or corrupt file",
        )
    if share > _JUNK_WARN:
        return SourceText(
            source.text, source.format, source.encoding,
            source.warnings + (f"{junk} replacement or control characters in the text",),
        )
    return source


def _size(n: int) -> str:
    """1536 -> '1.5 KB', 50 MiB -> '50 MB' (binary units, as file managers show)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
