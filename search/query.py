"""Query understanding: what a question names, read with the graph's vocabularies.

From a free-text query this finds

* agencies, with every way the lexicon writes them: 省统计局 is the 统计局
  of any province-level 省 (山西省统计局, 河北省统计局, …), 自治区能源局 that
  of any 自治区, 山西省发改委 exactly 山西省发展和改革委员会; a region named
  elsewhere in the query narrows the choice.  Words like 负责 / 职责 / 牵头 ask
  for the lead agency rather than any participant;
* industries of the industry scheme, with their narrower concepts (the graph
  signal) and their synonyms (query expansion): CCUS ↔ 二氧化碳捕集利用与封存;
* synonym groups of ``search/data/synonyms.toml`` (query expansion);
* regions, years and document numbers (graph signals), and places down to
  counties from the table of China's places (``ingest/regions.py``: 温岭, 平湖).

Everything here is derived from the shipped vocabularies; nothing is tuned to
particular questions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

EXPANSION_WEIGHT = 0.5     # a synonym's weight relative to a word the user typed
LEAD_WORDS = ("负责", "职责", "牵头", "主管", "主责", "主导", "责任单位")
_BARE_ALIAS_KINDS = {"department", "vertical"}   # bare 统计局 may mean any province's
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.%万亿千百十吨瓦座个])")
_CONTENT = re.compile(r"[\w]")
_DOCNO = re.compile(r"([\u4e00-\u9fff]{0,12})[〔\[［【（(]((?:19|20)\d\d)[〕\]］】）)](\d{1,5})号")


@dataclass(frozen=True)
class AgencyRef:
    as_written: str
    names: frozenset[str]      # canonical names it can stand for
    start: int = 0             # where the query names it (normalised text)
    end: int = 0


@dataclass(frozen=True)
class IndustryRef:
    as_written: str
    id: str
    label: str
    closure: tuple[str, ...]   # the concept and all narrower ones
    synonyms: tuple[str, ...]


@dataclass
class QueryAnalysis:
    query: str
    text: str                                   # normalised, lower case
    text_cased: str                             # normalised, case kept
    tokens: list[str]
    typed_weights: dict[str, float]             # the user's own tokens (what lexical-only searches)
    weights: dict[str, float]                   # … with the expansions added
    expansions: dict[str, list[str]] = field(default_factory=dict)   # typed term → alternatives
    agencies: list[AgencyRef] = field(default_factory=list)
    lead_only: bool = False
    industries: list[IndustryRef] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)   # full paths of the places named, down to counties (浙江省台州市温岭市)
    years: list[int] = field(default_factory=list)
    doc_numbers: list[tuple[str, str]] = field(default_factory=list)  # (prefix, "〔2024〕195号")
    doc_titles: list[int] = field(default_factory=list)               # documents the query names by title
    document_named: float = 0.0    # share of the query that is a document's title or number
    coverage: float = 0.0     # share of the query that names agencies or industries
    vector: object = None     # the query's dense vector once encoded (the engine sets it)


class AgencyMatcher:
    """Leftmost-longest agency names in free text, each with its possible canonical names."""

    def __init__(self, lexicon) -> None:
        from ingest.extract.matching import Trie

        keys: dict[str, set[str]] = {}

        def add(key: str, names) -> None:
            if len(key) >= 2:
                keys.setdefault(key, set()).update(names)

        for e in lexicon.agencies:
            for key in (e.name, *e.aliases):
                add(key, {e.name})
        self.region_of: dict[str, str] = {}
        for t in lexicon.templates:
            by_level: dict[str, set[str]] = {}
            every = set()
            for r in lexicon.regions:
                inst = t.instance(r)
                self.region_of[inst.name] = r.name
                every.add(inst.name)
                by_level.setdefault(r.level, set()).add(inst.name)
                add(inst.name, {inst.name})
                for a in t.aliases:
                    add(r.name + a, {inst.name})
                    add(r.short + a, {inst.name})
                for a in t.literal:
                    add(a.replace("{region}", r.name).replace("{short}", r.short), {inst.name})
            for level, names in by_level.items():
                for a in t.aliases:
                    add(level + a, names)
            if t.kind in _BARE_ALIAS_KINDS:
                for a in t.aliases:
                    if len(a) >= 3:
                        add(a, every)
        for e in lexicon.agencies:
            if e.region and e.region != "全国":
                self.region_of[e.name] = e.region
        self.trie = Trie((k, frozenset(v)) for k, v in keys.items())

    def find(self, text: str, regions: list[str]) -> list[AgencyRef]:
        out = []
        for start, end, names in self.trie.find_all(text):
            if regions:
                narrowed = frozenset(n for n in names if self.region_of.get(n) in regions)
                names = narrowed or names
            out.append(AgencyRef(text[start:end], names, start, end))
        return out


class QueryAnalyzer:
    def __init__(self, tokenizer, lexicon=None, scheme=None, synonyms=None, documents: list[dict] | None = None):
        from ingest.extract.matching import Trie
        from search import resources

        self.tokenizer = tokenizer
        self.lexicon = lexicon if lexicon is not None else resources.agency_lexicon()
        self.scheme = scheme if scheme is not None else resources.industry_scheme()
        self.synonyms = synonyms if synonyms is not None else resources.synonyms()
        self.agencies = _agency_matcher(self.lexicon) if lexicon is None else AgencyMatcher(self.lexicon)
        self.region_trie = Trie((k, r.name) for r in self.lexicon.regions for k in (r.name, r.short))
        self.synonym_trie = Trie((t, t) for g in self.synonyms.groups for t in g)
        self.documents = documents or []
        # (document index, prefix, "〔2024〕195号") of every document number, folded once.
        self._numbers = [(i, m[1], f"〔{m[2]}〕{m[3]}号") for i, d in enumerate(self.documents)
                         for m in _DOCNO.finditer(self.tokenizer.normalize(d.get("number") or ""))]
        self._labels: dict[str, tuple[str, ...]] = {}
        self._titles = [(i, _title_key(self.tokenizer.normalize(d.get("title") or "")))
                        for i, d in enumerate(self.documents)]

    def analyze(self, query: str) -> QueryAnalysis:
        cased = self.tokenizer.normalize(query, lower=False)   # the lexicons are case-sensitive (CCUS)
        text = cased.lower()
        tokens, typed = self.tokenizer.query_tokens(text, normalized=True)
        a = QueryAnalysis(query=query, text=text, text_cased=cased, tokens=tokens, typed_weights=typed,
                          weights=dict(typed))
        agencies = self.agencies.find(cased, [])
        inside = lambda s, e: any(r.start <= s and e <= r.end for r in agencies)  # noqa: E731
        # A region inside an agency's name (山西省统计局) qualifies the agency, not the topic.
        a.regions = list(dict.fromkeys(r for s, e, r in self.region_trie.find_all(cased) if not inside(s, e)))
        a.agencies = self.agencies.find(cased, a.regions) if a.regions else agencies
        a.places = self.places(cased)
        a.lead_only = bool(a.agencies) and any(w in text for w in LEAD_WORDS)
        spans = [(r.start, r.end) for r in a.agencies]
        for m in self.scheme.match(cased):
            spans.append((m.start, m.end))
            a.industries.append(IndustryRef(
                m.as_written, m.id, m.label, tuple(self.scheme.narrower_closure(m.id)),
                tuple(s for s in self._concept_labels(m.id) if s != m.as_written.lower()),
            ))
        for _, _, term in self.synonym_trie.find_all(text):
            alts = self.synonyms.alternatives(term)
            if alts:
                a.expansions[term] = alts
        for ind in a.industries:
            if ind.synonyms:
                alts = a.expansions.setdefault(ind.as_written.lower(), [])
                alts += [s for s in ind.synonyms if s not in alts]
        for alts in a.expansions.values():
            for alt in alts:
                if alt not in a.weights:
                    a.weights[alt] = EXPANSION_WEIGHT
        a.coverage = self._coverage(text, spans)
        docnos = list(_DOCNO.finditer(text))
        a.doc_numbers = [(m[1], f"〔{m[2]}〕{m[3]}号") for m in docnos]
        a.doc_titles = self.documents_titled(text)
        # How much of the query is a document's number or title: a query that is mostly
        # one is a request for that document (the engine then puts it first).
        named = sum(len(m[0]) for m in docnos) if docnos and self.documents_numbered(a.doc_numbers) else 0
        q = _title_key(text)
        if a.doc_titles and q:
            named = max(named, max(min(len(q), len(t)) for i, t in self._titles if i in set(a.doc_titles)))
        a.document_named = min(1.0, named / max(len(q), 1))
        masked = _DOCNO.sub(" ", text)
        a.years = sorted({int(y) for y in _YEAR.findall(masked)})
        return a

    def places(self, text: str) -> list[str]:
        """The full paths of the places ``text`` names (provinces, prefectures, counties, and their
        short names: 温岭 → 浙江省台州市温岭市), innermost only (浙江省台州市 → 台州市's path).

        Names are read as whole words of the segmentation, so 隧道外侧 does not name 道外区; a name
        several places share is read inside a place named before it (宁波江北区), else as the one
        province among them (海南), else not at all.  A county's short name that is also a common
        word (资源, 合作, 互助) is read only inside a place named before it (青海互助)."""
        from ingest.regions import default_table

        table = default_table()
        found: list = []
        for word in self.tokenizer.words(text):
            if len(word) < 2:
                continue
            candidates = table.lookup(word)
            if candidates and table.is_short_name(word) and self.tokenizer.is_common_word(word):
                candidates = [r for r in candidates if r.level != "county" or any(table.contains(p, r) for p in found)]
            if len(candidates) > 1:
                inside = [r for r in candidates if any(table.contains(p, r) for p in found)]
                candidates = inside or [r for r in candidates if not r.parent]
            if len(candidates) == 1:
                found.append(candidates[0])
        paths = list(dict.fromkeys(r.path for r in found))
        return [p for p in paths if not any(o != p and o.startswith(p) for o in paths)]

    def _coverage(self, text: str, spans: list[tuple[int, int]]) -> float:
        """Share of the query's content characters (stop words left out) inside agency or industry names."""
        content = sum(len(w) for w in self.tokenizer.words(text)
                      if w not in self.tokenizer.stopwords and _CONTENT.search(w))
        covered = set()
        for s, e in spans:
            covered.update(range(s, e))
        return min(1.0, len(covered) / content) if content else 0.0

    def _concept_labels(self, concept_id: str) -> tuple[str, ...]:
        """A concept's labels and synonyms, folded like queries (cached)."""
        if concept_id not in self._labels:
            labels = (self.tokenizer.normalize(x) for x in self.scheme.get(concept_id).labels)
            self._labels[concept_id] = tuple(dict.fromkeys(labels))
        return self._labels[concept_id]

    def documents_titled(self, text: str) -> list[int]:
        """Indexes of the documents the query names by title: the query (without 《》 and
        punctuation) is part of a title, or a title (without the promulgation dates some
        readers leave glued to it) is part of the query; titles under :data:`MIN_TITLE` characters never match."""
        q = _title_key(text)
        if len(q) < MIN_TITLE:
            return []
        return [i for i, t in self._titles if len(t) >= MIN_TITLE and (q in t or t in q)]

    def documents_numbered(self, doc_numbers: list[tuple[str, str]]) -> list[int]:
        """Indexes of the documents whose number matches one written in the query
        (the serial must match; a prefix, when written, must agree with the document's)."""
        return sorted({i for i, prefix, core in self._numbers for p, c in doc_numbers
                       if core == c and (not p or prefix.endswith(p) or p.endswith(prefix))})


MIN_TITLE = 6                   # characters: shorter strings name too many things to pick a document
_TITLE_TAIL = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日.*$")   # 2000年2月3日国务院令第280号发布…
_NOT_TITLE_CHAR = re.compile(r"[\W_]")


def _title_key(title: str) -> str:
    return _NOT_TITLE_CHAR.sub("", _TITLE_TAIL.sub("", title))


@lru_cache(maxsize=2)
def _agency_matcher(lexicon) -> AgencyMatcher:
    return AgencyMatcher(lexicon)
