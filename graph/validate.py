"""Check a built graph: no blank nodes, and the SHACL shapes of ``shapes.ttl``."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from graph.iris import readable
from graph.schema import ONTOLOGY, ONTOLOGY_IRI, SHAPES, ontology_graph, shapes_graph  # noqa: F401  (as before)
from graph.vocab import PREFIXES


@dataclass
class Validation:
    conforms: bool
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"{len(self.violations)} violation(s)"


def blank_nodes(g: Graph, limit: int = 20) -> list[str]:
    found = []
    for s, p, o in g:
        if isinstance(s, BNode) or isinstance(o, BNode):
            found.append(f"blank node in triple {s.n3()} {p.n3()} {o.n3()}")
            if len(found) >= limit:
                break
    return found


def validate(data: Graph, engine: str = "direct") -> Validation:
    """Blank nodes first (each is a violation), then the SHACL shapes over the data and the ontology.

    ``engine`` is ``"direct"`` (:mod:`graph.shacl`, the build's checker) or
    ``"pyshacl"`` (the reference implementation, about ten times slower on a part).
    The ontology is validated together with the data rather than passed as
    pyshacl's ``ont_graph`` (which copies class axioms only): the code-list
    concepts that ``sh:class skos:Concept`` checks are instances in it.  A
    graph that already holds the ontology is validated in place (no copy)."""
    violations = blank_nodes(data)
    has_ontology = (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in data
    if engine == "direct":
        from graph.shacl import DataIndex, findings, project_shapes

        index = DataIndex(data if has_ontology else chain(data, ontology_graph()))
        violations += sorted({_finding_line(f) for f in findings(project_shapes(), index)})
    elif engine == "pyshacl":
        violations += _pyshacl(data if has_ontology else _with_ontology(data))
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}: direct or pyshacl")
    return Validation(conforms=not violations, violations=violations)


def _with_ontology(data: Graph) -> Graph:
    combined = Graph()
    for t in chain(data, ontology_graph()):
        combined.add(t)
    return combined


def _pyshacl(combined: Graph) -> list[str]:
    try:
        from pyshacl import validate as shacl_validate
    except ImportError:
        raise ImportError("the pyshacl engine needs pyshacl: pip install 'policykg[shacl]'") from None

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
    return [] if conforms else _describe(report)


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


def _line(focus, path: str | None, message, value, shape, severity=None) -> str:
    """One violation as text: focus node, path, message, value, shape."""
    line = f"{_short(focus)} {path}: {message}" if path else f"{_short(focus)}: {message}"
    if value is not None and value != focus:
        line += f" (value {_short(value)})"
    if shape is not None and not isinstance(shape, BNode):
        line += f" [{_short(shape)}]"
    if severity is not None and severity != SH.Violation:
        line += f" [{_short(severity)}]"
    return line


def _finding_line(f) -> str:
    from graph.shacl import Inverse

    path = f"^{_short(f.path.predicate)}" if isinstance(f.path, Inverse) else (_short(f.path) if f.path else None)
    return _line(f.focus, path, f.message, f.value, f.shape)


def _describe(report: Graph) -> list[str]:
    """One line per pyshacl result (not the sh:detail results nested in one): focus node, path, message, value."""
    lines = []
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        path_text = _short(path) if path is not None and not isinstance(path, BNode) else None
        lines.append(_line(focus, path_text, message, value, shape, severity))
    return sorted(lines)
