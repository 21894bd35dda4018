"""Adding an uploaded document to a published data folder."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from app.service.corpus_reader import CorpusReader

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadRefused(ValueError):
    """An uploaded file was not added.

    ``reason`` is one of ``name``, ``size``, ``empty``, ``format``, ``limits``, ``duplicate``,
    ``busy``, ``readonly``, ``build``; ``detail`` says what was wrong, in the
    words of the check that refused it.
    """

    def __init__(self, reason: str, detail: str):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def safe_upload_name(name: str) -> str:
    """A file name that is safe to write: no folders, no hidden or control characters.

    ``../../etc/passwd`` → ``passwd``; ``C:\\x\\方案.docx`` → ``方案.docx``;
    raises :class:`UploadRefused` when nothing usable is left.
    """
    import re
    import unicodedata

    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip()[:80]
    if not stem:
        raise UploadRefused("name", f"{name!r} is not a usable file name")
    return f"{stem}.{suffix[:10]}" if suffix else stem


class Publisher(CorpusReader):
    """Checked uploads, added by an incremental rebuild of the data folder they belong to."""

    def __init__(self, data_dir: Path, corpus):
        self.data_dir = data_dir
        self.corpus = corpus

    def add_document(self, filename: str, data: bytes, progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
        """Add an uploaded file to the corpus and publish a rebuilt data version.

        Checks come before anything is kept: a safe name (:func:`safe_upload_name`),
        the size limit (:data:`MAX_UPLOAD_BYTES`), the format sniffed from the
        bytes by :func:`ingest.readers.read_source`, that it parses into clauses
        within the memory and time limits of :mod:`app.service.sandbox` (parsed in
        a child process), and that neither its content nor its document id is in the corpus
        already.  The file is then kept (named after its real format) in
        ``.<data>.versions/uploads/`` and the original corpus plus every upload
        is rebuilt into the data folder by :func:`app.build.build` (in a child
        process with limits, :func:`app.service.sandbox.build_limited`), which
        includes that uploads folder in every later build of the same data
        folder (atomic publish; a failed build keeps the old data).  This object goes on
        serving the version it loaded: load a new ``PolicyService`` to see the
        document.

        Returns ``{"doc_id", "title", "number", "region", "clauses", "format",
        "file", "warnings", "seconds"}``; raises :class:`UploadRefused`.
        """
        import hashlib
        import tempfile

        from app.build import uploads_dir
        from app.service.sandbox import LimitExceeded, build_limited, parse_limited

        name = safe_upload_name(filename)
        if not data:
            raise UploadRefused("empty", f"{name}: the file is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise UploadRefused("size", f"{name}: {len(data) / 2**20:.1f} MB, over the {MAX_UPLOAD_BYTES // 2**20} MB limit")
        out = self._published_path()
        uploads = uploads_dir(out)
        uploads.mkdir(parents=True, exist_ok=True)

        progress(f"检查文件 {name}（{len(data) / 1024:.0f} KB）")
        with tempfile.TemporaryDirectory(dir=uploads.parent, prefix="upload-") as tmp:
            probe = Path(tmp) / name
            probe.write_bytes(data)
            try:
                parsed = parse_limited(probe)
            except LimitExceeded as err:
                raise UploadRefused("limits", f"{name}: {err}") from None
            if "refused" in parsed:
                raise UploadRefused("format", f"{name}: {parsed['refused']}")
        meta = parsed["document"]
        sha = hashlib.sha256(data).hexdigest()
        for other in self.documents.values():
            fields = other["document"]
            if fields.get("source_sha256") == sha:
                raise UploadRefused("duplicate", f"{name}: same content as 《{fields['title']}》 ({fields['id']}), already in the corpus")
        progress(f"已解析：《{meta['title']}》，{meta['clauses']} 条条款")

        stem, suffix = name.rpartition(".")[0] or name, meta["format"] or "txt"
        kept, n = uploads / f"{stem}.{suffix}", 2
        while kept.exists():
            kept, n = uploads / f"{stem}-{n}.{suffix}", n + 1
        kept.write_bytes(data)
        try:
            # Incremental: only the new file is parsed; the build lock serialises uploads.  In a child
            # process with its own limits, so the server keeps its memory whatever the build needs.
            report = build_limited(Path(self.manifest["corpus"]), out, settings=self.manifest.get("settings") or {},
                                   stages=bool(self.manifest.get("stages")), progress=progress)
        except LimitExceeded as err:
            kept.unlink(missing_ok=True)
            raise UploadRefused("limits", f"{name}: {err}") from None
        if "error" in report:
            kept.unlink(missing_ok=True)
            reason = "busy" if "another build" in report["error"] else "limits" if report.get("limit") else "build"
            raise UploadRefused(reason, report["error"])
        # A derived id another document already has gets a tail in the build (河南 / 海南 reports):
        # the document is the one built from the kept file.
        doc_id = next((i for i, d in report["documents"].items() if Path(d["file"]).name == kept.name
                       and Path(d["file"]).parent.resolve() == kept.parent.resolve()), None)
        if doc_id is None:
            kept.unlink(missing_ok=True)
            why = [r for r in report["refused"] + report["warnings"] if kept.name in r]
            raise UploadRefused("build", "; ".join(why) or f"{name} was not added by the build")
        progress(f"完成：语料共 {len(report['documents'])} 份文件，用时 {report['seconds']:.1f} 秒")
        return {
            "doc_id": doc_id, "title": meta["title"], "number": meta["number"], "region": meta["region"],
            "clauses": meta["clauses"], "format": meta["format"], "file": kept.name,
            "warnings": meta["warnings"], "seconds": report["seconds"],
        }

    def remove_document(self, doc_id: str, progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
        """Take a document (and its clauses) out of the corpus and publish a rebuilt data version.

        The same atomic, locked rebuild as :meth:`add_document`: an uploaded
        file is moved to ``removed/`` beside the uploads; a corpus-folder file is
        never touched but listed in ``removed.json`` so that every later build
        of this data folder leaves it out (:mod:`app.removals`).  A failed
        rebuild undoes either and keeps the old data.  Returns ``{"doc_id",
        "title", "documents", "seconds"}``; raises ``KeyError`` for an unknown
        id and :class:`UploadRefused` (``busy``, ``readonly``, ``build``).
        """
        import shutil

        from app import removals
        from app.build import BuildError, build, uploads_dir

        if doc_id not in self.documents:
            raise KeyError(doc_id)
        title = self.metas[doc_id].title
        out = self._published_path()
        uploads = uploads_dir(out)
        source = self._source_file(doc_id, uploads)
        undo: Callable[[], None]
        if source is not None and source.parent.resolve() == uploads.resolve():
            parked = uploads.parent / "removed" / source.name
            parked.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, parked)
            undo = lambda: shutil.move(parked, source)  # noqa: E731
        elif source is not None:
            digest = removals.leave_out(out, source, doc_id, title)
            undo = lambda: removals.take_back(out, digest)  # noqa: E731
        else:
            raise UploadRefused("build", f"{doc_id}: 找不到构建时读取的源文件")
        progress(f"移除《{title}》，重建索引")
        try:
            report = build(Path(self.manifest["corpus"]), out, settings=self.manifest.get("settings") or {},
                           progress=progress, stages=bool(self.manifest.get("stages")))
        except BuildError as err:
            undo()
            raise UploadRefused("busy" if "another build" in str(err) else "build", str(err)) from None
        if doc_id in report.documents:      # another file holds the same document: say so rather than pretend
            raise UploadRefused("build", f"{doc_id}: 语料中另有文件解析为同一份文件（{report.documents[doc_id].get('file')}），未能移除")
        progress(f"完成：语料共 {len(report.documents)} 份文件，用时 {report.seconds:.1f} 秒")
        return {"doc_id": doc_id, "title": title, "documents": len(report.documents), "seconds": report.seconds}

    def _source_file(self, doc_id: str, uploads: Path) -> Path | None:
        """The file the build read ``doc_id`` from (the manifest holds it as the build was given it)."""
        written = Path(((self.manifest.get("documents") or {}).get(doc_id) or {}).get("file") or "")
        if not written.name:
            return None
        if written.is_absolute():
            return written if written.is_file() else None
        for base in (Path(self.manifest["corpus"]), uploads):
            for found in sorted(base.rglob(written.name)) if base.is_dir() else []:
                if str(found).endswith(str(written)):
                    return found
        return None

    def _published_path(self) -> Path:
        """The data folder path a build publishes to (the symlink to this version)."""
        versions = self.data_dir.parent
        if versions.name.startswith(".") and versions.name.endswith(".versions"):
            return versions.parent / versions.name[1:-len(".versions")]
        raise UploadRefused("readonly", f"{self.data_dir} is not a published build (made by `policykg build`); documents cannot be added to it")
