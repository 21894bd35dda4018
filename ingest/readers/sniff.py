"""Tell a file's format from its first bytes, not from its name.

Government sites hand out GB18030 files named ``.md``, HTML error pages named
``.pdf`` and zipped OFD files named ``.docx``; the extension is only a
fallback when the bytes say nothing.
"""
from __future__ import annotations

import io
import re
import zipfile

SUPPORTED = ".txt .md .docx .pdf .html"

TEXT_SUFFIXES = {".md": "md", ".markdown": "md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}

# Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Formats people do try to feed in; naming them makes the error actionable.
_BINARY_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office/WPS file (.doc/.xls/.wps): save it as .docx"),
    (b"{\\rtf", "RTF document: save it as .docx"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
)

# Anything before the <html> tag that a real page may carry.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HEAD = 2048


class NotADocument(Exception):
    """The bytes are not any supported format; ``kind`` says what they are."""

    def __init__(self, kind: str = ""):
        self.kind = kind
        super().__init__(kind)


def sniff(data: bytes, suffix: str) -> str:
    """Return ``pdf``, ``docx``, ``html``, ``md`` or ``txt`` for ``data``.

    Raises :class:`NotADocument` for binary content of any other kind.
    ``suffix`` (lower-case, with the dot) only decides between formats the
    content cannot tell apart.
    """
    head = data[:_HEAD]
    # Readers accept the header anywhere in the first 1024 bytes (after junk
    # such as mail headers); away from the start, ask for the trailer too so
    # a text that merely mentions "%PDF-1.7" stays text.
    if head.lstrip().startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            raise NotADocument(kind)
    if looks_like_html(head):
        return "html"
    if not _bom(head) and b"\x00" in data[:8192] and not utf16_without_bom(data):
        raise NotADocument()
    if suffix in HTML_SUFFIXES:
        return "html"
    return TEXT_SUFFIXES.get(suffix, "txt")


def looks_like_html(head: bytes) -> bool:
    bom = _bom(head)
    if bom and bom[1] != "utf-8-sig":
        # Wide encodings: the tags are not ASCII bytes, so decode first
        # (the codec reads the BOM to pick the byte order).
        head = head.decode(bom[1], "ignore").encode("ascii", "ignore")
    elif bom:
        head = head[len(bom[0]):]
    return bool(_HTML_START.match(head))


def utf16_without_bom(data: bytes) -> str:
    """``utf-16-le``/``utf-16-be`` if ``data`` looks like BOM-less UTF-16, else ``""``.

    ASCII characters and line breaks in UTF-16 put their zero byte on one
    side of each pair, which suggests the byte order; Chinese text has few such
    zeros (a line break every forty characters) or none, and Han characters
    such as 一 (U+4E00) put zeros on the other side.  So the decoded text
    decides, as binary files do not decode to text: it must be almost all Han characters,
    Chinese or ASCII punctuation, letters, digits and spaces.  Bytes without
    any zero must also fail as UTF-8, since pairs of ASCII letters read as
    UTF-16 land in the Han block too.
    """
    if len(data) < 2 or len(data) % 2:
        return ""
    sample = data[:8192]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if even + odd == 0:
        try:
            data.decode("utf-8")
            return ""
        except UnicodeDecodeError:
            pass
    # The side with more zeros is the high byte of ASCII (in little-endian, the odd side); zeros on the
    # other side are Han characters such as 一 (U+4E00).
    orders = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for encoding in orders:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_text(text[:4096]):
            return encoding
    return ""


def _reads_as_text(text: str) -> bool:
    def plain(ch: str) -> bool:
        o = ord(ch)
        return (0x20 <= o < 0x7F or ch in "\n\r\t" or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF
                or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x206F or ch in "·")
    return bool(text) and sum(map(plain, text)) >= 0.95 * len(text)


def _bom(head: bytes) -> tuple[bytes, str] | None:
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return mark, encoding
    return None


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotADocument(f"damaged zip/.docx archive ({exc})") from None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        raise NotADocument("OFD document: export it as PDF first")
    if "xl/workbook.xml" in names:
        raise NotADocument("Excel workbook")
    if "ppt/presentation.xml" in names:
        raise NotADocument("PowerPoint presentation")
    if "mimetype" in names:
        raise NotADocument("OpenDocument file: save it as .docx")
    raise NotADocument("zip archive")
