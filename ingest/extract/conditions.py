"""Quantitative conditions in a clause's text: subject, comparator, value, whom they bind.

Every clause is read once at ingest; the conditions are stored with the clause
(``conditions`` in ``clauses.jsonl`` and ``documents/<id>.json``) as
:class:`records.Condition` mentions, and the rules stage only matches a
project profile against them (:mod:`rules.fields`, :mod:`rules.check`).

Extraction is a small grammar over the clause's cleaned text, not a list of
known sentences.  Numbers, units and comparator words are read by the quantity
grammar targets and entitlements share (:mod:`ingest.extract.quantity`), over
the units :mod:`ingest.extract.units` converts.  Around every *number + unit*
it looks for a comparator before it (不超过, 不低于, 达到, 降至, 为 …, also
"不得超过总可用发电量的20%") and/or after it (以上, 及以上, 以下, 以内,
左右); a directional word before wins over a bound after (不超过20%以上 is ≤).
Unlike a target, a level verb (达到, 降至) is a bound here, and an approximate
amount (约50公里) or a reported result (突破3000亿元) is no condition.  Changes
against a baseline (较2020年下降20%以上, 提高2个百分点) are not conditions on
a project and are skipped.

The *subject* is the noun phrase before the comparator, back to the previous
comma, full stop, colon or unclosed bracket (or the previous condition in the
same phrase).  It is split into a *scope* — the entity named at its head,
ending in 项目 / 企业 / 负荷 / 用户 … (并网型绿电直连项目, 煤电企业) — and the
measured quantity (接入公用电网电压等级, 年捕集规模).  A phrase with no scope
takes it from the comma phrase before it when that phrase is only a scope
("依托新增负荷…的并网型绿电直连项目，新能源上网电量…不超过20%"), else from the
previous condition of the sentence.  Elided subjects are filled in from the
previous condition: "…自发自用电量占总可用发电量的比例应不低于60%，占总用电量
的比例应不低于30%，…2030年前不低于35%".  A year (到2030年, 2030年前) makes the
condition a *target*; a phrase ending in 的 before a comma ("…超过20%的，按…
结算") makes it a *trigger* — a provision that applies when the condition holds.

Spans are local to the text passed in, like every extractor's (the pipeline
maps them to the source text).
"""
from __future__ import annotations

import re

from ingest.extract.quantity import (
    APPROXIMATE, COMPARATORS_AFTER, COMPARATORS_BEFORE, DIRECTIONAL, RESULT_WORDS, comparator_before,
    find_quantities,
)
from ingest.extract.text import sentence_spans
from ingest.extract.units import UNITS, quantity
from records.codes import ConditionKind
from records.model import Condition, Sentence, Span

# ---------------------------------------------------------------- comparators

# Numbers, units and comparator words are read by the one quantity grammar
# (ingest.extract.quantity), over the units this package can convert.  An
# approximate amount (约50公里) or a reported result (突破3000亿元) is no
# condition on a project.
_UNIT_VOCABULARY = tuple(UNITS)
_SKIP_BEFORE = APPROXIMATE | RESULT_WORDS

_PRE_ALT = "|".join(sorted(set(COMPARATORS_BEFORE) - _SKIP_BEFORE, key=len, reverse=True))
# 不得超过总可用发电量的20%: the comparator, then what the share is of
_PRE_DENOM_AT_END = re.compile(rf"(?P<pre>{_PRE_ALT})(?P<denom>[^，,。；;：:、\d（）()《》“”]{{1,15}})的\s*$")
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


def strip_parens(text: str) -> str:
    """``text`` without its bracketed parts (（…）and (…))."""
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


def split_scope(subject: str) -> tuple[str, str]:
    """``并网型绿电直连项目接入公用电网电压等级`` → (``并网型绿电直连项目``, ``接入公用电网电压等级``)."""
    bare = strip_parens(subject)
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
    bare = strip_parens(phrase).strip()
    return (bool(bare) and bool(re.search(r"(项目|企业|负荷|用户|园区|开发区|主体|电厂)$", bare))
            and not find_quantities(bare, units=_UNIT_VOCABULARY))


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


def find_conditions(text: str, sentences: list[Sentence] | None = None) -> list[Condition]:
    """Every quantitative condition in one clause's cleaned text, in reading order.

    ``sentences`` are the clause's sentences (spans local to ``text``; default:
    :func:`ingest.extract.text.sentence_spans`); each condition records the index
    of the one it starts in."""
    if sentences is None:
        sentences = [Sentence(text[s:e], Span(s, e)) for s, e in sentence_spans(text)]
    found: list[Condition] = []
    last_end = 0            # end of the previous constraint (a subject never reaches back past it)
    for q_read in find_quantities(text, units=_UNIT_VOCABULARY):
        ns, unit, post = q_read.start, q_read.unit, q_read.bound
        if unit not in UNITS or q_read.approx:
            continue            # 元/月, 50多公里: not a single convertible amount
        end = q_read.end
        # a full stop or semicolon starts a new sentence: nothing is inherited across it
        sentence_start = max(text.rfind(ch, 0, ns) for ch in "。；;") + 1
        if post and end < len(text) and re.match(r"[\u4e00-\u9fff]", text[end]) and text[end] != "的":
            continue            # 以30万千瓦以下煤电机组为重点: a qualifier of a noun, not a condition
        pre, denom, pre_start = "", "", ns
        found_pre = comparator_before(text, ns, skip=_SKIP_BEFORE)
        if found_pre:
            pre, pre_start = found_pre
        else:
            dm = _PRE_DENOM_AT_END.search(text, 0, ns)
            if dm:
                pre, denom, pre_start = dm["pre"], dm["denom"], dm.start()
        if not pre and not post:
            continue
        start = _phrase_start(text, pre_start, max(last_end, sentence_start))
        if _CHANGE_BEFORE.search(text[:pre_start]) or _BASELINE.search(text[start:pre_start]):
            continue            # 较2020年下降20%以上: a change, not a level
        comparator = (COMPARATORS_AFTER[post] if post and (not pre or pre not in DIRECTIONAL)
                      else COMPARATORS_BEFORE[pre]).replace("about", "~")
        raw = text[start:pre_start]
        if raw.startswith("、"):
            raw, start = raw[1:], start + 1
        subject, firmness, year, period = _clean_subject(raw)
        scope, subject = split_scope(subject)
        prev = found[-1] if found and found[-1].span.start >= sentence_start else None
        inherited = False
        if prev is not None and not subject:
            subject, inherited = prev.subject, True
        elif prev is not None and subject.startswith("占") and "占" in prev.subject:
            subject, inherited = prev.subject.split("占")[0] + subject, True
        if len(strip_parens(subject)) < 2:
            continue            # nothing measurable named
        if not scope:
            if start - 1 > sentence_start:
                pstart = _phrase_start(text, start - 1, sentence_start)
                phrase = text[pstart:start - 1]
                if _is_scope_only(phrase) and (prev is None or prev.span.end <= pstart):
                    scope = _LEAD.sub("", phrase.strip())
            if not scope and inherited and prev is not None:
                scope = prev.scope
        if denom and "占" not in subject:
            subject = f"{subject}（占{denom}）"
        if year is None and not period:
            year, period = _sentence_year(text[sentence_start:start])
        if year is None and not period:
            year = _paragraph_year(text, start)
        q = quantity(q_read.value, unit)
        after = text[end:]
        phrase_first = text[start:start + 2]
        if _TRIGGER_AFTER.match(after) or _TRIGGER_BEFORE.match(phrase_first):
            kind = ConditionKind.TRIGGER
        elif year or period or firmness == "力争":
            kind = ConditionKind.TARGET
        else:
            kind = ConditionKind.REQUIREMENT
        consequence = ""
        if kind == ConditionKind.TRIGGER:
            comma = re.search(r"[，,]", after)
            cons_start = end + (comma.end() if comma else 0)
            stops = [i for i in (text.find("。", cons_start), text.find("；", cons_start)) if i >= 0]
            consequence = text[cons_start:min(stops or [len(text)])].strip()
        found.append(Condition(
            subject=subject, comparator=comparator, value=q.value, unit=unit, text=text[start:end],
            span=Span(start, end), comparator_text="…".join(x for x in (pre, post) if x),
            canonical_value=q.canonical_value, canonical_unit=q.canonical_unit,
            scope=scope, firmness=firmness, year=year, period=period, kind=kind.value,
            consequence=consequence, inherited=inherited, sentence=_sentence_of(start, sentences),
        ))
        last_end = end
    return found


def _sentence_of(pos: int, sentences: list[Sentence]) -> int:
    """The index of the sentence ``pos`` is in (-1 when it is in none: a bare heading)."""
    return next((k for k, s in enumerate(sentences) if s.span.start <= pos < s.span.end), -1)
