"""Targets in a year's agenda: the forward part of a government work report.

In "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，…" and in the
work items that follow ("新增智能制造标杆企业360家、产线车间1080家"), every
quantity the text commits to is a target for the document's year, whether or
not a deadline or 力争 is written.  What is *not* a target:

* a sentence reporting results (初步统计, 过去一年, 去年, 预计全年…, a year
  before the document's), or a clause under a looking-back heading (the
  caller does not pass those);
* a quantity that only qualifies a noun: ``690万千瓦火电项目``,
  ``营收1亿元以上企业``, ``总投资1.78万亿元的289个项目`` (the 289 counts),
  ``30户以上自然村``;
* numbers in quotes or brackets (“两个70%”, （含重点产业1000人）), durations
  (用3年时间, 240小时).

Each segment (between ，；： or after a quantity closing an 、 list) gives its
own targets; ``A、B分别…X、Y`` and ``A、B…各X`` give one per head.  The
indicator is the words left of the verb for a level or a change (增长, 达到,
稳定在 …), or the verb and its object for a count (实施100个数字新基建项目 →
实施数字新基建项目).
"""
from __future__ import annotations

import re
from ingest.extract.quantity import Quantity, find_quantities
from ingest.extract.text import sentence_spans
from ingest.model import Span, Target

_PAST = re.compile(
    r"初步统计|初步核算|过去一年|过去五年|一年来|五年来|去年|上年|预计全年|预计(?=[^，。；]{0,30}(?:增长|达到|下降))"
    r"|已经|已(?:建成|完成|实现|达到)|取得了|完成了|实现了|同比"
)
_SEG = re.compile(r"[，,；;：:。！？!?\n]")
_CHANGE = re.compile(r"(?:同比)?(?:增长|增加|提高|提升|上升|下降|降低|减少|削减|压减|增速)(?:到|至)?$")
_LEVEL = re.compile(
    r"(?:达到|达|稳定在|保持在|维持在|控制在|稳在|提高到|提高至|提升到|提升至|增长到|增长至|增加到|增加至"
    r"|下降到|下降至|降到|降至|降低到|降低至|减少到|减少至|突破|超过|超|不低于|不少于|不高于|不超过"
    r"|不到|低于|高于|占比|为|在)$"
)
_LEADING = re.compile(r"^(?:力争|确保|争取|努力|全年|今年|年内|当年|并|同时|还|再|其中|以及|和|及|与|、|\s"
                      r"|\d{1,2}月(?:底|份|中旬|上旬|下旬)?(?:前|以前)?)+")
_TRAILING = re.compile(r"(?:力争|确保|争取|均|都|分别|各|累计|再|要|将|继续|持续|稳步|进一步|年均|平均)+$")
_BUILD_BEFORE = re.compile(r"(?:建设|新建|建成|实施|完成|推广|种植|改造|新增|培育|打造|开展|组织)$")
_DURATION_UNITS = {"年", "天", "日", "周", "个月", "小时", "岁"}
_QUOTED = re.compile(r"“[^”]{0,30}”|\"[^\"]{0,30}\"|《[^》]*》|（[^（）]{0,60}）|\([^()]{0,60}\)")
_HEADLINE = re.compile(r"主要预期目标|主要目标|预期目标是")
_OWN_DEADLINE = re.compile(r"(?:到|至|力争|争取|确保|在)?((?:19|20)\d{2})年(?:底|末|前|以前)?(?=[^，。；]{0,4}[\u4e00-\u9fff])")
_SPAN_YEARS = re.compile(r"用[一二三四五两\d]+年(?:时间|左右)?|[一二三四五两\d]+年内|三年行动|五年行动")


def agenda_targets(text: str, year: int | None) -> list[Target]:
    out: list[Target] = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        if _PAST.search(sentence) or _names_past_year(sentence, year) or _DEFINING.search(sentence):
            continue
        headline = bool(_HEADLINE.search(text[max(0, s - 40):e]))
        sent_year = year
        own = _OWN_DEADLINE.search(sentence)
        if own and year and int(own.group(1)) > year:
            sent_year = int(own.group(1))
        if _SPAN_YEARS.search(sentence):
            sent_year = None
        masked = _mask(sentence)
        previous: list[Target] = []
        for a, b in _segments(masked):
            found = _segment_targets(text, masked, s, a, b, sent_year, headline, previous)
            out += found
            previous += found
    return out


def _names_past_year(sentence: str, year: int | None) -> bool:
    if year is None:
        return False
    for m in re.finditer(r"((?:19|20)\d{2})年", sentence):
        y = int(m.group(1))
        before = sentence[max(0, m.start() - 2):m.start()]
        if y < year and not re.search(r"较|比|与|相比|于$", before):
            return True
    return False


def _mask(sentence: str) -> str:
    """Quoted and bracketed words blanked (same length) so their numbers are not read."""
    def blank(m: re.Match) -> str:
        inner = re.sub(r"\d", "＃", m.group(0))
        return inner
    return _QUOTED.sub(blank, sentence)


def _segments(masked: str) -> list[tuple[int, int]]:
    """Pieces between ，；：, also cut after a quantity that closes an 、 list item."""
    cuts = [0]
    for m in _SEG.finditer(masked):
        cuts += [m.start(), m.end()]
    for q in find_quantities(masked):
        # 10家、省级…800家: a new item; 2500亿元、800亿元: one list of values, kept together.
        if masked[q.end:q.end + 1] == "、" and not masked[q.end + 1:q.end + 2].isdigit():
            cuts += [q.end, q.end + 1]
    cuts.append(len(masked))
    cuts = sorted(set(cuts))
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
    return [(a, b) for a, b in pieces if masked[a:b].strip("，,；;：:。！？!?\n、 ")]


# A count of things just named (钢铁、有色、化工、建材4个行业, 雄商等6条高铁), an
# ordinal (第4批) or a count of parts of the text (9个方面) is no target.
_NAMED_BEFORE = re.compile(r"(?:等|、[\u4e00-\u9fff]{1,8})$")
_NEW_WORK = re.compile(r"^(?:力争|确保|今年|全年|再|新)?(?:建设|新建|建成|实施|完成|开工|培育|打造|新增|创建|争创|引进|布局)")
_NOT_OBJECT_AFTER = re.compile(r"^(?:方面|件?[惠民企]*实事|大类)")
# Verbs that carry on with things that exist (加快推进53个…建设, 聚焦28条重点产业链,
# 壮大19个集群): the count names them, it sets no goal.
_ONGOING = re.compile(r"(?:加快推进|深入推进|扎实推进|持续推进|持续实施|加快发展|加快建设|聚焦|壮大|发挥好|抓实抓好|整合建立|提速)"
                      r"[^，。；\d]{0,12}$")
_DEFINING = re.compile(r"是指|指的是|现有|包括|即")


def _is_modifier(seg: str, q: Quantity, a: int) -> bool:
    """The quantity qualifies the noun after it rather than counting a target."""
    after = seg[q.end - a:]
    before = seg[:q.start - a]
    if before.endswith("第"):
        return True
    if re.match(r"[和与及、或][\d]", after):
        return False                                    # 740元/月和485元/月: a list of values
    if after.startswith("的") and q.unit in ("%", "‰") and not before.strip("、 "):
        return False                                    # 60%的城市污水处理厂…: a share
    if (_NAMED_BEFORE.search(before) and q.classifier and re.match(r"[\u4e00-\u9fff]", after)
            and not _NEW_WORK.search(before.lstrip("、 "))):
        return True
    if _NOT_OBJECT_AFTER.match(after):
        return True
    if q.classifier and re.match(r"[\u4e00-\u9fff“]", after) and _ONGOING.search(before):
        return True
    if re.search(r"(?:共)?占$", before):
        return True                                     # 农户占30%: a share described, not set
    if after.startswith("的"):
        return True
    if not after or not re.match(r"[\u4e00-\u9fff“A-Za-z]", after):
        return False
    bound_before_noun = re.search(r"(?:以上|以下)$", seg[:q.end - a])
    if bound_before_noun:
        return not (q.classifier and _BUILD_BEFORE.search(before))
    if q.classifier:
        return False
    return not _BUILD_BEFORE.search(before)


def _segment_targets(text, masked, s, a, b, year, headline, previous) -> list[Target]:
    seg = masked[a:b]
    if masked[b:b + 1] in ("：", ":"):
        return []                                       # a term or heading before its colon (8.6个重大科技专项：…)
    qs = [q for q in find_quantities(masked, a, b)
          if q.unit not in _DURATION_UNITS and masked[q.start].isdigit()
          and not _is_modifier(seg, q, a)]
    qs += _bare_magnitudes(masked, a, b, qs)
    if not qs:
        return []
    qs.sort(key=lambda q: q.start)
    out = []
    first = qs[0]
    left = masked[a:first.start]
    verb = _verb(left)
    heads, shared = _heads(left[:len(left) - len(verb)] if verb else left)
    distribute = len(heads) > 1
    if distribute and len(qs) == 1:
        qs = qs * len(heads)
    for k, q in enumerate(qs):
        q_left = masked[a:q.start] if k == 0 else ""
        indicator, kind = _indicator(masked, a, b, q, verb if k == 0 else _verb(masked[a:q.start]), qs)
        if distribute and len(heads) == len(qs):
            indicator = heads[k] + shared
        if not indicator and previous:
            indicator = previous[-1].indicator
        if not indicator:
            continue
        start = a + len(masked[a:b]) - len(masked[a:b].lstrip("、 "))
        out.append(Target(
            year=year, indicator=indicator, comparator=_comparator(q, verb), value=q.value, unit=q.unit,
            baseline_year=None, firmness=_firmness(text[s:s + b]), text=text[s + start:s + max(q.end, b)].rstrip("，,；;。、 "),
            span=Span(s + start, s + b), bound=_bound(text[s + q.start:s + q.end]),
            kind=kind, headline=headline,
        ))
        del q_left
    return out


def _bare_magnitudes(masked: str, a: int, b: int, taken: list[Quantity]) -> list[Quantity]:
    """突破万亿元 / 超千亿元: a magnitude with no digit means one of it."""
    out = []
    for m in re.finditer(r"(?:突破|超过|超|达到|达)(万亿|千亿|百亿|亿|万)(元|吨|千瓦|人次|人|户|家|个)?", masked[a:b]):
        st = a + m.start(1)
        rest = re.sub(r"^(?:以上|左右|大关)", "", masked[a + m.end():b])
        if re.search(r"[\u4e00-\u9fff]", rest):
            continue                                     # 超百亿、超千亿产业链: qualifies the noun
        if any(q.start <= st < q.end for q in taken):
            continue
        cmp = ">" if m.group(0).startswith(("突破", "超")) else "="
        out.append(Quantity(1.0, m.group(1) + (m.group(2) or ""), cmp, st, a + m.end()))
    return out


def _verb(left: str) -> str:
    for pat in (_CHANGE, _LEVEL):
        m = pat.search(left)
        if m:
            return m.group(0)
    return ""


def _heads(words: str) -> tuple[list[str], str]:
    """交通、水利分别完成投资 → (["交通", "水利"], "完成投资"): the parallel heads before
    分别 / 各 / 均 and the words they share.  开工、投产新能源项目各… → 开工新能源项目,
    投产新能源项目 (heads of equal length take the rest of the last one)."""
    m = re.search(r"分别|各(?=[^，。；]{0,2}$)|均(?=[^，。；]{0,3}$)", words)
    if not m:
        return [], ""
    pre = _LEADING.sub("", words[:m.start()].strip())
    shared = _TRAILING.sub("", words[m.end():].strip())
    parts = [p for p in re.split(r"、|和|与|及", pre) if p]
    if len(parts) < 2:
        return [], ""
    size = len(parts[0])
    if not shared and all(len(p) == size for p in parts[:-1]) and len(parts[-1]) > size:
        shared = parts[-1][size:]
        parts[-1] = parts[-1][:size]
    return parts, shared


def _indicator(masked: str, a: int, b: int, q: Quantity, verb: str, qs: list[Quantity]) -> tuple[str, str]:
    left = masked[a:q.start]
    right = masked[q.end:b]
    nxt = [x.start for x in qs if x.start > q.start]
    if nxt:
        right = masked[q.end:nxt[0]]
    right = re.sub(r"^(?:以上|以下|以内|左右|多|余)", "", right)
    # 总投资1.78万亿元的289个项目: the qualifying amount is not part of the indicator.
    left = re.sub(r"(?:总投资|投资|总额|规模|面积)?\d[\d.,]*(?:万亿|亿|万|千)?[^\d，、的]{0,3}的", "", left)
    right = re.split(r"[，,；;。、]", right)[0]
    pct = q.unit in ("%", "‰", "个百分点", "百分点")
    if verb:
        ind = left[:len(left) - len(verb)]
        kind = "reduction" if re.search(r"下降|降低|减少|削减|压减", verb) and not re.search(r"[到至]$", verb) else \
            "growth" if _CHANGE.search(verb) and not re.search(r"[到至]$", verb) else "level"
        if kind == "level" and q.comparator == "<=":
            kind = "cap"
        if not pct and kind == "level" and q.classifier:
            kind = "count"
    elif right.strip().startswith("的"):
        ind, kind = right.strip()[1:], "level"
    elif right.strip() and q.classifier:
        ind, kind = left + right, "count"
    else:
        ind = left + right
        kind = ("cap" if q.comparator == "<=" else "level") if pct else "count" if q.classifier else "level"
    ind = _TRAILING.sub("", _LEADING.sub("", ind.strip()))
    ind = re.sub(r"＃", "", ind).strip("，,；;：:、 ")
    return ind, kind


def _comparator(q: Quantity, verb: str) -> str:
    if q.comparator != "=":
        return q.comparator
    if re.search(r"突破|超过|超$|高于", verb):
        return ">"
    if re.search(r"不低于|不少于", verb):
        return ">="
    if re.search(r"不超过|不高于|控制在", verb):
        return "<="
    return "="


def _bound(words: str) -> str:
    m = re.search(r"(及以上|以上|以下|以内|左右)$", words)
    return m.group(1) if m else ""


def _firmness(sentence: str) -> str:
    m = re.search(r"力争|确保|争取", sentence)
    return m.group(0) if m else ""
