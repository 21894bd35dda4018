"""The graph stage's errors."""
from __future__ import annotations

from records.errors import BuildError


class GraphDataError(ValueError):
    """The ingest records hold something the graph vocabulary cannot express."""


class GraphBuildError(BuildError):
    """The graph stage failed: a record the vocabulary cannot express, or parts that fail their shapes."""
