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
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from app.removals import skip_removed
from ingest.stage import run_ingest
from records.errors import BuildError

SCHEMA_VERSION = 1
KEEP_VERSIONS = 2


@dataclass
class BuildReport:
    out: Path
    documents: dict[str, dict] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    parsed: int = 0        # files parsed this time
    reused: int = 0        # unchanged files copied from the previous build
    ingest_fingerprint: str = ""


def corpus_files(corpus: Path) -> list[Path]:
    """Documents in the corpus folder, in name order; sidecars and hidden files skipped."""
    if not corpus.is_dir():
        raise BuildError(f"{corpus}: corpus folder not found")
    files = [
        p for p in sorted(corpus.rglob("*"))
        if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith(".meta.toml")
    ]
    return files


def uploads_dir(out: Path) -> Path:
    """Documents added to this data folder through the app or API.

    They belong to the data folder, not to the corpus folder, and every later
    build of the same ``--out`` includes them.
    """
    return out.parent / f".{out.name}.versions" / "uploads"


def _later_stages(staging: Path, previous: Path | None, settings: dict, progress: Callable[[str], None],
                  workers: int | None) -> dict:
    """Graph and search indexes, each reading the ingest files in ``staging``.

    ``previous`` is the data folder being replaced: the graph reuses the parts
    of unchanged documents from it."""
    stages = {}
    from graph.build import build_graph
    from search.build import build_indexes
    from search.encoders import EncoderError
    from search.vectorstore import VectorStoreError

    progress("  graph …")
    stages["graph"] = build_graph(staging, previous, workers, progress)
    progress("  search indexes …")
    try:
        stages["search"] = build_indexes(staging, settings)
    except (EncoderError, VectorStoreError) as err:
        raise BuildError(f"search: {err}") from None
    return stages


def _check_settings(settings: dict) -> None:
    """Fail before any work when the settings name something that is not there."""
    from search import vectorstore
    from search.encoders import EncoderError, encoder_name, is_builtin

    try:
        vectorstore.check(settings)
    except vectorstore.VectorStoreError as err:
        raise BuildError(f"search: {err}") from None
    name = encoder_name(settings)
    if not is_builtin(name):
        from search.encoders.sbert import resolve_reference

        try:
            resolve_reference(name)
        except EncoderError as err:
            raise BuildError(f"search: {err}") from None


def build(
    corpus: Path,
    out: Path,
    settings: dict | None = None,
    progress: Callable[[str], None] = lambda _: None,
    stages: bool = True,
    workers: int | None = None,
) -> BuildReport:
    """Build ``corpus`` into ``out``; raises :class:`BuildError` and keeps the old data on failure."""
    started = time.perf_counter()
    out = out.absolute()
    if stages:
        _check_settings(settings or {})
    files = corpus_files(corpus)
    if uploads_dir(out).is_dir():
        files += corpus_files(uploads_dir(out))
    files = skip_removed(files, out)          # documents a user took out of this data folder (app.removals)
    report = BuildReport(out=out)
    versions = out.parent / f".{out.name}.versions"
    versions.mkdir(parents=True, exist_ok=True)
    with _build_lock(out):
        staging = versions / f"tmp-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            progress(f"Reading {len(files)} files from {corpus}")
            previous = out.resolve() if out.exists() else None
            run_ingest(files, staging, previous, report, progress, workers)
            stage_info = _later_stages(staging, previous, settings or {}, progress, workers) if stages else {}
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
        "ingest_fingerprint": report.ingest_fingerprint,
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
