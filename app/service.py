"""``PolicyService``: the one object the CLI, the Streamlit app and the HTTP API call.

It holds the loaded data folder (documents, clauses, graph, indexes), loads
each part lazily on first use, and has no user-interface logic of its own.
Heavy libraries are imported inside the methods that need them.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

from app.paths import default_data


class DataNotBuilt(Exception):
    pass


class PolicyService:
    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data()
        manifest = self.data_dir / "manifest.json"
        if not manifest.exists():
            raise DataNotBuilt(f"{self.data_dir}: no built data here; run `policykg build --out {self.data_dir}` first")
        # Resolve the published version once, so a rebuild mid-session does not mix versions.
        self.data_dir = self.data_dir.resolve()

    # -- documents and clauses ------------------------------------------------
    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.data_dir / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Document id → the extract JSON of that document."""
        from ingest.store import load_documents

        return {d["document"]["id"]: d for d in load_documents(self.data_dir)}

    @cached_property
    def clauses(self) -> dict[str, dict[str, Any]]:
        """Clause id → clause record (with ``doc_id``, ``doc_title``, ``region`` …)."""
        from ingest.store import iter_clauses

        return {c["id"]: c for c in iter_clauses(self.data_dir)}

    def clause(self, clause_id: str) -> dict[str, Any] | None:
        return self.clauses.get(clause_id)

    def source_text(self, doc_id: str) -> str:
        from ingest.store import load_source

        return load_source(self.data_dir, doc_id)
