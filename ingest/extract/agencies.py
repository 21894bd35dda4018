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
from ingest.extract.lexicon import load_agency_lexicon
from ingest.model import AgencyMention, Span

_SUFFIX = r"(?:监管局|管委会|管理委员会|委员会|人民政府|中心支行|支行|有限公司|有限责任公司|公司|集团|中心|办公室|厅|局|委|办)"
_BAD_BODY = re.compile(r"[的等及或、和与]$|^[的等及或和与]|[的等或]")
# 中心 names that are facilities or functions, not bodies.
_NOT_AGENCY = re.compile(
    r"(?:算力|智算|计算|数据|能源管理|管理|创新|研究|研发|负荷|物流|区域|调度|检测|监测|培训|服务"
    r"|运营|指挥|结算|城市|会展|展览|技术)中心$"
)

# Text allowed between two agencies of one run: separators, linkers, role words.
_GAP = re.compile(r"^(?:牵头|负责|配合|参与|协助|会同|协同|联合|以及|和|及|与|并|[、，,；;\s])*$")
_LEAD_AFTER = re.compile(r"^\s*(?:负责)?牵头")
_SUPPORT_AFTER = re.compile(r"^\s*(?:配合|参与|协助)")
_SUPPORT_BEFORE = re.compile(r"(?:会同|配合|协同)[、，,\s]*$")

_SENTENCE_START = re.compile(
    r"(?:^|[。；;，,：:！？!?\n]|由|(?:^|[。；\n])\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、))\s*$"
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


def find_agencies(text: str, region: str = "", lexicon: AgencyLexicon | None = None) -> list[AgencyMention]:
    lexicon = lexicon or load_agency_lexicon()
    cands = _candidates(text, region, lexicon)
    out: list[AgencyMention] = []
    for run in _runs(text, cands):
        out += _from_run(text, run)
    return out


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


def _from_run(text: str, run: list[_Cand]) -> list[AgencyMention]:
    before = text[:run[0].start].rstrip()
    if before.endswith(("（", "(")):
        return _roles(text, run)                     # responsibility list
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


def _roles(text: str, run: list[_Cand]) -> list[AgencyMention]:
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
    if "lead" not in roles:
        first = next((i for i, r in enumerate(roles) if r is None), 0)
        roles[first] = "lead"
    roles = [r or "support" for r in roles]
    return [AgencyMention(c.name, text[c.start:c.end], r, Span(c.start, c.end), c.known)
            for c, r in zip(run, roles)]
