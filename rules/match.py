"""Which clauses apply to a project, why, and whether it meets their numbers: :func:`apply_profile`.

A clause applies when its document binds the project (:mod:`rules.jurisdiction`)
and it is about the project by reasons worth :data:`MIN_SCORE` (:mod:`rules.reasons`).
Each sentence of an applying clause is checked for a scope that excludes the
project ("依托已有燃煤燃气自备电厂的存量负荷开展绿电直连的，…" for a new plant
without one), and each quantitative condition ingest stored with the clause
(:mod:`ingest.extract.conditions`) is mapped to a profile field
(:mod:`rules.fields`) and checked against the profile; no clause text is read
for conditions here.  A clause is then put in one group: it holds a
checked requirement → *obligations*; a checked target → *targets*; else by
its applying sentences' measure types, first of restriction, requirement,
incentive (money, tax, land, price … and 支持/鼓励/吸引 support), target →
*restrictions*, *obligations*, *incentives*, *targets*; anything else
(government tasks, definitions) → *context*.  Within a group clauses are
ranked by score, ties by clause id, and cut at :data:`CAP` with a count of
the rest.

Everything people read — each reason, each explanation, group titles, the
notes on sentences for someone else, warnings — is Chinese, written in this package once;
what scripts read stays stable: group keys, statuses (``met`` / ``not_met`` /
``unknown``), field names, and each reason's ``kind`` with a ``detail`` dict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from records import Clause, Condition as Stated, ConditionKind, MeasureType
from rules.clauses import RuleClause
from rules.check import Check, check_condition, rule_words, shown_unit, to_decide
from rules.fields import condition_words, map_field
from rules.jurisdiction import binding
from rules.profile import FIELDS_BY_NAME, Profile
from rules.reasons import (
    SearchFn, clause_reasons, description_hits, profile_topics, project_side_industries, resolve_industry,
)
from rules.results import (
    FIRES_WORDS, GROUPS, Applicability, Condition, NotApplicable, Reason, Rule, SentenceNote, Trigger,
)
from rules.scope import ScopeContext, ScopeResult, evaluate_scope, scope_with_negation, sentence_scope
from ingest.extract.units import convert, format_zh

MIN_SCORE = 1.5
CAP = 30
SKIP_KINDS = {"preamble", "closing"}
_SUPPORT = re.compile(r"支持|鼓励|吸引|培育|扶持|招商|引进|引导|优先|倾斜|便利|豁免|绿色通道|激励")


@dataclass
class _Project:
    """What is known of the project for matching, worked out once per profile."""

    profile: Profile
    scheme: Any
    industry: dict[str, Any]
    topics: dict[str, dict[str, Any]]
    ctx: ScopeContext
    described: dict[str, tuple[float, int]]
    linked: bool            # the clauses carry industry links (else the clause text is matched)


def apply_profile(
    profile: Profile,
    clauses: Iterable[dict[str, Any]],
    *,
    scheme: Any = None,
    search: SearchFn | None = None,
    cap: int = CAP,
) -> Applicability:
    """Match ``profile`` against clause records (the ``clauses.jsonl`` shape).

    ``scheme`` is the industry scheme (default: the shipped one); ``search``
    ranks clause ids for the profile's description.  Conditions are the
    clause's stored ``conditions`` (with their source spans), never re-read.
    """
    if scheme is None:
        from ingest.extract.lexicon import load_industry_scheme

        scheme = load_industry_scheme()
    clauses = list(clauses)
    warnings: list[str] = []
    project = _project(profile, clauses, scheme, search, warnings)
    skipped: dict[str, dict[str, str]] = {}
    rules: list[Rule] = []
    conditions: list[Condition] = []
    triggers: list[Trigger] = []
    not_applicable: list[NotApplicable] = []

    for row in clauses:
        doc_id = row.get("doc_id", "")
        bind = binding(row.get("region"), profile.get("region"), profile.get("city"))
        if not bind.binds:
            skipped.setdefault(doc_id, {"doc_id": doc_id, "document": row.get("doc_title", ""), "region": row.get("region") or "", "why": bind.reason})
            continue
        if row.get("kind") in SKIP_KINDS:
            continue
        clause = RuleClause(row)
        reasons = clause_reasons(clause, profile, project.industry, project.topics, scheme, project.described,
                                 project.linked)
        if sum(r.weight for r in reasons if r.primary) < MIN_SCORE:
            continue
        reasons.insert(0, Reason("region", f"地区：{bind.reason}", 0.0, primary=False,
                                 detail={"document_region": clause.region,
                                         "project_region": profile.get("region") or "",
                                         "project_city": profile.get("city") or ""}))
        checked, excluded = _check_conditions(clause, project, triggers, not_applicable)
        sentences = _sentences(clause.record, project.ctx, excluded)
        group = _group(sentences, checked)
        if group is None:
            continue
        rules.append(_rule(clause, group, reasons, sentences, checked))
        conditions.extend(checked)

    shown, more = _rank(rules, cap)
    status_order = {"not_met": 0, "unknown": 1, "met": 2}
    conditions.sort(key=lambda c: (status_order[c.status], c.kind != "requirement", c.clause_id, c.text))
    return Applicability(
        profile=profile, industry=project.industry, topics=sorted(project.topics), rules=shown, more=more,
        conditions=conditions, triggers=triggers, not_applicable=not_applicable,
        skipped_documents=sorted(skipped.values(), key=lambda d: d["doc_id"]), warnings=warnings,
    )


def _project(profile: Profile, clauses: list[dict[str, Any]], scheme: Any, search: SearchFn | None,
             warnings: list[str]) -> _Project:
    industry = resolve_industry(profile, scheme, warnings)
    topics = profile_topics(profile)
    ctx = ScopeContext(profile, industry.get("id"), industry.get("label", ""), scheme,
                       direct_connection=True if "绿电直连" in topics else None,
                       also=project_side_industries(profile, topics, scheme, industry))
    if not profile.has("region"):
        warnings.append("项目信息未填写省份：只有全国性文件可能适用")
    described = description_hits(profile, search, clauses, warnings)
    linked = any(c.get("industries") for c in clauses)
    if not linked:
        warnings.append("数据中没有行业关联（构建时未运行行业抽取）；按条款文字匹配行业")
    return _Project(profile, scheme, industry, topics, ctx, described, linked)


def stated_conditions(clause: Clause) -> list[Stated]:
    """The conditions a clause sets on whom it addresses, as ingest stored them (those its
    entitlements are given on are checked with the entitlements, :mod:`rules.entitlements`)."""
    return [c for c in clause.conditions if c.kind != ConditionKind.ELIGIBILITY]


def _check_conditions(clause: RuleClause, project: _Project, triggers: list[Trigger],
                      not_applicable: list[NotApplicable]) -> tuple[list[Condition], list[str]]:
    """The clause's quantitative conditions checked against the project (triggers and the ones
    whose scope excludes it are added to those lists), and the words of the excluded ones."""
    checked: list[Condition] = []
    excluded: list[str] = []
    for c in stated_conditions(clause.record):
        field = map_field(c)
        scope = evaluate_scope(c.scope, project.ctx)
        if scope.state is False:
            excluded.append(c.text)
            if field:
                not_applicable.append(NotApplicable(clause.id, c.text, condition_words(c), "；".join(scope.reasons)))
            continue
        if field is None:
            continue
        if c.kind == ConditionKind.TRIGGER:
            triggers.append(_trigger(clause, c, field, project.profile, scope))
            continue
        checked.append(_condition(clause, c, field, project.profile, scope))
    return checked, excluded


def _rule(row: RuleClause, group: str, reasons: list[Reason], sentences: list[SentenceNote],
          checked: list[Condition]) -> Rule:
    score = sum(r.weight for r in reasons) + 0.25 * len(checked)
    clause = row.record
    return Rule(
        clause_id=clause.id, group=group, document=row.doc_title, doc_id=row.doc_id, doc_number=row.doc_number,
        region=row.region, path=clause.path, heading=clause.heading, parents=list(clause.parents), text=clause.text,
        span=clause.span.to_json(), score=score, reasons=reasons, sentences=sentences,
        conditions=[c.condition for c in checked],
    )


def _clause_sentences(clause: Clause) -> list[tuple[str, str, str]]:
    """(sentence, measure type, subtype) for the clause; measures as extracted at build time."""
    measures = clause.measures
    if not measures:
        from ingest.extract.measures import classify_measures

        measures = classify_measures(clause.text)
    return [(m.text, m.type, m.subtype) for m in measures]


def _sentences(clause: Clause, ctx: ScopeContext, excluded: list[str] = ()) -> list[SentenceNote]:
    """The clause's sentences with their measure type and whether their scope includes the project.

    ``excluded`` are constraints whose scope excludes the project
    (（煤电企业年捕集规模需达1000吨及以上） for a steel plant): a sentence is typed
    again without them, so it is not an obligation because of them.
    """
    from ingest.extract.measures import classify_sentence

    out = []
    for text, mtype, subtype in _clause_sentences(clause):
        for words in excluded:
            if words and words in text and mtype in ("requirement", "target", "restriction"):
                rest = re.sub(r"[（(]\s*[）)]", "", text.replace(words, ""))
                mtype, subtype = classify_sentence(rest, False)
        if mtype == MeasureType.TASK and _SUPPORT.search(text):
            mtype = MeasureType.INCENTIVE.value    # a task that supports or attracts (支持/鼓励/吸引 …) is, to a project, support
        scope_text = sentence_scope(text)
        result = scope_with_negation(scope_text, ctx) if scope_text else ScopeResult(True)
        out.append(SentenceNote(text, mtype, result.state, "；".join(result.reasons)))
    return out


def _group(sentences: list[SentenceNote], conditions: list[Condition]) -> str | None:
    if any(c.kind == "requirement" for c in conditions):
        return "obligations"
    if any(c.kind == "target" for c in conditions):
        return "targets"
    types = {s.type for s in sentences if s.applies is not False}
    if not types and sentences:
        return None     # every sentence is for someone else
    for t, g in (("restriction", "restrictions"), ("requirement", "obligations"), ("incentive", "incentives"),
                 ("target", "targets")):
        if t in types:
            return g
    return "context"


def _rank(rules: list[Rule], cap: int) -> tuple[list[Rule], dict[str, int]]:
    shown: list[Rule] = []
    more: dict[str, int] = {}
    for g, _ in GROUPS:
        ranked = sorted((r for r in rules if r.group == g), key=lambda r: (-r.score, r.clause_id))
        shown.extend(ranked[:cap])
        if len(ranked) > cap:
            more[g] = len(ranked) - cap
    return shown, more


# ------------------------------------------------------------------ conditions

def _scope_words(c: Stated, scope: ScopeResult) -> str:
    """``；适用对象为“并网型绿电直连项目”：仅适用于并网型项目，填写…后可判断`` when the scope is not known to include the project."""
    if not c.scope or scope.state is not None:
        return ""
    return f"；适用对象为“{c.scope}”：" + "；".join(scope.reasons)


def _condition(clause: RuleClause, c: Stated, field: str, profile: Profile, scope: ScopeResult) -> Condition:
    check: Check = check_condition(c, field, profile)
    notes = []
    if c.firmness == "原则上":
        notes.append("条款写“原则上”，可经批准例外")
    if c.kind == "target":
        when = f"到{c.year}年的" if c.year else (f"“{c.period}”末的" if c.period else "")
        notes.append(f"此为{when}目标，并非对每个项目的现行限制")
    explanation = check.explanation + _scope_words(c, scope) + "".join(f"；{n}" for n in notes)
    return Condition(
        clause_id=clause.id, text=c.text, subject=c.subject, comparator=c.comparator, value=c.value, unit=c.unit,
        status=check.status, explanation=explanation, field=field, profile_value=check.profile_value, gap=check.gap,
        kind=c.kind, scope=c.scope, firmness=c.firmness, year=c.year, condition=condition_words(c),
        source_span=c.span.to_json(),
        document=clause.doc_title, path=clause.record.path,
        canonical_value=c.canonical_value, canonical_unit=c.canonical_unit,
    )


def _trigger(clause: RuleClause, c: Stated, field: str, profile: Profile, scope: ScopeResult) -> Trigger:
    """``不会触发：本项目接入公用电网电压等级为110千伏，不符合条件“为220千伏”``."""
    check = check_condition(c, field, profile)
    fires = {"met": True, "not_met": False}.get(check.status)
    if fires is None:
        words = f"待定：{to_decide(field)}（条件：{rule_words(c, field)}）"
    else:
        spec = FIELDS_BY_NAME[field]
        unit = shown_unit(c, field)
        mine = format_zh(convert(check.profile_value, spec.unit, unit), unit)
        words = (f"{FIRES_WORDS[fires]}：本项目{spec.label}为{mine}，"
                 f"{'符合' if fires else '不符合'}条件“{rule_words(c, field)}”")
    return Trigger(clause.id, c.text, condition_words(c), fires, c.consequence, words + _scope_words(c, scope), field,
                   c.span.to_json(), clause.doc_title, clause.record.path)
