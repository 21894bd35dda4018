"""Which published data versions are being read, so that a build does not prune them.

A reader (a loaded :class:`app.service.PolicyService`) holds a shared
``flock`` on its version's ``manifest.json`` for as long as it lives; the
build's pruning asks for an exclusive one without waiting and keeps every
version it cannot get.  The locks go with the process that holds them, so a
crashed reader never pins a version.
"""
from __future__ import annotations

import fcntl
from pathlib import Path
from typing import BinaryIO

LEASE_FILE = "manifest.json"


def hold(version_dir: Path) -> BinaryIO | None:
    """A shared lease on ``version_dir``, released when the returned file is closed or collected."""
    try:
        handle = open(Path(version_dir) / LEASE_FILE, "rb")
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def in_use(version_dir: Path) -> bool:
    """Whether some reader holds a lease on ``version_dir``."""
    try:
        handle = open(Path(version_dir) / LEASE_FILE, "rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
