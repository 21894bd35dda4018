"""The error every build stage's own error derives from.

Each stage raises its own kind (:class:`ingest.errors.IngestStageError`,
:class:`graph.errors.GraphBuildError`, …), so a stage never imports the
build that calls it; ``except BuildError`` in the build, the CLI and the
service catches them all.  Messages name the stage and what to fix.
"""
from __future__ import annotations


class BuildError(Exception):
    """A build could not finish; nothing was published and the previous data is untouched."""
