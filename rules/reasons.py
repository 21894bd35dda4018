"""Why a clause is about a project: the reasons, their weights, and how they are found.

A clause applies when

1. its document **binds** the project (:mod:`rules.jurisdiction`: national rules
   bind everyone, a province's rules only projects in that province), and
2. it is **about** the project, by at least one primary reason worth
   :data:`rules.match.MIN_SCORE`:

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
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from rules.clauses import RuleClause
from rules.profile import Profile
from rules.results import Reason

GENERIC_INDUSTRIES = {"manufacturing", "strategic-emerging", "green-low-carbon"}
ENERGY_INTENSIVE = "energy-intensive"

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
# after 高耗能 / 高耗能高排放: a thing it describes, not the industries (高耗能高排放老旧车辆, 高耗能工艺、装备)
_ENERGY_INTENSIVE_THING = re.compile(
    r"(?:[、，,]?(?:高排放|高污染|高耗水|低水平|低效|老旧|落后|淘汰类))*[、，,]?"
    r"(?:车辆|汽车|机动车|船舶|交通工具|运输工具|设备|装备|工艺|技术|产品|机组|电机|锅炉|窑炉|器具)")

SearchFn = Callable[[str, int], Iterable[tuple[str, float]]]


def resolve_industry(profile: Profile, scheme: Any, warnings: list[str]) -> dict[str, Any]:
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


def project_side_industries(profile: Profile, topics: dict[str, str], scheme: Any,
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


def profile_topics(profile: Profile) -> dict[str, dict[str, Any]]:
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


def description_hits(profile: Profile, search: SearchFn | None, clauses: list[dict[str, Any]],
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


def _clause_industries(clause: RuleClause, scheme: Any, linked: bool) -> list[tuple[str, str]]:
    """(concept id, as written) of the industries the clause names."""
    if linked:
        return [(i.id, i.as_written or i.label) for i in clause.industries]
    return [(m.id, m.as_written) for m in scheme.match(clause.text)]


def clause_reasons(clause: RuleClause, profile: Profile, industry: dict[str, Any], topics: dict[str, str],
             scheme: Any, described: dict[str, tuple[float, int]], linked: bool) -> list[Reason]:
    text = clause.text
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
            elif re.search(pattern, clause.doc_title):
                reasons.append(Reason("document_topic", f"文件主题：{name}", 0.5, primary=False,
                                      detail={"topic": name, "document": clause.doc_title}))
    kind = profile.get("project_kind")
    if kind and reasons:
        m = re.search(PROJECT_KIND_PATTERNS[kind], text)
        if m:
            reasons.append(Reason("project_kind", f"建设性质：{kind}（条款提及“{m.group()}”）", 0.5, primary=False,
                                  detail={"project_kind": kind, "matched": m.group()}))
    if clause.id in described:
        weight, rank = described[clause.id]
        reasons.append(Reason("description", f"项目描述：与条款内容相近（检索排名第{rank}）", weight, detail={"rank": rank}))
    return reasons


def _names_energy_intensive_industries(text: str, scheme: Any) -> bool:
    """Whether ``text`` names 高耗能行业 as industries somewhere, not only as an adjective of
    things (加快淘汰高耗能高排放老旧车辆; 淘汰落后产能及高耗能工艺、装备).  A clause linked to the
    group whose text shows no mention of it keeps the link."""
    mentions = [m for m in scheme.match(text) if m.id == ENERGY_INTENSIVE]
    return not mentions or any(not _ENERGY_INTENSIVE_THING.match(text, m.end) for m in mentions)


def _section_is_for_other_industries(clause: RuleClause, scheme: Any, related: set[str]) -> bool:
    """The clause's heading or an enclosing heading names industries, none of them the project's."""
    words = " ".join([*clause.parents, clause.heading])
    named = {m.id for m in scheme.match(words)} - GENERIC_INDUSTRIES - {ENERGY_INTENSIVE}
    return bool(named) and not (named & related)

