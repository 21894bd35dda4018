"""The ingest stage of a build: corpus files → ``documents/``, ``sources/``, ``clauses.jsonl``.

Incremental: a file whose content (and sidecar) hash matches the previous
build, parsed by the same ingest code and lexicons, is copied from the
previous version instead of being parsed again.  New and changed files are
parsed in parallel worker processes; results are taken in file-name order,
so the output does not depend on which worker finished first.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterator

from ingest.errors import IngestError, IngestStageError
from ingest.fingerprint import ingest_fingerprint
from ingest.ids import disambiguate, id_chosen_by_user, rename_document
from ingest.metadata import sidecar_path
from ingest.safe_paths import document_file

PARALLEL_FROM = 4   # below this many files, worker start-up costs more than it saves


def content_hash(path: Path) -> str:
    """The file's bytes and its sidecar's, so editing a sidecar re-parses the document."""
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists():
        digest.update(b"\0sidecar\0" + sidecar.read_bytes())
    return digest.hexdigest()


def _parse(path: Path):
    """Worker: parse one file; errors come back as values so one bad file never stops the rest."""
    from ingest.pipeline import parse_document

    try:
        doc = parse_document(path)
    except IngestError as err:
        return err
    except Exception as err:  # a bug or a pathological file: report it by name, keep building
        return IngestError(path, f"could not be parsed ({type(err).__name__}: {err})")
    # The warnings are kept in the document's record, which users read: the file's name, not its server path.
    doc.warnings = [w.replace(str(path), path.name) for w in doc.warnings]
    return doc


def _parsed(paths: list[Path], workers: int) -> Iterator:
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        yield from _parsed_in_pool(paths, workers)
    else:
        yield from map(_parse, paths)


def _parsed_in_pool(paths: list[Path], workers: int) -> Iterator:
    """Parses in file order.  A worker killed by the system (out of memory) breaks the whole pool; then the
    first file not yet returned is parsed again alone, and the rest in a fresh pool, so only a file that
    kills its worker by itself is refused, and every other file still builds."""
    pending = list(paths)
    while pending:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_parse, path) for path in pending]
            for i, future in enumerate(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    yield _parse_alone(pending[i])
                    pending = pending[i + 1:]
                    break
                yield result
            else:
                pending = []


def _parse_alone(path: Path):
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_parse, path).result()
        except BrokenProcessPool:
            return IngestError(path, "the process reading it was killed by the system (out of memory?); "
                                     "split the file or check it")


def previous_documents(previous: Path | None, fingerprint: str) -> dict[str, dict]:
    """File path → manifest entry of the previous build, when its ingest matches ours."""
    if previous is None or not (previous / "manifest.json").exists():
        return {}
    manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("ingest_fingerprint") != fingerprint:
        return {}
    return {entry["file"]: {**entry, "id": doc_id} for doc_id, entry in manifest.get("documents", {}).items()}


def run_ingest(
    files: list[Path],
    staging: Path,
    previous: Path | None,
    report,
    progress: Callable[[str], None],
    workers: int | None = None,
) -> None:
    from ingest.files import write_clause_table, write_document

    fingerprint = ingest_fingerprint()
    report.ingest_fingerprint = fingerprint
    before = previous_documents(previous, fingerprint)
    hashes = {path: content_hash(path) for path in files}
    reuse = {path: before[str(path)] for path in files if str(path) in before and before[str(path)]["hash"] == hashes[path]}
    to_parse = [path for path in files if path not in reuse]
    # taken one at a time, in file order, and written at once: only the parses in flight are held
    parsed = _parsed(to_parse, workers or os.cpu_count() or 1)
    report.reused, report.parsed = len(reuse), len(to_parse)

    seen: dict[str, str] = {}
    for i, path in enumerate(files, 1):
        result = None if path in reuse else next(parsed)
        if hashes[path] in seen:
            report.warnings.append(f"{path}: same content as {seen[hashes[path]]}; skipped")
            continue
        if path in reuse:
            entry = reuse[path]
            doc_id, warnings, note = entry["id"], entry.get("warnings", []), "unchanged"
            if doc_id in report.documents:
                report.refused.append(_id_taken(path, doc_id, report))
                continue
            _copy_document(previous, staging, doc_id)
            title, clauses = entry["title"], entry["clauses"]
        else:
            if isinstance(result, IngestError):
                report.refused.append(str(result))
                progress(f"  refused {result}")
                continue
            if result.meta.id in report.documents:
                if id_chosen_by_user(path):
                    report.refused.append(_id_taken(path, result.meta.id, report))
                    continue
                taken = report.documents[result.meta.id]["file"]
                rename_document(result, disambiguate(result, set(report.documents)))
                report.warnings.append(f"{path}: derived id taken by {taken}; this document is {result.meta.id}")
            doc_id, warnings, note = result.meta.id, result.warnings, "parsed"
            write_document(result, staging)
            title, clauses = result.meta.title, len(result.clauses)
        seen[hashes[path]] = str(path)
        report.warnings.extend(warnings)
        report.documents[doc_id] = {
            "file": str(path), "hash": hashes[path], "title": title, "clauses": clauses, "warnings": list(warnings),
        }
        progress(f"  [{i}/{len(files)}] {path.name} → {doc_id} ({clauses} clauses, {note})")
    if not report.documents:
        raise IngestStageError("no document could be read:\n  " + "\n  ".join(report.refused or ["the corpus is empty"]))
    write_clause_table(staging)


def _id_taken(path: Path, doc_id: str, report) -> str:
    other = report.documents[doc_id]["file"]
    return f"{path}: document id {doc_id} is already taken by {other} (a sidecar chose it); give one a different sidecar `id`"


def _copy_document(previous: Path, staging: Path, doc_id: str) -> None:
    """Carry an unchanged document's files into the new version: a hard link where the file system
    allows (no second copy on disk; files are never written in place, see ``ingest.files``), else a copy."""
    for folder, suffix in (("documents", ".json"), ("sources", ".txt")):
        (staging / folder).mkdir(parents=True, exist_ok=True)
        source, target = document_file(previous, folder, doc_id, suffix), document_file(staging, folder, doc_id, suffix)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
