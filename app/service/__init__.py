"""``PolicyService``: the one object the CLI, the Streamlit app and the HTTP API call.

It holds the loaded data folder (documents, clauses, graph, indexes), loads
each part lazily on first use, and has no user-interface logic of its own.
Heavy libraries are imported inside the methods that need them.
"""
from __future__ import annotations

from pathlib import Path

from app import version_lease
from app.paths import default_data
from app.service.applying import ApplyMixin
from app.service.documents import DocumentsMixin
from app.service.graphing import GraphMixin
from app.service.searching import MEASURE_NAMES, SearchMixin
from app.service.uploads import MAX_UPLOAD_BYTES, UploadRefused, UploadsMixin, safe_upload_name

__all__ = ["PolicyService", "DataNotBuilt", "UploadRefused", "safe_upload_name", "MAX_UPLOAD_BYTES", "MEASURE_NAMES"]


class DataNotBuilt(Exception):
    pass


class PolicyService(DocumentsMixin, SearchMixin, GraphMixin, ApplyMixin, UploadsMixin):
    """One loaded data folder; each concern lives in its own module of this package."""

    def __init__(self, data_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir else default_data()
        manifest = self.data_dir / "manifest.json"
        if not manifest.exists():
            raise DataNotBuilt(f"{self.data_dir}: no built data here; run `policykg build --out {self.data_dir}` first")
        # Resolve the published version once, so a rebuild mid-session does not mix versions,
        # and hold it, so a build does not prune it while this object reads it.
        self.data_dir = self.data_dir.resolve()
        self._lease = version_lease.hold(self.data_dir)

    def release(self) -> None:
        """Let a build prune this object's version (it must not be read after this)."""
        if self._lease is not None:
            self._lease.close()
            self._lease = None
