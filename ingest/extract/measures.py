"""Type each sentence of a clause as a policy measure.

One Measure per sentence (split at 。；) — or per run of comma clauses when one
sentence both restricts and supports — first type that applies:

    definition   是指 / 所称 / 指的是
    restriction  不得 / 严禁 / 禁止 / 一律 / 严控 / 淘汰 / 遏制 / 不再 …
    target       holds a target found by find_targets (year + quantity)
    incentive    money, tax, land, power price, finance, insurance, priority,
                 and plain encouragement (鼓励 / 支持 / 培育 / 大力发展 …) as subtype ``encouragement``
    requirement  应 / 须 / 必须 / 需 / 不超过 / 不低于 / 原则上
    task         everything else

Restriction outranks incentive so 严禁…实施电价优惠 is a restriction.  An
incentive's ``subtype`` is that of its earliest keyword.  Sentences that are
only a bracketed note (the responsibility list) are not measures.
"""
from __future__ import annotations

import re

from ingest.extract.context import ExtractContext
from ingest.extract.targets import find_targets
from ingest.extract.text import sentence_spans
from ingest.model import Measure, Span

_DEFINITION = re.compile(r"是指|所称|指的是|系指|本方案所指|[”\"]即")
_RESTRICTION = re.compile(
    r"不得|严禁|禁止|一律|严格控制|严控|淘汰|遏制|不再|不予|严格限制|限批|缓批|惩罚性|不准"
)
# Levies that merely sound like incentives: 可再生能源发展基金, 政府性基金, 交叉补贴.
_INCENTIVES = [
    ("tax", r"税收优惠|减免税|免税|退税|即征即退|税收|税费减免"),
    ("subsidy", r"(?<!交叉)补贴|补助|奖补"),
    ("award", r"奖励|表彰|表扬|以奖代补"),
    ("funds", r"资金支持|专项资金|预算内投资|专项债|基本建设资金|财政资金|财政[^，。；]{0,20}支持|资金"),
    ("finance", r"信贷(?!银行)|贷款|(?<!可再生能源发展)(?<!政府性)(?<!科学)(?<!联合)基金(?!委员会)|金融(?:支持|产品|机构|工具|服务)"
                r"|绿色金融|转型金融|碳金融|融资|债券|担保|REITs"),
    ("insurance", r"保险补偿|保险"),
    ("power_price", r"电价"),
    ("land", r"用地保障|土地保障|土地出让|用地支持|土地[、，]?[^。；]{0,10}要素保障"),
    ("priority", r"优先(?:支持|保障|列入|纳入|安排)|绿色通道|倾斜"),
    ("other", r"(?:给予|予以)[^，。；]{0,10}支持|激励政策|激励措施"),
]
# Policy encouragement without a concrete benefit (支持…发展, 鼓励…): what an
# investment officer asks for as "support"; only when no concrete kind is named.
# Verbs that promote a named industry or kind of project (培育绿色算力和人工智能项目,
# 大力发展新能源汽车, 布局一批算力中心) count as encouragement too: the sentence
# supports what it names, though it grants nothing concrete.
_ENCOURAGEMENT = re.compile(
    r"鼓励|(?<![减排])支持(?!工具)|培育|扶持|大力发展|加快发展|积极发展|重点发展|做大做强|发展壮大|培育壮大"
    r"|招引|引进[^，。；]{0,12}(?:项目|企业)|布局一批|打造[^，。；]{0,12}(?:产业|集群|基地)"
)
_INCENTIVE = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in _INCENTIVES))
_REQUIREMENT = re.compile(
    r"应当|必须|不应|(?<![相供适响对反效呼回感答照顺])应(?![用对急])|(?<!必)须|(?<![亟必供])需(?!求)"
    r"|不超过|不低于|不高于|不少于|原则上"
)
_NOTE_ONLY = re.compile(r"^[（(][^（()）]*[）)][。；;]?$")


def classify_measures(text: str, context: ExtractContext | None = None) -> list[Measure]:
    """One measure per sentence.  A sentence that reports the past (a work
    report's review, ``context.review`` / ``looking_back``) is a ``task`` at
    most: 减税降费超167亿元 reports a result, it offers nothing."""
    context = context or ExtractContext()
    target_spans = [(t.span.start, t.span.end) for t in find_targets(text, context)]
    out = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        if _NOTE_ONLY.match(sentence):
            continue
        past = context.looking_back or any(a <= s < b for a, b in context.review)
        for ps, pe in _parts(sentence):
            has_target = any(a < s + pe and s + ps < b for a, b in target_spans)
            kind, subtype = classify_sentence(sentence[ps:pe], has_target)
            if past and kind in ("incentive", "restriction", "target"):
                kind, subtype = "task", ""
            out.append(Measure(kind, sentence[ps:pe], Span(s + ps, s + pe), subtype))
    return out


def attach_mentions(measures: list[Measure], industries: list, agencies: list, conditions: list) -> None:
    """Give each measure the industries, agency mentions and conditions inside its own span (all
    spans in the same clause text), as indices into those lists."""
    def inside(m: Measure, items: list) -> list[int]:
        return [i for i, x in enumerate(items) if m.span.start <= x.span.start and x.span.end <= m.span.end]

    for m in measures:
        m.industries = inside(m, industries)
        m.agencies = inside(m, agencies)
        m.conditions = inside(m, conditions)
        m.type_outside_scope, m.subtype_outside_scope = _type_outside_scope(m, conditions)


_BINDING_TYPES = ("requirement", "target", "restriction")


def _type_outside_scope(measure: Measure, conditions: list) -> tuple[str, str]:
    """The measure's type read without the conditions that bind only a named scope.

    （煤电企业年捕集规模需达1000吨及以上） makes its sentence a requirement for 煤电企业;
    for any other project the rules engine reads the sentence as this type instead.
    """
    scoped = [conditions[i].text for i in measure.conditions if conditions[i].scope]
    if not scoped or measure.type not in _BINDING_TYPES:
        return "", ""
    rest = measure.text
    for words in scoped:
        rest = rest.replace(words, "")
    rest = re.sub(r"[（(]\s*[）)]", "", rest)
    kind, subtype = classify_sentence(rest, False)
    return ("", "") if (kind, subtype) == (measure.type, measure.subtype) else (kind, subtype)


def _parts(sentence: str) -> list[tuple[int, int]]:
    """The sentence whole, or — when one comma clause restricts and another supports
    (加大对新能源项目的投融资支持力度，严格控制钢铁、水泥等高碳项目投资) — its runs of
    clauses of one stance, so each stance attaches to the industries its own words name."""
    cuts = [0] + [m.end() for m in re.finditer(r"[，,]", sentence)] + [len(sentence)]
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if sentence[cuts[i]:cuts[i + 1]].strip("，, ")]
    stances = [_stance(sentence[a:b]) for a, b in pieces]
    if not ({"restriction", "incentive"} <= set(stances)) or _DEFINITION.search(sentence):
        return [(0, len(sentence))]
    out: list[list[int]] = []
    current = None
    for (a, b), stance in zip(pieces, stances):
        if out and (stance is None or stance == current):
            out[-1][1] = b                      # a neutral clause goes with the one before it
            continue
        out.append([a, b])
        current = stance or current
    return [(a, b) for a, b in out]


def _stance(words: str) -> str | None:
    if _RESTRICTION.search(words):
        return "restriction"
    if _INCENTIVE.search(words) or _ENCOURAGEMENT.search(words):
        return "incentive"
    return None


def classify_sentence(sentence: str, has_target: bool = False) -> tuple[str, str]:
    """(type, subtype) of one sentence; ``has_target`` if it holds a target."""
    if _DEFINITION.search(sentence):
        return "definition", ""
    if _RESTRICTION.search(sentence):
        return "restriction", ""
    if has_target:
        return "target", ""
    m = _INCENTIVE.search(sentence)
    if m:
        return "incentive", m.lastgroup or "other"
    if _ENCOURAGEMENT.search(sentence):
        return "incentive", "encouragement"
    if _REQUIREMENT.search(sentence):
        return "requirement", ""
    return "task", ""
