"""The closed vocabularies: misspellings fail, the Python and Turtle definitions agree,
and every code the extractors emit has a concept."""
from __future__ import annotations

import inspect
import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from graph import vocab
from graph.validate import ONTOLOGY, SHAPES
from graph.vocab import ELI, OA, PKG


@pytest.mark.parametrize("namespace, good, misspelt", [
    (PKG, "Target", "Tagret"),
    (PKG, "deadlineYear", "deadline_year"),
    (ELI, "is_part_of", "isPartOf"),
    (OA, "TextPositionSelector", "TextPositionSelecter"),
])
def test_closed_namespace_rejects_a_misspelt_term(namespace, good, misspelt):
    assert isinstance(getattr(namespace, good), URIRef)
    with pytest.raises(AttributeError):
        getattr(namespace, misspelt)
    with pytest.raises(AttributeError):
        namespace[misspelt]


def _pkg_terms() -> set[str]:
    return {name for name in PKG.__annotations__ if not name.startswith("_")}


def test_every_pkg_term_has_a_comment_in_python():
    source = inspect.getsource(vocab.PKG)
    for name in _pkg_terms():
        line = re.search(rf"^\s+{name}: URIRef(.*)$", source, re.M)
        assert line and re.match(r"\s+#\s*\S", line.group(1)), f"PKG.{name} has no comment"


def test_ontology_defines_exactly_the_pkg_terms_each_with_a_comment():
    g = Graph().parse(ONTOLOGY, format="turtle")
    ns = str(PKG._NS)
    defined = {str(s)[len(ns):] for s in set(g.subjects()) if isinstance(s, URIRef) and str(s).startswith(ns)}
    assert defined == _pkg_terms()
    for name in defined:
        assert g.value(URIRef(ns + name), RDFS.comment), f"pkg:{name} has no rdfs:comment in ontology.ttl"


def test_ontology_has_no_blank_nodes_and_shapes_parse():
    g = Graph().parse(ONTOLOGY, format="turtle")
    assert not [t for t in g if any(not isinstance(x, URIRef) and x.__class__.__name__ == "BNode" for x in t)]
    assert len(Graph().parse(SHAPES, format="turtle")) > 100


def test_every_incentive_subtype_the_extractor_emits_has_a_concept():
    measures = pytest.importorskip("ingest.extract.measures")
    emitted = set(measures._INCENTIVE.groupindex) | {"encouragement", "other"}
    assert emitted <= set(vocab.MEASURE_SUBTYPES), f"add to graph.vocab: {emitted - set(vocab.MEASURE_SUBTYPES)}"


def test_every_entitlement_and_condition_kind_the_extractors_emit_has_a_concept():
    entitlements = pytest.importorskip("ingest.extract.entitlements")
    from records import ConditionKind

    emitted = {name for name, _ in entitlements._KINDS} | {"subsidy"}
    assert emitted <= set(vocab.INSTRUMENTS), f"add to graph.vocab.INSTRUMENTS: {emitted - set(vocab.INSTRUMENTS)}"
    assert {k.value for k in ConditionKind} == set(vocab.CONDITION_KINDS)


def test_every_firmness_word_the_extractor_emits_has_a_concept():
    targets = pytest.importorskip("ingest.extract.targets")
    words = set()
    for text in re.findall(r"\(\?P<firm>([^)]*)\)", inspect.getsource(targets)):
        words |= set(text.split("|"))
    words |= {"左右", ""}
    assert words <= set(vocab.FIRMNESS), f"add to graph.vocab.FIRMNESS: {words - set(vocab.FIRMNESS)}"


def test_every_agency_kind_in_the_lexicon_has_a_concept():
    lexicon = pytest.importorskip("ingest.extract.lexicon")
    lex = lexicon.load_agency_lexicon()
    kinds = {e.kind for e in lex.agencies} | {t.kind for t in lex.templates}
    assert kinds <= set(vocab.AGENCY_KINDS), f"add to graph.vocab.AGENCY_KINDS: {kinds - set(vocab.AGENCY_KINDS)}"


def test_code_tables_point_at_concepts_of_the_ontology():
    g = Graph().parse(ONTOLOGY, format="turtle")
    skos_concept = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for table in (vocab.ROLES, vocab.FIRMNESS, vocab.MEASURE_TYPES, vocab.MEASURE_SUBTYPES,
                  vocab.CLAUSE_KINDS, vocab.AGENCY_KINDS, vocab.CONDITION_KINDS, vocab.INSTRUMENTS):
        for code, concept in table.items():
            assert (concept, rdf_type, skos_concept) in g, f"{code!r} → {concept} is not a skos:Concept"
