"""Quantified targets: a deadline, an indicator, a comparator and a value.

Two shapes are recognised, both anchored on a verb so that bare numbers
(500千伏 in a facility's name, 〔2024〕195号, dates) never become values:

* level/change: ``<indicator> [力争] [较2020年] <verb> <value><unit> [以上]``
  (非化石能源消费比重达到12%, 森林覆盖率力争比2020年提高2.5个百分点);
* count/build: ``<verb> <value><unit> [左右] <object>`` where the object is the
  indicator (建成10座500千伏新能源汇集站, 创建5个左右零碳矿山).

A target needs a deadline — a year (到2025年, 2030年前) or plan period
(“十四五”末 → 2025) — or, failing one, an explicit aspiration (力争/确保/争取):
constraints without either (接入电压等级不超过220千伏) are requirements, not
targets.  A deadline that opens a sentence governs the following sentences of
the clause until another deadline appears; one in mid-sentence governs only the
rest of its sentence.

``comparator`` is the verb (达到, 降至, 下降 …, 达 normalised to 达到); a
trailing bound (以上/以下/以内/左右) is kept in ``bound`` and, for a bare
``在…以下``, is the comparator.  Ranges (5%－10%) set ``value_max``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.context import ExtractContext
from ingest.extract.text import sentence_spans
from ingest.model import Span, Target


_NUM = r"\d+(?:\.\d+)?"
_UNITS = sorted("""
个百分点 百分点 % ‰
亿千瓦时 万千瓦时 千瓦时 kWh/t kWh 万千瓦 亿千瓦 千瓦 吉瓦 兆瓦 GW MW kW
克标准煤/千瓦时 克标煤/千瓦时 千克标准煤/吨 千克标准煤 吨标准煤/万元 万吨标准煤 亿吨标准煤 吨标准煤
万吨/年 万吨 亿吨 吨 亿立方米 万立方米 立方米 万公里 公里 千米 km 千伏 kV
万亿元 亿元 万元 元 万亩 亩 万公顷 公顷 万平方米 平方米
万辆 辆 座 个 家 项 批 条 处 台 套 所 倍 万户 户 万人 小时
""".split(), key=len, reverse=True)
_UNIT = "(?:" + "|".join(map(re.escape, _UNITS)) + ")"
_BOUND = r"(?:及以上|以上|以下|以内|左右)"

_LEVEL_VERBS = """达到 提升至 提升到 提高至 提高到 提至 增至 增长至 增长到 增加至 增加到 降至 降到 降低至
降低到 下降至 下降到 减少至 减少到 控制在 保持在 稳定在 维持在 超过 突破 不低于 不少于 不高于 不超过
不大于 不小于 大于 小于 低于 高于 达 在 为""".split()
_CHANGE_VERBS = "下降 降低 减少 削减 提高 提升 增长 增加".split()
_BUILD_VERBS = "建成 新建 建设 创建 开工 形成 培育 打造 遴选 新增 累计 完成 推广 部署 投运".split()


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_LEVEL = re.compile(
    rf"(?P<verb>{_alt(_LEVEL_VERBS + _CHANGE_VERBS)})"
    rf"(?P<ref>[^，。；;、,\d]{{1,12}}?的)?"
    rf"(?P<val>{_NUM})(?P<unit>{_UNIT})"
    rf"(?:\s*[－\-~～—至到]\s*(?P<val2>{_NUM})(?P=unit)?)?"
    rf"(?P<more>(?:[和、与及](?:{_NUM})(?P=unit)?)*)"
    rf"(?P<bound>{_BOUND})?"
)
_BUILD = re.compile(
    rf"(?P<verb>{_alt(_BUILD_VERBS)})"
    rf"(?P<mid>[^，。；;,\d]{{0,15}}?)"
    rf"(?P<val>{_NUM})(?P<unit>{_UNIT})(?P<bound>{_BOUND})?"
    rf"(?P<obj>[^，。；;,]{{1,30}})"
)

# Deadlines.  A bare "2030年" counts only after 到/至/在… or at a segment start
# (not after 较/比, which makes it a baseline, nor inside brackets or dates).
_YEAR = re.compile(
    r"(?P<firm>确保|力争|争取|努力)?(?P<to>到|至|在|于|截至|截止到)?(?P<year>(?:19|20)\d{2})年"
    r"(?P<tail>年底前|年底|年末|底前|底|末|前|以前)?(?!\d|度|第)"
)
_PERIOD = re.compile(
    r"(?P<firm>确保|力争|争取|努力)?(?P<to>到|至|在)?[“\"]?(?P<period>十[一二三四五六七八九]五)[”\"]?"
    r"(?P<tail>末|期间|时期|期末|初)?"
)
_CN_DIGIT = dict(zip("一二三四五六七八九", range(1, 10)))

_ASPIRATION = ("确保", "力争", "争取")
_DELIM = re.compile(r"[，,；;：:。！？!?\n]")
_SEG_BREAK = set("，,；;：:。！？!?\n")

# Peeled off the right end of the words before the verb, in any order.
_PEEL_RIGHT = [
    re.compile(r"(?P<firm>确保|力争|争取|努力|原则上)$"),
    re.compile(r"(?:较|比|相比|相较于?|对比)(?P<base>(?P<by>(?:19|20)\d{2})年(?:底|末)?(?:水平)?"
               r"|[\u4e00-\u9fff]{1,10}?(?:前|后|水平|基础上|同期))$"),
    # Modal and adverb words; 应/需/要/均 only where they are not the end of a
    # noun (供应, 供需, 主要, 人均).
    re.compile(r"(?:分别|都|再|将|须|要求|进一步|逐步|持续|稳步|继续|大幅|累计|年均|平均"
               r"|(?<![供相适响对反效])应|(?<![供必亟])需|(?<![主重需必])要|(?<![人年平])均)$"),
]
_PEEL_LEFT = re.compile(r"^(?:其|并|且|同时|还|、|\s)+")
_LEAD_VERBS = re.compile(
    r"^(?:并|且|同时|还|要|应)?(?:不断|持续|逐步|进一步|积极|大力|加快|稳步)*"
    r"(?:提高|提升|降低|扩大|增加|减少|推动|推进|优化|控制|实现)?"
)


@dataclass
class _Deadline:
    start: int
    end: int
    year: int
    period: str
    firm: str


def find_targets(text: str, context: ExtractContext | None = None) -> list[Target]:
    """Targets in one clause.

    With a ``context`` naming the document's year, 今年/本年度/明年 are read as
    deadlines; in an agenda (a work report's forward part) every committed
    quantity is a target (:mod:`ingest.extract.agenda`); a clause that looks
    back gives only targets with an explicit later deadline.
    """
    context = context or ExtractContext()
    found = _deadline_targets(text, context.year)
    if context.year is not None:             # a year before the document's is a result, not a goal
        found = [t for t in found if t.year is None or t.year >= context.year]
    found = [t for t in found if not any(a <= t.span.start < b for a, b in context.review)]
    if context.looking_back:
        return [t for t in found if t.year and context.year and t.year > context.year]
    if context.agenda:
        from ingest.extract.agenda import agenda_targets

        extra = [t for t in agenda_targets(text, context.year)
                 if not any(a <= t.span.start < b for a, b in context.review)]
        found = [t for t in found if not any(_overlap(t.span, x.span) for x in extra)] + extra
        found.sort(key=lambda t: t.span.start)
    return found


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _deadline_targets(text: str, year: int | None) -> list[Target]:
    deadlines = _deadlines(text, year)
    out: list[Target] = []
    carried: _Deadline | None = None
    for s, e in sentence_spans(text):
        in_sent = [d for d in deadlines if s <= d.start < e]
        found = _quantities(text, s, e, in_sent)
        for m, kind in found:
            before = [d for d in in_sent if d.end <= m.start()]
            deadline = before[-1] if before else carried
            out += _target(text, s, m, kind, deadline, in_sent, out)
        if in_sent:
            last = in_sent[-1]
            opens = len(in_sent) == 1 and _opens_sentence(text[s:last.start])
            carried = last if opens else None
    return out


# ------------------------------------------------------------------ deadlines

# 今年 / 本年度 / 明年 read against the document's year.  (全年 and 当年 are not
# deadlines: a review says 全年…增长5.7% of the past year.)
_RELATIVE = re.compile(r"(?P<firm>确保|力争|争取|努力)?(?P<word>今年|本年度|明年)(?P<tail>年底前|底前|底|末)?")
_RELATIVE_OFFSET = {"今年": 0, "本年度": 0, "明年": 1}


def _deadlines(text: str, year: int | None = None) -> list[_Deadline]:
    out = []
    if year is not None:
        for m in _RELATIVE.finditer(text):
            out.append(_Deadline(m.start(), m.end(), year + _RELATIVE_OFFSET[m.group("word")], "",
                                 m.group("firm") or ""))
    for m in _YEAR.finditer(text):
        prev = text[m.start() - 1] if m.start() else ""
        introduced = m.group("to") or m.group("firm") or m.group("tail")
        if not introduced and prev and prev not in _SEG_BREAK:
            continue
        if re.search(r"(?:较|比|相比|[（(])$", text[:m.start()]):
            continue
        if not introduced and not re.match(r"[，,]|[^，。；;]*?(?:" + _alt(_LEVEL_VERBS + _CHANGE_VERBS)
                                           + r")", text[m.end():]):
            continue
        out.append(_Deadline(m.start(), m.end(), int(m.group("year")), "", m.group("firm") or ""))
    for m in _PERIOD.finditer(text):
        if not (m.group("to") or m.group("tail")):
            continue
        n = 10 + _CN_DIGIT[m.group("period")[1]]
        out.append(_Deadline(m.start(), m.end(), 1955 + 5 * n, m.group("period"), m.group("firm") or ""))
    out.sort(key=lambda d: d.start)
    return out


def _opens_sentence(prefix: str) -> bool:
    """Nothing but heading words/numbering before the deadline in its sentence."""
    p = prefix.strip()
    return not p or bool(re.fullmatch(r"(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])?\s*", p))


# ------------------------------------------------------------------ quantities

def _quantities(text: str, s: int, e: int, deadlines: list[_Deadline]):
    """Level matches first; build matches where no level match took the value."""
    sent = text[:e]
    level = [m for m in _LEVEL.finditer(sent, s)]
    level = [m for m in level if not (m.group("verb") == "在" and not m.group("bound"))]
    level = [m for m in level if not any(d.start <= m.start("val") < d.end for d in deadlines)]
    taken = [(m.start(), m.end()) for m in level]
    build = [m for m in _BUILD.finditer(sent, s)
             if not any(a <= m.start("val") < b for a, b in taken)]
    found = [(m, "level") for m in level] + [(m, "build") for m in build]
    found.sort(key=lambda x: x[0].start())
    return found


def _segment_start(text: str, sent_start: int, pos: int, deadlines: list[_Deadline],
                   previous: list[Target]) -> int:
    start = sent_start
    for m in _DELIM.finditer(text, sent_start, pos):
        start = m.end()
    for d in deadlines:
        if start <= d.start and d.end <= pos:
            start = d.end
    for t in previous:
        if start <= t.span.end <= pos:
            start = t.span.end
    return start


def _target(text, sent_start, m, kind, deadline, deadlines, previous):
    seg = _segment_start(text, sent_start, m.start(), deadlines, previous)
    prefix = text[seg:m.start()]
    peeled, firm, base, base_year = _peel(prefix)
    bound = m.group("bound") or ""
    own_firm = firm
    if kind == "build":
        indicator = m.group("obj").strip()
        if "左右" in m.group("mid"):
            bound = bound or "左右"
        end = m.end("obj")
    else:
        indicator = peeled
        end = m.end()
    if deadline is None and own_firm not in _ASPIRATION:
        return []
    if deadline is not None and not firm and deadline.firm:
        firm = deadline.firm
    if not firm and bound == "左右":
        firm = "左右"
    if kind == "level" and not indicator:
        head_end = min([seg] + [d.start for d in deadlines if d.end == seg])
        indicator = _fallback_indicator(text, sent_start, head_end, previous)
    if not indicator:
        return []
    verb = m.group("verb")
    comparator = {"达": "达到"}.get(verb, verb)
    if verb == "在":
        comparator = bound
    values = [float(m.group("val"))]
    if kind == "level" and m.group("more"):
        values += [float(v) for v in re.findall(_NUM, m.group("more"))]
    indicators = _distribute(indicator, len(values)) if "分别" in prefix else [indicator] * len(values)
    start = seg + (len(prefix) - len(prefix.lstrip("、 ，,")))
    value_max = float(m.group("val2")) if kind == "level" and m.group("val2") else None
    return [
        Target(
            year=deadline.year if deadline else None,
            indicator=ind,
            comparator=comparator,
            value=v,
            unit=m.group("unit"),
            baseline_year=base_year,
            firmness=firm,
            text=text[start:end],
            span=Span(start, end),
            period=deadline.period if deadline else "",
            baseline=base,
            bound=bound,
            value_max=value_max,
        )
        for ind, v in zip(indicators, values)
    ]


def _peel(prefix: str) -> tuple[str, str, str, int | None]:
    """Split the words before the verb into indicator, firmness and baseline."""
    rest, firm, base, base_year = prefix.strip(), "", "", None
    changed = True
    while changed and rest:
        changed = False
        for pat in _PEEL_RIGHT:
            m = pat.search(rest)
            if m and m.start() < len(rest):
                if m.groupdict().get("firm"):
                    firm = firm or m.group("firm")
                if m.groupdict().get("base"):
                    base = m.group("base")
                    base_year = int(m.group("by")) if m.group("by") else None
                rest = rest[:m.start()].rstrip()
                changed = True
    rest = _PEEL_LEFT.sub("", rest)
    return rest, firm, base, base_year


def _fallback_indicator(text: str, sent_start: int, head_end: int, previous: list[Target]) -> str:
    """An indicator left implicit: 57%，2030年进一步提升至62% / 并不断提高X，2030年前不低于35%.

    If the preceding segment is itself a target, its indicator carries on;
    otherwise the preceding segment, less its leading verb, names it.
    """
    head = text[sent_start:head_end].rstrip("，,；; ")
    head_end = sent_start + len(head)
    if previous and previous[-1].span.end == head_end:
        return previous[-1].indicator
    prev_seg = re.split(r"[，,；;：:]", head)[-1] if head else ""
    return _LEAD_VERBS.sub("", prev_seg).strip()


def _distribute(indicator: str, n: int) -> list[str]:
    """乘用车和商用车新车排放强度 分别 … 25%和20% → one indicator per value.

    Parallel heads are assumed to be of equal length (乘用车/商用车); when the
    split does not give ``n`` parts that way, every value keeps the whole phrase.
    """
    parts = re.split(r"[和、与及]", indicator)
    if len(parts) == n and n > 1:
        head_len = len(parts[0])
        if all(len(p) == head_len for p in parts[:-1]) and len(parts[-1]) > head_len:
            tail = parts[-1][head_len:]
            heads = parts[:-1] + [parts[-1][:head_len]]
            return [h + tail for h in heads]
    return [indicator] * n
