"""The vocabularies the graph uses, as closed namespaces.

``PKG`` is the project's own vocabulary (``graph/ontology.ttl`` defines the
same terms with labels, comments, domains and ranges).  It is a
``DefinedNamespace`` with ``_fail = True`` like rdflib's ``namespace/_ORG.py``:
a misspelt term raises ``AttributeError`` at the line that uses it instead
of minting a new IRI silently.  ``ELI`` and ``OA`` are closed the same way
over the terms of the ELI ontology and the Web Annotation vocabulary that the
graph uses (rdflib ships neither).  ORG, SKOS, PROV and DCTERMS come from
rdflib.

Extractor codes (``"lead"``, ``"incentive"``, ``"确保"`` …) map to concepts
through the tables at the bottom; a code missing from a table is an error,
not a new concept.
"""
from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

BASE = "https://w3id.org/policykg/"


class PKG(DefinedNamespace):
    """PolicyKG vocabulary: targets, measures, incentives, responsibilities and their code lists."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # -- classes
    Responsibility: URIRef  # An agency's responsibility for a task (a clause) in a role: the n-ary relation of pkg:task, pkg:agency and pkg:role.
    Target: URIRef  # A quantified policy target stated in a clause: indicator, comparator, value, unit, deadline and baseline year, firmness.
    Measure: URIRef  # A policy measure stated in a clause, classified by pkg:measureType (a concept of pkg:MeasureTypeScheme).
    Incentive: URIRef  # A measure that supports an activity or industry (funds, tax relief, land, power price, finance ...).
    Restriction: URIRef  # A measure that restricts or forbids an activity or industry.
    IndustryMention: URIRef  # A place where a clause names an industry of the industry scheme; the clause eli:is_about that industry.
    Citation: URIRef  # A place where a clause cites another document by 《title》 and/or document number.
    Entitlement: URIRef  # Something a clause grants (an award, a subsidy, tax relief, land ...): how much, to whom, on what conditions.
    Condition: URIRef  # A quantitative condition a clause sets: a measured quantity, a comparison, a value and unit, whom it binds and what it does.
    GBT4754: URIRef  # Datatype of skos:notation values that are GB/T 4754-2017 国民经济行业分类 codes (section letter and digits).

    # -- properties
    task: URIRef  # The task (a clause, eli:LegalResourceSubdivision) a responsibility is for.
    agency: URIRef  # The agency (org:Organization) that bears a responsibility.
    role: URIRef  # The role an agency plays in a task: pkg:RoleLead, pkg:RoleSupport, pkg:RoleListed or pkg:RoleActor.
    asWritten: URIRef  # The words of the source text that a mention was read from (an alias such as 省工信厅).
    statedIn: URIRef  # The clause (eli:LegalResourceSubdivision) a target, measure, industry mention or citation is stated in.
    text: URIRef  # The cleaned text of a clause or of a statement in it (lines joined, full-width digits made half-width).
    indicator: URIRef  # What a target measures, as written (e.g. 非化石能源消费比重).
    comparator: URIRef  # How a target's value is to be met, as written: 达到, 不低于, 超过, 以上, 以内, 降至, 下降, 提高 ...
    value: URIRef  # The numeric value of a target (xsd:decimal), in pkg:unit.
    unit: URIRef  # The unit of a target's value as written (%, 万千瓦, 亿元 ...).
    deadlineYear: URIRef  # The year by which a target is to be met (xsd:integer).
    baselineYear: URIRef  # The year a relative target is measured against (xsd:integer), e.g. 2020 in 比2020年下降.
    period: URIRef  # The plan period a target's deadline is given as (十四五, 十五五), when the text names one.
    firmness: URIRef  # How binding a target is: a concept of pkg:FirmnessScheme (确保, 力争, 原则上, 左右, plain).
    measureType: URIRef  # The type of a measure: a top concept of pkg:MeasureTypeScheme.
    measureSubtype: URIRef  # The instrument of a measure where the extractor names one: a narrower concept of its pkg:measureType.
    industry: URIRef  # The industry concept (skos:Concept of the industry scheme) an industry mention refers to.
    namesIndustry: URIRef  # An industry concept a measure's own sentence names (the measure supports or restricts it, or the class it names).
    citedTitle: URIRef  # The 《title》 of a cited document as written.
    citedNumber: URIRef  # The document number (发文字号) of a cited document as written.
    citedResource: URIRef  # The eli:LegalResource a citation refers to (a corpus document when one matches).
    measuredQuantity: URIRef  # What a condition measures, as written (直连线路长度, 年捕集规模).
    comparison: URIRef  # How a condition compares its quantity with pkg:value: one of <= >= < > = ~ (以上 ≥, 以下/以内 ≤, 超过 >, 低于 <).
    comparatorText: URIRef  # The comparator words of a condition as written (不超过, 达…及以上).
    canonicalValue: URIRef  # A condition's value in the canonical unit of its dimension (xsd:decimal), in pkg:canonicalUnit.
    canonicalUnit: URIRef  # The canonical unit of a condition's dimension (km, kV, MW, t, %, kWh, tce, 元).
    appliesTo: URIRef  # Whom a condition binds, as written (并网型绿电直连项目); absent when it binds whoever the clause addresses.
    conditionKind: URIRef  # What a condition does: a concept of pkg:ConditionKindScheme.
    consequence: URIRef  # For a trigger: the provision that applies when the condition holds (按总可用发电量的20%结算).
    hasCondition: URIRef  # A condition a measure's own sentence sets, or that an entitlement is given on (stated in the same clause).
    namesAgency: URIRef  # An agency (org:Organization) a measure's own sentence names (who carries it out or takes part).
    instrument: URIRef  # What an entitlement grants: a narrower concept of pkg:TypeIncentive (award, subsidy, tax, fee, land, loan interest ...).
    valueMax: URIRef  # The upper end of an entitlement's amount when it is a range (xsd:decimal), in pkg:unit.
    per: URIRef  # What an entitlement's amount is per or a share of, as written (每件, 研发费用).
    cap: URIRef  # The most an entitlement grants (最高, 不超过 ...), xsd:decimal in pkg:capUnit.
    capUnit: URIRef  # The unit of an entitlement's cap as written (万元).
    beneficiary: URIRef  # Who receives an entitlement, as written (获得中国质量奖的企业).
    acceptedBy: URIRef  # The body that takes applications for an entitlement, as written.
    deadline: URIRef  # The deadline or period of an entitlement, as written.
    frequency: URIRef  # How often an entitlement is granted: one-off (一次性) or annual (每年, 年度, 连续N年).

    # -- concept schemes
    RoleScheme: URIRef  # The roles an agency can play in a task.
    FirmnessScheme: URIRef  # How binding a target is.
    MeasureTypeScheme: URIRef  # Types of policy measure, with instruments as narrower concepts.
    ClauseKindScheme: URIRef  # Kinds of document subdivision (values of eli:type_subdivision).
    AgencyKindScheme: URIRef  # Kinds of agency (values of org:classification).
    ConditionKindScheme: URIRef  # What a quantitative condition does (values of pkg:conditionKind).

    # -- roles
    RoleLead: URIRef  # 牵头: the agency leads the task (listed first, or marked 牵头).
    RoleSupport: URIRef  # 配合: the agency supports the task (marked 配合/参与/协助, or after 会同).
    RoleListed: URIRef  # 责任单位: named in a plain list of responsible units, no lead marked.
    RoleActor: URIRef  # 责任主体: the subject of a duty or step (…应当…, 经…审核, 向…申请).

    # -- firmness
    FirmnessEnsure: URIRef  # 确保: the target must be met.
    FirmnessStrive: URIRef  # 力争 (also 争取, 努力): the target is to be striven for.
    FirmnessInPrinciple: URIRef  # 原则上: the target holds in principle, exceptions allowed.
    FirmnessApproximate: URIRef  # 左右: the value is approximate.
    FirmnessPlain: URIRef  # No qualifier: the target is stated plainly.

    # -- measure types
    TypeTask: URIRef  # A task assigned to agencies (推进, 开展, 建立 ...).
    TypeIncentive: URIRef  # A supporting measure: funds, tax, land, power price, finance, awards ...
    TypeRestriction: URIRef  # A restricting measure: bans, limits, phase-outs, stricter approval.
    TypeRequirement: URIRef  # An obligation on enterprises or projects (应当, 须, 不得低于 ...).
    TypeTarget: URIRef  # A sentence that states a quantified target.
    TypeDefinition: URIRef  # A definition of a term used by the document.

    # -- incentive instruments (narrower than TypeIncentive)
    InstrumentFunds: URIRef  # 资金: special funds, budget investment, special bonds.
    InstrumentSubsidy: URIRef  # 补贴: subsidies and grants (补贴, 补助, 奖补).
    InstrumentAward: URIRef  # 奖励: awards and commendations.
    InstrumentTax: URIRef  # 税收: tax relief or refunds.
    InstrumentLand: URIRef  # 用地: land supply or land price support.
    InstrumentPowerPrice: URIRef  # 电价: electricity price or grid fee support.
    InstrumentFinance: URIRef  # 金融: loans, funds, bonds, guarantees, green finance.
    InstrumentInsurance: URIRef  # 保险: insurance and insurance compensation.
    InstrumentPriority: URIRef  # 优先: priority support, green channels, preferential allocation.
    InstrumentOther: URIRef  # 其他: support of an unnamed kind (给予支持, 激励措施).
    InstrumentEncouragement: URIRef  # 鼓励: encouragement without a concrete benefit (鼓励…, 支持…发展).
    InstrumentLoanInterest: URIRef  # 贴息: interest on loans paid for the borrower.
    InstrumentFee: URIRef  # 费用减免: fees or rents waived or cut.

    # -- condition kinds
    ConditionRequirement: URIRef  # 要求: the project must meet it (直连线路长度不超过50公里).
    ConditionTarget: URIRef  # 目标: it is to hold by a year or plan period, not a limit on each project today.
    ConditionTrigger: URIRef  # 触发条件: a provision applies when it holds (…超过20%的，按…结算).
    ConditionEligibility: URIRef  # 享受条件: an award or subsidy is given when it holds (销售额达到5亿元以上的，给予…).

    # -- clause kinds
    KindSection: URIRef  # A numbered part that holds clauses (一、 …, （一） …); its heading is its dcterms:title.
    KindItem: URIRef  # A numbered item (1. …, （三） …) with its own text.
    KindParagraph: URIRef  # An unnumbered paragraph inside a part.
    KindSidebar: URIRef  # A boxed sidebar (专栏) inside a part.
    KindPreamble: URIRef  # A paragraph before the first numbered part.
    KindClosing: URIRef  # A paragraph after the last numbered part.

    # -- agency kinds
    AgencyGovernment: URIRef  # A people's government (人民政府) or the State Council.
    AgencyParty: URIRef  # A Communist Party committee.
    AgencyDepartment: URIRef  # A government department (厅, 局, 委员会 …).
    AgencyVertical: URIRef  # A national body's provincial branch (税务局, 通信管理局, 人民银行分支 …).
    AgencyRegulator: URIRef  # A regulatory office (能源监管办 …).
    AgencyCompany: URIRef  # A state-owned company or exchange given tasks (电网公司, 电力交易中心 …).
    AgencyZoneAuthority: URIRef  # The administrative committee of a development zone (管委会).
    AgencyCoordinationBody: URIRef  # A leading group or joint conference (领导小组).
    AgencyMunicipalGeneric: URIRef  # All cities of a region addressed together (各市人民政府 …).
    AgencyUnlisted: URIRef  # Not in the agency lexicon: the name was accepted by the agency-suffix rules.


class ELI(DefinedNamespace):
    """The ELI ontology terms the graph uses (http://data.europa.eu/eli/ontology#)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True
    _extras = ["InForce-inForce", "InForce-notInForce"]  # eli:in_force values: in force / no longer in force

    LegalResource: URIRef  # A work in a legislative corpus: here each policy document, and each document it cites.
    LegalResourceSubdivision: URIRef  # A component of a legal act: here parts, items and paragraphs.
    SubdivisionType: URIRef  # The type of a subdivision (value of eli:type_subdivision).
    has_part: URIRef  # A document or part contains this subdivision.
    is_part_of: URIRef  # A subdivision belongs to this document or part.
    id_local: URIRef  # The document's local identifier: its document number (发文字号).
    number: URIRef  # The number of a subdivision within its document: our structural path (一.(三).2).
    type_subdivision: URIRef  # The kind of subdivision.
    date_document: URIRef  # The date the document was adopted (成文日期).
    date_publication: URIRef  # The date the document was published (发布日期).
    in_force: URIRef  # Whether the document is in force (是否有效).
    passed_by: URIRef  # The agency that issued the document.
    responsibility_of_agent: URIRef  # An agency given responsibility for a clause's task.
    cites: URIRef  # A document or clause cites another document.
    is_about: URIRef  # A clause concerns this industry concept.
    jurisdiction: URIRef  # The region whose government issued the document.


class OA(DefinedNamespace):
    """The Web Annotation terms the graph uses for text positions (http://www.w3.org/ns/oa#)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef  # A segment of a source text: oa:hasSource and oa:hasSelector.
    TextPositionSelector: URIRef  # Selects characters by position: oa:start inclusive, oa:end exclusive.
    hasSource: URIRef  # The whole resource a segment is part of.
    hasSelector: URIRef  # How a segment is selected from its source.
    start: URIRef  # Position of the first selected character (counted in Unicode code points from 0).
    end: URIRef  # Position after the last selected character.


# -- extractor codes → concepts -------------------------------------------------
ROLES = {"lead": PKG.RoleLead, "support": PKG.RoleSupport, "listed": PKG.RoleListed, "actor": PKG.RoleActor}

FIRMNESS = {
    "确保": PKG.FirmnessEnsure,
    "力争": PKG.FirmnessStrive,
    "争取": PKG.FirmnessStrive,
    "努力": PKG.FirmnessStrive,
    "原则上": PKG.FirmnessInPrinciple,
    "左右": PKG.FirmnessApproximate,
    "": PKG.FirmnessPlain,
}

MEASURE_TYPES = {
    "task": PKG.TypeTask,
    "incentive": PKG.TypeIncentive,
    "restriction": PKG.TypeRestriction,
    "requirement": PKG.TypeRequirement,
    "target": PKG.TypeTarget,
    "definition": PKG.TypeDefinition,
}
MEASURE_CLASSES = {"incentive": PKG.Incentive, "restriction": PKG.Restriction}
MEASURE_SUBTYPES = {
    "funds": PKG.InstrumentFunds,
    "subsidy": PKG.InstrumentSubsidy,
    "award": PKG.InstrumentAward,
    "tax": PKG.InstrumentTax,
    "land": PKG.InstrumentLand,
    "power_price": PKG.InstrumentPowerPrice,
    "finance": PKG.InstrumentFinance,
    "insurance": PKG.InstrumentInsurance,
    "priority": PKG.InstrumentPriority,
    "other": PKG.InstrumentOther,
    "encouragement": PKG.InstrumentEncouragement,
}

CONDITION_KINDS = {
    "requirement": PKG.ConditionRequirement,
    "target": PKG.ConditionTarget,
    "trigger": PKG.ConditionTrigger,
    "eligibility": PKG.ConditionEligibility,
}
COMPARISONS = ("<=", ">=", "<", ">", "=", "~")

# what an entitlement grants: the incentive instruments, and two only entitlements name
INSTRUMENTS = {**MEASURE_SUBTYPES, "loan_interest": PKG.InstrumentLoanInterest, "fee": PKG.InstrumentFee}
FREQUENCIES = ("one-off", "annual")

CLAUSE_KINDS = {
    "item": PKG.KindItem,
    "paragraph": PKG.KindParagraph,
    "sidebar": PKG.KindSidebar,
    "preamble": PKG.KindPreamble,
    "closing": PKG.KindClosing,
}

AGENCY_KINDS = {
    "government": PKG.AgencyGovernment,
    "party": PKG.AgencyParty,
    "department": PKG.AgencyDepartment,
    "vertical": PKG.AgencyVertical,
    "regulator": PKG.AgencyRegulator,
    "company": PKG.AgencyCompany,
    "zone-authority": PKG.AgencyZoneAuthority,
    "coordination-body": PKG.AgencyCoordinationBody,
    "municipal-generic": PKG.AgencyMunicipalGeneric,
}

PREFIXES = {
    "pkg": str(PKG._NS),
    "eli": str(ELI._NS),
    "oa": str(OA._NS),
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "doc": BASE + "doc/",
    "agency": BASE + "agency/",
    "industry": BASE + "industry/",
    "region": BASE + "region/",
    "source": BASE + "source/",
}
