"""Quantitative conditions in clause text, as structured constraints, checked against a profile.

Extraction is a small grammar over the clause's cleaned text, not a list of
known sentences.  Around every *number + unit* (units in :mod:`.units`) it
looks for a comparator before it (不超过, 不低于, 达到, 降至, 为 …, also
"不得超过总可用发电量的20%") and/or after it (以上, 及以上, 以下, 以内,
左右).  Following the reading rule of Chinese statutes (民法典 第1259条:
以上、以下、以内 include the number; 超过、不满 do not), 以上 is ≥, 以下/以内 ≤,
超过 >, 低于 <.  Changes against a baseline (较2020年下降20%以上, 提高2个百分点)
are not conditions on a project and are skipped.

The *subject* is the noun phrase before the comparator, back to the previous
comma, full stop, colon or unclosed bracket (or the previous constraint in the
same phrase).  It is split into a *scope* — the entity named at its head,
ending in 项目 / 企业 / 负荷 / 用户 … (并网型绿电直连项目, 煤电企业) — and the
measured quantity (接入公用电网电压等级, 年捕集规模).  A phrase with no scope
takes it from the comma phrase before it when that phrase is only a scope
("依托新增负荷…的并网型绿电直连项目，新能源上网电量…不超过20%"), else from the
previous constraint of the sentence.  Elided subjects are filled in from the
previous constraint: "…自发自用电量占总可用发电量的比例应不低于60%，占总用电量
的比例应不低于30%，…2030年前不低于35%".  A year (到2030年, 2030年前) makes the
constraint a *target*; a phrase ending in 的 before a comma ("…超过20%的，按…
结算") makes it a *trigger* — a provision that applies when the condition holds.

The measured quantity is mapped to a profile field by :data:`FIELD_RULES`,
a short table of patterns; a constraint whose subject maps to no field, or
whose unit is of another dimension than the field's, stays unmapped (shown
with its clause, never checked).  The scope is checked against the profile by
:data:`SCOPE_TERMS` and the industry scheme; a scope that excludes the
project makes the constraint *not applicable*, with the reason.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from app.applicability.profile import FIELDS_BY_NAME, Profile
from app.applicability.units import UNIT_PATTERN, UNITS, convert, format_value, format_zh, quantity, same_dimension

# ---------------------------------------------------------------- comparators

# written before the number → comparator
PRE: dict[str, str] = {
    "不得超过": "<=", "不应超过": "<=", "不宜超过": "<=", "不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=",
    "不得高于": "<=", "不得低于": ">=", "不应低于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "超过": ">", "高于": ">", "大于": ">", "多于": ">",
    "低于": "<", "少于": "<", "小于": "<", "不足": "<", "不满": "<",
    "达到": ">=", "达": ">=", "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=", "提至": ">=", "增至": ">=",
    "降至": "<=", "降到": "<=", "降低到": "<=", "降低至": "<=", "下降到": "<=", "下降至": "<=", "控制在": "<=",
    "为": "=", "等于": "=",
    "小于等于": "<=", "大于等于": ">=", "≤": "<=", "≦": "<=", "≥": ">=", "≧": ">=", "＜": "<", "＞": ">",
    "最高": "<=", "最多": "<=", "最大": "<=", "最低": ">=", "至少": ">=", "最少": ">=",
}
# written after the number → comparator (wins over a neutral word before it: 达到20%以上, 控制在5%以内)
POST: dict[str, str] = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~"}
_DIRECTIONAL_PRE = {k for k, v in PRE.items() if k.startswith("不") or v in ("<", ">") or k in ("小于等于", "大于等于", "≤", "≦", "≥", "≧")}

SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "=", "~": "≈"}
# a comparator in words, before the value: 条款要求不超过50公里
COMPARATOR_WORDS = {"<=": "不超过", ">=": "不低于", "<": "低于", ">": "超过", "=": "为", "~": "约为"}

_PRE_ALT = "|".join(sorted(PRE, key=len, reverse=True))
_POST_ALT = "|".join(sorted(POST, key=len, reverse=True))
_NUMBER_UNIT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{UNIT_PATTERN})")
_PRE_AT_END = re.compile(rf"(?P<pre>{_PRE_ALT})\s*$")
_PRE_DENOM_AT_END = re.compile(rf"(?P<pre>{_PRE_ALT})(?P<denom>[^，,。；;：:、\d（）()《》“”]{{1,15}})的\s*$")
_POST_AT_START = re.compile(rf"^\s*(?P<post>{_POST_ALT})")
# a change against a baseline, not a level: 较2020年下降20%以上, 提高2个百分点
_CHANGE_BEFORE = re.compile(r"(下降|降低|减少|提高|提升|增长|增加|压减|削减|减排|增幅|降幅|下降率)[\d.%％和、及与\s]*$")
_BASELINE = re.compile(r"(较|比|相比|与)\s*(?:(?:19|20)\d{2}\s*年|项目实施前|基准年|上年)")

_DELIMS = set("，,。；;：:\n！？!?")
_OPEN, _CLOSE = set("（(【[「“"), set("）)】]」”")

_YEAR = re.compile(r"(?:到|至|在|于)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?P<rel>前|底|末|以前|之前)?")
_PERIOD = re.compile(r"(?:到|至)?\s*“?(?P<period>十[四五六]五)”?\s*(?:末|期间|时期)?")
_LEAD = re.compile(r"^(?:并且|并(?![网联购])|且|而且|同时|其中|其|和|及|以及|、|其他|另外)+")
_FIRMNESS = ("原则上", "一般", "力争", "确保", "争取")
_MODAL_TAIL = re.compile(
    r"(?:原则上|一般|上限|下限|力争|确保|争取|应当|(?<![供响适相对效反])应|需要|(?<![必所急])需|须|必须|(?<![主重需必])要|不得|均"
    r"|(?<![许认])可|将|要求|(?<![所存现实])在|都|进一步|逐步|持续|不断|显著|大幅|明显|稳步)+$")
_SCOPE_HEAD = re.compile(r"(项目|企业|负荷|用户|园区|开发区|矿山|煤矿|矿区|示范区|单位|主体|工程|电厂|机组)")
_TRIGGER_AFTER = re.compile(r"^[^，,。；;：:]{0,6}的\s*[，,]")
_TRIGGER_BEFORE = re.compile(r"^(?:若|如果|如|凡|对于|对)")


@dataclass
class Constraint:
    """One quantitative condition read from a clause."""

    subject: str            # the measured quantity: 直连线路长度, 年捕集规模
    comparator: str         # <= >= < > = ~
    comparator_text: str    # as written: 不超过, 达…及以上
    value: float            # as written
    unit: str               # as written: 公里, 万千瓦, %
    canonical_value: float  # in the canonical unit
    canonical_unit: str     # km, MW, %
    scope: str = ""         # who it binds: 并网型绿电直连项目, 煤电企业 ("" = everyone the clause addresses)
    firmness: str = ""      # 原则上 / 力争 / 确保 / 应 / ""
    year: int | None = None
    period: str = ""        # 十四五 …
    kind: str = "requirement"   # requirement / target / trigger
    text: str = ""          # the words in the clause, subject to unit
    start: int = 0          # offsets into the clause text
    end: int = 0
    inherited: bool = False     # subject or scope filled in from the phrase before
    field: str | None = None    # the profile field it is checked on, if any
    consequence: str = ""       # for triggers: what follows (按总可用发电量的20%结算)

    @property
    def condition(self) -> str:
        """``直连线路长度 ≤ 50公里``."""
        return f"{self.subject} {SYMBOLS[self.comparator]} {format_value(self.value, self.unit)}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _strip_parens(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def _phrase_start(text: str, pos: int, floor: int) -> int:
    """Start of the phrase ending at ``pos``: after the last delimiter or unclosed bracket."""
    depth = 0
    i = pos - 1
    while i >= floor:
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            if depth == 0:
                return i + 1
            depth -= 1
        elif ch in _DELIMS and depth == 0:
            return i + 1
        i -= 1
    return floor


def _phrase_end(text: str, pos: int) -> int:
    depth = 0
    for i in range(pos, len(text)):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif ch in _DELIMS and depth == 0:
            return i
    return len(text)


def split_scope(subject: str) -> tuple[str, str]:
    """``并网型绿电直连项目接入公用电网电压等级`` → (``并网型绿电直连项目``, ``接入公用电网电压等级``)."""
    bare = _strip_parens(subject)
    best = None
    for m in _SCOPE_HEAD.finditer(bare):
        rest = bare[m.end():].lstrip("的")
        if rest and not _SCOPE_HEAD.match(rest):
            best = m
    if best is None:
        return "", subject
    # map the cut back into the text with its brackets
    cut = _index_with_parens(subject, best.end())
    return subject[:cut], subject[cut:].lstrip("的")


def _index_with_parens(text: str, bare_index: int) -> int:
    count, depth = 0, 0
    for i, ch in enumerate(text):
        if count == bare_index and depth == 0:
            return i
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif not depth:
            count += 1
    return len(text)


def _is_scope_only(phrase: str) -> bool:
    bare = _strip_parens(phrase).strip()
    return bool(bare) and bool(re.search(r"(项目|企业|负荷|用户|园区|开发区|主体|电厂)$", bare)) and not _NUMBER_UNIT.search(bare)


def _clean_subject(raw: str) -> tuple[str, str, int | None, str]:
    """(subject, firmness, year, period) from the words before a comparator."""
    s = raw.strip()
    year, period = None, ""
    m = _YEAR.search(s)
    if m:
        year = int(m["year"])
        s = s[: m.start()] + s[m.end():]
    m = _PERIOD.search(s)
    if m:
        period = m["period"]
        s = s[: m.start()] + s[m.end():]
    firmness = next((f for f in _FIRMNESS if f in s), "")
    for f in _FIRMNESS:
        s = s.replace(f, "")
    s = _LEAD.sub("", s.strip())
    tail = _MODAL_TAIL.search(s)
    if tail:
        if not firmness and re.search(r"应|需|须|必须|不得|要", tail.group()):
            firmness = "应"
        s = s[: tail.start()]
    return s.strip(), firmness, year, period


def _sentence_year(text: str) -> tuple[int | None, str]:
    """The last deadline (到2030年, 2030年前, “十四五”末) in ``text``, not a baseline (较2020年)."""
    year, period = None, ""
    for m in _YEAR.finditer(text):
        if not re.search(r"(较|比|相比|与)\s*$", text[: m.start("year")]):
            year = int(m["year"])
    for m in _PERIOD.finditer(text):
        period = m["period"]
    return year, period


_PARAGRAPH_YEAR = re.compile(r"(?:[（(][^）)]{1,4}[）)][^。\n]{0,20}。)?\s*(?:到|至)\s*(?P<year>(?:19|20)\d{2})\s*年")


def _paragraph_year(text: str, pos: int) -> int | None:
    """A paragraph opening "到2025年，…" sets the deadline of every sentence in it."""
    para_start = text.rfind("\n", 0, pos) + 1
    m = _PARAGRAPH_YEAR.match(text, para_start)
    return int(m["year"]) if m else None


def extract_constraints(text: str) -> list[Constraint]:
    """Every quantitative condition in one clause's cleaned text, in reading order."""
    found: list[Constraint] = []
    last_end = 0            # end of the previous constraint (a subject never reaches back past it)
    for m in _NUMBER_UNIT.finditer(text):
        ns, ne = m.start(), m.end()
        unit = m["unit"]
        if unit not in UNITS:
            continue
        # a full stop or semicolon starts a new sentence: nothing is inherited across it
        sentence_start = max(text.rfind(ch, 0, ns) for ch in "。；;") + 1
        post_m = _POST_AT_START.match(text[ne:])
        post = post_m["post"] if post_m else ""
        end = ne + (post_m.end() if post_m else 0)
        if post and end < len(text) and re.match(r"[\u4e00-\u9fff]", text[end]) and text[end] != "的":
            continue            # 以30万千瓦以下煤电机组为重点: a qualifier of a noun, not a condition
        before = text[:ns]
        pre, denom, pre_start = "", "", ns
        pm = _PRE_AT_END.search(before)
        if pm:
            pre, pre_start = pm["pre"], pm.start()
        else:
            dm = _PRE_DENOM_AT_END.search(before)
            if dm:
                pre, denom, pre_start = dm["pre"], dm["denom"], dm.start()
        if not pre and not post:
            continue
        start = _phrase_start(text, pre_start, max(last_end, sentence_start))
        if _CHANGE_BEFORE.search(text[:pre_start]) or _BASELINE.search(text[start:pre_start]):
            continue            # 较2020年下降20%以上: a change, not a level
        comparator = POST[post] if post and (not pre or pre not in _DIRECTIONAL_PRE) else PRE[pre]
        raw = text[start:pre_start]
        if raw.startswith("、"):
            raw, start = raw[1:], start + 1
        subject, firmness, year, period = _clean_subject(raw)
        scope, subject = split_scope(subject)
        prev = found[-1] if found and found[-1].start >= sentence_start else None
        inherited = False
        if prev is not None and not subject:
            subject, inherited = prev.subject, True
        elif prev is not None and subject.startswith("占") and "占" in prev.subject:
            subject, inherited = prev.subject.split("占")[0] + subject, True
        if len(_strip_parens(subject)) < 2:
            continue            # nothing measurable named
        if not scope:
            if start - 1 > sentence_start:
                pstart = _phrase_start(text, start - 1, sentence_start)
                phrase = text[pstart:start - 1]
                if _is_scope_only(phrase) and (prev is None or prev.end <= pstart):
                    scope = _LEAD.sub("", phrase.strip())
            if not scope and inherited and prev is not None:
                scope = prev.scope
        if denom and "占" not in subject:
            subject = f"{subject}（占{denom}）"
        if year is None and not period:
            year, period = _sentence_year(text[sentence_start:start])
        if year is None and not period:
            year = _paragraph_year(text, start)
        q = quantity(float(m["num"]), unit)
        after = text[end:]
        phrase_first = text[start:start + 2]
        if _TRIGGER_AFTER.match(after) or _TRIGGER_BEFORE.match(phrase_first):
            kind = "trigger"
        elif year or period or firmness == "力争":
            kind = "target"
        else:
            kind = "requirement"
        consequence = ""
        if kind == "trigger":
            comma = re.search(r"[，,]", after)
            cons_start = end + (comma.end() if comma else 0)
            stops = [i for i in (text.find("。", cons_start), text.find("；", cons_start)) if i >= 0]
            consequence = text[cons_start:min(stops or [len(text)])].strip()
        c = Constraint(
            subject=subject, comparator=comparator,
            comparator_text="…".join(x for x in (pre, post) if x),
            value=q.value, unit=unit, canonical_value=q.canonical_value, canonical_unit=q.canonical_unit,
            scope=scope, firmness=firmness, year=year, period=period, kind=kind,
            text=text[start:end], start=start, end=end, inherited=inherited, consequence=consequence,
        )
        c.field = map_field(c)
        found.append(c)
        last_end = end
    return found


# ------------------------------------------------------------ subject → field

# (pattern over the subject without brackets, profile field).  First match
# wins; the field is used only when the constraint's unit has the field's
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


def map_field(c: Constraint) -> str | None:
    subject = _strip_parens(c.subject) + (re.sub(r"^.*（", "（", c.subject) if "（占" in c.subject else "")
    for pattern, name in FIELD_RULES:
        if re.search(pattern, subject):
            spec = FIELDS_BY_NAME[name]
            if same_dimension(c.unit, spec.unit):
                return name
            return None
    return None


# ----------------------------------------------------------------- scope terms

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


def to_decide(field_name: str) -> str:
    """``填写“直连线路长度（公里）”（direct_line_km）后可判断``: the field named as the form shows it, and its key."""
    spec = FIELDS_BY_NAME[field_name]
    return f"填写“{spec.display_label}”（{field_name}）后可判断"


@dataclass
class ScopeResult:
    state: bool | None                  # applies / does not apply / not known
    reasons: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)   # profile fields that would decide an unknown


def _and(states: list[bool | None]) -> bool | None:
    if any(s is False for s in states):
        return False
    if all(s is True for s in states):
        return True
    return None


def _or(states: list[bool | None]) -> bool | None:
    if any(s is True for s in states):
        return True
    if all(s is False for s in states):
        return False
    return None


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
    s = _strip_parens(scope)
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


# -------------------------------------------------------------------- checking

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


def shown_unit(c: Constraint) -> str:
    """The unit an explanation speaks in: the clause's own when it writes one in Chinese at the
    field's scale or above (30万千瓦, 50公里), else the field's (兆瓦 for 1.2亿千瓦 or 500千瓦)."""
    spec = FIELDS_BY_NAME[c.field]
    factor = UNITS.get(c.unit, ("", 0.0))[1] / UNITS.get(spec.unit, ("", 1.0))[1]
    if not c.unit.isascii() and 1 <= factor < 1e5:
        return c.unit
    return spec.unit


def rule_words(c: Constraint) -> str:
    """``不超过50公里``: what the clause asks, in the unit explanations use."""
    unit = shown_unit(c)
    return COMPARATOR_WORDS[c.comparator] + format_zh(convert(c.value, c.unit, unit), unit)


def _amount(size: float, unit: str) -> str:
    return f"{size:g}个百分点" if unit in ("%", "％") else format_zh(size, unit)


def check_constraint(c: Constraint, profile: Profile) -> Check:
    """Compare the profile's value with the constraint, in the field's unit; explain it in Chinese.

    ``本项目直连线路长度为60公里，超过上限50公里（超出10公里）``;
    ``待定：填写“自发自用电量占总用电量的比例（%）”（self_supply_pct）后可判断；条款要求不低于30%``.
    """
    if c.field is None:
        return Check("unknown", "待定：项目信息中没有衡量此项的字段，需人工核对")
    spec = FIELDS_BY_NAME[c.field]
    if not profile.has(c.field):
        return Check("unknown", f"待定：{to_decide(c.field)}；条款要求{rule_words(c)}", c.field)
    limit = convert(c.value, c.unit, spec.unit)
    value = float(profile.get(c.field))
    ok, gap = _holds(value, c.comparator, limit)
    unit = shown_unit(c)
    limit_text = format_zh(convert(limit, spec.unit, unit), unit)
    size = convert(abs(gap), spec.unit, unit)
    mine = f"本项目{spec.label}为{format_zh(convert(value, spec.unit, unit), unit)}，"
    if ok:
        words = {"<=": f"未超过上限{limit_text}", "<": f"低于上限{limit_text}", ">=": f"达到下限{limit_text}",
                 ">": f"高于下限{limit_text}", "=": f"符合条款要求的{limit_text}",
                 "~": f"在条款要求的{limit_text}左右（相差不超过{APPROX:.0%}）"}[c.comparator]
        return Check("met", mine + words, c.field, value, 0.0)
    amount = _amount(size, unit)
    if c.comparator in ("<=", "<"):
        words = f"超过上限{limit_text}（超出{amount}）" if size else f"等于上限{limit_text}，条款要求低于该值"
    elif c.comparator in (">=", ">"):
        words = f"低于下限{limit_text}（差{amount}）" if size else f"等于下限{limit_text}，条款要求高于该值"
    elif c.comparator == "~":
        words = f"与条款要求的约{limit_text}相差{amount}，超出±{APPROX:.0%}"
    else:
        words = f"与条款要求的{limit_text}不符（相差{amount}）"
    return Check("not_met", mine + words, c.field, value, round(abs(gap), 9))
