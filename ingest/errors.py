"""Errors that name the file and the problem, so a user knows what to fix."""
from __future__ import annotations

from pathlib import Path

from records.errors import BuildError


class IngestError(Exception):
    """A document could not be read or parsed.

    ``str(err)`` reads ``<file>: <problem>``; the build reports it and goes on
    with the other documents.
    """

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        # Parallel ingest sends errors between processes; rebuild from both parts.
        return (type(self), (self.path, self.problem))


class IngestStageError(BuildError):
    """The ingest stage as a whole failed (no document of the corpus could be read)."""
