"""The graph's schema files: the ontology (``ontology.ttl``) and the SHACL shapes (``shapes.ttl``), read once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE / "ontology.ttl"
SHAPES = HERE / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES, format="turtle")
