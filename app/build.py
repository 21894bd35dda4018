"""``policykg build``: corpus folder → data folder, published atomically.

The build writes a complete new version beside the data folder and then
swaps a symlink to it with ``os.replace``, so a reader sees either the old
data or the new, never half of it; a failed or interrupted build leaves the
previous data untouched.  A lock file keeps two builds from running at once.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.errors import IngestError

SCHEMA_VERSION = 1
KEEP_VERSIONS = 2


@dataclass
class BuildReport:
    out: Path
    documents: dict[str, dict] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


class BuildError(Exception):
    pass


def corpus_files(corpus: Path) -> list[Path]:
    """Documents in the corpus folder, in name order; sidecars and hidden files skipped."""
    if not corpus.is_dir():
        raise BuildError(f"{corpus}: corpus folder not found")
    files = [
        p for p in sorted(corpus.rglob("*"))
        if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith(".meta.toml")
    ]
    return files


def _ingest_stage(files: list[Path], staging: Path, report: BuildReport, progress: Callable[[str], None]) -> None:
    from ingest.pipeline import parse_document
    from ingest.store import write_clause_table, write_document

    seen_hashes: dict[str, str] = {}
    for i, path in enumerate(files, 1):
        try:
            doc = parse_document(path)
        except IngestError as err:
            report.refused.append(str(err))
            progress(f"  refused {err}")
            continue
        meta = doc.meta
        if meta.source_sha256 in seen_hashes:
            report.warnings.append(f"{path}: same content as {seen_hashes[meta.source_sha256]}; skipped")
            continue
        if meta.id in report.documents:
            other = report.documents[meta.id]["file"]
            report.refused.append(f"{path}: document id {meta.id} is already taken by {other} (same number or title); give one a sidecar `id`")
            continue
        seen_hashes[meta.source_sha256] = str(path)
        write_document(doc, staging)
        report.warnings.extend(doc.warnings)
        report.documents[meta.id] = {
            "file": str(path), "sha256": meta.source_sha256, "title": meta.title, "clauses": len(doc.clauses),
        }
        progress(f"  [{i}/{len(files)}] {path.name} → {meta.id} ({len(doc.clauses)} clauses)")
    if not report.documents:
        raise BuildError("no document could be read:\n  " + "\n  ".join(report.refused or ["the corpus is empty"]))
    write_clause_table(staging)


def _later_stages(staging: Path, settings: dict, progress: Callable[[str], None]) -> dict:
    """Graph and search indexes, each reading the ingest files in ``staging``."""
    stages = {}
    from graph.build import build_graph

    progress("  graph …")
    stages["graph"] = build_graph(staging)
    from search.build import build_indexes

    progress("  search indexes …")
    stages["search"] = build_indexes(staging, settings)
    return stages


def build(
    corpus: Path,
    out: Path,
    settings: dict | None = None,
    progress: Callable[[str], None] = lambda _: None,
    stages: bool = True,
) -> BuildReport:
    """Build ``corpus`` into ``out``; raises :class:`BuildError` and keeps the old data on failure."""
    started = time.perf_counter()
    out = out.absolute()
    files = corpus_files(corpus)
    report = BuildReport(out=out)
    versions = out.parent / f".{out.name}.versions"
    versions.mkdir(parents=True, exist_ok=True)
    with _build_lock(out):
        staging = versions / f"tmp-{os.getpid()}-{time.strftime('%Y%m%dT%H%M%S')}"
        staging.mkdir()
        try:
            progress(f"Reading {len(files)} files from {corpus}")
            _ingest_stage(files, staging, report, progress)
            stage_info = _later_stages(staging, settings or {}, progress) if stages else {}
            _write_manifest(staging, corpus, report, settings or {}, stage_info)
            final = versions / staging.name.replace("tmp-", "v-", 1)
            staging.rename(final)
            _publish(final, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _prune(versions, keep=out.resolve())
    report.seconds = time.perf_counter() - started
    return report


def _write_manifest(staging: Path, corpus: Path, report: BuildReport, settings: dict, stages: dict) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        package_version = version("policykg")
    except PackageNotFoundError:
        package_version = "unknown"
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "package_version": package_version,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "corpus": str(corpus.absolute()),
        "settings": settings,
        "documents": report.documents,
        "refused": report.refused,
        "warnings": report.warnings,
        "stages": stages,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _publish(version_dir: Path, out: Path) -> None:
    """Point ``out`` at ``version_dir`` in one atomic step."""
    if out.exists() and not out.is_symlink():
        # A plain folder from elsewhere: move it aside rather than delete a user's data.
        out.rename(out.with_name(f"{out.name}.bak-{time.strftime('%Y%m%dT%H%M%S')}"))
    link_tmp = out.with_name(f".{out.name}.link-{os.getpid()}")
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(os.path.relpath(version_dir, out.parent), link_tmp)
    os.replace(link_tmp, out)


def _prune(versions: Path, keep: Path) -> None:
    """Drop old versions, keeping the current one and the one before it."""
    done = sorted((p for p in versions.glob("v-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in done[KEEP_VERSIONS:]:
        if old.resolve() != keep:
            shutil.rmtree(old, ignore_errors=True)


class _build_lock:
    """An exclusive lock on ``<out>.lock``; a second build fails fast instead of interleaving."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise BuildError(f"another build is writing {self.path.parent}; try again when it has finished") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
