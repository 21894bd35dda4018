"""The search index folder's manifest: what built it, checked when loading.

An index is only meaningful with the tokenizer and encoder that built it: a
different jieba version or user dictionary cuts queries into other tokens, a
different encoder puts vectors in another space.  Loading compares the
manifest with this installation and refuses a mismatch with a message saying
what differs and how to rebuild.
"""
from __future__ import annotations

import json
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

FORMAT = 1
FILENAME = "manifest.json"
INDEX_DIR = "search"           # the index folder in a data folder


class IndexMismatch(Exception):
    """The index on disk was built by another setup than the one loading it."""


def library_versions(*extra: str) -> dict[str, str]:
    out = {}
    for name in ("faiss-cpu", "bm25s", "jieba", "numpy", "scipy", *extra):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "unknown"
    return out


def write(folder: Path, **fields: Any) -> dict[str, Any]:
    manifest = {"format": FORMAT, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **fields}
    (folder / FILENAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def read(folder: Path) -> dict[str, Any]:
    path = folder / FILENAME
    if not path.exists():
        raise IndexMismatch(f"{folder}: no search index here (no {FILENAME}); build it with `policykg build`")
    return json.loads(path.read_text(encoding="utf-8"))


def _major(v: str, parts: int = 1) -> str:
    return ".".join(v.split(".")[:parts])


def check(manifest: dict[str, Any], folder: Path, tokenizer, encoder: str | None = None) -> None:
    """Raise :class:`IndexMismatch` naming every difference that makes the index unusable here."""
    problems = []
    if manifest.get("format") != FORMAT:
        problems.append(f"index format {manifest.get('format')} (this version reads {FORMAT})")
    tok = manifest.get("tokenizer", {})
    if tok.get("jieba") != tokenizer.jieba_version:
        problems.append(f"jieba {tok.get('jieba')} at build time, {tokenizer.jieba_version} installed")
    if tok.get("userdict_hash") != tokenizer.userdict_hash:
        problems.append(
            f"user dictionary {tok.get('userdict_hash')} at build time, {tokenizer.userdict_hash} now "
            "(the agency lexicon, industry scheme, domain terms or synonyms changed)")
    libs, now = manifest.get("libraries", {}), library_versions()
    for name, parts in (("faiss-cpu", 1), ("bm25s", 2)):
        if name in libs and _major(libs[name], parts) != _major(now[name], parts):
            problems.append(f"{name} {libs[name]} at build time, {now[name]} installed")
    built_with = manifest.get("encoder", {}).get("ref")
    if encoder and built_with and encoder != built_with:
        problems.append(f"encoder {built_with!r} at build time, {encoder!r} requested")
    if problems:
        raise IndexMismatch(
            f"the search index in {folder} does not match this installation:\n  - " + "\n  - ".join(problems)
            + "\nRebuild it: policykg build --out <data folder>" + (f" --encoder {encoder}" if encoder else ""))
