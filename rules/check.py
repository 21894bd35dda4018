"""A stored quantitative condition checked against the profile's value, explained in Chinese.

The condition is a :class:`records.Condition` as ingest stored it; ``field``
is the profile field it is measured on (:func:`rules.fields.map_field`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.extract.units import UNITS, convert, format_zh
from records import Condition
from rules.fields import COMPARATOR_WORDS
from rules.profile import FIELDS_BY_NAME, Profile

@dataclass
class Check:
    status: str                      # met / not_met / unknown
    explanation: str                 # in Chinese
    field: str | None = None
    profile_value: float | None = None
    gap: float | None = None         # by how much it is missed, in the field's unit


APPROX = 0.10   # 左右: within ±10 % of the value counts as met


def _holds(value: float, comparator: str, limit: float) -> tuple[bool, float]:
    """(holds, gap): gap is how far ``value`` is from satisfying the comparison."""
    eps = 1e-9
    if comparator == "<=":
        return value <= limit + eps, value - limit
    if comparator == ">=":
        return value >= limit - eps, limit - value
    if comparator == "<":
        return value < limit - eps, value - limit
    if comparator == ">":
        return value > limit + eps, limit - value
    if comparator == "=":
        return abs(value - limit) <= eps, abs(value - limit)
    if comparator == "~":
        return abs(value - limit) <= APPROX * abs(limit) + eps, abs(value - limit)
    raise ValueError(comparator)


def shown_unit(c: Condition, field: str) -> str:
    """The unit an explanation speaks in: the clause's own when it writes one in Chinese at the
    field's scale or above (30万千瓦, 50公里), else the field's (兆瓦 for 1.2亿千瓦 or 500千瓦)."""
    spec = FIELDS_BY_NAME[field]
    factor = UNITS.get(c.unit, ("", 0.0))[1] / UNITS.get(spec.unit, ("", 1.0))[1]
    if not c.unit.isascii() and 1 <= factor < 1e5:
        return c.unit
    return spec.unit


def rule_words(c: Condition, field: str) -> str:
    """``不超过50公里``: what the clause asks, in the unit explanations use."""
    unit = shown_unit(c, field)
    return COMPARATOR_WORDS[c.comparator] + format_zh(convert(c.value, c.unit, unit), unit)


def _amount(size: float, unit: str) -> str:
    return f"{size:g}个百分点" if unit in ("%", "％") else format_zh(size, unit)


def check_condition(c: Condition, field: str | None, profile: Profile) -> Check:
    """Compare the profile's ``field`` with the condition, in the field's unit; explain it in Chinese.

    ``本项目直连线路长度为60公里，超过上限50公里（超出10公里）``;
    ``待定：填写“自发自用电量占总用电量的比例（%）”（self_supply_pct）后可判断；条款要求不低于30%``.
    """
    if field is None:
        return Check("unknown", "待定：项目信息中没有衡量此项的字段，需人工核对")
    spec = FIELDS_BY_NAME[field]
    if not profile.has(field):
        return Check("unknown", f"待定：{to_decide(field)}；条款要求{rule_words(c, field)}", field)
    limit = convert(c.value, c.unit, spec.unit)
    value = float(profile.get(field))
    ok, gap = _holds(value, c.comparator, limit)
    unit = shown_unit(c, field)
    limit_text = format_zh(convert(limit, spec.unit, unit), unit)
    size = convert(abs(gap), spec.unit, unit)
    mine = f"本项目{spec.label}为{format_zh(convert(value, spec.unit, unit), unit)}，"
    if ok:
        words = {"<=": f"未超过上限{limit_text}", "<": f"低于上限{limit_text}", ">=": f"达到下限{limit_text}",
                 ">": f"高于下限{limit_text}", "=": f"符合条款要求的{limit_text}",
                 "~": f"在条款要求的{limit_text}左右（相差不超过{APPROX:.0%}）"}[c.comparator]
        return Check("met", mine + words, field, value, 0.0)
    amount = _amount(size, unit)
    if c.comparator in ("<=", "<"):
        words = f"超过上限{limit_text}（超出{amount}）" if size else f"等于上限{limit_text}，条款要求低于该值"
    elif c.comparator in (">=", ">"):
        words = f"低于下限{limit_text}（差{amount}）" if size else f"等于下限{limit_text}，条款要求高于该值"
    elif c.comparator == "~":
        words = f"与条款要求的约{limit_text}相差{amount}，超出±{APPROX:.0%}"
    else:
        words = f"与条款要求的{limit_text}不符（相差{amount}）"
    return Check("not_met", mine + words, field, value, round(abs(gap), 9))


def to_decide(field_name: str) -> str:
    """``填写“直连线路长度（公里）”（direct_line_km）后可判断``: the field named as the form shows it, and its key."""
    spec = FIELDS_BY_NAME[field_name]
    return f"填写“{spec.display_label}”（{field_name}）后可判断"

