"""The code lists records use, and their ONE Chinese label table.

A code is the short value stored in the files between stages (``"lead"``,
``"incentive"``, ``"确保"`` …).  Each list is a :class:`~enum.StrEnum`, so a
member *is* its code (``Role.LEAD == "lead"``) and old records with plain
strings stay valid.  :data:`ZH` holds the Chinese word for every code; the
graph's ontology (``graph/ontology.ttl``, ``skos:prefLabel @zh``), search
facets, the UI and the exports all read it from here (a test checks that the
ontology agrees).
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an agency does in a clause's task."""

    LEAD = "lead"          # 牵头: listed first, or marked 牵头
    SUPPORT = "support"    # 配合: listed after the lead, or marked 配合/参与/协助/会同
    LISTED = "listed"      # named in a plain list of 责任单位, no lead marked
    ACTOR = "actor"        # the subject of a duty (县级以上人民政府…应当…)


class MeasureType(StrEnum):
    """The type of one sentence as a policy measure (:mod:`ingest.extract.measures`)."""

    TASK = "task"
    INCENTIVE = "incentive"
    RESTRICTION = "restriction"
    REQUIREMENT = "requirement"
    TARGET = "target"
    DEFINITION = "definition"


class Instrument(StrEnum):
    """The kind of an incentive (a measure's ``subtype``; an entitlement's ``kind``)."""

    FUNDS = "funds"
    SUBSIDY = "subsidy"
    AWARD = "award"
    TAX = "tax"
    LAND = "land"
    POWER_PRICE = "power_price"
    FINANCE = "finance"
    INSURANCE = "insurance"
    PRIORITY = "priority"
    OTHER = "other"
    ENCOURAGEMENT = "encouragement"
    LOAN_INTEREST = "loan_interest"
    FEE = "fee"


class TargetKind(StrEnum):
    """What a target states about its indicator."""

    LEVEL = "level"            # 达到 / 保持在: a level to reach or hold
    GROWTH = "growth"          # 增长 / 提高 …: a rise against a baseline
    REDUCTION = "reduction"    # 下降 / 降低 …: a fall against a baseline
    CAP = "cap"                # 不超过 / 控制在 …以内: an upper bound
    COUNT = "count"            # 建成 / 培育 …: things to build or create


class ClauseKind(StrEnum):
    """What a clause (or an enclosing section) of a document is."""

    SECTION = "section"        # a numbered part that only encloses clauses
    ITEM = "item"
    PARAGRAPH = "paragraph"
    SIDEBAR = "sidebar"
    PREAMBLE = "preamble"
    CLOSING = "closing"


class Firmness(StrEnum):
    """How binding a target or condition is; the codes are the words as written."""

    ENSURE = "确保"
    STRIVE = "力争"
    TRY = "争取"
    ENDEAVOUR = "努力"
    IN_PRINCIPLE = "原则上"
    APPROXIMATE = "左右"
    PLAIN = ""


class Level(StrEnum):
    """A document's 效力级别 (legal force), as ingest reads it; the codes are the words."""

    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    DEPARTMENT_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    LOCAL_GOVERNMENT_RULE = "地方政府规章"
    JUDICIAL_INTERPRETATION = "司法解释"
    NORMATIVE_DOCUMENT = "规范性文件"
    WORK_REPORT = "工作报告"
    OTHER = "其他"
    UNKNOWN = ""


class ConditionKind(StrEnum):
    """What a quantitative condition in a clause does."""

    REQUIREMENT = "requirement"   # the project must meet it
    TARGET = "target"             # it is to hold by a year or plan period
    TRIGGER = "trigger"           # a provision applies when it holds (…超过20%的，按…)
    ELIGIBILITY = "eligibility"   # an entitlement is given when it holds (销售额达到5亿元以上的，给予…)


class Comparator(StrEnum):
    """How a condition compares a quantity with its value (以上 ≥, 以下/以内 ≤, 超过 >, 低于 <)."""

    LE = "<="
    GE = ">="
    LT = "<"
    GT = ">"
    EQ = "="
    ABOUT = "~"


class MentionKind(StrEnum):
    """The kinds of mention a clause holds, each with a span into the source text."""

    AGENCY = "agency"
    TARGET = "target"
    MEASURE = "measure"
    INDUSTRY = "industry"
    CITATION = "citation"
    CONDITION = "condition"
    ENTITLEMENT = "entitlement"


# The one Chinese label table: code list → code → 中文.
ZH: dict[type[StrEnum], dict[str, str]] = {
    Role: {"lead": "牵头", "support": "配合", "listed": "责任单位", "actor": "责任主体"},
    MeasureType: {"task": "任务", "incentive": "支持", "restriction": "限制", "requirement": "要求",
                  "target": "目标", "definition": "定义"},
    Instrument: {"funds": "资金", "subsidy": "补贴", "award": "奖励", "tax": "税收", "land": "用地",
                 "power_price": "电价", "finance": "金融", "insurance": "保险", "priority": "优先支持",
                 "other": "其他支持", "encouragement": "鼓励", "loan_interest": "贴息", "fee": "费用减免"},
    TargetKind: {"level": "水平", "growth": "增长", "reduction": "下降", "cap": "上限", "count": "数量"},
    ClauseKind: {"section": "部分", "item": "条目", "paragraph": "段落", "sidebar": "专栏",
                 "preamble": "前言", "closing": "结语"},
    Firmness: {"确保": "确保", "力争": "力争", "争取": "力争", "努力": "力争", "原则上": "原则上",
               "左右": "左右", "": "无限定"},
    Level: {**{m: m for m in ("法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "司法解释", "规范性文件",
                              "工作报告", "其他")}, "": "未知"},
    ConditionKind: {"requirement": "要求", "target": "目标", "trigger": "触发条件", "eligibility": "享受条件"},
    Comparator: {"<=": "不超过", ">=": "不低于", "<": "低于", ">": "超过", "=": "为", "~": "约为"},
    MentionKind: {"agency": "单位", "target": "目标", "measure": "措施", "industry": "产业",
                  "citation": "引用", "condition": "条件", "entitlement": "可享政策"},
}


def zh(code_list: type[StrEnum], code: str) -> str:
    """The Chinese label of ``code`` in ``code_list`` (``zh(Role, "lead") == "牵头"``);
    an unknown code is returned as it is, so a new code shows rather than fails."""
    return ZH[code_list].get(str(code), str(code))


def labels(code_list: type[StrEnum]) -> dict[str, str]:
    """``{code: 中文}`` for one code list, in the list's order (for facets, pickers, legends)."""
    return {member.value: ZH[code_list][member.value] for member in code_list}
