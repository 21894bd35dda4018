"""The direct SHACL checker (graph/shacl.py) finds exactly what pyshacl finds.

pyshacl is the reference: on the real corpus graph, on graphs broken one
constraint at a time, and on graphs broken at random, both must report the
same (focus node, path, constraint component, value) results.
"""
from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from graph import iris
from graph.rdf import build_rdf
from graph.shacl import DataIndex, Inverse, UnsupportedShapes, findings, project_shapes, read_shapes
from graph.validate import ontology_graph, shapes_graph, validate
from graph.vocab import PKG
from test_graph_fixtures import DOC_ID, tiny_document

ELI = "http://data.europa.eu/eli/ontology#"
OA = "http://www.w3.org/ns/oa#"


def with_ontology(g: Graph) -> Graph:
    combined = Graph()
    for t in g:
        combined.add(t)
    for t in ontology_graph():
        combined.add(t)
    return combined


def direct_results(g: Graph) -> set[tuple]:
    return {(f.focus, f.path, f.component, f.value) for f in findings(project_shapes(), DataIndex(g))}


def pyshacl_results(g: Graph) -> set[tuple]:
    from pyshacl import validate as shacl_validate

    _conforms, report, _ = shacl_validate(g, shacl_graph=shapes_graph(), inference="none", advanced=False)
    out = set()
    for result in report.objects(None, SH.result):       # top-level results, not their sh:detail
        path = report.value(result, SH.resultPath)
        if path is not None and not isinstance(path, URIRef):
            path = Inverse(report.value(path, SH.inversePath))
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[1]
        out.add((report.value(result, SH.focusNode), path, component.removesuffix("ConstraintComponent"),
                 report.value(result, SH.value)))
    return out


@pytest.fixture(scope="module")
def tiny_graph() -> Graph:
    from graph.build import load_lexicons

    return with_ontology(build_rdf([tiny_document()], *load_lexicons()))


def node(path: str) -> URIRef:
    return URIRef(f"https://w3id.org/policykg/doc/{DOC_ID}/{path}")


def test_the_corpus_graph_conforms_under_both(built_data):
    from graph.build import load_lexicons
    from ingest.files import load_documents

    g = with_ontology(build_rdf(load_documents(built_data), *load_lexicons()))
    assert direct_results(g) == set() == pyshacl_results(g)


def clause_node(g: Graph) -> URIRef:
    return next(s for s in g.subjects(RDF.type, URIRef(ELI + "LegalResourceSubdivision")) if (s, PKG.text, None) in g)


def selector_node(g: Graph) -> URIRef:
    return next(iter(g.subjects(RDF.type, URIRef(OA + "TextPositionSelector"))))


def target_node(g: Graph) -> URIRef:
    return next(iter(g.subjects(RDF.type, PKG.Target)))


# One break per kind of constraint the shapes use.
BREAKS = {
    "min count": lambda g: g.remove((target_node(g), PKG.value, None)),
    "max count": lambda g: g.add((target_node(g), PKG.value, Literal("7", datatype=XSD.decimal))),
    "datatype": lambda g: g.set((target_node(g), PKG.unit, Literal("吨", lang="zh"))),
    "ill-typed literal": lambda g: g.set((target_node(g), PKG.value, Literal("五十", datatype=XSD.decimal))),
    "class": lambda g: g.set((clause_node(g), URIRef(ELI + "is_part_of"), target_node(g))),
    "node kind": lambda g: g.add((clause_node(g), URIRef(ELI + "cites"), Literal("《某文件》"))),
    "in": lambda g: g.set((target_node(g), PKG.firmness, URIRef(str(PKG) + "FirmnessMaybe"))),
    "closed": lambda g: g.add((selector_node(g), RDF.value, Literal("x"))),
    "or (node)": lambda g: g.remove((clause_node(g), PKG.text, None)),
    "or (values)": lambda g: g.set((selector_node(g), URIRef(OA + "start"), Literal("3", datatype=XSD.decimal))),
    "less than": lambda g: g.set((selector_node(g), URIRef(OA + "start"), Literal(10**9, datatype=XSD.nonNegativeInteger))),
    "min inclusive": lambda g: g.set((target_node(g), PKG.deadlineYear, Literal(1800))),
    "unique lang": lambda g: g.add((iris.industry("steel"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
                                    Literal("钢", lang="zh"))),
    "pattern (via sh:node)": lambda g: g.set((iris.industry("steel"), URIRef("http://www.w3.org/2004/02/skos/core#notation"),
                                              Literal("31C", datatype=PKG.GBT4754))),
    "has value": lambda g: g.add((target_node(g), RDF.type, PKG.Incentive)),
    "new target node": lambda g: g.add((URIRef("https://example.org/x"), RDF.type, PKG.Responsibility)),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_break_is_found_alike(tiny_graph, name):
    g = Graph()
    for t in tiny_graph:
        g.add(t)
    BREAKS[name](g)
    expected = pyshacl_results(g)
    assert expected, f"{name}: the break should fail pyshacl"
    assert direct_results(g) == expected


def random_break(g: Graph, rng: random.Random) -> None:
    data = sorted((t for t in g if (t[0], RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) not in g
                   and str(t[0]).startswith("https://w3id.org/policykg/doc/")), key=str)
    s, p, o = rng.choice(data)
    subjects = sorted({t[0] for t in data}, key=str)
    choice = rng.randrange(5)
    if choice == 0:
        g.remove((s, p, o))
    elif choice == 1:
        g.set((s, p, rng.choice([Literal("x"), Literal("x", lang="zh"), Literal(5), Literal("abc", datatype=XSD.integer),
                                 Literal("2024-01-01", datatype=XSD.date), rng.choice(subjects),
                                 URIRef("https://example.org/missing")])))
    elif choice == 2:
        g.add((s, p, rng.choice(subjects)))
    elif choice == 3:
        g.add((s, rng.choice(sorted({t[1] for t in data}, key=str)), rng.choice([Literal("y"), rng.choice(subjects)])))
    else:
        classes = sorted({c for c in g.objects(None, RDF.type) if str(c).startswith(("https://w3id.org/policykg/ontology#", ELI, OA))}, key=str)
        g.add((rng.choice(subjects), RDF.type, rng.choice(classes)))


@pytest.mark.parametrize("seed", range(24))
def test_random_breaks_are_found_alike(tiny_graph, seed):
    rng = random.Random(seed)
    g = Graph()
    for t in tiny_graph:
        g.add(t)
    for _ in range(1 + seed % 4):
        random_break(g, rng)
    assert direct_results(g) == pyshacl_results(g)


def test_validate_gives_the_same_lines_with_either_engine(tiny_graph):
    g = Graph()
    for t in tiny_graph:
        g.add(t)
    BREAKS["min count"](g)
    BREAKS["closed"](g)
    direct, reference = validate(g), validate(g, engine="pyshacl")
    assert not direct.conforms and len(direct.violations) == len(reference.violations) == 2
    assert [v.split(":")[0:2] for v in direct.violations] == [v.split(":")[0:2] for v in reference.violations]


def test_shapes_using_unsupported_shacl_are_refused():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShapes, match="sh:sparql"):
        read_shapes(shapes)


def test_the_reference_checker_names_its_extra_when_pyshacl_is_missing(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(ImportError, match=r"policykg\[shacl\]"):
        validate(with_ontology(Graph()), engine="pyshacl")
