"""Parsing an untrusted file in a child process with a memory and a time limit.

An upload comes from a user, not from the operator: one crafted file must not
take the server's memory or hold a worker for minutes.  The file is parsed by
``python -m app.service.sandbox FILE MEMORY`` in a fresh interpreter, which
sets its own address-space limit (``RLIMIT_AS``) before it imports anything
and is killed when the time is up; the server process only ever sees a small
JSON summary, or the reason the parse was stopped.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PARSE_MEMORY = 2 * 1024 ** 3      # bytes of address space for the parsing child
PARSE_SECONDS = 300.0   # the largest upload the caps allow took 98 s on a busy 2-core machine
_ROOT = Path(__file__).resolve().parent.parent.parent


class LimitExceeded(Exception):
    """The parse needed more memory or time than it is allowed."""


def parse_limited(path: Path, memory: int | None = None, seconds: float | None = None) -> dict[str, Any]:
    """``{"document": summary}`` or ``{"refused": problem}`` for ``path``; :class:`LimitExceeded` when stopped."""
    memory = memory or PARSE_MEMORY
    seconds = seconds or PARSE_SECONDS
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run([sys.executable, "-m", "app.service.sandbox", str(path), str(memory)],
                              capture_output=True, timeout=seconds, env=env, cwd=_ROOT)
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
    sys.stdout.write(json.dumps(_parse(sys.argv[1], int(sys.argv[2])), ensure_ascii=False))
