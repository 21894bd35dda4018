"""Plain-text reader (.txt, .md and text of unknown type).

The encoding is detected from the bytes: a BOM if there is one, then strict
UTF-8, then strict GB18030 (a superset of GBK and GB2312).  Strict decoding
matters: real Chinese text is almost never valid in the wrong one of the two,
so the first decoder that accepts every byte is right.  charset-normalizer is
asked only when both fail, and only trusted for multi-byte encodings (Big5,
UTF-16 ...), since a single-byte code page "decodes" any garbage.

The returned text is the file's text with ``\\r\\n`` and ``\\r`` turned into
``\\n`` and nothing else changed: every span downstream indexes into it.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import IngestError
from .sniff import BOMS, utf16_without_bom

# charset-normalizer guesses we accept: encodings whose byte rules are strict
# enough that decoding without error is real evidence.
_TRUSTED_GUESSES = {
    "big5", "big5hkscs", "cp950", "euc_jp", "shift_jis", "cp932", "euc_kr",
    "cp949", "iso2022_jp", "iso2022_kr", "utf_16", "utf_16_be",
    "utf_16_le", "utf_32", "utf_32_be", "utf_32_le",
}
_MAX_CHAOS = 0.1

# Declared charsets that GB18030 supersedes; decoding GB2312-labelled pages as
# GB2312 fails on the many GBK characters they really contain.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936"}


def read(path: str | Path, data: bytes, fmt: str = "txt"):
    from . import SourceText

    text, encoding = decode(path, data)
    return SourceText(normalize_newlines(text), fmt, encoding)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(path: str | Path, data: bytes, declared: str = "") -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding name)``.

    ``declared`` is an encoding the file claims (an HTML ``<meta charset>``);
    it is tried after UTF-8, which a wrong label must not override.
    """
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return _decode_with_bom(path, data, mark, encoding), encoding
    wide = utf16_without_bom(data)
    if wide:
        return data.decode(wide), wide

    failures: list[UnicodeDecodeError] = []
    for encoding in _candidates(declared):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append(exc)
            continue
        if encoding == "gb18030" and _private_use(text):
            # Big5 bytes are mostly valid GB18030 too, but land in the
            # private-use area, which real GB text hardly ever uses.
            guessed = _guess(data)
            if guessed and _private_use(guessed[0]) < _private_use(text):
                return guessed
        return text, encoding
    guessed = _guess(data)
    if guessed:
        return guessed
    # Report where the decoder that got furthest gave up: that is most likely
    # the file's real encoding, with one damaged spot.
    worst = max(failures, key=lambda e: e.start)
    raise IngestError(
        path,
        f"not valid UTF-8 or GB18030 text (byte 0x{data[worst.start]:02x} at offset {worst.start})",
    )


def _decode_with_bom(path, data: bytes, mark: bytes, encoding: str) -> str:
    if encoding == "utf-8-sig":
        skip, codec = len(mark), "utf-8"
    else:
        skip, codec = 0, encoding  # the utf-16/32 codecs read the BOM to pick the byte order
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        name = codec.upper()
        raise IngestError(
            path,
            f"starts with a {name} byte-order mark but is not valid {name} "
            f"(byte 0x{data[offset]:02x} at offset {offset})",
        ) from None


def _candidates(declared: str) -> list[str]:
    out = ["utf-8"]
    try:
        name = codecs.lookup(declared).name if declared else ""
    except LookupError:
        name = ""
    if name and name not in ("utf-8", *_GB_FAMILY):
        out.append(name)
    out.append("gb18030")
    return out


def _private_use(text: str) -> int:
    return sum(1 for c in text if "\ue000" <= c <= "\uf8ff")


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding not in _TRUSTED_GUESSES or best.chaos > _MAX_CHAOS:
        return None
    try:
        return data.decode(best.encoding), codecs.lookup(best.encoding).name
    except (UnicodeDecodeError, LookupError):
        return None
