"""The schema of a sidecar ``<file>.meta.toml``: known fields, their types, dates and sizes.

A sidecar overrides a document's metadata (:class:`ingest.model.DocumentMeta`),
so each field must have that field's type: a plain string for ``title``,
``number``, ``region`` …, a list of strings for ``issuers``, ``recipients``
and ``topics`` (a string there would become one agency per character), a
real calendar date for ``date_written`` and ``date_published`` (a TOML date
or ``"YYYY-MM-DD"``), ``true``/``false`` for ``valid``, and a safe
``id`` (:func:`ingest.safe_paths.check_document_id`).  Sizes are capped,
since every field is copied into each clause of the document.  Every error
names the sidecar and the field.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.model import DocumentMeta
from ingest.safe_paths import UnsafePath, check_document_id

MAX_SIDECAR_BYTES = 64 * 1024
MAX_TEXT = {"title": 500, "number": 100, "region": 50, "signature": 200}
DEFAULT_MAX_TEXT = 300
MAX_ITEMS = 50
MAX_ITEM_TEXT = 200
DATE_FIELDS = ("date_written", "date_published")
NOT_FROM_SIDECAR = {"source_file", "source_format", "source_sha256"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SidecarError(ValueError):
    """A field of a sidecar has the wrong type, size or value."""


def allowed_fields() -> dict[str, str]:
    """Sidecar field → the type it must have (``text``, ``list``, ``date``, ``bool``, ``id``)."""
    out = {}
    for f in fields(DocumentMeta):
        if f.name in NOT_FROM_SIDECAR:
            continue
        annotation = str(f.type)
        out[f.name] = ("id" if f.name == "id" else "date" if f.name in DATE_FIELDS
                       else "list" if annotation.startswith("list") else "bool" if "bool" in annotation else "text")
    return out


def read_sidecar(sidecar: Path) -> dict[str, Any]:
    """The sidecar's fields, checked and converted to :class:`DocumentMeta` values; :class:`IngestError` naming the
    sidecar and the field otherwise."""
    try:
        size = sidecar.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise IngestError(sidecar, f"sidecar is {size // 1024} KB, over the {MAX_SIDECAR_BYTES // 1024} KB limit")
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise IngestError(sidecar, f"sidecar is not valid TOML: {err}") from None
    try:
        return validate(data)
    except SidecarError as err:
        raise IngestError(sidecar, str(err)) from None


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """Checked, converted sidecar values; :class:`SidecarError` for the first bad field."""
    allowed = allowed_fields()
    unknown = set(data) - set(allowed)
    if unknown:
        raise SidecarError(f"unknown sidecar fields: {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})")
    return {key: _CHECKS[allowed[key]](key, value) for key, value in data.items()}


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SidecarError(f"field `{key}`: expected a string, got {_kind(value)}")
    limit = MAX_TEXT.get(key, DEFAULT_MAX_TEXT)
    if len(value) > limit:
        raise SidecarError(f"field `{key}`: {len(value):,} characters, over the {limit} limit")
    return value.strip()


def _list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        raise SidecarError(f"field `{key}`: expected a list of strings, e.g. {key} = [\"{value[:20]}\"], got a string")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SidecarError(f"field `{key}`: expected a list of strings, got {_kind(value)}")
    if len(value) > MAX_ITEMS:
        raise SidecarError(f"field `{key}`: {len(value)} items, over the {MAX_ITEMS} limit")
    long = next((v for v in value if len(v) > MAX_ITEM_TEXT), None)
    if long is not None:
        raise SidecarError(f"field `{key}`: an item of {len(long):,} characters, over the {MAX_ITEM_TEXT} limit")
    return [v.strip() for v in value if v.strip()]


def _date(key: str, value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise SidecarError(f"field `{key}`: {value!r} is not a real date") from None
    raise SidecarError(f"field `{key}`: expected a date such as 2024-05-01, got {_kind(value)} {str(value)[:30]!r}")


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SidecarError(f"field `{key}`: expected true or false, got {_kind(value)}")
    return value


def _id(key: str, value: Any) -> str:
    try:
        return check_document_id(value)
    except UnsafePath as err:
        raise SidecarError(f"field `{key}`: {err}") from None


def _kind(value: Any) -> str:
    return {str: "a string", list: "a list", bool: "a boolean", int: "a number", float: "a number",
            dict: "a table", dt.date: "a date", dt.datetime: "a date and time", dt.time: "a time"}.get(type(value), type(value).__name__)


_CHECKS = {"text": _text, "list": _list, "date": _date, "bool": _bool, "id": _id}
