"""Limits on what a zip-based file (``.docx``) unpacks to, checked before it is parsed.

A 148 KB ``.docx`` can unpack to 43 MB of XML, and parsing that took 2.7 GB
and two and a half minutes.  The zip directory says how large each part is
(and :mod:`zipfile` never reads past that size), so the sizes and the
compression ratio are checked first, from the directory alone.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import IngestError

MAX_PART = 16 * 1024 * 1024        # one XML part (document.xml of a 100-page policy is 1–3 MB)
MAX_TOTAL = 200 * 1024 * 1024      # everything, images included
MAX_RATIO = 100                    # unpacked / packed, for parts over RATIO_FROM
RATIO_FROM = 1024 * 1024
MAX_PARTS = 10_000


def check_archive(path, data: bytes) -> None:
    """:class:`IngestError` naming the file when its parts unpack to more than the limits allow."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path, f"damaged zip/.docx archive ({exc})") from None
    if len(infos) > MAX_PARTS:
        raise IngestError(path, f"the archive holds {len(infos):,} parts, over the {MAX_PARTS:,} limit")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise IngestError(path, f"unpacks to {_mb(total)}, over the {_mb(MAX_TOTAL)} limit")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_PART:
            raise IngestError(path, f"part {info.filename} unpacks to {_mb(info.file_size)}, over the {_mb(MAX_PART)} limit")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise IngestError(path, f"part {info.filename} unpacks {ratio:,} times its packed size "
                                    f"(over {MAX_RATIO}:1): refused as a possible zip bomb")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"
