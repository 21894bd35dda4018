"""The records every stage passes: Document → Section → Clause → Sentence → mentions.

Every clause and mention carries a :class:`Span` of character offsets into the
document's *source text* (the file's text as read, before any clean-up), so a
user can always check a fact against the original.  Clause and mention
``text`` fields hold the cleaned text (joined lines, half-width digits, ...).

``to_json`` gives the shape of the files between stages (``documents/<id>.json``
and ``clauses.jsonl``; ``policykg extract --json`` prints it); ``from_json``
reads it back.  Fields added since a file was written read as their defaults,
and the newer lists (``sentences``, ``conditions``, ``entitlements``) are
written only when a clause has some, so older files and readers keep working.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

from records.codes import ClauseKind, ConditionKind, Role


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into a document's source text."""

    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]

    @classmethod
    def from_json(cls, value: list[int] | tuple[int, int]) -> "Span":
        start, end = value
        return cls(int(start), int(end))


# -- mentions: what a clause says, each with its span -----------------------------------


@dataclass
class AgencyMention:
    name: str          # canonical name, e.g. 山西省工业和信息化厅
    as_written: str    # the words in the text, e.g. 省工信厅
    role: str          # a Role code: "lead" or "support"
    span: Span
    known: bool = True  # False when found by the suffix rules, not the lexicon


@dataclass
class Target:
    year: int | None
    indicator: str
    comparator: str       # 达到 / 不低于 / 超过 / 以上 / 以内 / 降至 / 下降 / 提高 ...
    value: float
    unit: str
    baseline_year: int | None
    firmness: str         # a Firmness code: 确保 / 力争 / 原则上 / 左右 / "" (plain)
    text: str
    span: Span
    period: str = ""      # 十四五 / 十五五 when the deadline is a plan period
    baseline: str = ""    # the baseline as written: 2020年 / 项目实施前
    bound: str = ""       # 以上 / 以下 / 以内 / 左右 / 及以上 after the value
    value_max: float | None = None   # the upper end of a range (5%－10%)
    kind: str = ""        # a TargetKind code: growth / reduction / level / cap / count ("" when not read)
    headline: bool = False  # one of the year's main expected targets (主要预期目标)


@dataclass
class Measure:
    """The type of one sentence as a policy measure."""

    type: str   # a MeasureType code: task / incentive / restriction / requirement / target / definition
    text: str
    span: Span
    subtype: str = ""   # for incentives, an Instrument code: funds / tax / land / power_price / finance ...
    # what this sentence itself names, as indices into the clause's lists (a clause's other
    # sentences are not this measure's: 支持氧化铝企业… is no support for the 电解铝 named elsewhere)
    industries: list[int] = field(default_factory=list)   # into ``industries``
    agencies: list[int] = field(default_factory=list)     # into ``agencies``
    conditions: list[int] = field(default_factory=list)   # into ``conditions``


@dataclass
class IndustryLink:
    id: str       # concept id in the industry scheme
    label: str
    as_written: str
    span: Span

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "IndustryLink":
        return _mention(cls, data)


@dataclass
class Citation:
    title: str          # the 《…》 title, may be ""
    number: str         # 发改能源〔2025〕650号, may be ""
    span: Span


@dataclass
class Condition:
    """A quantitative condition a clause sets: ``<subject> <comparator> <value><unit>``.

    ``scope`` is who it binds (并网型绿电直连项目; "" = everyone the clause
    addresses); ``kind`` says whether a project must meet it, it is a target,
    it triggers a provision (``consequence``), or it is what an entitlement is
    given on (``eligibility``: the entitlement lists it by index).
    """

    subject: str            # the measured quantity: 直连线路长度, 年捕集规模
    comparator: str         # a Comparator code: <= >= < > = ~
    value: float            # as written
    unit: str               # as written: 公里, 万千瓦, %
    text: str               # the words in the clause, subject to unit
    span: Span
    comparator_text: str = ""   # as written: 不超过, 达…及以上
    canonical_value: float | None = None   # in the canonical unit of its dimension
    canonical_unit: str = ""    # km, MW, %
    scope: str = ""
    firmness: str = ""      # a Firmness code, or a modal word as written (应)
    year: int | None = None
    period: str = ""        # 十四五 …
    kind: str = ConditionKind.REQUIREMENT.value
    consequence: str = ""   # for triggers: what follows (按总可用发电量的20%结算)
    inherited: bool = False  # subject or scope filled in from the phrase before
    sentence: int = -1      # index into the clause's ``sentences`` (-1: not recorded)

    def to_json(self) -> dict[str, Any]:
        return _span_fields(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Condition":
        """A condition from its record in a clause's ``conditions`` (fields it does not know are ignored)."""
        return _mention(cls, data)


@dataclass
class Entitlement:
    """Something a clause grants (an award, a subsidy, tax relief, land …), to whom and on what terms.

    "对获得中国质量奖的企业，一次性给予450万元奖励": kind ``award``, value 450,
    unit 万元, beneficiary 获得中国质量奖的企业.  "按…的50%，最高不超过200万元":
    value 50, unit %, per 研发费用, cap 200, cap_unit 万元.
    """

    kind: str               # an Instrument code
    text: str               # the words that grant it
    span: Span
    beneficiary: str = ""   # who receives it, as written ("" = whoever the clause addresses)
    value: float | None = None   # the amount, when one is stated
    unit: str = ""
    value_max: float | None = None
    per: str = ""           # what the amount is per or a share of: 每件, 研发费用
    cap: float | None = None     # 最高 / 不超过 …
    cap_unit: str = ""
    accepted_by: str = ""   # the body that takes applications (受理 / 申报 to whom)
    deadline: str = ""      # the deadline or period, as written
    conditions: list[int] = field(default_factory=list)   # indices into the clause's ``conditions`` to qualify
    sentence: int = -1      # index into the clause's ``sentences`` (-1: not recorded)
    frequency: str = ""     # one-off (一次性) / annual (每年, 年度, 连续N年) / "" when not stated


@dataclass
class Sentence:
    """One sentence of a clause (split at 。；!? and line ends): the unit that measure types,
    conditions and entitlements attach to (by their ``sentence`` index)."""

    text: str
    span: Span


# -- structure ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A numbered part of a document that encloses clauses (``一`` or ``一.(三)``).

    Sections are not stored on their own: they are read from a clause's
    structural ``path`` and its ``parents`` headings (:func:`enclosing_sections`).
    """

    path: str       # structural path of the section, e.g. 一.(三)
    heading: str    # its heading, may be ""

    @property
    def number(self) -> str:
        """The section's own number, the last segment of its path (``(三)``)."""
        return self.path.rsplit(".", 1)[-1]


def enclosing_paths(path: str) -> list[str]:
    """The structural paths of the parts enclosing ``path``, outermost first (``一.(三).2`` → ``一``, ``一.(三)``)."""
    segments = path.split(".")
    return [".".join(segments[:i]) for i in range(1, len(segments))]


def enclosing_sections(path: str, parents: list[str]) -> list[Section]:
    """The sections that enclose the clause at ``path``, outermost first.

    ``parents`` are the clause's enclosing headings, outermost first.  When
    there is one heading per enclosing path segment they pair up; otherwise
    (a clause under an unnumbered heading) a heading pairs with its segment
    while there is one, and the rest have an empty path.
    """
    segments = path.split(".")
    out = []
    for i, heading in enumerate(parents):
        section_path = ".".join(segments[: i + 1]) if i < len(segments) - 1 else ""
        out.append(Section(section_path, heading))
    return out


@dataclass
class Clause:
    id: str                 # "<doc id>#<path>", stable across rebuilds
    path: str               # structural path, e.g. 一.(三).2 or 二.(一).p2
    heading: str            # the clause's own lead-in heading, may be ""
    parents: list[str]      # headings of the enclosing sections, outermost first
    text: str               # cleaned clause text
    span: Span
    kind: str = ClauseKind.ITEM.value   # a ClauseKind code: item / paragraph / sidebar / preamble / closing
    agencies: list[AgencyMention] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    industries: list[IndustryLink] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    entitlements: list[Entitlement] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        return enclosing_sections(self.path, self.parents)

    def mentions(self) -> Iterator[Any]:
        """Every mention of the clause (agencies, targets, measures, …), each with a ``span``."""
        for name in _MENTION_LISTS:
            yield from getattr(self, name)

    def lead_agencies(self) -> list[AgencyMention]:
        return [a for a in self.agencies if a.role == Role.LEAD]

    def to_json(self) -> dict[str, Any]:
        return clause_to_json(self)

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "Clause":
        """A clause from its JSON record; the document fields a clause-table row adds are ignored."""
        lists = {name: [_mention(kind, x) for x in record.get(name) or []] for name, kind in _LIST_KINDS.items()}
        return cls(
            id=record["id"], path=record["path"], heading=record.get("heading", ""),
            parents=list(record.get("parents") or []), text=record["text"],
            span=Span.from_json(record["span"]), kind=record.get("kind", ClauseKind.ITEM.value), **lists,
        )


_MENTION_LISTS = ("agencies", "targets", "measures", "industries", "cites", "conditions", "entitlements")
_LIST_KINDS: dict[str, type] = {
    "agencies": AgencyMention, "targets": Target, "measures": Measure, "industries": IndustryLink,
    "cites": Citation, "sentences": Sentence, "conditions": Condition, "entitlements": Entitlement,
}
# Written only when a clause has some, so files from before they existed read the same.
_OPTIONAL_LISTS = ("sentences", "conditions", "entitlements")


def _mention(kind: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(kind)}
    values = {k: v for k, v in data.items() if k in known}
    values["span"] = Span.from_json(data["span"])
    return kind(**values)


# -- documents ----------------------------------------------------------------------------


@dataclass
class DocumentMeta:
    id: str
    title: str
    number: str = ""                      # 发文字号
    region: str = ""                      # the full jurisdiction: 全国 / 浙江省 / 浙江省台州市温岭市
    level: str = ""                       # 效力级别: 法律 / 行政法规 / … / 规范性文件 / 工作报告 / 其他
    issuers: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)   # 主送
    signature: str = ""
    date_written: str = ""                # ISO date, 成文日期
    date_published: str = ""              # ISO date, 发布日期
    valid: bool | None = None             # 是否有效
    validity: str = ""                    # 时效性 as the text says it (有效期至… / 2019-03-02修订 / 已废止)
    topics: list[str] = field(default_factory=list)
    source_file: str = ""
    source_format: str = ""
    source_sha256: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DocumentMeta":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Document:
    """One parsed document: its fields, its clauses in document order, and its source text."""

    meta: DocumentMeta
    clauses: list[Clause]
    source_text: str
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    def to_json(self) -> dict[str, Any]:
        """The shape printed by ``policykg extract --json`` (a contract)."""
        return {
            "document": asdict(self.meta),
            "clauses": [clause_to_json(c) for c in self.clauses],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source_text: str = "") -> "Document":
        """A document from ``documents/<id>.json`` (the source text is in ``sources/<id>.txt``)."""
        return cls(
            meta=DocumentMeta.from_json(data["document"]),
            clauses=[Clause.from_json(c) for c in data.get("clauses") or []],
            source_text=source_text,
            warnings=list(data.get("warnings") or []),
        )


# The name ingest used before the records moved here.
ParsedDocument = Document


def _span_fields(obj: Any) -> dict[str, Any]:
    out = asdict(obj)
    out["span"] = obj.span.to_json()
    return out


def clause_to_json(c: Clause) -> dict[str, Any]:
    out = {
        "id": c.id,
        "path": c.path,
        "heading": c.heading,
        "parents": list(c.parents),
        "kind": str(c.kind),
        "text": c.text,
        "span": c.span.to_json(),
        "agencies": [_span_fields(a) for a in c.agencies],
        "targets": [_span_fields(t) for t in c.targets],
        "measures": [_span_fields(m) for m in c.measures],
        "industries": [_span_fields(i) for i in c.industries],
        "cites": [_span_fields(x) for x in c.cites],
    }
    for name in _OPTIONAL_LISTS:
        items = getattr(c, name)
        if items:
            out[name] = [_span_fields(x) for x in items]
    return out
