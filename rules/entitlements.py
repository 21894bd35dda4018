"""Which of an entitlement's quantitative conditions a project profile meets.

Extraction (:mod:`ingest.extract.entitlements`) stores, per clause, the
entitlements it grants and the conditions they are given on ("对批发企业当年
销售额达到5亿元以上的，给予…"), each a :class:`records.model.Condition` (kind
``eligibility``) that the entitlement names by its index in the clause's
``conditions``.  Here each condition is mapped to a profile field — first by
the clause-condition table (:data:`rules.fields.FIELD_RULES`: 装机容量, 用电负荷
…), then by the business figures award rules are written on
(:data:`FIELD_RULES`: 投资额, 营业收入, 纳税) — and checked with
:func:`rules.check.check_condition`:

* ``met`` / ``not_met``: the profile has the field; the explanation says by how much;
* ``unknown``: the profile lacks the field (the explanation names it), or no
  field measures the condition (to be checked by hand).

An entitlement is ``met`` when all its conditions are, ``not_met`` when one is
not, ``unknown`` otherwise, and ``none`` when it names no quantitative condition.
"""
from __future__ import annotations

import re
from typing import Any

from ingest.extract.conditions import strip_parens
from ingest.extract.units import same_dimension
from records import Condition
from rules.check import check_condition as check_stored
from rules.fields import map_field
from rules.jurisdiction import binding
from rules.profile import FIELDS_BY_NAME, Profile, load_profile

# subject of an award condition → profile field; a change or a share of these (增幅, 占比) is
# a percentage, which the unit check keeps off the money fields.
FIELD_RULES: tuple[tuple[str, str], ...] = (
    (r"投资额|投资总额|项目投资|固定资产投资|设备投资|投资", "investment_wan_yuan"),
    (r"营业收入|营业额|销售收入|销售额|主营业务收入|业务收入|营收", "revenue_wan_yuan"),
    (r"纳税|税收|缴税|税额", "tax_wan_yuan"),
)

OVERALL_WORDS = {"met": "符合全部量化条件", "not_met": "有条件未满足", "unknown": "条件待核对", "none": "无量化条件"}


def condition_field(c: Condition) -> str | None:
    """The profile field a stored condition is checked on: the clause-condition table first, then
    the business figures award rules are written on."""
    return map_field(c) or _award_field(c)


def _award_field(c: Condition) -> str | None:
    subject = strip_parens(c.subject)
    for pattern, name in FIELD_RULES:
        if re.search(pattern, subject) and same_dimension(c.unit, FIELDS_BY_NAME[name].unit):
            return name
    return None


def check_condition(condition: Condition | dict[str, Any], profile: Profile | dict[str, Any]) -> dict[str, Any]:
    """One stored condition (a record or its JSON) checked: its words, ``status`` (met / not_met /
    unknown), ``explanation``, ``field``."""
    c = condition if isinstance(condition, Condition) else Condition.from_json(condition)
    field = condition_field(c)
    check = check_stored(c, field, load_profile(profile))
    return {"text": c.text, "subject": c.subject, "comparator": c.comparator, "value": float(c.value), "unit": c.unit,
            "field": field, "status": check.status, "explanation": check.explanation}


def overall(statuses: list[str]) -> str:
    """met when every condition is, not_met when any is not, none without conditions, else unknown."""
    if not statuses:
        return "none"
    if "not_met" in statuses:
        return "not_met"
    return "met" if all(s == "met" for s in statuses) else "unknown"


def check_clause_entitlements(clause: dict[str, Any], profile: Profile | dict[str, Any]) -> list[dict[str, Any]]:
    """Every entitlement of a clause record with its conditions checked against the profile.

    Each row is the entitlement as stored (kind, value, cap, beneficiary,
    accepted_by, deadline …) with ``conditions`` replaced by the checked ones,
    ``status`` (:func:`overall`) and ``clause_id``."""
    profile = load_profile(profile)
    conditions = clause.get("conditions") or []
    rows = []
    for e in clause.get("entitlements") or []:
        checked = [check_condition(conditions[i], profile) for i in e.get("conditions") or []
                   if isinstance(i, int) and 0 <= i < len(conditions)]
        rows.append({**{k: v for k, v in e.items() if k != "conditions"}, "conditions": checked,
                     "status": overall([c["status"] for c in checked]), "clause_id": clause.get("id", "")})
    return rows


def project_entitlements(clauses, profile: Profile | dict[str, Any]) -> list[dict[str, Any]]:
    """The entitlements of every clause whose document binds the project (:func:`rules.jurisdiction.binding`:
    national documents, its province's, its city's), checked as :func:`check_clause_entitlements`."""
    profile = load_profile(profile)
    return [row for clause in clauses if clause.get("entitlements")
            and binding(clause.get("region"), profile.get("region"), profile.get("city")).binds
            for row in check_clause_entitlements(clause, profile)]
