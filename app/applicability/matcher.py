"""Which clauses apply to a project, why, and whether it meets their numbers.

A clause applies when

1. its document **binds** the project (:mod:`.jurisdiction`: national rules
   bind everyone, a province's rules only projects in that province), and
2. it is **about** the project, by at least one primary reason worth
   :data:`MIN_SCORE`:

   ========================  ======  ==============================================
   reason                    weight  when
   ========================  ======  ==============================================
   industry                  3       the clause names the profile's industry
   broader industry          2/1.5   … a broader concept (有色金属 for 电解铝), by distance
   energy-intensive          2       … 高耗能行业 and the industry is one of them
   narrower industry         1.5     … a narrower concept (算力中心 for 数据中心)
   generic grouping          0.5     … 制造业, 战略性新兴产业, 绿色低碳产业
   topic                     2.5     the clause is about a kind of project the profile
                                     describes (:data:`TOPICS`: 绿电直连 when a direct
                                     line is given, CCUS when CO2 capture is …)
   description               1/0.5   the search engine ranks it in the first five (ranks
                                     6–20) for the description: similarity to a whole
                                     paragraph is too loose to decide applicability
                                     alone, so it ranks and tips borderline clauses in;
                                     the description's named topics count fully (above)
   ========================  ======  ==============================================

   and boosters that only rank: the project kind (新建 / 存量 …) named in the
   clause (0.5), a document titled after one of the project's topics (0.5).

   高耗能 (and 高耗能高排放 …) written as an adjective of a thing — 高耗能高排放
   老旧车辆, 高耗能工艺、装备 — is not the 高耗能行业 group: a clause that names
   the group only that way gets no energy-intensive reason.  高耗能高排放项目 and
   高耗能企业 are the group (两高项目 are projects of those industries).

Each sentence of an applying clause is checked for a scope that excludes the
project ("依托已有燃煤燃气自备电厂的存量负荷开展绿电直连的，…" for a new plant
without one), and each quantitative constraint (:mod:`.conditions`) is
checked against the profile.  A clause is then put in one group: it holds a
checked requirement → *obligations*; a checked target → *targets*; else by
its applying sentences' measure types, first of restriction, requirement,
incentive (money, tax, land, price … and 支持/鼓励/吸引 support), target →
*restrictions*, *obligations*, *incentives*, *targets*; anything else
(government tasks, definitions) → *context*.  Within a group clauses are
ranked by score, ties by clause id, and cut at :data:`CAP` with a count of
the rest.

Everything people read — each reason, each explanation, group titles, the
notes on sentences for someone else, warnings — is Chinese, written here once;
what scripts read stays stable: group keys, statuses (``met`` / ``not_met`` /
``unknown``), field names, and each reason's ``kind`` with a ``detail`` dict.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable

from app.applicability.conditions import (
    SYMBOLS, Check, Constraint, ScopeContext, ScopeResult, check_constraint, evaluate_scope,
    extract_constraints, rule_words, shown_unit, split_scope, to_decide,
)
from app.applicability.jurisdiction import binding
from app.applicability.profile import FIELDS_BY_NAME, Profile
from app.applicability.units import convert, format_zh

MIN_SCORE = 1.5
CAP = 30

# group key (stable, for scripts) → title people read
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
KIND_WORDS = {"requirement": "要求", "target": "目标", "trigger": "触发条件"}  # a condition's kind

GENERIC_INDUSTRIES = {"manufacturing", "strategic-emerging", "green-low-carbon"}
ENERGY_INTENSIVE = "energy-intensive"
SKIP_KINDS = {"preamble", "closing"}

# Kinds of project a profile can describe, and how a clause is seen to be about one.
#   name, clause pattern, profile fields that show it, description pattern
TOPICS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("绿电直连", r"绿电直连|直连线路|直连专线|专线直连",
     ("direct_line_km", "self_consumption_pct", "self_supply_pct", "feed_in_pct"), r"绿电直连|直连"),
    ("CCUS", r"CCUS|碳捕集|二氧化碳捕集", ("co2_capture_t_per_year",), r"CCUS|碳捕集|二氧化碳捕集|捕集"),
    ("源网荷储", r"源网荷储", (), r"源网荷储"),
    ("微电网", r"微电网|微网", (), r"微电网|微网"),
    ("分布式新能源", r"分布式(光伏|绿电|新能源|风电)|分散式风电", (), r"分布式|屋顶光伏|分散式风电"),
    ("绿证绿电交易", r"绿证|绿电交易|绿色电力交易", (), r"绿证|绿电交易|绿色电力交易|购买绿电"),
    ("储能", r"储能", (), r"储能"),
    ("零碳园区", r"零碳|近零碳", (), r"零碳|近零碳"),
    ("绿氢", r"制氢|绿氢", (), r"制氢|绿氢"),
    ("出口", r"出口", ("exports",), r"出口|外贸|碳关税|CBAM"),
    ("自备电厂", r"自备电厂", ("own_power_plant",), r"自备电厂"),
)
PROJECT_KIND_PATTERNS = {
    "新建": r"新建|新增负荷|新上|新增用电|新建项目",
    "扩建": r"扩建|新增产能|产能置换|新建项目",
    "存量改造": r"存量|技术改造|节能改造|改造升级",
}
_SUPPORT = re.compile(r"支持|鼓励|吸引|培育|扶持|招商|引进|引导|优先|倾斜|便利|豁免|绿色通道|激励")
_SCOPE_PREFIX_END = re.compile(r"原则上|应当|(?<![供响适相对效反])应(?![用对急])|必须|(?<!必)须|(?<![亟必供])需(?!求)|不得|可以|鼓励|支持|按照|按")
_ADDRESSED_TO = re.compile(r"^(?:针对|面向|对于)")
_SCOPE_HEAD_END = re.compile(r"(项目|企业|负荷|用户|园区|开发区|主体|电厂)$")
_NEGATED = re.compile(r"(不|非|未|无)[^，。；]{0,3}$")
# after 高耗能 / 高耗能高排放: a thing it describes, not the industries (高耗能高排放老旧车辆, 高耗能工艺、装备)
_ENERGY_INTENSIVE_THING = re.compile(
    r"(?:[、，,]?(?:高排放|高污染|高耗水|低水平|低效|老旧|落后|淘汰类))*[、，,]?"
    r"(?:车辆|汽车|机动车|船舶|交通工具|运输工具|设备|装备|工艺|技术|产品|机组|电机|锅炉|窑炉|器具)")


# --------------------------------------------------------------------- records

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
    type: str                 # the measure type (requirement, incentive, support, …)
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


# ------------------------------------------------------------------ the engine

SearchFn = Callable[[str, int], Iterable[tuple[str, float]]]


def apply_profile(
    profile: Profile,
    clauses: Iterable[dict[str, Any]],
    *,
    scheme: Any = None,
    sources: Callable[[str], str] | None = None,
    search: SearchFn | None = None,
    cap: int = CAP,
) -> Applicability:
    """Match ``profile`` against clause records (the ``clauses.jsonl`` shape).

    ``scheme`` is the industry scheme (default: the shipped one); ``sources``
    maps a document id to its source text, for the source spans of
    conditions; ``search`` ranks clause ids for the profile's description.
    """
    if scheme is None:
        from ingest.extract.lexicon import load_industry_scheme

        scheme = load_industry_scheme()
    clauses = list(clauses)
    warnings: list[str] = []
    industry = _resolve_industry(profile, scheme, warnings)
    topics = _profile_topics(profile)
    ctx = ScopeContext(profile, industry.get("id"), industry.get("label", ""), scheme,
                       direct_connection=True if "绿电直连" in topics else None,
                       also=_project_side_industries(profile, topics, scheme, industry))
    if not profile.has("region"):
        warnings.append("项目信息未填写省份：只有全国性文件可能适用")
    described = _description_hits(profile, search, clauses, warnings)
    have_industry_links = any(c.get("industries") for c in clauses)
    if not have_industry_links:
        warnings.append("数据中没有行业关联（构建时未运行行业抽取）；按条款文字匹配行业")

    skipped: dict[str, dict[str, str]] = {}
    rules: list[Rule] = []
    conditions: list[Condition] = []
    triggers: list[Trigger] = []
    not_applicable: list[NotApplicable] = []
    source_cache: dict[str, str] = {}

    for clause in clauses:
        doc_id = clause.get("doc_id", "")
        bind = binding(clause.get("region"), profile.get("region"), profile.get("city"))
        if not bind.binds:
            skipped.setdefault(doc_id, {"doc_id": doc_id, "document": clause.get("doc_title", ""), "region": clause.get("region") or "", "why": bind.reason})
            continue
        if clause.get("kind") in SKIP_KINDS:
            continue
        reasons = _reasons(clause, profile, industry, topics, scheme, described, have_industry_links)
        if sum(r.weight for r in reasons if r.primary) < MIN_SCORE:
            continue
        reasons.insert(0, Reason("region", f"地区：{bind.reason}", 0.0, primary=False,
                                 detail={"document_region": clause.get("region") or "",
                                         "project_region": profile.get("region") or "",
                                         "project_city": profile.get("city") or ""}))
        constraints = extract_constraints(clause["text"])
        source = _source(sources, doc_id, source_cache)
        rule_conditions: list[Condition] = []
        excluded: list[str] = []
        for c in constraints:
            scope = evaluate_scope(c.scope, ctx)
            if scope.state is False:
                excluded.append(c.text)
                if c.field:
                    not_applicable.append(NotApplicable(clause["id"], c.text, c.condition, "；".join(scope.reasons)))
                continue
            if c.field is None:
                continue
            span = _locate(c.text, source, clause.get("span")) if source else None
            if c.kind == "trigger":
                triggers.append(_trigger(clause, c, profile, scope, span))
                continue
            rule_conditions.append(_condition(clause, c, profile, scope, span))
        sentences = _sentences(clause, ctx, excluded)
        group = _group(sentences, rule_conditions)
        if group is None:
            continue
        score = sum(r.weight for r in reasons) + 0.25 * len(rule_conditions)
        rules.append(Rule(
            clause_id=clause["id"], group=group, document=clause.get("doc_title", ""), doc_id=doc_id,
            doc_number=clause.get("doc_number") or "", region=clause.get("region") or "", path=clause.get("path", ""),
            heading=clause.get("heading", ""), parents=list(clause.get("parents") or []), text=clause["text"],
            span=list(clause.get("span") or []), score=score, reasons=reasons, sentences=sentences,
            conditions=[c.condition for c in rule_conditions],
        ))
        conditions.extend(rule_conditions)

    shown, more = _rank(rules, cap)
    status_order = {"not_met": 0, "unknown": 1, "met": 2}
    conditions.sort(key=lambda c: (status_order[c.status], c.kind != "requirement", c.clause_id, c.text))
    return Applicability(
        profile=profile, industry=industry, topics=sorted(topics), rules=shown, more=more,
        conditions=conditions, triggers=triggers, not_applicable=not_applicable,
        skipped_documents=sorted(skipped.values(), key=lambda d: d["doc_id"]), warnings=warnings,
    )


# ------------------------------------------------------------------ relevance

def _resolve_industry(profile: Profile, scheme: Any, warnings: list[str]) -> dict[str, Any]:
    text = profile.get("industry") or ""
    if not text:
        warnings.append("项目信息未填写行业：仅按地区、项目类型和项目描述匹配条款")
        return {}
    cid = scheme.resolve(text)
    if cid is None:
        warnings.append(f"行业“{text}”不在行业分类中：仅按条款中是否出现这几个字匹配")
        return {"as_written": text}
    concept = scheme.get(cid)
    up = scheme.broader_closure(cid)
    return {
        "id": cid, "label": concept.label, "as_written": text,
        "broader": [scheme.get(b).label for b in up if b != cid],
        "energy_intensive": ENERGY_INTENSIVE in up,
    }


def _project_side_industries(profile: Profile, topics: dict[str, str], scheme: Any,
                             industry: dict[str, Any]) -> tuple[str, ...]:
    """Industries the project takes part in besides its own: a power source named in
    the description (风电场 → 风电), and 新能源 for any green-power direct connection."""
    out = []
    if "绿电直连" in topics:
        desc_hits = [m.id for m in scheme.match(profile.get("description") or "")]
        out += [h for h in desc_hits if "new-energy" in scheme.broader_closure(h) or "power" in scheme.broader_closure(h)]
        if scheme.get("new-energy"):
            out.append("new-energy")
    return tuple(dict.fromkeys(c for c in out if c != industry.get("id")))


def _profile_topics(profile: Profile) -> dict[str, dict[str, Any]]:
    """Topic → what in the profile shows it: ``{"fields": {name: value}}`` or ``{"description": words}``."""
    out: dict[str, dict[str, Any]] = {}
    desc = profile.get("description") or ""
    for name, _, fields, desc_pattern in TOPICS:
        shown = {f: profile.get(f) for f in fields if profile.has(f) and profile.get(f) is not False}
        if shown:
            out[name] = {"fields": shown}
        elif desc_pattern and desc and re.search(desc_pattern, desc):
            out[name] = {"description": re.search(desc_pattern, desc).group()}
    return out


def _shown_by(evidence: dict[str, Any]) -> str:
    """``direct_line_km=60、self_consumption_pct=55`` or ``项目描述提及“绿电直连”``."""
    if "fields" in evidence:
        return "、".join(f"{f}={_fmt_value(v)}" for f, v in evidence["fields"].items())
    return f"项目描述提及“{evidence['description']}”"


def _fmt_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _description_hits(profile: Profile, search: SearchFn | None, clauses: list[dict[str, Any]],
                      warnings: list[str]) -> dict[str, float]:
    """Clause id → (rank weight, rank from 1) for the description, from the search engine."""
    desc = profile.get("description") or ""
    if not desc or search is None:
        return {}
    hits = list(search(desc, 20))
    out: dict[str, tuple[float, int]] = {}
    for rank, (cid, _score) in enumerate(hits):
        out.setdefault(cid, (1.0 if rank < 5 else 0.5, rank + 1))     # tips a borderline clause in; never enough alone
    return out


def _distance(scheme: Any, low: str, high: str) -> int:
    """Steps from ``low`` up to ``high`` in the broader hierarchy (1 = direct parent)."""
    frontier, seen, d = [low], {low}, 0
    while frontier:
        if high in frontier:
            return d
        d += 1
        nxt = []
        for c in frontier:
            for b in scheme.broader(c):
                if b not in seen:
                    seen.add(b)
                    nxt.append(b)
        frontier = nxt
    return 99


def _clause_industries(clause: dict[str, Any], scheme: Any, linked: bool) -> list[tuple[str, str]]:
    """(concept id, as written) of the industries the clause names."""
    if linked:
        return [(i["id"], i.get("as_written") or i.get("label", "")) for i in clause.get("industries") or []]
    return [(m.id, m.as_written) for m in scheme.match(clause["text"])]


def _reasons(clause: dict[str, Any], profile: Profile, industry: dict[str, Any], topics: dict[str, str],
             scheme: Any, described: dict[str, tuple[float, int]], linked: bool) -> list[Reason]:
    text = clause["text"]
    reasons: list[Reason] = []
    pid = industry.get("id")
    if pid:
        up = set(scheme.broader_closure(pid))
        down = set(scheme.narrower_closure(pid))
        best: Reason | None = None
        mine = industry["label"]
        for cid, written in _clause_industries(clause, scheme, linked):
            label = scheme.get(cid).label if scheme.get(cid) else cid
            as_written = f"（原文“{written}”）" if written and written != label else ""
            detail = {"industry": label, "industry_id": cid, "as_written": written or label, "project_industry": mine}
            if cid == pid:
                r = Reason("industry", f"行业：条款提及{label}{as_written}", 3.0, detail=detail)
            elif cid == ENERGY_INTENSIVE and cid in up:
                if not _names_energy_intensive_industries(text, scheme):
                    continue        # 高耗能高排放老旧车辆: vehicles, not the industries
                r = Reason("energy_intensive", f"高耗能行业：条款针对高耗能行业{as_written}，{mine}属于高耗能行业", 2.0,
                           detail=detail)
            elif cid in GENERIC_INDUSTRIES and cid in up:
                r = Reason("generic_industry", f"行业大类：{label}{as_written}，涵盖{mine}", 0.5, detail=detail)
            elif cid in up:
                d = _distance(scheme, pid, cid)
                r = Reason("broader_industry", f"上位行业：{label}{as_written}，涵盖{mine}", 2.0 if d <= 1 else 1.5,
                           detail={**detail, "distance": d})
            elif cid in down:
                r = Reason("narrower_industry", f"细分行业：{label}{as_written}，属于{mine}", 1.5, detail=detail)
            else:
                continue
            if best is None or r.weight > best.weight:
                best = r
        if best and best.kind in ("energy_intensive", "generic_industry", "broader_industry") \
                and _section_is_for_other_industries(clause, scheme, up | down):
            best = None     # a clause under 聚焦先进产能煤矿 that mentions 高耗能 is not a rule for 钢铁
        if best:
            reasons.append(best)
    elif industry.get("as_written") and industry["as_written"] in text:
        written = industry["as_written"]
        reasons.append(Reason("industry", f"行业：条款提及“{written}”", 3.0,
                              detail={"industry": written, "industry_id": None, "as_written": written, "project_industry": written}))
    for name, pattern, _, _ in TOPICS:
        if name in topics:
            m = re.search(pattern, text)
            if m:
                reasons.append(Reason("topic", f"项目类型：{name}（{_shown_by(topics[name])}），条款提及“{m.group()}”", 2.5,
                                      detail={"topic": name, "matched": m.group(), "shown_by": topics[name]}))
            elif re.search(pattern, clause.get("doc_title") or ""):
                reasons.append(Reason("document_topic", f"文件主题：{name}", 0.5, primary=False,
                                      detail={"topic": name, "document": clause.get("doc_title") or ""}))
    kind = profile.get("project_kind")
    if kind and reasons:
        m = re.search(PROJECT_KIND_PATTERNS[kind], text)
        if m:
            reasons.append(Reason("project_kind", f"建设性质：{kind}（条款提及“{m.group()}”）", 0.5, primary=False,
                                  detail={"project_kind": kind, "matched": m.group()}))
    if clause["id"] in described:
        weight, rank = described[clause["id"]]
        reasons.append(Reason("description", f"项目描述：与条款内容相近（检索排名第{rank}）", weight, detail={"rank": rank}))
    return reasons


def _names_energy_intensive_industries(text: str, scheme: Any) -> bool:
    """Whether ``text`` names 高耗能行业 as industries somewhere, not only as an adjective of
    things (加快淘汰高耗能高排放老旧车辆; 淘汰落后产能及高耗能工艺、装备).  A clause linked to the
    group whose text shows no mention of it keeps the link."""
    mentions = [m for m in scheme.match(text) if m.id == ENERGY_INTENSIVE]
    return not mentions or any(not _ENERGY_INTENSIVE_THING.match(text, m.end) for m in mentions)


def _section_is_for_other_industries(clause: dict[str, Any], scheme: Any, related: set[str]) -> bool:
    """The clause's heading or an enclosing heading names industries, none of them the project's."""
    words = " ".join([*(clause.get("parents") or []), clause.get("heading") or ""])
    named = {m.id for m in scheme.match(words)} - GENERIC_INDUSTRIES - {ENERGY_INTENSIVE}
    return bool(named) and not (named & related)


# ------------------------------------------------------------------ sentences

def _clause_sentences(clause: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(sentence, measure type, subtype) for the clause; measures as extracted at build time."""
    measures = clause.get("measures") or []
    if measures:
        return [(m["text"], m["type"], m.get("subtype", "")) for m in measures]
    from ingest.extract.measures import classify_measures

    return [(m.text, m.type, m.subtype) for m in classify_measures(clause["text"])]


def _sentence_scope(sentence: str) -> str:
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


def _sentences(clause: dict[str, Any], ctx: ScopeContext, excluded: list[str] = ()) -> list[SentenceNote]:
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
        if mtype == "task" and _SUPPORT.search(text):
            mtype = "support"
        elif mtype == "incentive" and subtype:
            mtype = "incentive"
        scope_text = _sentence_scope(text)
        result = _scope_with_negation(scope_text, ctx) if scope_text else ScopeResult(True)
        out.append(SentenceNote(text, mtype, result.state, "；".join(result.reasons)))
    return out


def _scope_with_negation(scope: str, ctx: ScopeContext) -> ScopeResult:
    """A scope term preceded by 不/非/未/无 (企业自身不直接出口) is not a restriction to that term."""
    cleaned = scope
    for term in ("出口", "自备电厂", "存量", "并网型", "离网型"):
        i = cleaned.find(term)
        if i >= 0 and _NEGATED.search(cleaned[:i]):
            cleaned = cleaned[:i] + "□" * len(term) + cleaned[i + len(term):]
    return evaluate_scope(cleaned, ctx)


def _group(sentences: list[SentenceNote], conditions: list[Condition]) -> str | None:
    if any(c.kind == "requirement" for c in conditions):
        return "obligations"
    if any(c.kind == "target" for c in conditions):
        return "targets"
    types = {s.type for s in sentences if s.applies is not False}
    if not types and sentences:
        return None     # every sentence is for someone else
    for t, g in (("restriction", "restrictions"), ("requirement", "obligations"), ("incentive", "incentives"),
                 ("support", "incentives"), ("target", "targets")):
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

def _scope_words(c: Constraint, scope: ScopeResult) -> str:
    """``；适用对象为“并网型绿电直连项目”：仅适用于并网型项目，填写…后可判断`` when the scope is not known to include the project."""
    if not c.scope or scope.state is not None:
        return ""
    return f"；适用对象为“{c.scope}”：" + "；".join(scope.reasons)


def _condition(clause: dict[str, Any], c: Constraint, profile: Profile, scope: ScopeResult,
               span: list[int] | None) -> Condition:
    check: Check = check_constraint(c, profile)
    notes = []
    if c.firmness == "原则上":
        notes.append("条款写“原则上”，可经批准例外")
    if c.kind == "target":
        when = f"到{c.year}年的" if c.year else (f"“{c.period}”末的" if c.period else "")
        notes.append(f"此为{when}目标，并非对每个项目的现行限制")
    explanation = check.explanation + _scope_words(c, scope) + "".join(f"；{n}" for n in notes)
    return Condition(
        clause_id=clause["id"], text=c.text, subject=c.subject, comparator=c.comparator, value=c.value, unit=c.unit,
        status=check.status, explanation=explanation, field=c.field, profile_value=check.profile_value, gap=check.gap,
        kind=c.kind, scope=c.scope, firmness=c.firmness, year=c.year, condition=c.condition, source_span=span,
        document=clause.get("doc_title", ""), path=clause.get("path", ""),
        canonical_value=c.canonical_value, canonical_unit=c.canonical_unit,
    )


def _trigger(clause: dict[str, Any], c: Constraint, profile: Profile, scope: ScopeResult,
             span: list[int] | None) -> Trigger:
    """``不会触发：本项目接入公用电网电压等级为110千伏，不符合条件“为220千伏”``."""
    check = check_constraint(c, profile)
    fires = {"met": True, "not_met": False}.get(check.status)
    if fires is None:
        words = f"待定：{to_decide(c.field)}（条件：{rule_words(c)}）"
    else:
        spec = FIELDS_BY_NAME[c.field]
        unit = shown_unit(c)
        mine = format_zh(convert(check.profile_value, spec.unit, unit), unit)
        words = (f"{FIRES_WORDS[fires]}：本项目{spec.label}为{mine}，"
                 f"{'符合' if fires else '不符合'}条件“{rule_words(c)}”")
    return Trigger(clause["id"], c.text, c.condition, fires, c.consequence, words + _scope_words(c, scope), c.field,
                   span, clause.get("doc_title", ""), clause.get("path", ""))


# ------------------------------------------------------------------ source spans

def _source(sources: Callable[[str], str] | None, doc_id: str, cache: dict[str, str]) -> str:
    if sources is None:
        return ""
    if doc_id not in cache:
        try:
            cache[doc_id] = sources(doc_id)
        except OSError:
            cache[doc_id] = ""
    return cache[doc_id]


_SKIP_IN_SOURCE = set(" \t\r\n\u3000*#>")


def _norm_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def _locate(snippet: str, source: str, clause_span: list[int] | None) -> list[int] | None:
    """Where the cleaned ``snippet`` is in the source text: spaces, line breaks, ** and full-width forms ignored."""
    lo, hi = (clause_span[0], clause_span[1]) if clause_span else (0, len(source))
    chars: list[str] = []
    index: list[int] = []
    for i in range(lo, min(hi, len(source))):
        ch = source[i]
        if ch in _SKIP_IN_SOURCE:
            continue
        n = _norm_char(ch)
        for part in n:
            chars.append(part)
            index.append(i)
    target = "".join(_norm_char(ch) for ch in snippet if ch not in _SKIP_IN_SOURCE)
    hay = "".join(chars)
    at = hay.find(target)
    if at < 0 or not target:
        return None
    return [index[at], index[at + len(target) - 1] + 1]


__all__ = ["apply_profile", "Applicability", "Rule", "Condition", "Trigger", "GROUPS", "GROUP_TITLES", "SYMBOLS",
           "STATUS_WORDS", "FIRES_WORDS", "KIND_WORDS"]
