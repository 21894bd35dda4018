"""Check a built graph: no blank nodes, and the SHACL shapes of ``shapes.ttl``."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from graph.iris import readable
from graph.vocab import PREFIXES

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE / "ontology.ttl"
SHAPES = HERE / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")


@dataclass
class Validation:
    conforms: bool
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"{len(self.violations)} violation(s)"


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def blank_nodes(g: Graph, limit: int = 20) -> list[str]:
    found = []
    for s, p, o in g:
        if isinstance(s, BNode) or isinstance(o, BNode):
            found.append(f"blank node in triple {s.n3()} {p.n3()} {o.n3()}")
            if len(found) >= limit:
                break
    return found


def validate(data: Graph) -> Validation:
    """Blank nodes first (each is a violation), then pyshacl over the data and the ontology.

    The ontology is validated together with the data rather than passed as
    pyshacl's ``ont_graph`` (which copies class axioms only): the code-list
    concepts that ``sh:class skos:Concept`` checks are instances in it.  A
    graph that already holds the ontology is validated in place (no copy)."""
    from pyshacl import validate as shacl_validate

    violations = blank_nodes(data)
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in data:
        combined = data                  # the ontology is in it already (graph.build adds it): no copy
    else:
        combined = Graph()
        for t in data:
            combined.add(t)
        for t in ontology_graph():
            combined.add(t)
    conforms, report, _text = shacl_validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
    )
    if not conforms:
        violations += _describe(report)
    return Validation(conforms=not violations, violations=violations)


def _short(term) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(ns):
                return f"{prefix}:{readable(text[len(ns):])}"
        return f"<{readable(text)}>"
    if term is None:
        return "-"
    return term.n3()


def _describe(report: Graph) -> list[str]:
    """One line per SHACL result: focus node, path, message, value."""
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        parts = [_short(focus)]
        if path is not None and not isinstance(path, BNode):
            parts.append(_short(path))
        line = " ".join(parts) + f": {message}"
        if value is not None and value != focus:
            line += f" (value {_short(value)})"
        if shape is not None and not isinstance(shape, BNode):
            line += f" [{_short(shape)}]"
        if severity is not None and severity != SH.Violation:
            line += f" [{_short(severity)}]"
        lines.append(line)
    return sorted(lines)
