"""The answer to "which rules apply to my project": its records and the words people read for them.

Group keys, statuses (``met`` / ``not_met`` / ``unknown``), field names and
each reason's ``kind`` are stable, for scripts; every text is Chinese.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from records import ConditionKind, labels
from rules.profile import Profile

GROUPS: tuple[tuple[str, str], ...] = (
    ("obligations", "义务与条件"),
    ("incentives", "激励与支持"),
    ("restrictions", "限制"),
    ("targets", "需关注的目标"),
    ("context", "政策背景"),
)
GROUP_TITLES = dict(GROUPS)
STATUS_WORDS = {"not_met": "不满足", "unknown": "待定", "met": "满足"}     # a condition's status, in that order
FIRES_WORDS = {True: "会触发", False: "不会触发", None: "待定"}             # a trigger's ``fires``
KIND_WORDS = labels(ConditionKind)   # a condition's kind: 要求 / 目标 / 触发条件


@dataclass
class Reason:
    kind: str        # region / industry / broader_industry / narrower_industry / energy_intensive / generic_industry / topic / project_kind / document_topic / description
    text: str        # in Chinese: 地区：广西壮族自治区文件，项目位于广西壮族自治区
    weight: float
    primary: bool = True
    detail: dict[str, Any] = field(default_factory=dict)   # the facts behind ``text``, ASCII keys, for scripts and UIs


@dataclass
class SentenceNote:
    text: str
    type: str                 # a MeasureType code (a task that offers support reads as incentive)
    applies: bool | None      # False: its scope excludes the project
    why: str = ""             # in Chinese: 仅适用于出口外向型企业，本项目不是出口外向型企业


@dataclass
class Condition:
    clause_id: str
    text: str                 # the words in the clause
    subject: str
    comparator: str
    value: float
    unit: str
    status: str               # met / not_met / unknown
    explanation: str          # in Chinese
    field: str | None
    profile_value: float | None
    gap: float | None
    kind: str                 # requirement / target
    scope: str
    firmness: str
    year: int | None
    condition: str            # 直连线路长度 ≤ 50公里
    source_span: list[int] | None
    document: str
    path: str
    canonical_value: float
    canonical_unit: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Trigger:
    """A provision that applies when its condition holds (…超过20%的，按20%结算)."""

    clause_id: str
    text: str
    condition: str
    fires: bool | None
    consequence: str
    explanation: str
    field: str | None
    source_span: list[int] | None
    document: str
    path: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NotApplicable:
    clause_id: str
    text: str
    condition: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Rule:
    clause_id: str
    group: str
    document: str
    doc_id: str
    doc_number: str
    region: str
    path: str
    heading: str
    parents: list[str]
    text: str
    span: list[int]
    score: float
    reasons: list[Reason]
    sentences: list[SentenceNote] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)   # the conditions shown for it (condition strings)

    @property
    def why(self) -> str:
        """``地区：…；行业：条款提及钢铁；项目类型：绿电直连（…）``."""
        return "；".join(r.text for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["group_title"] = GROUP_TITLES[self.group]
        out["why"] = self.why
        out["score"] = round(self.score, 3)
        return out


@dataclass
class Applicability:
    """The answer to "which rules apply to my project"."""

    profile: Profile
    industry: dict[str, Any]
    topics: list[str]
    rules: list[Rule]                          # all groups, each ranked, each cut at CAP
    more: dict[str, int]                       # group → applying clauses not shown
    conditions: list[Condition]
    triggers: list[Trigger]
    not_applicable: list[NotApplicable]
    skipped_documents: list[dict[str, str]]    # documents that do not bind the project, with why
    warnings: list[str]

    def group(self, name: str) -> list[Rule]:
        return [r for r in self.rules if r.group == name]

    def interpretation(self) -> list[str]:
        """How the profile was read, in Chinese: the industry and its broader ones, the kinds of project."""
        out = []
        ind = self.industry
        if ind.get("id"):
            broader = "、".join(ind.get("broader") or [])
            out.append(f"行业：“{ind['as_written']}”按行业分类识别为{ind['label']}" + (f"，上位行业：{broader}" if broader else ""))
        if self.topics:
            out.append("项目涉及的政策主题：" + "、".join(self.topics))
        return out

    def to_json(self) -> dict[str, Any]:
        status_counts = {s: sum(c.status == s for c in self.conditions) for s in ("met", "not_met", "unknown")}
        return {
            "profile": self.profile.to_json(),
            "industry": self.industry,
            "topics": self.topics,
            "interpretation": self.interpretation(),
            "summary": {
                "rules": {g: len(self.group(g)) + self.more.get(g, 0) for g, _ in GROUPS},
                "conditions": status_counts,
            },
            "rules": [r.to_json() for r in self.rules],
            "more": self.more,
            "conditions": [c.to_json() for c in self.conditions],
            "triggers": [t.to_json() for t in self.triggers],
            "not_applicable": [n.to_json() for n in self.not_applicable],
            "skipped_documents": self.skipped_documents,
            "warnings": self.warnings,
            "profile_notes": self.profile.notes,
        }

