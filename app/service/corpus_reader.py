"""What a service part that reads the corpus sees of it (:class:`CorpusReader`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.service.documents import Corpus

if TYPE_CHECKING:
    from records import DocumentMeta


class CorpusReader:
    """A service part handed the :class:`Corpus` it reads: its documents, clauses and files by name."""

    corpus: Corpus

    @property
    def manifest(self) -> dict[str, Any]:
        return self.corpus.manifest

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return self.corpus.documents

    @property
    def metas(self) -> dict[str, DocumentMeta]:
        return self.corpus.metas

    @property
    def clauses(self) -> dict[str, dict[str, Any]]:
        return self.corpus.clauses

    def document(self, doc_id: str) -> dict[str, Any]:
        return self.corpus.document(doc_id)

    def clause(self, clause_id: str) -> dict[str, Any] | None:
        return self.corpus.clause(clause_id)

    def source_text(self, doc_id: str) -> str:
        return self.corpus.source_text(doc_id)
