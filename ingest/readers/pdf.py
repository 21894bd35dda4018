"""PDF reader: the text layer, via pypdf.

Pages are joined with ``\\n``; page numbers and lines broken at the page
width stay in, the structure parser removes and rejoins them.  A PDF with no
text at all is a scan and needs OCR, which is not done here.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..errors import IngestError
from .text import normalize_newlines


def read(path: str | Path, data: bytes):
    import pypdf

    from . import SourceText

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            # Most government PDFs carry only an owner password (no printing,
            # no editing), which the empty user password opens.
            raise IngestError(path, "encrypted PDF: it needs a password to open")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except pypdf.errors.DependencyError as exc:  # AES encryption needs the cryptography package
        raise IngestError(path, f"encrypted PDF: {exc}") from None
    except Exception as exc:  # pypdf raises many types on damaged files
        raise IngestError(path, f"damaged PDF ({type(exc).__name__}: {exc})") from None

    if not pages:
        raise IngestError(path, "PDF has no pages")
    if not any(p.strip() for p in pages):
        raise IngestError(path, "no text layer: scanned PDF? run OCR first")
    blank = [str(n) for n, p in enumerate(pages, 1) if not p.strip()]
    warnings = (f"pages without a text layer (scanned?): {', '.join(blank)}",) if blank else ()
    return SourceText(normalize_newlines("\n".join(pages)), "pdf", "", warnings)
