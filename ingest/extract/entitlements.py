"""Entitlements: what an award or subsidy rule grants, to whom, how much and on what conditions.

Local policies are mostly rules of one shape::

    对<beneficiary>[，<conditions>]的，[一次性|每年]给予<amount>[的]<kind>[，最高不超过<cap>]
    <conditions>的，按<base>的<rate>%给予补助，单个项目补助最高不超过<cap>万元
    对评为3A级、A级景区村的，分别给予一次性奖励10万元、5万元

Each sentence that grants something (给予 / 奖励 / 补助 / 补贴 / 资助 / 贴息 /
减免 …) gives one :class:`~records.model.Entitlement` per amount (分别 lists
give several); the quantities before the grant (研发费用占销售收入比重达到3%以上,
投资额达到200万元以上) become :class:`~records.model.Condition` records of kind
``eligibility``, read with the same quantity grammar as targets
(:mod:`ingest.extract.quantity`); the pipeline puts them after the clause's own
conditions (:mod:`ingest.extract.conditions`) and shifts the entitlements'
indices to match.

``frequency`` is ``one-off`` (一次性), ``annual`` (每年 / 年度 / 连续N年) or "".
Spans are local to the text passed in, like every extractor's.
"""
from __future__ import annotations

import re

from ingest.extract.quantity import Quantity, find_quantities
from ingest.extract.text import sentence_spans
from ingest.extract.units import UNITS, quantity
from records.codes import ConditionKind
from records.model import Condition, Entitlement, Sentence, Span

# The grant: its verb or noun, and the instrument it names.
_KINDS = [
    ("loan_interest", r"贴息"),
    ("tax", r"减免税|免税|退税|税收返还|税收优惠|增值税[^，。；]{0,12}(?:返还|奖励)|地方留成部分"),
    ("fee", r"费用减免|减免[^，。；]{0,6}费|免收[^，。；]{0,8}费|租金(?:补助|减免)"),
    ("land", r"用地指标|土地指标|供地"),
    ("award", r"奖励|奖金|以奖代补|奖补"),
    ("subsidy", r"补助|补贴|资助|扶持资金|经费"),
]
_GRANT = re.compile(r"给予|予以|奖励|补助|补贴|资助|贴息|兑现|返还|减免")
_MONEY = re.compile(r"元")
_CAP_BEFORE = re.compile(r"(?:最高|不超过|不高于|上限|封顶|最多|累计不超过)[^，。；\d]{0,8}$")
_PER = re.compile(r"(?:每(?P<each>[个家件项人户亩台套间年次季月张所名场部宗批栋床吨]|平方米|TEU))[^，。；\d]{0,6}$")
_RATE_BASE = re.compile(r"按(?:照)?(?P<base>(?!照)[^，。；\d]{1,30}?)(?:的|分别|给予|予以)*$")
_BENEFICIARY = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)?\s*对(?:于)?(?P<who>[^，。；]{2,60}?)(?:，|给予|予以|按|奖励|补助|$)")
_APPLY = re.compile(r"(?:向|由|报)(?P<body>[^，。；、]{2,20}?)(?:提出申请|申报|申请|受理|审核|认定)")
_DEADLINE = re.compile(r"(?:\d{4}年\d{1,2}月\d{1,2}日(?:前|起|至)|每年\d{1,2}月(?:底|份|\d{1,2}日)?前|[\d一二三四五]+年内|连续[\d一二三四五]+年|自[^，。；]{2,20}起)")
_COND_VERB = re.compile(
    r"(?:达到|达|超过|突破|不低于|不少于|不超过|低于|高于|在|占|增长|提高|降低|下降|以上)$")


def find_entitlements(text: str) -> tuple[list[Sentence], list[Condition], list[Entitlement]]:
    """Sentences, conditions and entitlements of one clause text (spans local to ``text``)."""
    sentences = [Sentence(text[s:e], Span(s, e)) for s, e in sentence_spans(text)]
    conditions: list[Condition] = []
    out: list[Entitlement] = []
    for k, sent in enumerate(sentences):
        s, e = sent.span.start, sent.span.end
        words = text[s:e]
        grant = _grant_start(words)
        if grant is None or re.search(r"是指|所称|指的是", words) or re.search(r"不(?:再)?(?:给予|予以?|享受)", words[grant:grant + 8] if grant else words[:12]) \
                or re.search(r"不(?:再)?(?:给予|予以?)(?:[^，。；]{0,6})(?:奖励|补助|补贴|贴息|资助)", words):
            continue                                   # a definition or a refusal (不给予贴息) grants nothing
        kind = _kind(words[grant:]) or _kind(words)
        if kind is None:
            continue
        cond_ids = []
        previous = None
        for q in find_quantities(words, 0, grant):
            c = _condition(words, q, s, k, previous)
            if c is not None:
                cond_ids.append(len(conditions))
                conditions.append(c)
                previous = c
        amounts, cap = _amounts(words, grant)
        who = _beneficiary(words)
        common = dict(beneficiary=who, accepted_by=_accepted_by(words), deadline=_deadline(words),
                      conditions=cond_ids, sentence=k)
        if not amounts:
            # No amount: a grant only where the sentence gives something concrete
            # (给予…贴息 / 减免 / 用地), not where it merely speaks of 奖励经费.
            if kind in ("award", "subsidy") or not re.search(r"给予|予以|享受|减免|免收", words):
                continue
            out.append(Entitlement(kind, words, Span(s, e), cap=cap.value if cap else None,
                                   cap_unit=cap.unit if cap else "", frequency=_frequency(words), **common))
            continue
        tiers = "分别" in words and len(amounts) > 1 and len(cond_ids) == len(amounts)
        for n, (q, per) in enumerate(amounts):
            own = dict(common, conditions=[cond_ids[n]]) if tiers else common
            out.append(Entitlement(
                kind, words, Span(s, e), value=q.value, unit=q.unit, per=per,
                cap=cap.value if cap else None, cap_unit=cap.unit if cap else "",
                frequency=_frequency(words), **own))
        if amounts and not out[-1].frequency:
            for ent in out[-len(amounts):]:
                ent.frequency = _frequency(words)
    for ent in out:
        if not ent.frequency:
            ent.frequency = _frequency(ent.text)
    return sentences, conditions, out


def _grant_start(words: str) -> int | None:
    """Where the grant begins: the last 的， that closes the conditions, else the grant word."""
    m = None
    for m in re.finditer(r"的[，,]", words):
        pass
    g = _GRANT.search(words)
    if g is None:
        return None
    if m is not None and m.end() <= g.start() + 30:
        return m.end() if m.end() <= g.end() or m.end() < len(words) else g.start()
    # 按照展位费75%，给予…: a rate stated in the segments just before the grant belongs to it.
    start = max([x.end() for x in re.finditer(r"[，,；;]", words[:g.start()])] or [0])
    while start > 0:
        prev = max([x.end() for x in re.finditer(r"[，,；;]", words[:start - 1])] or [0])
        if not re.match(r"(?:按照|按|根据|依据)[^，,；;]*(?:%|‰|比例|标准)", words[prev:start]):
            break
        start = prev
    return start if start < g.start() and re.match(r"按照|按|根据|依据", words[start:]) else g.start()


def _kind(words: str) -> str | None:
    for name, pat in _KINDS:
        if re.search(pat, words):
            return name
    if re.search(r"给予|予以", words) and _MONEY.search(words):
        return "subsidy"
    return None


def _amounts(words: str, grant: int) -> tuple[list[tuple[Quantity, str]], Quantity | None]:
    """Amounts granted (money or a rate) and a cap (最高不超过…), from the grant part."""
    found = [q for q in find_quantities(words, grant) if "元" in q.unit or q.unit in ("%", "‰")]
    amounts: list[tuple[Quantity, str]] = []
    cap = None
    prev_end = grant
    base = ""
    for q in found:
        before = words[max(0, q.start - 14):q.start]      # 最高 may stand before the grant word: 最高奖励100万元
        if words[q.start - 1:q.start] == "每":
            base = "每" + words[q.start:q.end]           # 每100万元给予5万元: a rate per amount
            continue
        if cap is not None and re.fullmatch(r"[、和]", words[prev_end:q.start] if amounts or cap else ""):
            prev_end = q.end                              # 最高70万元、50万元: further tiers of the cap
            continue
        prev_end = q.end
        if _CAP_BEFORE.search(before) or q.comparator == "<=":
            if cap is None:
                cap = q
            if not amounts and not re.search(r"按|的\d", words[grant:q.start]):
                amounts.append((q, base or _per(words, q, grant)))   # 给予最高20万元奖励: amount and cap
            continue
        amounts.append((q, base or _per(words, q, grant)))
    if cap is not None and len(amounts) > 1:
        amounts = [a for a in amounts if a[0] is not cap]
    return amounts, cap


def _per(words: str, q: Quantity, grant: int) -> str:
    before = words[max(grant, q.start - 30):q.start]
    if q.unit in ("%", "‰"):
        m = _RATE_BASE.search(before)
        return m.group("base") if m else ""
    m = _PER.search(words[max(0, q.start - 14):q.start])
    if m:
        return "每" + m.group("each")
    return q.per


def _condition(words: str, q: Quantity, offset: int, sentence: int,
               previous: Condition | None = None) -> Condition | None:
    """研发费用占销售收入比重达到3%以上 → subject, comparator, value, unit.

    A value right after another one (达到8亿元、5亿元) takes the previous subject."""
    seg_start = max([m.end() for m in re.finditer(r"[，,；;：:、]|且|并|或", words[:q.start])] or [0])
    before = words[seg_start:q.start]
    verb = _COND_VERB.search(before)
    subject = before[:verb.start()] if verb else before
    subject = re.sub(r"^(?:\d+[.．、]|[（(][^）)]*[）)]|对|凡|经|其|当年|年度?)+", "", subject).strip()
    if not subject and not verb and previous is not None and words[seg_start - 1:seg_start] == "、":
        return Condition(subject=previous.subject, comparator=previous.comparator, value=q.value, unit=q.unit,
                         text=words[seg_start:q.end], span=Span(offset + seg_start, offset + q.end),
                         comparator_text=previous.comparator_text, kind=ConditionKind.ELIGIBILITY.value, sentence=sentence,
                         inherited=True, **_canonical(q))
    if not subject and not verb:
        return None
    if re.search(r"第$|每[^，。；]{0,8}$", subject) or re.search(r"\d\s*[-－—~～]$", before):
        return None                                   # an ordinal, a rate base or a range's upper end
    cmp = q.comparator
    tail = re.match(r"[（(]含[）)](以上|以下)", words[q.end:q.end + 6])
    if tail:
        cmp = ">=" if tail.group(1) == "以上" else "<="
    if cmp == "=" and verb and re.match(r"超过|突破|高于", verb.group(0)):
        cmp = ">"
    if cmp == "=" and verb and re.match(r"不低于|不少于|达到|达", verb.group(0)):
        cmp = ">="                                    # a threshold to reach: 销售额达到8亿元
    return Condition(
        subject=subject, comparator="~" if cmp == "about" else cmp, value=q.value, unit=q.unit,
        text=words[seg_start:q.end].strip(), span=Span(offset + seg_start, offset + q.end),
        comparator_text=verb.group(0) if verb else "", kind=ConditionKind.ELIGIBILITY.value, sentence=sentence,
        **_canonical(q),
    )


def _canonical(q: Quantity) -> dict:
    """The amount in the canonical unit of its dimension (5亿元 → 5e8 元), when the unit converts (not 家, 项)."""
    if q.unit not in UNITS:
        return {}
    converted = quantity(q.value, q.unit)
    return {"canonical_value": converted.canonical_value, "canonical_unit": converted.canonical_unit}


_ENTITY = (r"(?:企业|单位|公司|机构|协会|人才|人员|团队|主体|个人|个体工商户|旅行社|学校|医院|村|园区|基地|平台|项目"
           r"|大师|毕业生|市场|景区|酒店|民宿|商户|合作社|家庭农场|工作站)")


def _beneficiary(words: str) -> str:
    """Who receives it: 对X…, 给予X…元, or the subject the sentence opens with (旅行社全年…的)."""
    m = re.search(rf"(?:给予|奖励|补助)(?P<who>[^，。；\d]{{0,10}}?{_ENTITY})(?:每[人家项个])?(?:最高|一次性|累计)?\d", words)
    if m and not re.match(r"^(?:一次性|最高|每)", m.group("who")):
        return m.group("who")
    m = _BENEFICIARY.search(words)
    if m:
        who = m.group("who").strip()
        # 对汽车销售企业当年销售额达到8亿元…的: the beneficiary ends where its condition starts.
        first_number = re.search(r"\d", who)
        tail = re.search(rf"的(?P<noun>[^，。；\d的]{{0,8}}{_ENTITY})$", who)
        if first_number and tail:
            return tail.group("noun")                  # 对…超过500万元…的企业: the entity the conditions qualify
        if first_number:
            verb = _COND_VERB.search(who[:first_number.start()])
            head = who[:verb.start()] if verb else who[:first_number.start()]
            who = re.sub(r"(?:当年|年度|上年|其)?[^企业单位机构公司人才团队项目]{0,4}$", "", head) or head
        return re.sub(r"的?分别$", "", who).strip()
    m = re.search(r"(?:奖励|补助|补贴|资助)(?P<who>[^，。；\d]{2,20}?)\d", words)
    if m and re.search(r"企业|单位|机构|协会|个人|人员|人才|团队|公司", m.group("who")):
        return m.group("who")
    # The subject the sentence opens with, up to the last entity word of its first clause
    # (首次新引进到我市企业工作的正高职称人员 → …人员, not …企业).
    m = re.match(rf"^(?:\d+[.．、]|[①-⑩]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)?\s*"
                 rf"(?P<who>[^，。；\d]{{0,30}}{_ENTITY})", words)
    return m.group("who") if m and not re.search(r"鼓励|支持|建立|对|按|经", m.group("who")) else ""


def _accepted_by(words: str) -> str:
    m = _APPLY.search(words)
    if not m:
        return ""
    body = m.group("body")
    return body if re.search(r"局|委|办|部门|政府|中心|机关|小组", body) else ""


def _deadline(words: str) -> str:
    m = _DEADLINE.search(words)
    return m.group(0) if m else ""


def describe(ent: dict) -> str:
    """An entitlement record in words: 450万元 一次性 / 10%（项目实际完成投资额），最高200万元 / 每件1万元，每年."""
    def num(v):
        return f"{v:g}" if v is not None else ""
    parts = []
    if ent.get("value") is not None:
        amount = f"{num(ent['value'])}{ent.get('unit', '')}"
        per = ent.get("per") or ""
        if per.startswith("每"):
            amount = per + amount
        elif per:
            amount += f"（{per}）"
        parts.append(amount)
    if ent.get("cap") is not None and ent.get("cap") != ent.get("value"):
        parts.append(f"最高{num(ent['cap'])}{ent.get('cap_unit', '')}")
    elif ent.get("cap") is not None:
        parts[-1:] = [f"最高{parts[-1]}" if parts else f"最高{num(ent['cap'])}{ent.get('cap_unit', '')}"]
    freq = {"one-off": "一次性", "annual": "每年"}.get(ent.get("frequency", ""), "")
    return "，".join(parts) + (f"（{freq}）" if freq and parts else freq)


def _frequency(words: str) -> str:
    if "一次性" in words:
        return "one-off"
    if re.search(r"每年|年度|逐年|连续[\d一二三四五]+年|按年", words):
        return "annual"
    return ""
