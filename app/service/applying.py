"""Which rules apply to a project (:mod:`rules`)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from app.service.corpus_reader import CorpusReader
from app.service.memo import profile_key, remember

_FIELD_VALUE = re.compile(r"\b([a-z][a-z0-9_]*)=([0-9.]+)")
_FIELD_NAME = re.compile(r"[（(]([a-z][a-z0-9_]*)[）)]")


def plain_words(text: str) -> str:
    """The engine's sentences without raw profile field names, for people:
    ``direct_line_km=60`` → ``直连线路长度60公里``; ``“…比例（%）”（self_supply_pct）`` → ``“…比例（%）”``."""
    from rules.profile import FIELDS_BY_NAME as fields

    text = _FIELD_VALUE.sub(lambda m: f"{fields[m[1]].label}{fields[m[1]].format(float(m[2]))}" if m[1] in fields else m[0],
                            text or "")
    return _FIELD_NAME.sub(lambda m: "" if m[1] in fields else m[0], text)


def _plain_copy(result):
    """A copy of an applicability result with every sentence a report shows in :func:`plain_words`."""
    import copy

    result = copy.deepcopy(result)
    for rule in result.rules:
        for reason in rule.reasons:
            reason.text = plain_words(reason.text)
        for note in rule.sentences:
            note.why = plain_words(note.why)
    for item in [*result.conditions, *result.triggers]:
        item.explanation = plain_words(item.explanation)
    for item in result.not_applicable:
        item.reason = plain_words(item.reason)
    for doc in result.skipped_documents:
        doc["why"] = plain_words(doc.get("why", ""))
    result.warnings[:] = [plain_words(w) for w in result.warnings]
    return result


class ProjectRules(CorpusReader):
    """Checks a project profile against the clauses; reports in Markdown, Excel and PDF.

    ``search`` (a :meth:`ClauseSearch.search`) ranks clauses for a profile's description."""

    def __init__(self, corpus, search: Callable[..., list[dict[str, Any]]] | None = None):
        self.corpus = corpus
        self.data_dir = corpus.data_dir
        self.search = search

    def apply(self, profile: dict[str, Any] | str | Path) -> dict[str, Any]:
        """The rules that apply to a project profile, why, and its quantitative conditions checked.

        ``profile`` is a dict of profile fields or a JSON file path (see
        :mod:`rules.profile`).  Returns the JSON shape of
        ``policykg apply --json``: ``{"rules": [{"clause_id", "group", "text", "why", …}],
        "conditions": [{"clause_id", "text", "subject", "comparator", "value", "unit",
        "status", "explanation", …}], "triggers", "not_applicable", …}``.  Raises
        :class:`rules.profile.ProfileError` (a ``ValueError``) for a bad profile.
        """
        return self.apply_result(profile).to_json()

    @remember(profile_key)      # the project page shows, and reports, one check of a profile
    def apply_result(self, profile: dict[str, Any] | str | Path, cap: int | None = None):
        """As :meth:`apply`, as the engine's :class:`~rules.results.Applicability`
        object; ``cap`` clauses shown per group (default 30)."""
        from rules.match import CAP, apply_profile
        from rules.profile import load_profile
        from ingest.extract.lexicon import load_industry_scheme

        parsed = load_profile(profile)
        return apply_profile(parsed, self.clauses.values(), scheme=load_industry_scheme(),
                             search=self._description_search(parsed), cap=cap or CAP)

    def check_entitlements(self, profile: dict[str, Any] | str | Path,
                           clause_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """What a project may be granted: the entitlements of these clauses (``None``: of every clause
        whose document binds the project), each with its quantitative conditions checked against the
        profile — ``status`` met / not_met / unknown per condition and for the entitlement (``none``
        without conditions), explanations in plain words (:mod:`rules.entitlements`)."""
        from rules.entitlements import check_clause_entitlements, project_entitlements
        from rules.profile import load_profile

        parsed = load_profile(profile)
        if clause_ids is None:
            rows = project_entitlements(self.clauses.values(), parsed)
        else:
            rows = [row for clause in (self.clause(i) for i in clause_ids) if clause
                    for row in check_clause_entitlements(clause, parsed)]
        for row in rows:
            for c in row["conditions"]:
                c["explanation"] = plain_words(c["explanation"])
        return rows

    def apply_report(self, profile: dict[str, Any] | str | Path, fmt: str = "md") -> str | bytes:
        """The applicability report as Markdown text (``fmt="md"``), or Excel or PDF bytes (``fmt="xlsx"``, ``"pdf"``;
        a PDF raises ``ReportError`` saying why when this machine cannot make one)."""
        import tempfile

        from rules.report import render_markdown

        result = self.apply_result(profile)
        if fmt == "md":
            return render_markdown(_plain_copy(result), self._report_meta())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"report.{fmt}"
            self.write_apply_report(result, path)
            return path.read_bytes()

    def write_apply_report(self, result, path: Path) -> None:
        """Write an applicability result as ``.md``, ``.xlsx`` or ``.pdf`` (``ReportError`` saying why one cannot be made),
        in plain words (:func:`plain_words`) and naming no server path."""
        from rules.report import write_report

        write_report(_plain_copy(result), Path(path), self._report_meta())

    def _report_meta(self) -> dict[str, Any]:
        import time

        # No server paths in a report people pass around: the data is named, not located.
        return {"data_dir": "政策语料库", "built_at": self.manifest.get("built_at", ""),
                "documents": len(self.documents), "made_at": time.strftime("%Y-%m-%d %H:%M")}

    def _description_search(self, profile):
        """Clause ids ranked for the profile's description by this build's search, if it has one."""
        search = self.search
        if not profile.get("description") or search is None:
            return None

        def ranked(query: str, k: int):
            for hit in search(query, k=k):
                hit = hit if isinstance(hit, dict) else vars(hit)
                yield hit.get("clause_id") or hit.get("id"), float(hit.get("score") or 0.0)

        return ranked
