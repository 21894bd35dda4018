"""The service of the data folder's *published* version, following rebuilds.

A long-running reader (the HTTP API) must not keep serving the version it
loaded first: once two builds have pruned it, its files are gone.
:class:`CurrentService` checks where the published link points before each
request and loads a new :class:`~app.service.PolicyService` when a build has
moved it.  That is a safe point: a request in flight keeps the service object
it started with, whose version stays on disk because its lease
(:mod:`app.version_lease`) keeps the build from pruning it.
"""
from __future__ import annotations

import threading
from pathlib import Path

from app.service import PolicyService, UploadRefused


class CurrentService:
    def __init__(self, service: PolicyService):
        self._service = service
        self._previous: PolicyService | None = None   # may still serve requests that started before a reload
        self._lock = threading.Lock()
        try:
            self.published: Path | None = service._published_path()
        except UploadRefused:      # a plain folder, not a published build: nothing to follow
            self.published = None

    def get(self) -> PolicyService:
        """The loaded service, reloaded first when the published link points at a newer version."""
        service = self._service
        target = self._target()
        if target is None or target == service.data_dir:
            return service
        with self._lock:
            if self._service.data_dir != target:
                if self._previous is not None:
                    self._previous.release()
                self._previous, self._service = self._service, PolicyService(target)
            return self._service

    def _target(self) -> Path | None:
        if self.published is None:
            return None
        try:
            target = self.published.resolve(strict=True)
        except OSError:
            return None
        return target if (target / "manifest.json").exists() else None
