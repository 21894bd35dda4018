"""Parsing an untrusted file, and rebuilding with it, in child processes with memory and time limits.

An upload comes from a user, not from the operator: one crafted file must not
take the server's memory or hold a worker for minutes.  The file is parsed by
``python -m app.service.sandbox parse FILE MEMORY`` in a fresh interpreter,
which sets its own address-space limit (``RLIMIT_AS``) before it imports
anything and is killed when the time is up; the server process only ever sees
a small JSON summary, or the reason the parse was stopped.  The rebuild that
adds the file runs the same way (``… build``), passing its progress lines back.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

PARSE_MEMORY = 2 * 1024 ** 3      # bytes of address space for the parsing child
PARSE_SECONDS = 300.0
BUILD_MEMORY = 6 * 1024 ** 3      # the build loads the encoder and the indexes too
BUILD_SECONDS = 1800.0   # the largest upload the caps allow took 98 s on a busy 2-core machine
_ROOT = Path(__file__).resolve().parent.parent.parent


class LimitExceeded(Exception):
    """The parse needed more memory or time than it is allowed."""


def parse_limited(path: Path, memory: int | None = None, seconds: float | None = None) -> dict[str, Any]:
    """``{"document": summary}`` or ``{"refused": problem}`` for ``path``; :class:`LimitExceeded` when stopped."""
    memory = memory or PARSE_MEMORY
    seconds = seconds or PARSE_SECONDS
    try:
        done = subprocess.run([sys.executable, "-m", "app.service.sandbox", "parse", str(path), str(memory)],
                              capture_output=True, timeout=seconds, env=_env(), cwd=_ROOT)
    except subprocess.TimeoutExpired:
        raise LimitExceeded(f"reading the file took longer than {seconds:g} s and was stopped") from None
    try:
        payload = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        raise LimitExceeded(f"reading the file needed more than {memory // 2**20} MB of memory "
                            f"and was stopped (exit code {done.returncode})") from None
    if "limit" in payload:
        raise LimitExceeded(payload["limit"])
    return payload


def build_limited(corpus: Path, out: Path, settings: dict, stages: bool,
                  progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """:func:`app.build.build` in a child process: ``{"documents", "refused", "warnings", "seconds"}`` of its
    report, or ``{"error": message}`` for a :class:`~app.build.BuildError`; :class:`LimitExceeded` when stopped."""
    import threading

    request = {"corpus": str(corpus), "out": str(out), "settings": settings, "stages": stages, "memory": BUILD_MEMORY}
    proc = subprocess.Popen([sys.executable, "-m", "app.service.sandbox", "build", json.dumps(request)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=_ROOT,
                            text=True, encoding="utf-8", errors="replace")
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        proc.kill()

    timer = threading.Timer(BUILD_SECONDS, stop)
    timer.start()
    try:
        for line in proc.stderr:          # progress, passed on in this thread (the app's status box needs it)
            if line.startswith(_PROGRESS):
                progress(line[len(_PROGRESS):].rstrip("\n"))
        output = proc.stdout.read()
        proc.wait()
    finally:
        timer.cancel()
    if timed_out.is_set():
        raise LimitExceeded(f"rebuilding with the file took longer than {BUILD_SECONDS:g} s and was stopped")
    try:
        return json.loads(output)
    except ValueError:
        raise LimitExceeded(f"rebuilding with the file needed more than {BUILD_MEMORY // 2**20} MB of memory "
                            f"and was stopped (exit code {proc.returncode})") from None


_PROGRESS = "progress: "


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}


def _build(request: dict[str, Any]) -> dict[str, Any]:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    from app.build import BuildError, build

    def progress(message: str) -> None:
        sys.stderr.write(_PROGRESS + message.replace("\n", " ") + "\n")
        sys.stderr.flush()

    try:
        report = build(Path(request["corpus"]), Path(request["out"]), settings=request["settings"],
                       progress=progress, stages=request["stages"])
    except BuildError as err:
        return {"error": str(err)}
    except MemoryError:
        return {"error": f"the rebuild needed more than {request['memory'] // 2**20} MB of memory", "limit": True}
    return {"documents": report.documents, "refused": report.refused, "warnings": report.warnings,
            "seconds": report.seconds}


def _parse(path: str, memory: int) -> dict[str, Any]:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        from ingest.errors import IngestError
        from ingest.pipeline import parse_document

        try:
            doc = parse_document(Path(path))
        except IngestError as err:
            return {"refused": err.problem}
        meta = doc.meta
        return {"document": {"id": meta.id, "title": meta.title, "number": meta.number, "region": meta.region,
                             "format": meta.source_format, "clauses": len(doc.clauses),
                             # warnings name the file, not the server's temporary folder
                             "warnings": [w.replace(path, Path(path).name) for w in doc.warnings]}}
    except MemoryError:
        return {"limit": f"reading the file needed more than {memory // 2**20} MB of memory and was stopped"}


if __name__ == "__main__":  # pragma: no cover - runs in the child
    if sys.argv[1] == "build":
        result = _build(json.loads(sys.argv[2]))
    else:
        result = _parse(sys.argv[2], int(sys.argv[3]))
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
