"""Which profile field a stored condition is measured on, and the condition in words.

Conditions are read at ingest (:mod:`ingest.extract.conditions`) and stored
with their clause as :class:`records.Condition`.  Here the measured quantity
(its ``subject``) is mapped to a profile field by :data:`FIELD_RULES`, a short
table of patterns; a condition whose subject maps to no field, or whose unit
is of another dimension than the field's, stays unmapped (shown with its
clause, never checked).  The scope is checked by :mod:`rules.scope`, the
value by :mod:`rules.check`.
"""
from __future__ import annotations

import re

from ingest.extract.conditions import strip_parens
from ingest.extract.units import format_value, same_dimension
from records import Comparator, Condition, labels
from rules.profile import FIELDS_BY_NAME

SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "=", "~": "≈"}
# a comparator in words, before the value: 条款要求不超过50公里
COMPARATOR_WORDS = labels(Comparator)

# (pattern over the subject without brackets, profile field).  First match
# wins; the field is used only when the condition's unit has the field's
# dimension (a "装机占比" in % never lands on capacity_mw).
FIELD_RULES: tuple[tuple[str, str], ...] = (
    (r"自发自用.*占.*可用发电量", "self_consumption_pct"),      # 自发自用电量占总可用发电量的比例
    (r"自发自用.*占.*用电量", "self_supply_pct"),               # 自发自用电量占总用电量的比例
    (r"上网.*(占.*可用发电量|比例|占比)", "feed_in_pct"),        # 上网电量占总可用发电量的比例
    (r"线路.*长度|线路长", "direct_line_km"),                   # 直连线路长度
    (r"电压等级|接入电压", "grid_voltage_kv"),                  # 接入公用电网电压等级
    (r"捕集(规模|量|能力)|二氧化碳捕集", "co2_capture_t_per_year"),  # 年捕集规模
    (r"(可再生能源|绿电|绿色电力)(电力)?(使用|消费|消纳)?(比例|比重|占比)", "renewable_share_pct"),
    (r"^(?!.*总装机).*装机(容量|规模)", "capacity_mw"),          # 电源装机规模 (not a region's 总装机)
    (r"用电负荷|负荷规模|最大负荷", "load_mw"),
    (r"综合能耗|能源消费量|能耗总量|年耗能", "energy_use_tce"),
)


def map_field(c: Condition) -> str | None:
    """The profile field ``c`` is checked on, or None."""
    subject = strip_parens(c.subject) + (re.sub(r"^.*（", "（", c.subject) if "（占" in c.subject else "")
    for pattern, name in FIELD_RULES:
        if re.search(pattern, subject):
            spec = FIELDS_BY_NAME[name]
            if same_dimension(c.unit, spec.unit):
                return name
            return None
    return None


def condition_words(c: Condition) -> str:
    """``直连线路长度 ≤ 50公里``."""
    return f"{c.subject} {SYMBOLS[c.comparator]} {format_value(c.value, c.unit)}"
