"""Tables read from the graph: the agency–task matrix, targets, incentives by industry.

Each function takes an open pyoxigraph store and returns plain records
(dicts), in a stable order; :mod:`graph.exports` writes them as CSV or Excel.
The SPARQL lives here, next to the columns it fills.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from graph import iris
from graph.vocab import PREFIXES
from records import Instrument, MeasureType, Role, zh

EXCERPT = 60
MATRIX_COLUMNS = ["agency", "role", "document", "clause_id", "heading", "path", "excerpt"]
TARGET_COLUMNS = ["year", "region", "indicator", "comparator", "value", "unit", "baseline", "firmness",
                  "document", "clause_id", "source_text"]
INCENTIVE_COLUMNS = ["industry", "industry_id", "stance", "instrument", "amount", "match", "document", "clause_id",
                     "heading", "text"]
STANCES = {t: zh(MeasureType, t) for t in (MeasureType.INCENTIVE, MeasureType.RESTRICTION)}   # 支持 / 限制


def _prefixes() -> str:
    return "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"


def select(store, query: str) -> list[dict[str, Any]]:
    """Run a trusted SELECT (ours, not a user's) in-process; plain Python values, None when unbound."""
    result = store.query(_prefixes() + query)
    names = [v.value for v in result.variables]
    return [{n: _value(s[n]) for n in names} for s in result]


def _value(term) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith("#integer") or dt.endswith("#nonNegativeInteger"):
            return int(term.value)
        if dt.endswith("#decimal"):
            return Decimal(term.value)
        return term.value
    return term.value


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _doc_scope(document: str | None, var: str = "?c") -> str:
    """Patterns that bind ``var`` to the clauses of one document (written first, so Oxigraph starts there)."""
    if not document:
        return ""
    return f"<{iris.document(document)}> eli:has_part+ {var} ."


def _position(node: str, name: str) -> str:
    """``node``'s start offset in the source (explicit patterns: faster than a property path in Oxigraph)."""
    return f"{node} prov:wasDerivedFrom {name}_seg . {name}_seg oa:hasSelector {name}_sel . {name}_sel oa:start {name} ."


# -------------------------------------------------------------- the matrix
# Required patterns come before OPTIONALs throughout: Oxigraph joins in the
# order written, and a required pattern after an OPTIONAL is evaluated alone.
def agency_tasks(store, document: str | None = None, first_listed_leads: bool = False) -> list[dict[str, Any]]:
    """One row per (agency, task): who leads, supports, is listed for or acts in which clause, in
    document and text order.

    Roles are as the text marks them.  ``first_listed_leads`` is the reading
    some matrices use for a plain 责任单位 list that marks no lead: the first
    agency listed leads the task and the others support it (off by default:
    it invents leads where the text names none)."""
    found = select(store, f"""
SELECT ?r ?agency ?role ?clause_id ?path ?text ?heading ?cpos ?rpos WHERE {{
  {_doc_scope(document)}
  ?r pkg:task ?c ; pkg:agency ?a ; pkg:role ?role_iri .
  ?role_iri skos:notation ?role .
  ?a skos:prefLabel ?agency .
  ?c dcterms:identifier ?clause_id ; eli:number ?path ; pkg:text ?text .
  {_position("?c", "?cpos")}
  {_position("?r", "?rpos")}
  OPTIONAL {{ ?c dcterms:title ?heading }}
}}""")
    rows: dict[str, dict[str, Any]] = {}
    for r in found:                     # a responsibility read from two places: keep its first
        if r["r"] not in rows or (r["cpos"], r["rpos"]) < (rows[r["r"]]["cpos"], rows[r["r"]]["rpos"]):
            rows[r["r"]] = r
    if first_listed_leads:
        _first_listed_leads(rows.values())
    ordered = sorted(rows.values(), key=lambda r: (r["clause_id"].partition("#")[0], r["cpos"],
                                                   0 if r["role"] == "lead" else 1, r["rpos"], r["agency"]))
    return [{
        "agency": r["agency"], "role": zh(Role, r["role"]), "document": r["clause_id"].partition("#")[0],
        "clause_id": r["clause_id"], "heading": r["heading"] or "", "path": r["path"], "excerpt": excerpt(r["text"]),
    } for r in ordered]


def _first_listed_leads(rows) -> None:
    """In a clause whose agencies are only listed, the first listed leads and the rest support."""
    by_clause: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_clause.setdefault(r["clause_id"], []).append(r)
    for clause_rows in by_clause.values():
        if any(r["role"] in ("lead", "support") for r in clause_rows):
            continue
        listed = sorted((r for r in clause_rows if r["role"] == "listed"), key=lambda r: r["rpos"])
        for k, r in enumerate(listed):
            r["role"] = "lead" if k == 0 else "support"


def document_titles(store) -> dict[str, dict[str, str]]:
    """Corpus documents: id → title, number, region."""
    rows = select(store, """
SELECT ?id ?title ?number ?region WHERE {
  ?doc dcterms:source ?src ; dcterms:identifier ?id ; dcterms:title ?title .
  OPTIONAL { ?doc eli:id_local ?number }
  OPTIONAL { ?doc eli:jurisdiction ?j . ?j skos:prefLabel ?region }
}""")
    return {r["id"]: {"title": r["title"], "number": r["number"] or "", "region": r["region"] or ""} for r in rows}


# ----------------------------------------------------------------- targets
def targets(store, *, year: int | None = None, region: str | None = None, document: str | None = None,
            indicator: str | None = None) -> list[dict[str, Any]]:
    """Every quantified target with its document, clause and source sentence."""
    year_pattern = f"?t pkg:deadlineYear {int(year)} ." if year is not None else ""
    indicator_filter = (f"FILTER(CONTAINS(STR(?indicator), {_string(indicator)}))" if indicator else "")
    indicator_pattern = "?t pkg:indicator ?indicator ." if indicator else "OPTIONAL { ?t pkg:indicator ?indicator }"
    found = select(store, f"""
SELECT ?t ?year ?indicator ?comparator ?value ?unit ?baseline ?firmness ?clause_id ?text ?pos WHERE {{
  {_doc_scope(document)}
  {year_pattern}
  ?t pkg:statedIn ?c ; pkg:value ?value ; pkg:firmness ?f .
  ?f skos:prefLabel ?firmness . FILTER(LANG(?firmness) = "zh")
  ?c dcterms:identifier ?clause_id .
  {_position("?t", "?pos")}
  {indicator_pattern} {indicator_filter}
  OPTIONAL {{ ?t pkg:deadlineYear ?year }}
  OPTIONAL {{ ?t pkg:comparator ?comparator }}
  OPTIONAL {{ ?t pkg:unit ?unit }}
  OPTIONAL {{ ?t pkg:baselineYear ?baseline }}
  OPTIONAL {{ ?t pkg:text ?text }}
}}""")
    docs = document_titles(store)
    rows: dict[str, dict[str, Any]] = {}
    for r in found:
        r["doc_id"] = r["clause_id"].partition("#")[0]
        r["region"] = docs.get(r["doc_id"], {}).get("region", "")
        rows.setdefault(r["t"], r)
    out = list(rows.values())
    if region:
        out = [r for r in out if r["region"] and (region in r["region"] or r["region"].startswith(region))]
    out.sort(key=lambda r: (r["year"] is None, r["year"] or 0, r["doc_id"], r["pos"]))
    return [{
        "year": r["year"], "region": r["region"], "indicator": r["indicator"] or "",
        "comparator": r["comparator"] or "", "value": _number(r["value"]), "unit": r["unit"] or "",
        "baseline": r["baseline"], "firmness": "" if r["firmness"] == "无限定" else r["firmness"],
        "document": r["doc_id"], "clause_id": r["clause_id"], "source_text": r["text"] or "",
    } for r in out]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


# -------------------------------------------------------------- industries
def industry_concepts(store) -> list[dict[str, Any]]:
    """The industry scheme: id, label, synonyms, GB/T 4754 code, broader ids."""
    rows = select(store, f"""
SELECT ?id ?label (GROUP_CONCAT(DISTINCT ?alt; SEPARATOR="|") AS ?alts) ?code
       (GROUP_CONCAT(DISTINCT ?bid; SEPARATOR="|") AS ?broader) WHERE {{
  ?k skos:inScheme <{iris.INDUSTRY_SCHEME}> ; dcterms:identifier ?id ; skos:prefLabel ?label .
  OPTIONAL {{ ?k skos:altLabel ?alt }}
  OPTIONAL {{ ?k skos:notation ?code }}
  OPTIONAL {{ ?k skos:broader/dcterms:identifier ?bid }}
}} GROUP BY ?id ?label ?code ORDER BY ?id""")
    return [{"id": r["id"], "label": r["label"], "alt": [a for a in (r["alts"] or "").split("|") if a],
             "gbt4754": r["code"] or "", "broader": [b for b in (r["broader"] or "").split("|") if b]} for r in rows]


def resolve_industry(store, text: str) -> dict[str, Any] | None:
    """An industry concept by id, preferred label or synonym (exact), else the lexicon's matcher."""
    wanted = (text or "").strip()
    if not wanted:
        return None
    concepts = industry_concepts(store)
    for c in concepts:
        if wanted == c["id"] or wanted == c["label"] or wanted in c["alt"]:
            return c
    try:
        from ingest.extract.lexicon import load_industry_scheme

        found = load_industry_scheme().resolve(wanted)
    except ImportError:
        found = None
    return next((c for c in concepts if c["id"] == found), None) if found else None


def incentives(store, concept_id: str) -> list[dict[str, Any]]:
    """Sentences that support or restrict an industry, one of its narrower industries or a class it belongs to.

    A sentence is attributed to the industries named *in that sentence* — never
    to those named elsewhere in its clause (支持氧化铝企业… is not support for
    电解铝 because the clause also names 电解铝).  ``match`` is ``sentence``
    when the sentence names the industry or a narrower one, ``broader`` when
    it names a class the industry belongs to (a rule on 高耗能行业 applies to
    电解铝, shown as such); plain encouragement of a class (支持制造业发展) is
    left out, as it singles out no member.  The industries a sentence names
    are the measure's own (``pkg:namesIndustry``, read at extraction), so no
    span arithmetic happens here."""
    top = iris.industry(concept_id)
    rows = select(store, f"""
SELECT ?m ?type ?instrument ?clause_id ?heading ?text ?ms ?industry ?industry_id ?broader WHERE {{
  {{ ?k skos:broader* <{top}> BIND(false AS ?broader) }} UNION {{ <{top}> skos:broader+ ?k BIND(true AS ?broader) }}
  ?m pkg:namesIndustry ?k ; pkg:statedIn ?c ; pkg:measureType ?mt .
  VALUES (?mt ?type) {{ (pkg:TypeIncentive "incentive") (pkg:TypeRestriction "restriction") }}
  ?k skos:prefLabel ?industry ; dcterms:identifier ?industry_id .
  ?m prov:wasDerivedFrom ?mseg . ?mseg oa:hasSelector ?msel . ?msel oa:start ?ms .
  ?c dcterms:identifier ?clause_id .
  OPTIONAL {{ ?m pkg:measureSubtype ?sub . ?sub skos:prefLabel ?instrument . FILTER(LANG(?instrument) = "zh") }}
  OPTIONAL {{ ?m pkg:text ?text }}
  OPTIONAL {{ ?c dcterms:title ?heading }}
}}""")
    named_by_measure: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        named_by_measure.setdefault(r["m"], []).append(r)
    merged: dict[str, dict[str, Any]] = {}
    for m, named_rows in named_by_measure.items():
        r = named_rows[0]
        own = [x for x in named_rows if not _true(x.get("broader"))]
        if not own and r["type"] == "incentive" and (r["instrument"] or "") in ("", _ENCOURAGEMENT):
            continue        # 支持制造业发展 singles out no member; a rule or a grant on the class does
        named = {x["industry_id"]: x["industry"] for x in (own or named_rows)}
        merged[m] = {
            "industries": named, "stance": STANCES[r["type"]], "instrument": r["instrument"] or "",
            "document": r["clause_id"].partition("#")[0], "clause_id": r["clause_id"], "heading": r["heading"] or "",
            "text": r["text"] or "", "broader": not own, "order": (r["clause_id"].partition("#")[0], r["ms"]),
        }
    out = []
    for row in sorted(merged.values(), key=lambda r: (r["broader"], r["order"])):
        ids = sorted(row["industries"])
        out.append({
            "industry": "、".join(row["industries"][i] for i in ids), "industry_id": " ".join(ids),
            "stance": row["stance"], "instrument": row["instrument"],
            "match": "broader" if row["broader"] else "sentence",
            "document": row["document"], "clause_id": row["clause_id"], "heading": row["heading"], "text": row["text"],
        })
    return out


_ENCOURAGEMENT = zh(Instrument, Instrument.ENCOURAGEMENT)


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
