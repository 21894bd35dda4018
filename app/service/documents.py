"""Documents and clauses of the loaded data folder, and a document as a clause tree."""
from __future__ import annotations

import json
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from records import Citation, DocumentMeta


class Corpus:
    """Reads ``documents/``, ``clauses.jsonl`` and ``sources/`` of a data folder, each on first use."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.data_dir / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Document id → ``{"document": fields, "clause_count": n}``.

        Only the fields are held for every document; :meth:`document` reads a whole
        record, clauses included, when one is opened.
        """
        from ingest.files import iter_documents

        return {d["document"]["id"]: {"document": d["document"], "clause_count": len(d["clauses"])}
                for d in iter_documents(self.data_dir)}

    @cached_property
    def metas(self) -> dict[str, DocumentMeta]:
        """Document id → its fields as a typed :class:`records.DocumentMeta` (title, number, region …)."""
        from records import DocumentMeta

        return {doc_id: DocumentMeta.from_json(d["document"]) for doc_id, d in self.documents.items()}

    def document(self, doc_id: str) -> dict[str, Any]:
        """The whole ingest record of one document; ``KeyError`` for an unknown id.
        The last few read are kept, so paging through one document reads it once."""
        if doc_id not in self.documents:
            raise KeyError(doc_id)
        return self._read_document(doc_id)

    @cached_property
    def _read_document(self):
        from ingest.files import load_document

        return lru_cache(maxsize=32)(partial(load_document, self.data_dir))

    @cached_property
    def clauses(self) -> dict[str, dict[str, Any]]:
        """Clause id → clause record (with ``doc_id``, ``doc_title``, ``region`` …), all of them:
        for what looks across the corpus (facets, the entity graph, applying a profile)."""
        from ingest.files import iter_clauses

        return {c["id"]: c for c in iter_clauses(self.data_dir)}

    def clause(self, clause_id: str) -> dict[str, Any] | None:
        """One clause record, read from its document (``None`` for an unknown id)."""
        from ingest.files import clause_records

        if "clauses" in self.__dict__:          # already loaded whole
            return self.clauses.get(clause_id)
        doc_id = clause_id.partition("#")[0]
        if doc_id not in self.documents:
            return None
        return next((c for c in clause_records(self.document(doc_id)) if c["id"] == clause_id), None)

    def source_text(self, doc_id: str) -> str:
        from ingest.files import load_source

        return load_source(self.data_dir, doc_id)

    def document_tree(self, doc_id: str) -> dict[str, Any]:
        """A document as nested sections, for reading it as its clause tree.

        Returns ``{"document": fields, "warnings": [...], "children": [node, …]}``
        where a node is ``{"type": "section", "number", "heading", "children"}``
        or ``{"type": "clause", "clause": record}``, in document order.
        Raises ``KeyError`` for an unknown document id.
        """
        doc = self.document(doc_id)
        root: dict[str, Any] = {"children": []}
        for clause in _document_order(doc):
            node = root
            for number, heading in _section_path(clause):
                last = node["children"][-1] if node["children"] else None
                if last and last["type"] == "section" and (last["number"], last["heading"]) == (number, heading):
                    node = last
                else:
                    node["children"].append({"type": "section", "number": number, "heading": heading, "children": []})
                    node = node["children"][-1]
            node["children"].append({"type": "clause", "clause": clause})
        return {"document": doc["document"], "warnings": doc.get("warnings", []), "children": root["children"]}

    def clause_context(self, clause_id: str, before: int = 1, after: int = 1) -> dict[str, Any] | None:
        """A clause in its document: the document's fields, the enclosing sections,
        and the ``before``/``after`` clauses next to it in document order (``None`` for an unknown id)."""
        clause = self.clause(clause_id)
        if clause is None:
            return None
        doc = self.document(clause["doc_id"])
        seq = _document_order(doc)
        i = next(n for n, c in enumerate(seq) if c["id"] == clause_id)
        return {
            "clause": clause,
            "document": doc["document"],
            "sections": [{"number": n, "heading": h} for n, h in _section_path(clause)],
            "before": seq[max(0, i - before):i],
            "after": seq[i + 1:i + 1 + after],
            "position": i + 1,
            "total": len(seq),
        }


    def resolve_citation(self, title: str, number: str = "") -> str | None:
        """The corpus document a citation (《title》, 文号) names, or ``None`` when the corpus has none."""
        cited = self._citation_index.resolve(title or "", number or "")
        return cited.doc_id if cited.in_corpus and cited.doc_id in self.documents else None

    def document_links(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        """What a document cites and what cites it, among the corpus documents.

        ``{"cites": [{"doc_id", "title", "number", "clauses": [clause ids citing]}],
        "cited_by": [same shape, the clauses of the other document],
        "cites_outside": [{"title", "number", "clauses"}: documents cited that the corpus lacks]}``.
        """
        if doc_id not in self.documents:
            raise KeyError(doc_id)
        links = self._citation_links

        def rows(pairs: dict[str, list[str]]) -> list[dict[str, Any]]:
            return [{"doc_id": other, "title": self.metas[other].title, "number": self.metas[other].number or "",
                     "clauses": clauses} for other, clauses in pairs.items()]

        outside: dict[tuple[str, str], list[str]] = {}
        for source, clause_id, cited in self._citations:
            if source == doc_id and self.resolve_citation(cited.title, cited.number) is None:
                found = outside.setdefault((cited.title, cited.number), [])
                if clause_id not in found:
                    found.append(clause_id)
        return {"cites": rows(links["cites"].get(doc_id, {})), "cited_by": rows(links["cited_by"].get(doc_id, {})),
                "cites_outside": [{"title": t, "number": n, "clauses": c} for (t, n), c in outside.items()]}

    @cached_property
    def _citation_index(self):
        from graph.citations import CorpusIndex

        index = CorpusIndex.of({"document": d["document"], "clauses": []} for d in self.documents.values())
        for _, _, cited in self._citations:
            if cited.title and cited.number:
                index.cited_number_of.setdefault(cited.title, cited.number)
        return index

    @cached_property
    def _citations(self) -> list[tuple[str, str, Citation]]:
        """``(doc id, clause id, citation)`` for every 《title》 or 文号 a clause cites, in corpus order."""
        from records import Clause

        return [(clause["doc_id"], clause["id"], cited) for clause in self.clauses.values()
                for cited in Clause.from_json(clause).cites]

    @cached_property
    def _citation_links(self) -> dict[str, dict[str, dict[str, list[str]]]]:
        cites: dict[str, dict[str, list[str]]] = {}
        cited_by: dict[str, dict[str, list[str]]] = {}
        for source, clause_id, cited in self._citations:
            target = self.resolve_citation(cited.title, cited.number)
            if target is None or target == source:
                continue
            mine = cites.setdefault(source, {}).setdefault(target, [])
            theirs = cited_by.setdefault(target, {}).setdefault(source, [])
            for found in (mine, theirs):
                if clause_id not in found:
                    found.append(clause_id)
        return {"cites": cites, "cited_by": cited_by}


def _document_order(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(doc["clauses"], key=lambda c: (c["span"][0], c["span"][1]))


def _section_path(clause: dict[str, Any]) -> list[tuple[str, str]]:
    """``[(number, heading), …]`` of the sections enclosing a clause, outermost first."""
    from records import enclosing_sections

    return [(s.number, s.heading) for s in enclosing_sections(clause["path"], clause["parents"])]
