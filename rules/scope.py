"""Whom a condition or a sentence is for, checked against a project profile.

A scope is the entity a condition or a sentence names as the one it binds
(``依托新增负荷…的并网型绿电直连项目``, ``煤电企业``).  Its terms are checked by
:data:`SCOPE_TERMS` (grid connection, new or existing load, exporters, own
power plant, direct connection) and against the industry scheme; a scope that
excludes the project makes the condition *not applicable*, with the reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from rules.check import to_decide
from ingest.extract.conditions import split_scope, strip_parens
from rules.profile import Profile

_SCOPE_PREFIX_END = re.compile(r"原则上|应当|(?<![供响适相对效反])应(?![用对急])|必须|(?<!必)须|(?<![亟必供])需(?!求)|不得|可以|鼓励|支持|按照|按")
_ADDRESSED_TO = re.compile(r"^(?:针对|面向|对于)")
_SCOPE_HEAD_END = re.compile(r"(项目|企业|负荷|用户|园区|开发区|主体|电厂)$")
_NEGATED = re.compile(r"(不|非|未|无)[^，。；]{0,3}$")


@dataclass
class ScopeContext:
    """What the scope of a constraint is checked against."""

    profile: Profile
    industry_id: str | None = None
    industry_label: str = ""
    scheme: Any = None                 # the industry scheme (``.match``, ``.broader_closure``)
    direct_connection: bool | None = None
    # other industries the project takes part in: the power source of a
    # green-power project (风电 named in the description, 新能源 for any direct line)
    also: tuple[str, ...] = ()

    @property
    def described(self) -> str:
        """钢铁, or 钢铁（由风电、新能源供电） when the project has a power source of its own."""
        label = self.industry_label or "所填行业"
        if self.scheme is None or not self.also:
            return label
        return f"{label}（由{'、'.join(self.scheme.get(c).label for c in self.also if self.scheme.get(c))}供电）"

    @property
    def industry_up(self) -> set[str]:
        if self.scheme is None:
            return set()
        out: set[str] = set()
        for cid in ((self.industry_id,) if self.industry_id else ()) + tuple(self.also):
            out.update(self.scheme.broader_closure(cid))
        return out


def _kind_in(*kinds: str) -> Callable[[ScopeContext], bool | None]:
    return lambda ctx: None if not ctx.profile.has("project_kind") else ctx.profile.get("project_kind") in kinds


def _flag(name: str, want: bool = True) -> Callable[[ScopeContext], bool | None]:
    return lambda ctx: None if ctx.profile.get(name) is None else ctx.profile.get(name) is want


def _grid(want: bool) -> Callable[[ScopeContext], bool | None]:
    def check(ctx: ScopeContext) -> bool | None:
        g = ctx.profile.grid_connected_inferred
        return None if g is None else g is want
    return check


# (pattern in the scope, whom it is for, profile field that decides it, check)
SCOPE_TERMS: tuple[tuple[str, str, str, Callable[[ScopeContext], bool | None]], ...] = (
    (r"并网型", "并网型项目", "grid_connected", _grid(True)),
    (r"离网型", "离网型项目", "grid_connected", _grid(False)),
    (r"新增负荷|新建|新上|新增用电", "新增负荷（新建、扩建）", "project_kind", _kind_in("新建", "扩建")),
    (r"存量", "存量负荷（存量改造）", "project_kind", _kind_in("存量改造")),
    (r"出口", "出口外向型企业", "exports", _flag("exports")),
    (r"自备电厂", "配有燃煤燃气自备电厂的负荷", "own_power_plant", _flag("own_power_plant")),
    (r"绿电直连", "绿电直连项目", "direct_line_km", lambda ctx: ctx.direct_connection),
)


def _project_is(ctx: ScopeContext, field_name: str) -> str:
    """What the profile says on a scope term that excludes it: 本项目不是出口外向型企业."""
    p = ctx.profile
    if field_name == "grid_connected":
        return "本项目为并网型" if p.grid_connected_inferred else "本项目为离网型"
    if field_name == "project_kind":
        return f"本项目为{p.get('project_kind')}"
    if field_name == "exports":
        return "本项目为出口外向型企业" if p.get("exports") else "本项目不是出口外向型企业"
    if field_name == "own_power_plant":
        return "本项目配有燃煤燃气自备电厂" if p.get("own_power_plant") else "本项目没有燃煤燃气自备电厂"
    return "本项目不属于此类"


@dataclass
class ScopeResult:
    state: bool | None                  # applies / does not apply / not known
    reasons: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)   # profile fields that would decide an unknown


def _and(states: list[bool | None]) -> bool | None:
    """Three-valued AND: False if any is False, True if all are True, else not known (None)."""
    if any(s is False for s in states):
        return False
    if all(s is True for s in states):
        return True
    return None


def _not(state: bool | None) -> bool | None:
    return None if state is None else not state


def _or(states: list[bool | None]) -> bool | None:
    """Three-valued OR, by De Morgan: not (all of them not)."""
    return _not(_and([_not(s) for s in states]))


def _terms(text: str, ctx: ScopeContext, out: ScopeResult) -> list[bool | None]:
    states: list[bool | None] = []
    for pattern, label, field_name, check in SCOPE_TERMS:
        if re.search(pattern, text):
            s = check(ctx)
            states.append(s)
            if s is False:
                out.reasons.append(f"仅适用于{label}，{_project_is(ctx, field_name)}")
            elif s is None:
                out.fields.append(field_name)
                out.reasons.append(f"仅适用于{label}，{to_decide(field_name)}")
    if ctx.scheme is not None:
        for hit in ctx.scheme.match(text):
            up = ctx.industry_up
            if not ctx.industry_id:
                states.append(None)
                out.fields.append("industry")
                out.reasons.append(f"仅适用于{hit.label}，{to_decide('industry')}")
            elif hit.id in up:
                states.append(True)
            elif ctx.industry_id in ctx.scheme.broader_closure(hit.id) and hit.id != ctx.industry_id:
                states.append(None)
                out.reasons.append(f"仅适用于{hit.label}（{ctx.industry_label}中的一类），需核对本项目是否属于{hit.label}")
            else:
                states.append(False)
                out.reasons.append(f"仅适用于{hit.label}，本项目为{ctx.described}")
    return states


def evaluate_scope(scope: str, ctx: ScopeContext) -> ScopeResult:
    """Does a scope such as ``依托新增负荷、有降碳刚性需求的存量出口外向型企业实施的并网型绿电直连项目`` include the project?

    Items joined by 、 are alternatives; what follows the last 的 of the last
    item is shared by all of them.  Terms not in :data:`SCOPE_TERMS` or the
    industry scheme are not checked.
    """
    out = ScopeResult(True)
    s = strip_parens(scope)
    if not s:
        return out
    parts = s.split("、")
    if len(parts) > 1:
        cut = parts[-1].rfind("的")
        tail = parts[-1][cut + 1:] if cut >= 0 else ""
        parts[-1] = parts[-1][:cut] if cut >= 0 else parts[-1]
    else:
        tail, parts = s, []
    tail_states = _terms(tail, ctx, out) if tail else []
    alt_states = []
    for p in parts:
        st = _terms(p, ctx, out)
        if st:
            alt_states.append(_and(st))
    states = tail_states + ([_or(alt_states)] if alt_states else [])
    if not states:
        return out
    out.state = _and(states)
    if out.state is True:
        out.reasons, out.fields = [], []
    return out


# ------------------------------------------------------------------ sentences

def sentence_scope(sentence: str) -> str:
    """The part of a sentence that says whom it is for.

    A leading "…的，" (依托已有燃煤燃气自备电厂的存量负荷开展绿电直连的，应…) or
    "针对/面向/对于…，" (针对新建出口型企业绿电消费需求，…), else the
    entity at the head of the words before the modal verb (风电、生物质发电等电源项目
    in 风电、生物质发电等电源项目应纳入…, not the measured 新能源 in 项目整体新能源…应不低于).
    """
    first = re.split(r"[，,：:]", sentence, maxsplit=1)[0]
    if first.endswith("的") and len(first) < len(sentence):
        return first
    m = _ADDRESSED_TO.match(first)
    if m and len(first) < len(sentence):
        return first[m.end():]       # 针对新建出口型企业绿电消费需求，…
    m = _SCOPE_PREFIX_END.search(first)
    if not m:
        return ""
    prefix = first[: m.start()]
    if _SCOPE_HEAD_END.search(prefix):
        return prefix
    return split_scope(prefix)[0]


def scope_with_negation(scope: str, ctx: ScopeContext) -> ScopeResult:
    """A scope term preceded by 不/非/未/无 (企业自身不直接出口) is not a restriction to that term."""
    cleaned = scope
    for term in ("出口", "自备电厂", "存量", "并网型", "离网型"):
        i = cleaned.find(term)
        if i >= 0 and _NEGATED.search(cleaned[:i]):
            cleaned = cleaned[:i] + "□" * len(term) + cleaned[i + len(term):]
    return evaluate_scope(cleaned, ctx)
