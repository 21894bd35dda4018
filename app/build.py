"""``policykg build``: corpus folder → data folder, published atomically.

The build writes a complete new version beside the data folder and then
swaps a symlink to it with ``os.replace``, so a reader sees either the old
data or the new, never half of it; a failed or interrupted build leaves the
previous data untouched.  A lock file keeps two builds from running at once;
it names the process holding it, and the processes a build starts (its pool
workers) neither keep it nor outlive the build (see :class:`_build_lock`).
Staging folders left by a killed build are removed by the next one.
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

from app.redact import hide_paths
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
    return scan_corpus(corpus)[0]


def scan_corpus(corpus: Path) -> tuple[list[Path], list[str], list[str]]:
    """``(files, warnings, refused)`` of a corpus folder, files in name order.

    Sidecars and hidden files are not documents.  A link whose target lies
    outside the corpus folder is skipped with a warning (a link to
    ``/etc/passwd`` must not be ingested and served); a file whose name is not
    valid UTF-8 is refused, since its name could not be written into the data.
    Messages name files relative to the corpus folder.
    """
    if not corpus.is_dir():
        raise BuildError(f"{corpus.name or corpus}: corpus folder not found")
    root = corpus.resolve()
    files, warnings, refused = [], [], []
    for p in sorted(corpus.rglob("*")):
        shown = _shown(p, corpus)
        if p.name.startswith((".", "~$")) or p.name.endswith(".meta.toml"):
            continue
        if p.is_symlink() and not p.resolve().is_relative_to(root):
            warnings.append(f"{shown}: a link to a place outside the corpus folder; skipped")
            continue
        if not p.is_file():
            continue
        try:
            str(p).encode("utf-8")
        except UnicodeEncodeError:
            refused.append(f"{shown}: the file name is not valid UTF-8; rename the file")
            continue
        files.append(p)
    return files, warnings, refused


def _shown(path: Path, corpus: Path) -> str:
    """A corpus file's name as users see it: relative to the corpus, undecodable bytes escaped."""
    try:
        rel = str(path.relative_to(corpus))
    except ValueError:
        rel = path.name
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


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
    report = BuildReport(out=out)
    files = []
    for folder in (corpus, uploads_dir(out)):
        if folder == corpus or folder.is_dir():
            found, warnings, refused = scan_corpus(folder)
            files += found
            report.warnings += warnings
            report.refused += refused
    kept = skip_removed(files, out)           # documents a user took out of this data folder (app.removals)
    report.warnings += [f"{f.name}: removed from this data folder earlier (policykg remove); left out"
                        for f in sorted(set(files) - set(kept))]
    files = kept
    versions = out.parent / f".{out.name}.versions"
    versions.mkdir(parents=True, exist_ok=True)
    known = {corpus.absolute(): corpus.name, uploads_dir(out): "uploads", versions: f"{out.name}"}
    progress = _without_paths(progress, known)      # an upload shows these lines to its user
    with _build_lock(out):
        _remove_abandoned(versions, out)
        staging = versions / f"tmp-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            progress(f"Reading {len(files)} files from {corpus}")
            previous = out.resolve() if out.exists() else None
            try:
                run_ingest(files, staging, previous, report, progress, workers)
            finally:   # users see files by their place in the corpus, not the server's paths
                _shorten_messages(report, corpus, uploads_dir(out))
            stage_info = _later_stages(staging, previous, settings or {}, progress, workers) if stages else {}
            _write_manifest(staging, corpus, report, settings or {}, stage_info)
            final = versions / staging.name.replace("tmp-", "v-", 1)
            staging.rename(final)
            _publish(final, out)
        except BuildError as err:   # of any stage: its message without the server's paths
            shutil.rmtree(staging, ignore_errors=True)
            err.args = (hide_paths(str(err), {corpus.absolute(): "", corpus: "", uploads_dir(out): "uploads"}),)
            raise
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _prune(versions, keep=out.resolve())
    report.seconds = time.perf_counter() - started
    return report


def _without_paths(progress: Callable[[str], None], known: dict) -> Callable[[str], None]:
    return lambda message: progress(hide_paths(message, known))


def _shorten_messages(report: BuildReport, corpus: Path, uploads: Path) -> None:
    known = {corpus.absolute(): "", corpus: "", uploads: "uploads"}
    report.refused[:] = [hide_paths(m, known) for m in report.refused]
    report.warnings[:] = [hide_paths(m, known) for m in report.warnings]


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
    """Drop old versions, keeping the current one, the one before it, and any a reader still holds."""
    from app.version_lease import in_use

    done = sorted((p for p in versions.glob("v-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in done[KEEP_VERSIONS:]:
        if old.resolve() != keep and not in_use(old):
            shutil.rmtree(old, ignore_errors=True)


def _remove_abandoned(versions: Path, out: Path) -> None:
    """Remove the staging folders and link files of builds that were killed.

    Only the holder of the build lock creates them, and we hold it now, so
    every one that exists belongs to a build that is gone."""
    for stale in versions.glob("tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for link in out.parent.glob(f".{out.name}.link-*"):
        if link.is_symlink():
            link.unlink(missing_ok=True)


class _build_lock:
    """An exclusive lock on ``.<out>.lock``; a second build fails fast instead of interleaving.

    The lock is an ``flock``, so it goes when its holder dies, however it dies.
    A forked child would inherit it and keep it alive after the build was killed,
    so children of a build close it right after the fork and are killed with
    their parent (``PR_SET_PDEATHSIG``): no orphaned pool worker can hold the
    data folder hostage.  The holder writes its process id into the file, and a
    refused build names it.
    """

    held: set[int] = set()     # lock file descriptors this process holds

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.fd = -1

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(self.fd)
            os.close(self.fd)
            raise BuildError(f"another build ({holder}) is writing {self.path.parent.name}/{self.path.name[1:-5]}; "
                             "try again when it has finished") from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode())
        self.held.add(self.fd)
        return self

    def __exit__(self, *exc):
        self.held.discard(self.fd)
        os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _read_holder(fd: int) -> str:
    text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    if not text or not text[0].isdigit():
        return "process unknown"
    pid, since = int(text[0]), (f", since {text[1]}" if len(text) > 1 else "")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"process {pid}{since}, now gone; a process it started still holds the lock"
    except PermissionError:
        pass
    return f"process {pid}{since}"


_forking_parent = 0


def _before_fork() -> None:
    global _forking_parent
    _forking_parent = os.getpid()


def _after_fork_in_child() -> None:
    """In a child forked while a build holds its lock: let go of the lock, die with the parent."""
    if not _build_lock.held:
        return
    for fd in _build_lock.held:
        os.close(fd)
    _build_lock.held = set()
    _die_with_parent()
    if os.getppid() != _forking_parent:     # the parent died before the line above
        os._exit(1)


def _die_with_parent() -> None:
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)          # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
