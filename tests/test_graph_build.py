"""The graph built from ingest records: its exact shape, IRIs, SHACL, and the build stage."""
from __future__ import annotations

import copy
import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF

from graph import iris
from graph.rdf import GraphDataError, build_rdf
from graph.validate import validate
from graph.vocab import PKG
from test_graph_fixtures import DOC_ID, tiny_document, write_data_folder

# The tiny document's graph, written out by hand (no agency lexicon, no industry scheme given).
EXPECTED = r"""
@prefix pkg:     <https://w3id.org/policykg/ontology#> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix doc:     <https://w3id.org/policykg/doc/> .
@prefix d:       <https://w3id.org/policykg/doc/test-2024-1/> .
@prefix item:    <https://w3id.org/policykg/doc/test-2024-1/%E4%B8%80.1/> .
@prefix src:     <https://w3id.org/policykg/source/test-2024-1/> .
@prefix agency:  <https://w3id.org/policykg/agency/> .
@prefix industry: <https://w3id.org/policykg/industry/> .

# 山西省能源局 = %E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80
# 山西省工业和信息化厅 = %E5%B1%B1%E8%A5%BF%E7%9C%81%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%8E%85
# 一 = %E4%B8%80 ; 山西省 = %E5%B1%B1%E8%A5%BF%E7%9C%81

doc:test-2024-1 a eli:LegalResource ;
    dcterms:identifier "test-2024-1" ;
    dcterms:title "山西省能源局关于印发测试工作方案的通知"@zh ;
    eli:id_local "晋能源测〔2024〕1号" ;
    eli:date_document "2024-07-08"^^xsd:date ;
    eli:date_publication "2024-07-09"^^xsd:date ;
    eli:in_force eli:InForce-inForce ;
    eli:jurisdiction <https://w3id.org/policykg/region/%E5%B1%B1%E8%A5%BF%E7%9C%81> ;
    eli:passed_by agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80 ;
    dcterms:subject "电力"@zh ;
    dcterms:source <https://w3id.org/policykg/source/test-2024-1> ;
    eli:has_part d:p1 , d:%E4%B8%80 ;
    eli:cites doc:sxstdfssfa .

<https://w3id.org/policykg/source/test-2024-1> a prov:Entity ;
    dcterms:format "text/plain" ;
    rdfs:label "test.txt" ;
    dcterms:identifier "sha256:0000000000000000000000000000000000000000000000000000000000000000" .

<https://w3id.org/policykg/extraction/test-2024-1> a prov:Activity ;
    prov:used <https://w3id.org/policykg/source/test-2024-1> ;
    prov:wasAssociatedWith <https://w3id.org/policykg/software/policykg> .

<https://w3id.org/policykg/software/policykg> a prov:SoftwareAgent ; rdfs:label "policykg" .

d:p1 a eli:LegalResourceSubdivision ;
    dcterms:identifier "test-2024-1#p1" ;
    eli:number "p1" ;
    eli:type_subdivision pkg:KindPreamble ;
    eli:is_part_of doc:test-2024-1 ;
    pkg:text "依据《山西省碳达峰实施方案》，制定本方案。"@zh ;
    prov:wasDerivedFrom src:33-54 ;
    prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> ;
    eli:cites doc:sxstdfssfa .

d:%E4%B8%80 a eli:LegalResourceSubdivision ;
    dcterms:identifier "test-2024-1#一" ;
    eli:number "一" ;
    eli:type_subdivision pkg:KindSection ;
    dcterms:title "重点任务"@zh ;
    eli:is_part_of doc:test-2024-1 ;
    eli:has_part d:%E4%B8%80.1 .

d:%E4%B8%80.1 a eli:LegalResourceSubdivision ;
    dcterms:identifier "test-2024-1#一.1" ;
    eli:number "一.1" ;
    eli:type_subdivision pkg:KindItem ;
    dcterms:title "发展绿电"@zh ;
    eli:is_part_of d:%E4%B8%80 ;
    pkg:text "1.发展绿电。到2030年，绿电占比达到50%。对钢铁行业给予资金支持。（省能源局、省工信厅）"@zh ;
    prov:wasDerivedFrom src:62-109 ;
    prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> ;
    eli:responsibility_of_agent agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80 ,
        agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%8E%85 ;
    eli:is_about industry:steel .

item:responsibility\/%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80 a pkg:Responsibility ;
    pkg:task d:%E4%B8%80.1 ;
    pkg:agency agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80 ;
    pkg:role pkg:RoleLead ;
    pkg:asWritten "省能源局"@zh ;
    prov:wasDerivedFrom src:99-103 ;
    prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:responsibility\/%E5%B1%B1%E8%A5%BF%E7%9C%81%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%8E%85 a pkg:Responsibility ;
    pkg:task d:%E4%B8%80.1 ;
    pkg:agency agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%8E%85 ;
    pkg:role pkg:RoleSupport ;
    pkg:asWritten "省工信厅"@zh ;
    prov:wasDerivedFrom src:104-108 ;
    prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:target\/1 a pkg:Target ;
    pkg:statedIn d:%E4%B8%80.1 ;
    pkg:indicator "绿电占比"@zh ;
    pkg:comparator "达到" ;
    pkg:value 50.0 ;
    pkg:unit "%" ;
    pkg:deadlineYear 2030 ;
    pkg:firmness pkg:FirmnessPlain ;
    pkg:text "到2030年，绿电占比达到50%"@zh ;
    prov:wasDerivedFrom src:69-85 ;
    prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:measure\/1 a pkg:Measure ;
    pkg:statedIn d:%E4%B8%80.1 ; pkg:measureType pkg:TypeTask ; pkg:text "1.发展绿电。"@zh ;
    prov:wasDerivedFrom src:62-69 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:measure\/2 a pkg:Measure ;
    pkg:statedIn d:%E4%B8%80.1 ; pkg:measureType pkg:TypeTarget ; pkg:text "到2030年，绿电占比达到50%。"@zh ;
    pkg:hasCondition item:condition\/1 ;
    prov:wasDerivedFrom src:69-86 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:condition\/1 a pkg:Condition ;
    pkg:statedIn d:%E4%B8%80.1 ; pkg:conditionKind pkg:ConditionTarget ;
    pkg:measuredQuantity "绿电占比"@zh ; pkg:comparison ">=" ; pkg:comparatorText "达到" ;
    pkg:value 50.0 ; pkg:unit "%" ; pkg:canonicalValue 50.0 ; pkg:canonicalUnit "%" ; pkg:deadlineYear 2030 ;
    pkg:text "绿电占比达到50%"@zh ;
    prov:wasDerivedFrom src:76-85 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:measure\/3 a pkg:Measure , pkg:Incentive ;
    pkg:statedIn d:%E4%B8%80.1 ; pkg:measureType pkg:TypeIncentive ; pkg:measureSubtype pkg:InstrumentFunds ;
    pkg:text "对钢铁行业给予资金支持。"@zh ;
    prov:wasDerivedFrom src:86-98 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

item:industry\/steel a pkg:IndustryMention ;
    pkg:statedIn d:%E4%B8%80.1 ; pkg:industry industry:steel ; pkg:asWritten "钢铁行业"@zh ;
    prov:wasDerivedFrom src:87-91 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

d:p1\/citation\/1 a pkg:Citation ;
    pkg:statedIn d:p1 ; pkg:citedTitle "山西省碳达峰实施方案"@zh ; pkg:citedResource doc:sxstdfssfa ;
    prov:wasDerivedFrom src:35-47 ; prov:wasGeneratedBy <https://w3id.org/policykg/extraction/test-2024-1> .

doc:sxstdfssfa a eli:LegalResource ;
    dcterms:identifier "sxstdfssfa" ;
    dcterms:title "山西省碳达峰实施方案"@zh .

agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80 a org:Organization ;
    skos:prefLabel "山西省能源局"@zh ; org:classification pkg:AgencyUnlisted .
agency:%E5%B1%B1%E8%A5%BF%E7%9C%81%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%8E%85 a org:Organization ;
    skos:prefLabel "山西省工业和信息化厅"@zh ; org:classification pkg:AgencyUnlisted .

<https://w3id.org/policykg/industry> a skos:ConceptScheme ;
    skos:prefLabel "产业分类"@zh , "Industry scheme"@en ;
    skos:hasTopConcept industry:steel .
industry:steel a skos:Concept ;
    skos:inScheme <https://w3id.org/policykg/industry> ; skos:topConceptOf <https://w3id.org/policykg/industry> ;
    skos:prefLabel "钢铁"@zh ; dcterms:identifier "steel" .

<https://w3id.org/policykg/region> a skos:ConceptScheme ; skos:prefLabel "行政区域"@zh , "Regions"@en .
<https://w3id.org/policykg/region/%E5%B1%B1%E8%A5%BF%E7%9C%81> a skos:Concept , dcterms:Location ;
    skos:inScheme <https://w3id.org/policykg/region> ; skos:prefLabel "山西省"@zh .
"""

SEGMENTS = [(33, 54), (35, 47), (62, 109), (62, 69), (69, 85), (69, 86), (76, 85), (86, 98), (87, 91), (99, 103),
            (104, 108)]


def expected_graph() -> Graph:
    g = Graph().parse(data=EXPECTED, format="turtle")
    src = "https://w3id.org/policykg/source/test-2024-1"
    xsd_nni = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    oa = "http://www.w3.org/ns/oa#"
    for start, end in SEGMENTS:      # the same five triples for every segment of the source
        seg, sel = URIRef(f"{src}/{start}-{end}"), URIRef(f"{src}/{start}-{end}/selector")
        g.add((seg, RDF.type, URIRef(oa + "SpecificResource")))
        g.add((seg, URIRef(oa + "hasSource"), URIRef(src)))
        g.add((seg, URIRef(oa + "hasSelector"), sel))
        g.add((sel, RDF.type, URIRef(oa + "TextPositionSelector")))
        g.add((sel, URIRef(oa + "start"), Literal(str(start), datatype=xsd_nni)))
        g.add((sel, URIRef(oa + "end"), Literal(str(end), datatype=xsd_nni)))
    return g


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Like rdflib's GraphHelper.assert_isomorphic: on failure, print the triples only one side has."""
    if isomorphic(expected, actual):
        return
    _both, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["graphs differ", "only in expected:"]
    lines += sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_expected)
    lines.append("only in actual:")
    lines += sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_actual)
    pytest.fail("\n".join(lines))


# ----------------------------------------------------------------- shape
def test_tiny_document_gives_exactly_the_hand_written_graph():
    assert_isomorphic(expected_graph(), build_rdf([tiny_document()]))


def test_graph_has_no_blank_nodes_and_passes_shacl():
    g = build_rdf([tiny_document()])
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]
    result = validate(g)
    assert result.conforms, "\n".join(result.violations)


def test_graph_with_lexicon_and_scheme_passes_shacl():
    from graph.build import load_lexicons

    agencies, industries = load_lexicons()
    g = build_rdf([tiny_document()], agencies, industries)
    result = validate(g)
    assert result.conforms, "\n".join(result.violations)
    lead = iris.agency("山西省能源局")
    assert (lead, URIRef("http://www.w3.org/ns/org#subOrganizationOf"), iris.agency("山西省人民政府")) in g
    assert (lead, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("省能源局", lang="zh")) in g
    steel = iris.industry("steel")
    assert (steel, URIRef("http://www.w3.org/2004/02/skos/core#notation"), Literal("C31", datatype=PKG.GBT4754)) in g
    assert (steel, URIRef("http://www.w3.org/2004/02/skos/core#broader"), iris.industry("energy-intensive")) in g


def test_rebuilding_gives_the_same_iris_and_triples():
    first, second = build_rdf([tiny_document()]), build_rdf([copy.deepcopy(tiny_document())])
    assert set(first) == set(second)       # no blank nodes, so plain set equality


@pytest.mark.parametrize("clause_id, iri", [
    ("jnygf-2024-195#一.3", "https://w3id.org/policykg/doc/jnygf-2024-195/%E4%B8%80.3"),
    ("sxsgylytdfssfa#二.(五).4", "https://w3id.org/policykg/doc/sxsgylytdfssfa/%E4%BA%8C.%28%E4%BA%94%29.4"),
    ("gxtdldzlfzssfa#附件1.p1", "https://w3id.org/policykg/doc/gxtdldzlfzssfa/%E9%99%84%E4%BB%B61.p1"),
])
def test_clause_iris_are_percent_encoded_and_reversible(clause_id, iri):
    assert str(iris.clause(clause_id)) == iri
    assert str(iris.clause(clause_id)).isascii()
    assert iris.clause_id_of(iri) == clause_id


# ------------------------------------------------------------ violations
def test_broken_graph_fails_shacl_with_the_violation_listed():
    g = build_rdf([tiny_document()])
    lead = URIRef("https://w3id.org/policykg/doc/test-2024-1/%E4%B8%80.1/responsibility/"
                  "%E5%B1%B1%E8%A5%BF%E7%9C%81%E8%83%BD%E6%BA%90%E5%B1%80")
    g.remove((lead, PKG.role, None))                                  # a responsibility without a role
    target = URIRef("https://w3id.org/policykg/doc/test-2024-1/%E4%B8%80.1/target/1")
    g.add((target, PKG.value, Literal("五十")))                        # a second value, not a decimal
    result = validate(g)
    assert not result.conforms
    text = "\n".join(result.violations)
    assert re.search(r"responsibility/山西省能源局 pkg:role: Less than 1 values", text), text
    assert re.search(r"target/1 pkg:value: .*(More than 1 values|not of datatype|Datatype)", text), text


def test_blank_nodes_are_violations():
    g = build_rdf([tiny_document()])
    g.add((BNode(), RDF.type, PKG.Target))
    result = validate(g)
    assert not result.conforms
    assert any("blank node" in v for v in result.violations)


@pytest.mark.parametrize("field, value, table", [
    ("role", "boss", "ROLES"),
    ("firmness", "大概", "FIRMNESS"),
    ("type", "wish", "MEASURE_TYPES"),
    ("kind", "footnote", "CLAUSE_KINDS"),
])
def test_unknown_extractor_code_is_refused_naming_the_table(field, value, table):
    doc = tiny_document()
    clause = doc["clauses"][1]
    target = {"role": clause["agencies"][0], "firmness": clause["targets"][0],
              "type": clause["measures"][0], "kind": clause}[field]
    target[field] = value
    with pytest.raises(GraphDataError, match=table):
        build_rdf([doc])


# ----------------------------------------------------------- build stage (more in test_graph_stage.py)
def test_unknown_code_fails_the_build_with_a_clear_message(tmp_path):
    from app.build import BuildError
    from graph.build import build_graph

    doc = tiny_document()
    doc["clauses"][1]["measures"][2]["subtype"] = "lottery"
    folder = write_data_folder(tmp_path / "data", [doc])
    with pytest.raises(BuildError, match="measure subtype 'lottery' is not in graph.vocab.MEASURE_SUBTYPES"):
        build_graph(folder)


def test_document_id_from_the_fixture_is_used():
    g = build_rdf([tiny_document()])
    assert (iris.document(DOC_ID), RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource")) in g
