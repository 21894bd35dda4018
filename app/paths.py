"""Where the project's own corpus and data folders are, unless told otherwise."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    return Path(os.environ.get("POLICYKG_CORPUS", PROJECT_ROOT / "corpus"))


def default_data() -> Path:
    return Path(os.environ.get("POLICYKG_DATA", PROJECT_ROOT / "data"))
