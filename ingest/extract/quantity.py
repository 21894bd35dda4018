"""One grammar for written quantities: targets, award amounts and the conditions to get them.

A quantity is a number, an optional magnitude (万 / 亿 …), a unit (a measure
such as 万千瓦, 亿元, %, or a classifier such as 个, 家, 项), an optional
per-part (元/月, 每年) and an optional bound (以上, 左右, 以内 …).  Numbers are
Arabic (2.5, 1,200) or, for small amounts, Chinese numerals (三年, 十家).

A comparator is read from the bound after the number (:data:`COMPARATORS_AFTER`)
or from the word just before it (:data:`COMPARATORS_BEFORE`: 不低于, 超过, 达到,
最高 …) and normalised to the gold symbols ``=``, ``>=``, ``<=``, ``>``, ``<``
and ``about``.  Following the reading rule of Chinese statutes (民法典 第1259条:
以上、以下、以内 include the number; 超过、不满 do not), 以上 is ≥, 以下/以内 ≤,
超过 >, 低于 <.  Targets and project conditions share this lexicon and differ in
two readings only: a target's level verb (达到, 提高到, 降至, 为 …) names the
value itself, a project condition reads it as a bound; an approximate word
(约, 近) qualifies a target but is no condition on a project.

The unit vocabulary is a parameter: targets and entitlements read any measure
or classifier (:data:`UNIT_WORDS`); project conditions read only the units
they can convert (:data:`ingest.extract.units.UNITS`).

``units_are_classifiers`` tells a count of things (289个项目, 10家企业) from a
measure that modifies the noun after it (690万千瓦火电项目, 240小时过境免签):
only a classifier quantity is the amount of what follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_MEASURES = """
个百分点 百分点 % ‰
千瓦时 kWh 千瓦 吉瓦 兆瓦 GW MW kW 千伏 kV 伏
克标准煤/千瓦时 千克标准煤/吨 千克标准煤 吨标准煤/万元 吨标准煤 标准煤
吨/年 吨 斤 公斤 千克 克 立方米 平方米 平方公里 公里 千米 米 km 亩 公顷
元 美元 欧元 小时 天 日 周 个月 年 岁 倍 微克/立方米 毫克/立方米 分贝
""".split()
_CLASSIFIERS = """
个 家 项 所 张 台 套 名 场 条 座 处 件 批 户 辆 头 只 株 棵 艘 架 次 人次 人 位 篇 部 款 种 类
支 队 间 栋 孔 根 盏 块 片 份 期 届 轮 班 枚 宗 笔 例 床
""".split()
_MAGNITUDES = ["万亿", "千亿", "百亿", "十亿", "千万", "百万", "十万", "亿", "万", "千", "百"]
UNIT_WORDS = sorted(set(_MEASURES + _CLASSIFIERS), key=len, reverse=True)
_MAG_ALT = "|".join(_MAGNITUDES)

_CN_NUM = "零〇一二两三四五六七八九十"
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


@lru_cache(maxsize=8)
def _grammar(units: tuple[str, ...]) -> re.Pattern:
    """The quantity pattern over one unit vocabulary (longest unit first)."""
    unit_alt = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    # 12、 1.2万 , 三 , 十五 ; Chinese numerals only before a unit word.
    return re.compile(
        rf"(?P<num>{NUMBER}|[{_CN_NUM}]{{1,3}}(?=(?:{_MAG_ALT})?(?:{unit_alt})))"
        rf"\s*(?P<approx>多|余)?"
        rf"(?:[（(]含[）)])?"                       # 30（含）家以上: the bound includes the number
        rf"(?:(?!{unit_alt})(?P<mag>{_MAG_ALT}))?"   # 500千瓦: 千 starts the unit, it is no magnitude
        rf"(?P<approx2>多|余)?"
        rf"(?P<unit>{unit_alt})?"
        rf"(?P<per>/(?:月|年|人|户|亩|吨|件|个|家|天|次|平方米)|每(?:年|月|人|户|亩|家|件|次|个|平方米))?"
        rf"(?:[（(]含[）)])?"
        rf"(?P<bound>及以上|以上|及以下|以下|以内|左右|上下|之内|内)?"
    )


QUANTITY = _grammar(tuple(UNIT_WORDS))

# ---------------------------------------------------------------- comparators

# written just before the number → comparator
COMPARATORS_BEFORE: dict[str, str] = {
    "不得超过": "<=", "不应超过": "<=", "不宜超过": "<=", "不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=",
    "不得高于": "<=", "最高": "<=", "最多": "<=", "最大": "<=", "上限": "<=", "封顶": "<=", "控制在": "<=",
    "小于等于": "<=", "≤": "<=", "≦": "<=",
    "不得低于": ">=", "不应低于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "最低": ">=", "至少": ">=", "最少": ">=", "起码": ">=", "大于等于": ">=", "≥": ">=", "≧": ">=",
    "超过": ">", "超": ">", "突破": ">", "高于": ">", "大于": ">", "多于": ">", "逾": ">", "＞": ">",
    "低于": "<", "少于": "<", "小于": "<", "不足": "<", "不满": "<", "未满": "<", "＜": "<",
    "约": "about", "大约": "about", "近": "about",
    # level verbs: the level reached (see LEVEL_VERBS)
    "达到": ">=", "达": ">=", "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=", "提至": ">=", "增至": ">=",
    "降至": "<=", "降到": "<=", "降低到": "<=", "降低至": "<=", "下降到": "<=", "下降至": "<=",
    "为": "=", "等于": "=",
}
# 达到800家: for a target the value itself ("=" unless a bound follows), for a project condition a bound
LEVEL_VERBS = frozenset({"达到", "达", "提高到", "提高至", "提升到", "提升至", "提至", "增至",
                         "降至", "降到", "降低到", "降低至", "下降到", "下降至", "为", "等于"})
# how reports state a result passed (突破3000亿元, 超1500亿元): a record's or a target's word, not a rule's
RESULT_WORDS = frozenset({"超", "突破", "逾"})
APPROXIMATE = frozenset(w for w, c in COMPARATORS_BEFORE.items() if c == "about")
# a word that says the direction itself; it wins over a bound after the number (不超过20%以上 is ≤)
DIRECTIONAL = frozenset(w for w, c in COMPARATORS_BEFORE.items()
                        if w.startswith("不") or c in ("<", ">") or not w.isalpha() or w.endswith("等于") and w != "等于")
# written right after the number (and unit) → comparator
COMPARATORS_AFTER: dict[str, str] = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=",
                                     "之内": "<=", "内": "<=", "左右": "about", "上下": "about"}
_LONGEST_BEFORE = max(map(len, COMPARATORS_BEFORE))
_TARGET_SKIPS = LEVEL_VERBS


def comparator_before(text: str, pos: int, skip: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """(word, start) of the comparator word ending at ``pos`` (spaces allowed between), longest word first.

    Words in ``skip`` are not read (a reader's own exceptions, e.g. :data:`LEVEL_VERBS` for targets).
    """
    end = pos
    while end > 0 and text[end - 1].isspace():
        end -= 1
    for n in range(min(_LONGEST_BEFORE, end), 0, -1):
        word = text[end - n:end]
        if word in COMPARATORS_BEFORE and word not in skip:
            return word, end - n
    return None


def cn_number(s: str) -> float | None:
    """二十 → 20, 三 → 3, 两 → 2; None when it is not a small Chinese numeral."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = digits.get(head, None) if head else 1
        ones = digits.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return float(tens * 10 + ones)
    if len(s) == 1 and s in digits:
        return float(digits[s])
    return None


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str            # as written after the number: 万千瓦, %, 个, 万元/月, 万 (bare magnitude)
    comparator: str      # = >= <= > < about
    start: int
    end: int
    per: str = ""        # 月 / 年 / 人 … from 元/月 or 每年
    approx: bool = False  # 多 / 余: "more than"
    classifier: bool = False
    bound: str = ""      # the bound word after the number as read (以上, 以内 …), "" if none

    @property
    def text_span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _value(num: str) -> float | None:
    if num[0].isdigit():
        return float(num.replace(",", ""))
    return cn_number(num)


def find_quantities(text: str, start: int = 0, end: int | None = None,
                    need_unit: bool = True, units: tuple[str, ...] | None = None) -> list[Quantity]:
    """Quantities in ``text[start:end]``; a bare number counts only if ``need_unit`` is False.

    ``units`` is the unit vocabulary (default :data:`UNIT_WORDS`); a magnitude
    before a unit is part of it (30万千瓦 has the unit 万千瓦).

    Years (2025年), dates, document numbers (〔2024〕195号) and list numbers
    (1. / （3）) are not quantities.
    """
    end = len(text) if end is None else end
    out = []
    grammar = QUANTITY if units is None else _grammar(tuple(units))
    classifiers = set(_CLASSIFIERS) if units is None else set(_CLASSIFIERS) & set(units)
    for m in grammar.finditer(text, start, end):
        num = m.group("num")
        unit = (m.group("mag") or "") + (m.group("unit") or "")
        if not unit and need_unit:
            continue
        if _is_date_or_code(text, m):
            continue
        value = _value(num)
        if value is None:
            continue
        per = m.group("per") or ""
        per_unit = per.lstrip("/每")
        full_unit = unit + ("/" + per_unit if per.startswith("/") else "")
        bound = m.group("bound") or ""
        if bound == "内" and not re.match(r"[，,。；;、）)]|$", text[m.end():m.end() + 1]):
            bound = ""                                  # 3年内完成: 内 opens a time frame
        q_end = m.end() if bound or not m.group("bound") else m.end() - len(m.group("bound"))
        cmp = COMPARATORS_AFTER.get(bound) or _before_comparator(text, m.start())
        approx = bool(m.group("approx") or m.group("approx2"))
        if cmp == "=" and approx:
            cmp = ">"
        out.append(Quantity(value, full_unit, cmp, m.start(), q_end, per_unit, approx,
                            (m.group("unit") or "") in classifiers, bound))
    return out


def _before_comparator(text: str, pos: int) -> str:
    found = comparator_before(text, pos, skip=_TARGET_SKIPS)
    return COMPARATORS_BEFORE[found[0]] if found else "="


def _is_date_or_code(text: str, m: re.Match) -> bool:
    num, unit = m.group("num"), (m.group("mag") or "") + (m.group("unit") or "")
    after = text[m.end():m.end() + 2]
    before = text[max(0, m.start() - 1):m.start()]
    if re.fullmatch(r"(?:19|20)\d{2}", num) and (unit in ("", "年") or after[:1] in "年-./"):
        return True                                     # a year
    if unit == "" and re.match(r"\s*(?:月|日|号|年|条|款|项|章|节|、|\.|．)", text[m.end():]):
        return True
    if before in ("〔", "[", "（", "(", "第") and unit in ("", "年", "号", "条", "项", "款", "章", "批", "次", "届", "期"):
        return True                                     # 〔2024〕, （3）, 第3条
    if num[0].isdigit() and unit in ("月", "日"):
        return True
    return False
