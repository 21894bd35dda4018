"""Responsible agencies in a clause: who leads, who supports.

Only agencies *given a responsibility* are returned, from two places:

* a responsibility list in parentheses, usually closing an item:
  ``（省商务厅、省工信厅、省投促局，省综改示范区管委会、各市人民政府，各单位按职责分工负责）``;
* a subject run at the start of a sentence or after 由:
  ``省发展改革委会同省科技厅、省工信厅…建立…``, ``由自治区能源局负责解释``.

Agencies merely named (``向省委、省政府报告``, ``报送自治区能源局``, the 主送
list ending in ``：``, ``山西省能源局关于印发…``) carry no responsibility and are
skipped: a reader asking "who is responsible for X" must not get addressees.

Roles: an explicit 牵头 marks lead; 配合/参与/协助, or coming after 会同, marks
support.  Without markers the first agency leads and the rest support.

Names come from the agency lexicon (resolved against the document's region);
in those two contexts, a name the lexicon lacks is also accepted when it ends
in an agency suffix (厅, 局, 委员会, 管委会, 人民政府, 公司, 中心 …) — with
``known=False``.  Generic words (各单位, 有关部门, 电网企业, 金融机构) have no
suffix and never match; 数据中心/算力中心-like names are refused.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from ingest.extract.agency_lexicon import AgencyLexicon
from ingest.extract.agency_names import (
    _GENERIC_BAD, BANK_BRANCH, BUREAU, GENERIC, MINISTRIES, NAMED_ORGANS, OFFICE, OFFICE_NOT_AFTER, STEMS,
    Jurisdiction, bureau_name,
    office_name,
)
from ingest.extract.lexicon import load_agency_lexicon
from ingest.model import AgencyMention, Span

_SUFFIX = r"(?:监管局|管委会|管理委员会|常委会(?:办公室)?|委员会|人民政府|中心支行|支行|有限公司|有限责任公司|公司|集团|中心|办公室|厅|局|委(?![会员])|办)"
_BAD_BODY = re.compile(r"[的等及或、和与]$|^[的等及或和与]|[的等或]")
# 中心 names that are facilities or functions, not bodies.
_NOT_AGENCY = re.compile(
    r"(?:算力|智算|计算|数据|能源管理|管理|创新|研究|研发|负荷|物流|区域|调度|检测|监测|培训|服务"
    r"|运营|指挥|结算|城市|会展|展览|技术)中心$"
    r"|(?:布|格|大|全|结|开|出|变|时|赌|棋|饭)局$"     # 整体布局, 新格局: words ending in 局
)

# Text allowed between two agencies of one run: separators, linkers, role words.
_GAP = re.compile(r"^(?:牵头|负责|配合|参与|协助|会同|协同|联合|以及|和|及|与|并|[、，,；;\s（）()])*$")
_LEAD_AFTER = re.compile(r"^[\s）)]*(?:等(?:单位|部门)?)?(?:要|应|应当|将)?(?:负责)?牵头")
_SUPPORT_AFTER = re.compile(r"^\s*(?:配合|参与|协助)")
_SUPPORT_BEFORE = re.compile(r"(?:会同|配合|协同)[、，,\s]*$")

_SENTENCE_START = re.compile(
    r"(?:^|[。；;，,：:！？!?\n]|由|(?:^|[。；\n])\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、"
    r"|第[一二三四五六七八九十百零〇\d]+条))\s*$"
)
# What may not follow a subject run: it is then a title, an addressee list,
# a signature, part of a longer noun phrase, or the author of a document
# being reported (省能源局制定了《…》方案) rather than a body given a task.
_NOT_SUBJECT_AFTER = re.compile(
    r"^(?:\s*$|\s*\d|的|之|关于|[：:）)]|(?:联合)?(?:印发|制定|发布|出台|起草|编制)了?《)"
)


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    known: bool
    role: str = ""          # a role read where the name was found (an item of 人社、财政、科技等部门)


# Levels of legislation: every body a law names is the subject of one of its rules.
LAW_LEVELS = ("法律", "行政法规", "地方性法规", "自治条例", "单行条例", "部门规章", "地方政府规章", "司法解释", "规章")


def find_agencies(text: str, region: str = "", lexicon: AgencyLexicon | None = None,
                  where: Jurisdiction | None = None, law: bool = False) -> list[AgencyMention]:
    """Agencies named in ``text`` with their role.

    ``law`` says the document is legislation (:data:`LAW_LEVELS`): its generic
    departments stay generic and every body it names outside a title acts.
    ``where`` is the document's jurisdiction: with it, local short names
    (市经信局, 区财政局, 县委人才办) and generic departments (市科学技术行政部门,
    公安机关) are found and named in full.  A body named outside a run that the
    text marks (牵头 / 配合 / a 责任单位 list / the subject) is an ``actor``
    when the sentence gives it something to do (审核, 向…申请, 应当 …), and is
    left out when it is only a sender or a recipient (抄送, 印发, a title).
    """
    lexicon = lexicon or load_agency_lexicon()
    region = _province_of(region, lexicon)
    cands = _candidates(text, region, lexicon)
    law = law and where is not None
    if where is not None:
        cands = [_in_jurisdiction(c, where) for c in cands]
        cands = _merge(cands, _local_candidates(text, where, law=law))
    out: list[AgencyMention] = []
    used: set[int] = set()
    for run in _runs(text, cands):
        found = _from_run(text, run)
        out += found
        used.update(id(c) for c in run if any(m.span.start == c.start for m in found))
    if where is not None:
        for c in cands:
            if id(c) not in used and _is_actor(text, c, law) and _own_body(c, where):
                role = c.role or "actor"
                out.append(AgencyMention(c.name, text[c.start:c.end], role, Span(c.start, c.end), c.known))
    out = [m for m in out if not _names_only_line(text, m, out)]
    out.sort(key=lambda m: m.span.start)
    return _once_per_sentence(text, out)


def _names_only_line(text: str, m: AgencyMention, found: list[AgencyMention]) -> bool:
    """A line that holds nothing but names (a signature, a recipient or copy list):
    嘉兴市科学技术局 嘉兴市财政局 …, or 市人大常委会办公室，市政协办公室。"""
    start = max(text.rfind("\n", 0, m.span.start), text.rfind("。", 0, m.span.start)) + 1
    stops = [i for i in (text.find("\n", m.span.end), text.find("。", m.span.end)) if i >= 0]
    end = min(stops) if stops else len(text)
    line = text[start:end]
    for other in sorted(found, key=lambda x: -(x.span.end - x.span.start)):
        if start <= other.span.start and other.span.end <= end:
            a, b = other.span.start - start, other.span.end - start
            line = line[:a] + " " * (b - a) + line[b:]
    raw = re.sub(r"[（(]此件公开发布[）)]", "", text[start:end])
    if re.search(r"[（()）；;]", raw) or re.search(r"(?:单位|部门)\s*[：:]\s*$", text[max(0, start - 12):start]):
        return False                                  # a responsibility tag or a 牵头单位：… continuation
    rest = re.sub(r"[\s，,、。：:（）()\d年月日]|办公室|此件公开发布|抄送|主送|各部门", "", line)
    return len(rest) <= 1 and len(line.strip()) > 0


_ROLE_STRENGTH = {"lead": 0, "support": 1, "listed": 2, "actor": 3}


def _once_per_sentence(text: str, found: list[AgencyMention]) -> list[AgencyMention]:
    """A body named twice in one sentence is one mention (the first place it is
    named), with the strongest role the sentence gives it."""
    ends = [m.end() for m in re.finditer(r"[。；;！？!?\n]", text)] + [len(text)]
    kept: dict[tuple[int, str], AgencyMention] = {}
    for m in found:
        sentence = next(i for i, e in enumerate(ends) if m.span.start < e)
        key = (sentence, m.name)
        first = kept.get(key)
        if first is None:
            kept[key] = m
        elif _ROLE_STRENGTH.get(m.role, 9) < _ROLE_STRENGTH.get(first.role, 9):
            first.role = m.role
    return sorted(kept.values(), key=lambda m: m.span.start)


def _province_of(region: str, lexicon: AgencyLexicon) -> str:
    """浙江省台州市临海市 → 浙江省: the lexicon's templates are provincial, and one
    name matcher per province (not per county) is built."""
    for r in lexicon.regions:
        if region.startswith(r.name) and region != r.name:
            return r.name
    return region


def _merge(first: list[_Cand], more: list[_Cand]) -> list[_Cand]:
    """Both lists, a longer name winning where two overlap (lexicon first on a tie)."""
    out = list(first)
    for c in more:
        clash = [o for o in out if o.start < c.end and c.start < o.end]
        if all((c.end - c.start) > (o.end - o.start)
               or ((c.end - c.start) == (o.end - o.start) and _unresolved(o))
               or (not o.known and o.start <= c.start and c.end <= o.end) for o in clash):
            out = [o for o in out if o not in clash] + [c]
    out.sort(key=lambda c: c.start)
    return out


def _in_jurisdiction(c: _Cand, where: Jurisdiction) -> _Cand:
    """市上市工作领导小组办公室 (a suffix-rule name) in a 永康 document → 永康市…."""
    if not c.known and c.name[:1] in "市区县" and not c.name.startswith(("市场", "区域", "县域")):
        place = where.at(c.name[0])
        if place:
            return _Cand(c.start, c.end, place + c.name[1:], c.known, c.role)
    return c


def _unresolved(c: _Cand) -> bool:
    """A lexicon hit left at a bare level (市经信局 → 市经信局): no region filled in."""
    return c.name[:1] in "市区县省" or not c.known


def _local_candidates(text: str, where: Jurisdiction, law: bool) -> list[_Cand]:
    found: list[_Cand] = []
    for m in BUREAU.finditer(text):
        if m.group("stem"):
            level, stem, suffix = m.group("level") or "", m.group("stem"), m.group("suffix")
        else:
            level, stem, suffix = m.group("level2"), m.group("stem2"), "部门" if law else ""
            if not _list_item(text, m.start(), m.end()):
                continue
        generic = law or suffix.endswith(("部门", "机关")) and where.county == ""
        found.append(_Cand(m.start(), m.end(), bureau_name(level, stem, suffix or "局", where, generic), False))
    for m in OFFICE.finditer(text):
        level, party, office = m.group("level") or "", m.group("party") or "", m.group("office")
        if OFFICE_NOT_AFTER.match(text, m.end()) or re.match(r"[托员派]", text[m.end():m.end() + 1]):
            continue                                    # 市委书记, 县委托 (委托)
        if level and m.start() and text[m.start() - 1] in "我本全该各":
            continue                                    # 我县, 全市: not a level word before a body
        if office == "委" and not (level and party == "" and True):
            continue
        if office in ("政府", "人民政府", "委") and not level:
            continue
        if office == "管委会" and not level:
            continue
        found.append(_Cand(m.start(), m.end(), office_name(level, party, office, where), False))
    for m in GENERIC.finditer(text):
        # The match may run back over words before the name (第三层次培养人员由市级主管部门):
        # keep what follows the last preposition, verb or separator.
        words = m.group(0)
        cut = max((k.end() for k in _GENERIC_CUT.finditer(words[:-2])), default=0)
        lv = re.search(r"(?:市和|市、|和|所在)?(?:区、|乡、)$", words[:cut])
        if lv:                                    # 区、县… / 乡、镇…: the 、 is inside the level
            cut = lv.start()
            cut = max((k.end() for k in _GENERIC_CUT.finditer(words[:cut])), default=0)
        start = m.start() + cut
        lm = re.match(_LEVEL_RE, text[start:m.end()])
        level = lm.group(0) if lm else ""
        body = text[start + len(level):m.end()]
        stem = re.sub(r"(?:行政主管部门|主管部门|行政部门|管理部门|经营管理部门|行政管理机关|机关|仲裁委员会|部门)$", "", body)
        if _GENERIC_BAD.search(stem) or not stem:
            continue
        if re.search(r"(?<![管理门])部门$", body) and not (stem in STEMS or _FUNCTION.fullmatch(stem)):
            continue                                    # 纳入部门, 需多部门: not a function's name
        if body.endswith("部门") and not level and (where.county or where.prefecture) and not law:
            found.append(_Cand(start, m.end(), (where.own if where.county else "当地") + body, False))
            continue                                    # 组织人事部门 in a 文成 document
        if level:
            place = where.at(level) if not level.startswith(("县级以上", "所在", "乡、镇", "当地", "地方")) else ""
            name = (place + body) if place and level in ("市", "省") else (
                (where.province or where.own) + level + body if level in ("区、县", "市和区、县", "市和区县") else level + body)
        else:
            name = body
        found.append(_Cand(start, m.end(), name, False))
    for m in re.finditer(r"当地(?:中国)?人民银行(?:分支机构)?", text):
        found.append(_Cand(m.start(), m.end(), "当地中国人民银行分支机构", True))
    for m in _GROUP.finditer(text):
        words = m.group(0)
        cut = max((k.end() for k in _GENERIC_CUT.finditer(words[:-4])), default=0)
        cut = max([cut] + [k.end() for k in re.finditer(r"成立|设立|组建|下设|设在|在|确?须|需要|需|必须", words[:-4])])
        start, name = m.start() + cut, words[cut:]
        if len(name) < 4 or re.match(r"[各该本]", name):
            continue
        if re.search(r"(?:成立|组建|设立|下设|建立)$", text[max(0, start - 4):start]):
            continue                                    # 组建评选小组: the group being formed, not one acting
        if name[0] in "市县区" and where.at(name[0]):
            name = where.at(name[0]) + name[1:]
        elif (where.county or where.prefecture) and not name.startswith((where.own, where.county or "~", "中共")):
            name = where.own + name                     # 领导小组 of the document's own government
        found.append(_Cand(start, m.end(), name, False))
    for m in re.finditer(r"(?<=[经由向报])主管部门", text):
        local = where.county or where.prefecture
        found.append(_Cand(m.start(), m.end(), (where.own + "级主管部门") if local else "主管部门", False))
    for m in BANK_BRANCH.finditer(text):
        written = m.group(0)
        found.append(_Cand(m.start(), m.end(), written if written.startswith("中国") else "中国" + written, True))
    for m in re.finditer("|".join(sorted(MINISTRIES, key=len, reverse=True)) + "(?!门)", text):
        found.append(_Cand(m.start(), m.end(), m.group(0), True))
    for organ in NAMED_ORGANS:
        for m in re.finditer(re.escape(organ), text):
            name = "中华人民共和国国务院" if organ == "国务院" and not text[max(0, m.start() - 5):m.start()].endswith("中华人民共和国") else organ
            found.append(_Cand(m.start(), m.end(), name, True))
    # Function words listed before 等部门: 由旅游、交通、公安等部门 …
    for m in re.finditer(rf"(?P<level>市和区、?县|区、县|(?<![\u4e00-\u9fff])市)?((?:(?:{_STEM_WORDS})[、和及与]?)+)等?(?:有关|相关)?部门", text):
        pos = m.start(2)
        level = m.group("level") or ""
        parts = list(re.finditer(_STEM_WORDS, m.group(2)))
        for k, part in enumerate(parts):
            stem = part.group(0)
            if level and law:
                place = (where.province or where.own)
                lv = level[1:] if place.endswith("市") and level.startswith("市") else level
                name = place + lv + stem + "部门"
            else:
                name = bureau_name(level, stem, "部门", where, law)
            start = pos + part.start() - (len(level) if k == 0 else 0)
            found.append(_Cand(start, pos + part.end(), name, False, _list_role(text, m.start(), m.end(), len(parts))))
    out: list[_Cand] = []
    for c in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


# Working groups and their offices: 市上市工作领导小组(办公室), 评选小组, “中国制造2025”…领导小组.
_GROUP = re.compile(r"(?:“[^”]{1,20}”)?[\u4e00-\u9fff\d]{0,24}?(?:领导小组办公室|领导小组|评选小组|工作小组|创建办公室)")
# Functions named with a bare 部门 beyond the bureau stems (组织人事部门, 机构编制部门).
_FUNCTION = re.compile(r"组织人事|机构编制|归口(?:管理)?|项目审批|行业主管|农村合作经济经营管理|金融服务|国有资产管理|科技|经信|发改")
_GENERIC_CUT = re.compile(r"开展|推进|推动|建设|创建|引导|鼓励|支持|节约型|[由向对在的、，,。；;：:按从报请与和及或将是为等第条款项者到交告送]|经(?![济营信])|会同|配合|协助|根据|依照|按照|所属|我[县市区]")
_LEVEL_RE = re.compile(r"(?:市和区、?县|区、县|市、区两级|所在区、县|所在乡、镇|乡、镇|县级以上(?:地方)?(?:各级)?人民政府|市|区|县|省|镇|乡|当地|地方)")
_STEM_WORDS = "|".join(sorted(map(re.escape, STEMS), key=len, reverse=True))
# A sender, recipient or title: 抄送：…, …印发, 《…》, X关于…的通知.
_NOT_ACTOR_LINE = re.compile(r"(?:抄送|主送)[:：]?|(?:印发|发布|签发)(?!之日|后)[:：]?")
# A line that issues or forwards the document: …现印发给你们, 已经市委、市政府同意, （此件公开发布）.
_ISSUING_LINE = re.compile(r"印发给你们|现予印发|予以印发|已经[^。]{0,12}同意|公开发布|请认真贯彻|请遵照执行|研究同意"
                           r"|提出如下意见|贯彻执行|关于印发")
_ACTOR_CUES = re.compile(
    r"应当|应|负责|组织|审核|审批|审定|认定|核准|批准|备案|监督|管理|制定|协调|验收|会审|考核|兑现|受理|办理|解释|实施|"
    r"申请|申报|提出|报告|报送|报|提交|向|经|由|按照|设立|会同|配合|协助|牵头|发现|没收|鉴定|封存|规定|授权|推荐|指导|支持"
)


def _own_body(c: _Cand, where: Jurisdiction) -> bool:
    """A local document gives duties to its own bodies: a ministry or a province
    named there (经国家工商总局认定的…, 省级工业设计中心) is a condition, not an actor."""
    if not (where.county or where.prefecture):
        return True
    own = [n for n in (where.own, where.county) if n]
    return c.name.startswith(("当地", *own)) or any(f"中共{n}" in c.name for n in own)


def _list_role(text: str, start: int, end: int, items: int) -> str:
    """The role of the functions listed in 旅游、交通、公安等部门…: what follows or precedes the list."""
    after, before = text[end:end + 8], text[max(0, start - 3):start]
    if re.match(r"\s*(?:要|应当|应|将|共同)?(?:负责|牵头|会同|主管)", after):
        return "lead"
    if re.search(r"(?:会同|配合|协助)$", before):
        return "support"
    if re.match(r"\s*(?:应当|应|要|按照|依法|可以)", after) or re.search(r"[经由向报]$", before):
        return "actor"
    return "listed" if items > 1 else ""


def _list_item(text: str, start: int, end: int) -> bool:
    """A bare 市财政 is an agency only as an item of a list or a subject (县财政要…)."""
    after = text[end:end + 2]
    before = text[max(0, start - 1):start]
    if re.match(r"[\u4e00-\u9fff]", before) and before not in "由和及与向经":
        return False                                  # 城市建设, 强市建设: not a level word
    if re.search(r"(?:^|[。；;，,\n]|\d[.．、])\s*$", text[max(0, start - 4):start]):
        return True                                   # the subject: 市财政安排…, 县财政要…
    return bool(re.match(r"[、，,）)和及与要应负牵会配]", after) or before in ("、", "（", "(", "由", "和", "及", "与", "：", ":"))


def _is_actor(text: str, c: _Cand, law: bool = False) -> bool:
    """Does the sentence give ``c`` something to do?  In a law every body named
    outside a title is the subject of a rule, so it always does."""
    line_start = max(text.rfind("\n", 0, c.start), text.rfind("。", 0, c.start)) + 1
    line_end = min([i for i in (text.find("\n", c.end), text.find("。", c.end)) if i >= 0] or [len(text)])
    line = text[line_start:line_end]
    if _NOT_ACTOR_LINE.search(text[line_start:c.start]) or _NOT_ACTOR_LINE.match(text[c.end:c.end + 3]):
        return False
    if _ISSUING_LINE.search(line) or re.match(r"[（(]?(?:副|常务)?(?:局长|主任|部长|书记|政委|组长|指挥|委员|负责人)", text[c.end:c.end + 4]):
        return False                                  # an issuing line; a person's post
    if text.rfind("《", 0, c.start) > text.rfind("》", 0, c.start):
        return False                                  # inside a title
    if re.match(r"关于|令|第\d|[（(]?[\d〔]", text[c.end:c.end + 2]) or \
            re.match(r"(?:[、和及与][\u4e00-\u9fff]{2,12}){0,4}关于", text[c.end:]):
        return False                                  # 党中央、国务院关于…: a policy cited, not a task given
    return law or bool(_ACTOR_CUES.search(line))


# ------------------------------------------------------------------ candidates

def _candidates(text: str, region: str, lexicon: AgencyLexicon) -> list[_Cand]:
    found: list[_Cand] = []
    for start, end, _ in lexicon.trie(region).find_all(text):
        name = lexicon.resolve(text[start:end], region)
        if name:
            found.append(_Cand(start, end, name, True))
    taken = [(c.start, c.end) for c in found]
    for c in _unknown(text, region, lexicon):
        if not any(s < c.end and c.start < e for s, e in taken):
            found.append(c)
            taken.append((c.start, c.end))
    found.sort(key=lambda c: c.start)
    return [_with_paren_alias(text, c) for c in found]


def _unknown_pattern(lexicon: AgencyLexicon) -> re.Pattern:
    prefixes = sorted({*lexicon.region_prefixes, "国家", "中共", "中国", "省", "自治区", "市", "县"},
                      key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(map(re.escape, prefixes))})[\u4e00-\u9fff]{{1,12}}?{_SUFFIX}")


_PATTERNS: weakref.WeakKeyDictionary[AgencyLexicon, re.Pattern] = weakref.WeakKeyDictionary()


def _unknown(text: str, region: str, lexicon: AgencyLexicon) -> list[_Cand]:
    """Names ending in an agency suffix that the lexicon does not know."""
    pat = _PATTERNS.get(lexicon)
    if pat is None:
        pat = _PATTERNS[lexicon] = _unknown_pattern(lexicon)
    out = []
    for m in pat.finditer(text):
        word = m.group(0)
        if _NOT_AGENCY.search(word) or _BAD_BODY.search(word[1:-1]):
            continue
        out.append(_Cand(m.start(), m.end(), _canonical_unknown(word, region, lexicon), False))
    return out


def _canonical_unknown(word: str, region: str, lexicon: AgencyLexicon) -> str:
    """省X局 in a 山西省 document is 山西省X局; other names stay as written."""
    reg = lexicon.region(region)
    if reg and word.startswith(reg.level) and not word.startswith(reg.name):
        return reg.name + word[len(reg.level):]
    return word


def _with_paren_alias(text: str, c: _Cand) -> _Cand:
    """设区市发展改革委（能源局）: the bracketed second name belongs to the mention."""
    m = re.match(r"[（(][\u4e00-\u9fff]{1,8}?(?:局|委|厅|办)[）)]", text[c.end:])
    if m:
        return _Cand(c.start, c.end + m.end(), c.name, c.known)
    return c


# ------------------------------------------------------------------ runs

def _runs(text: str, cands: list[_Cand]) -> list[list[_Cand]]:
    runs: list[list[_Cand]] = []
    for c in cands:
        if runs and _GAP.match(text[runs[-1][-1].end:c.start]):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


_POST = re.compile(r"(?:副|常务)?(?:局长|主任|部长|书记|政委|组长|指挥长|委员|负责人|主席)")


def _from_run(text: str, run: list[_Cand]) -> list[AgencyMention]:
    if _POST.match(text, run[-1].end):
        return []                                     # （发改局局长）: a person's post, not a body's task
    line = text[max(text.rfind("\n", 0, run[0].start), text.rfind("。", 0, run[0].start)) + 1:run[0].start]
    if re.search(r"(?:抄送|主送)[:：]", line):
        return []                                     # 抄送：… / 主送：…: recipients, not bodies given a task
    stop = [i for i in (text.find("\n", run[-1].end), text.find("。", run[-1].end)) if i >= 0]
    if _ISSUING_LINE.search(text[run[0].start:min(stop) if stop else len(text)]):
        return []                                     # …提出如下意见 / …现印发给你们: the issuer speaking
    before = text[:run[0].start].rstrip()
    marked = re.search(r"(牵头|责任|配合|协办|参与)(?:单位|部门)\s*[：:]\s*$", before)
    if marked:                                       # 牵头单位：…  责任单位：…
        role = {"牵头": "lead", "配合": "support", "协办": "support", "参与": "support"}.get(marked.group(1), "listed")
        return [AgencyMention(c.name, text[c.start:c.end], role, Span(c.start, c.end), c.known) for c in run]
    if re.search(r"(?:会同|配合|协助)$", before):
        return [AgencyMention(c.name, text[c.start:c.end], "support", Span(c.start, c.end), c.known) for c in run]
    if before.endswith(("（", "(")) or (not before and re.match(r"\s*[）)]", text[run[-1].end:])):
        return _roles(text, run, paren=True)         # responsibility list (its opening line cut off)
    # A subject run may start part-way: 报送自治区能源局，自治区能源局组织…
    for k, c in enumerate(run):
        if k == 0:
            at_start = bool(_SENTENCE_START.search(text[:c.start]))
        else:
            gap = text[run[k - 1].end:c.start]
            at_start = bool(re.search(r"[，,；;]\s*$", gap)) and not _SUPPORT_BEFORE.search(gap)
        if at_start:
            sub = run[k:]
            if _NOT_SUBJECT_AFTER.match(text[sub[-1].end:]):
                return []
            return _roles(text, sub)
    return []


def _roles(text: str, run: list[_Cand], paren: bool = False) -> list[AgencyMention]:
    roles: list[str | None] = [None] * len(run)
    pending: list[int] = []
    support_mode = False
    for i, c in enumerate(run):
        gap_before = text[run[i - 1].end:c.start] if i else ""
        if i and _SUPPORT_BEFORE.search(gap_before):
            for j in pending:                       # X、Y会同Z: X and Y lead
                roles[j] = roles[j] or "lead"
            pending = []
            support_mode = True
        pending.append(i)
        after = text[c.end:run[i + 1].start] if i + 1 < len(run) else text[c.end:c.end + 6]
        if _LEAD_AFTER.match(after):
            for j in pending:
                roles[j] = "lead"
            pending, support_mode = [], False
        elif _SUPPORT_AFTER.match(after):
            for j in pending:
                roles[j] = "support"
            pending = []
        elif support_mode:
            roles[i] = "support"
            pending = [j for j in pending if j != i]
    if "lead" not in roles and "support" not in roles:
        # No marker: a plain list is ``listed``; a lone subject that 负责 leads,
        # otherwise it is the actor of its sentence.  (The first-listed-leads
        # reading is an option of the matrix export, not extraction.)
        after = text[run[-1].end:run[-1].end + 8]
        if re.match(r"\s*(?:等(?:单位|部门)?)?(?:要|应|应当|将|共同)?(?:负责|主抓|统筹|会同)(?!人|同志|制)", after) \
                or re.match(r"\s*(?:是|为)[^，。；]{0,20}主管", after):
            roles = ["lead"] * len(run)              # X负责 / X会同有关部门 / X是…主管机关
        elif not paren and re.match(r"\s*(?:等(?:单位|部门)?)?(?:应当|应|要|必须|可以|依法|按照|共同)", after):
            roles = ["actor"] * len(run)             # 公安部、外交部应当…: the subjects of a duty
        elif paren or len(run) > 1:
            roles = [r or "listed" for r in roles]
        else:
            roles = ["actor"]
    roles = [r or "support" for r in roles]
    return [AgencyMention(c.name, text[c.start:c.end], r, Span(c.start, c.end), c.known)
            for c, r in zip(run, roles)]
