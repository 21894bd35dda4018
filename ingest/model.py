"""The records that ingest produces: Document → Clause → mentions.

Every clause and mention carries a ``Span`` of character offsets into the
document's *source text* (the file's text as read, before any clean-up), so a
user can always check a fact against the original.  Clause and mention
``text`` fields hold the cleaned text (joined lines, half-width digits, ...).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into a document's source text."""

    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]


@dataclass
class AgencyMention:
    name: str          # canonical name, e.g. 山西省工业和信息化厅
    as_written: str    # the words in the text, e.g. 省工信厅
    role: str          # "lead" or "support"
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
    firmness: str         # 确保 / 力争 / 原则上 / 左右 / "" (plain)
    text: str
    span: Span
    period: str = ""      # 十四五 / 十五五 when the deadline is a plan period
    baseline: str = ""    # the baseline as written: 2020年 / 项目实施前
    bound: str = ""       # 以上 / 以下 / 以内 / 左右 / 及以上 after the value
    value_max: float | None = None   # the upper end of a range (5%－10%)


@dataclass
class Measure:
    type: str   # task / incentive / restriction / requirement / target / definition
    text: str
    span: Span
    subtype: str = ""   # for incentives: funds / tax / land / power_price / finance ...


@dataclass
class IndustryLink:
    id: str       # concept id in the industry scheme
    label: str
    as_written: str
    span: Span


@dataclass
class Citation:
    title: str          # the 《…》 title, may be ""
    number: str         # 发改能源〔2025〕650号, may be ""
    span: Span


@dataclass
class Clause:
    id: str                 # "<doc id>#<path>", stable across rebuilds
    path: str               # structural path, e.g. 一.(三).2 or 二.(一).p2
    heading: str            # the clause's own lead-in heading, may be ""
    parents: list[str]      # headings of the enclosing sections, outermost first
    text: str               # cleaned clause text
    span: Span
    kind: str = "item"      # item / paragraph / sidebar / preamble / closing
    agencies: list[AgencyMention] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    industries: list[IndustryLink] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)


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
    validity: str = ""                    # 时效性 as the text says it (现行有效 / 失效 / 已废止)
    topics: list[str] = field(default_factory=list)
    source_file: str = ""
    source_format: str = ""
    source_sha256: str = ""


@dataclass
class ParsedDocument:
    meta: DocumentMeta
    clauses: list[Clause]
    source_text: str
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The shape printed by ``policykg extract --json`` (a contract)."""
        return {
            "document": asdict(self.meta),
            "clauses": [clause_to_json(c) for c in self.clauses],
            "warnings": list(self.warnings),
        }


def _span_fields(obj: Any) -> dict[str, Any]:
    out = asdict(obj)
    out["span"] = obj.span.to_json()
    return out


def clause_to_json(c: Clause) -> dict[str, Any]:
    return {
        "id": c.id,
        "path": c.path,
        "heading": c.heading,
        "parents": list(c.parents),
        "kind": c.kind,
        "text": c.text,
        "span": c.span.to_json(),
        "agencies": [_span_fields(a) for a in c.agencies],
        "targets": [_span_fields(t) for t in c.targets],
        "measures": [_span_fields(m) for m in c.measures],
        "industries": [_span_fields(i) for i in c.industries],
        "cites": [_span_fields(x) for x in c.cites],
    }
