"""A direct checker for the SHACL Core shapes of ``shapes.ttl``: the build's validator.

pyshacl is general and exact, but it costs about 11 ms of CPU per clause,
which made SHACL the slowest part of a large build.  The shapes use a small
part of SHACL Core, so this module reads the shapes graph once into plain
objects (:class:`Shape`), indexes a data graph once (:class:`DataIndex`:
types with their superclasses, outgoing and incoming edges), and checks each
target node with dictionary lookups.

Only the constraint components in :data:`SUPPORTED` are understood, and a
shapes graph that uses any other SHACL term is refused when it is read, so
a shape added later cannot be skipped silently.  The tests check that the
findings equal pyshacl's (focus node, path, component, value) on the corpus
graph and on graphs broken in every way the shapes guard against.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

# The SHACL terms this checker understands; any other sh: term in a shapes graph is refused.
SUPPORTED = frozenset(SH[t] for t in (
    "NodeShape", "PropertyShape", "targetClass", "targetSubjectsOf", "targetNode", "property", "path",
    "inversePath", "nodeKind", "IRI", "Literal", "BlankNode", "class", "datatype", "minCount", "maxCount",
    "in", "hasValue", "closed", "ignoredProperties", "or", "and", "node", "minInclusive", "maxInclusive",
    "lessThan", "pattern", "flags", "uniqueLang", "message", "name", "description",
))

_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf


class UnsupportedShapes(ValueError):
    """The shapes graph uses SHACL this checker does not implement."""


@dataclass(frozen=True)
class Inverse:
    """``[ sh:inversePath p ]``."""
    predicate: URIRef


@dataclass(frozen=True)
class Finding:
    """One validation result, in the terms of a SHACL report."""
    focus: Node
    path: URIRef | Inverse | None
    component: str          # the constraint component's local name: MinCount, Datatype, Or …
    value: Node | None
    shape: Node
    message: str


@dataclass
class Shape:
    node: Node
    path: URIRef | Inverse | None = None            # None: a node shape (its value is the focus node)
    targets: list[tuple[URIRef, Node]] = field(default_factory=list)
    constraints: list[Callable[[DataIndex, Shape, Node, list[Node]], Iterator[Finding]]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    closed_to: frozenset[URIRef] | None = None      # sh:closed: the predicates allowed


# ------------------------------------------------------------------ data
class DataIndex:
    """A data graph indexed for checking: outgoing and incoming edges, and types."""

    def __init__(self, graph: Iterable[tuple[Node, Node, Node]]):
        self.out: dict[Node, dict[URIRef, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[URIRef, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph:
            self.out[s][p].append(o)
            self.into[p][o].append(s)
        self.typed = self.into.get(_TYPE, {})      # class → its direct instances
        self._supers: dict[Node, frozenset[Node]] = {}

    def values(self, node: Node, path: URIRef | Inverse) -> list[Node]:
        if isinstance(path, Inverse):
            found = self.into.get(path.predicate, {}).get(node, [])
        else:
            found = self.out.get(node, {}).get(path, [])
        return list(dict.fromkeys(found))

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and every class it is an rdfs:subClassOf, transitively, in the data graph."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.out.get(todo.pop(), {}).get(_SUBCLASS_OF, []):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._supers[cls] = frozenset(seen)
        return self._supers[cls]

    def has_class(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.out.get(node, {}).get(_TYPE, []))

    def focus_nodes(self, shape: Shape) -> Iterator[Node]:
        seen: set[Node] = set()
        for kind, target in shape.targets:
            if kind == SH.targetNode:
                found: Iterable[Node] = [target]
            elif kind == SH.targetSubjectsOf:
                found = self.into.get(target, {}).values()
                found = (s for subjects in found for s in subjects)
            else:                                                   # sh:targetClass, subclasses included
                found = (s for cls, instances in self.typed.items() if target in self.superclasses(cls)
                         for s in instances)
            for node in found:
                if node not in seen:
                    seen.add(node)
                    yield node


# ------------------------------------------------------------ checking
def findings(shapes: list[Shape], data: DataIndex) -> Iterator[Finding]:
    """Every validation result of ``data`` against ``shapes`` (the shapes with targets)."""
    for shape in shapes:
        for focus in data.focus_nodes(shape):
            yield from check(shape, focus, data)


def check(shape: Shape, focus: Node, data: DataIndex) -> Iterator[Finding]:
    values = [focus] if shape.path is None else data.values(focus, shape.path)
    for constraint in shape.constraints:
        yield from constraint(data, shape, focus, values)
    for prop in shape.properties:
        yield from check(prop, focus, data)
    if shape.closed_to is not None:
        for predicate, objects in data.out.get(focus, {}).items():
            if predicate not in shape.closed_to:
                for value in dict.fromkeys(objects):
                    yield Finding(focus, predicate, "Closed", value, shape.node,
                                  "Node has a predicate its closed shape does not allow")


def conforms(shape: Shape, node: Node, data: DataIndex) -> bool:
    return next(check(shape, node, data), None) is None


# ------------------------------------------------------- constraints
def _each_value(component: str, test: Callable[[DataIndex, Node], bool], message: str):
    """A constraint met or failed by each value node on its own."""
    def constraint(data: DataIndex, shape: Shape, focus: Node, values: list[Node]) -> Iterator[Finding]:
        for value in values:
            if not test(data, value):
                yield Finding(focus, shape.path, component, value, shape.node, message)
    return constraint


def _count(component: str, bound: int):
    def constraint(data: DataIndex, shape: Shape, focus: Node, values: list[Node]) -> Iterator[Finding]:
        if (len(values) < bound) if component == "MinCount" else (len(values) > bound):
            word = "Less" if component == "MinCount" else "More"
            yield Finding(focus, shape.path, component, None, shape.node, f"{word} than {bound} values")
    return constraint


def _has_value(expected: Node):
    def constraint(data: DataIndex, shape: Shape, focus: Node, values: list[Node]) -> Iterator[Finding]:
        if expected not in values:
            yield Finding(focus, shape.path, "HasValue", None, shape.node, f"Missing expected value {expected.n3()}")
    return constraint


def _unique_lang(data: DataIndex, shape: Shape, focus: Node, values: list[Node]) -> Iterator[Finding]:
    langs: dict[str, int] = defaultdict(int)
    for value in values:
        if isinstance(value, Literal) and value.language:
            langs[value.language.lower()] += 1
    for lang, n in sorted(langs.items()):
        if n > 1:
            yield Finding(focus, shape.path, "UniqueLang", None, shape.node, f"More than one value has language tag {lang}")


def _less_than(other: URIRef):
    def constraint(data: DataIndex, shape: Shape, focus: Node, values: list[Node]) -> Iterator[Finding]:
        bounds = data.values(focus, other)
        for value in values:
            if not all(_compare(value, bound) == -1 for bound in bounds):
                yield Finding(focus, shape.path, "LessThan", value, shape.node,
                              f"Value is not less than the value of {other.n3()}")
    return constraint


def _node_kind(kind: Node) -> Callable[[DataIndex, Node], bool]:
    types = {SH.IRI: URIRef, SH.Literal: Literal, SH.BlankNode: BNode}
    if kind not in types:
        raise UnsupportedShapes(f"sh:nodeKind {kind.n3()}")
    return lambda _data, value: isinstance(value, types[kind])


def _has_datatype(datatype: Node) -> Callable[[DataIndex, Node], bool]:
    def test(_data: DataIndex, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        if datatype == RDF.langString:
            return bool(value.language)
        if value.language:
            return False
        return (value.datatype or XSD.string) == datatype and not value.ill_typed
    return test


def _compare(a: Node, b: Node) -> int | None:
    """-1, 0 or 1 for two comparable literals; None when they cannot be compared."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)) or a.ill_typed or b.ill_typed:
        return None
    x, y = a.toPython(), b.toPython()
    if isinstance(x, Literal) or isinstance(y, Literal) or isinstance(x, str) != isinstance(y, str):
        return None
    try:
        return (x > y) - (x < y)
    except TypeError:
        return None


def _pattern(regex: str, flags: str):
    compiled = re.compile(regex, re.IGNORECASE if "i" in flags else 0)
    return lambda _data, value: not isinstance(value, BNode) and compiled.search(str(value)) is not None


# ------------------------------------------------------------ reading
class _Reader:
    """Turns the shapes graph into :class:`Shape` objects, each node once."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.made: dict[Node, Shape] = {}

    def shape(self, node: Node) -> Shape:
        if node in self.made:
            return self.made[node]
        g = self.g
        unknown = {p for p in g.predicates(node) if str(p).startswith(str(SH)) and p not in SUPPORTED}
        if unknown:
            raise UnsupportedShapes(f"{node.n3()} uses {', '.join(sorted(u.n3(g.namespace_manager) for u in unknown))}")
        shape = self.made[node] = Shape(node, path=self._path(g.value(node, SH.path)))
        shape.targets = [(kind, t) for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode)
                         for t in g.objects(node, kind)]
        c = shape.constraints
        for kind in g.objects(node, SH.nodeKind):
            c.append(_each_value("NodeKind", _node_kind(kind), f"Value is not of node kind {kind.n3(g.namespace_manager)}"))
        for cls in g.objects(node, SH["class"]):
            c.append(_each_value("Class", lambda data, v, cls=cls: data.has_class(v, cls),
                                 f"Value does not have class {cls.n3(g.namespace_manager)}"))
        for dt in g.objects(node, SH.datatype):
            c.append(_each_value("Datatype", _has_datatype(dt), f"Value is not a literal of datatype {dt.n3(g.namespace_manager)}"))
        for n in g.objects(node, SH.minCount):
            c.append(_count("MinCount", int(n)))
        for n in g.objects(node, SH.maxCount):
            c.append(_count("MaxCount", int(n)))
        for members in g.objects(node, SH["in"]):
            allowed = frozenset(Collection(g, members))
            c.append(_each_value("In", lambda _d, v, allowed=allowed: v in allowed, "Value is not in the allowed list"))
        for value in g.objects(node, SH.hasValue):
            c.append(_has_value(value))
        for bound in g.objects(node, SH.minInclusive):
            c.append(_each_value("MinInclusive", lambda _d, v, b=bound: _compare(v, b) in (0, 1), f"Value is not >= {bound}"))
        for bound in g.objects(node, SH.maxInclusive):
            c.append(_each_value("MaxInclusive", lambda _d, v, b=bound: _compare(v, b) in (-1, 0), f"Value is not <= {bound}"))
        for other in g.objects(node, SH.lessThan):
            c.append(_less_than(other))
        for regex in g.objects(node, SH.pattern):
            flags = str(g.value(node, SH.flags) or "")
            c.append(_each_value("Pattern", _pattern(str(regex), flags), f"Value does not match pattern {regex}"))
        if any(bool(v.toPython()) for v in g.objects(node, SH.uniqueLang)):
            c.append(_unique_lang)
        for members in g.objects(node, SH["or"]):
            options = [self.shape(m) for m in Collection(g, members)]
            c.append(_each_value("Or", lambda d, v, o=options: any(conforms(s, v, d) for s in o),
                                 "Value does not conform to any shape of its sh:or"))
        for members in g.objects(node, SH["and"]):
            parts = [self.shape(m) for m in Collection(g, members)]
            c.append(_each_value("And", lambda d, v, p=parts: all(conforms(s, v, d) for s in p),
                                 "Value does not conform to every shape of its sh:and"))
        for other in g.objects(node, SH.node):
            c.append(_each_value("Node", lambda d, v, s=self.shape(other): conforms(s, v, d),
                                 f"Value does not conform to {other.n3(g.namespace_manager)}"))
        shape.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        if any(bool(v.toPython()) for v in g.objects(node, SH.closed)):
            ignored = [i for lst in g.objects(node, SH.ignoredProperties) for i in Collection(g, lst)]
            declared = [p.path for p in shape.properties if isinstance(p.path, URIRef)]
            shape.closed_to = frozenset(declared + ignored)
        return shape

    def _path(self, node: Node | None) -> URIRef | Inverse | None:
        if node is None or isinstance(node, URIRef):
            return node
        inverse = self.g.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(self.g.predicate_objects(node))) == 1:
            return Inverse(inverse)
        raise UnsupportedShapes(f"a path other than a predicate or sh:inversePath of one: {node.n3()}")


def read_shapes(graph: Graph) -> list[Shape]:
    """The shapes of ``graph`` that have targets (the others are reached through them)."""
    reader = _Reader(graph)
    roots = {s for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode) for s in graph.subjects(kind, None)}
    for node in set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape)):
        reader.shape(node)                  # read every declared shape, so unsupported terms are found
    return [reader.shape(node) for node in sorted(roots, key=str)]


@lru_cache(maxsize=1)
def project_shapes() -> tuple[Shape, ...]:
    """The shapes of ``graph/shapes.ttl``, read once per process."""
    from graph.schema import shapes_graph

    return tuple(read_shapes(shapes_graph()))
