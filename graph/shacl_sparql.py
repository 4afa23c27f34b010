"""Fast validation: the SHACL shapes compiled to SPARQL and run by pyoxigraph in memory.

pyshacl takes about 90 s and pyrudof 80 s (and 6 GB) to check a million triples; the shapes
in ``ontology/shapes.ttl`` use a small part of SHACL core, which compiles to a few dozen
SPARQL queries that pyoxigraph answers over an in-memory store in seconds. The compiler
reads the shapes file itself and refuses (:class:`UnsupportedShapes`) any shape feature it
does not know, so a new kind of constraint falls back to pyshacl instead of passing silently.

The verdict and the violations are those of :func:`carrierkg.graph.validate.validate`
(same focus nodes, messages, paths, shapes, graphs and labels; a test checks every golden
file); only the lexical form of a reported literal value may be Oxigraph's canonical one
(``50`` for ``"50.0"^^xsd:decimal``). The named-graph rules are checked here in SPARQL too.

The store given to :func:`validate_store` holds the data to check in its own graphs (the
default graph and named graphs); :func:`add_background` adds the ontology and vocabularies
and the context (what the data refers to) in two graphs of their own.

Examples
--------
>>> import pyoxigraph as ox
>>> from carrierkg.ontology.namespaces import CKG, RDF, org_iri
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode(org_iri("Examplecom")), ox.NamedNode(RDF.type), ox.NamedNode(CKG.Carrier)))
>>> add_background(store)
>>> validate_store(store).text().startswith("orgid:examplecom: An organisation needs exactly one name")
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox

from carrierkg.graph.validate import (
    _MSG_DEFAULT,
    _MSG_NO_SOURCE,
    _MSG_OWN_SOURCE,
    ValidationReport,
    Violation,
    _compact,
    _from_oxigraph,
    relationship_classes,
    violation_order,
)
from carrierkg.ontology.namespaces import CKG, PREFIXES, RDF, SKOS

__all__ = ["BACKGROUND_GRAPH", "CONTEXT_GRAPH", "UnsupportedShapes", "add_background", "validate_fast",
           "validate_store"]

#: The graph that holds the ontology and the vocabularies while validating.
BACKGROUND_GRAPH = "urn:carrierkg:validation:background"
#: The graph that holds the context (types the store knows for IRIs the data refers to).
CONTEXT_GRAPH = "urn:carrierkg:validation:context"

_SH = "http://www.w3.org/ns/shacl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
#: Datatypes whose lexical forms rdflib (hence pyshacl) checks; Oxigraph's casts check the same.
_CHECKED = {_XSD + t for t in ("date", "dateTime", "decimal", "double", "float", "integer", "boolean")}
_NODE_KINDS = {
    "IRI": "isIRI(?v)", "Literal": "isLiteral(?v)", "BlankNode": "isBlank(?v)",
    "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))", "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
    "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))",
}
_IGNORED = {RDF.type, "http://www.w3.org/2000/01/rdf-schema#comment", "http://www.w3.org/2000/01/rdf-schema#label",
            _SH + "name", _SH + "description", _SH + "order", _SH + "group"}
#: Stands for the classes below a class (``rdfs:subClassOf*`` in the data) in compiled queries;
#: they are looked up once per validation, which is much faster than a property path per value.
_SUBCLASSES = "SUBCLASSES-OF:"
_SUBCLASSES_RE = re.compile(re.escape(_SUBCLASSES) + r"<([^>]*)>")
_PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this compiler does not translate; use pyshacl."""


@dataclass
class _Property:
    path: str
    message: str
    severity: str
    min_count: int | None = None
    max_count: int | None = None
    ok: list[str] = field(default_factory=list)          # SPARQL expressions true for a good ?v
    patterns: list[re.Pattern] = field(default_factory=list)
    less_than: list[str] = field(default_factory=list)
    has_value: list[str] = field(default_factory=list)


@dataclass
class _Shape:
    iri: str
    targets: list[str]
    message: str | None
    severity: str
    node_ok: list[str] = field(default_factory=list)     # expressions on ?v (bound to the focus node)
    sparql: list[tuple[str, str]] = field(default_factory=list)  # (select query, message)
    properties: list[_Property] = field(default_factory=list)


# -- compiling the shapes ----------------------------------------------------------------------

class _Reader:
    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, s, p: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None, None)]

    def one(self, s, p: str):
        values = self.objects(s, p)
        if len(values) > 1:
            raise UnsupportedShapes(f"{s} has several {p}")
        return values[0] if values else None

    def items(self, head) -> list:
        out = []
        while head is not None and head != ox.NamedNode(_RDF_NIL):
            out.append(self.one(head, _RDF_FIRST))
            head = self.one(head, _RDF_REST)
        return out

    def predicates(self, s) -> set[str]:
        return {q.predicate.value for q in self.store.quads_for_pattern(s, None, None, None)}


def _severity(reader: _Reader, s) -> str:
    sev = reader.one(s, _SH + "severity")
    return sev.value.rsplit("#", 1)[-1] if sev is not None else "Violation"


def _iri(term) -> str:
    if not isinstance(term, ox.NamedNode):
        raise UnsupportedShapes(f"expected an IRI, found {term}")
    return str(term)


def _datatype_ok(dt) -> str:
    expr = f"isLiteral(?v) && datatype(?v) = {_iri(dt)}"
    if dt.value in _CHECKED:
        expr += f" && isLiteral(COALESCE({dt}(STR(?v)), <urn:x-ill-typed>))"
    return f"({expr})"


def _value_ok(reader: _Reader, s, predicate: str, value) -> str | None:
    """The SPARQL test a good value ?v passes for one constraint, or None if not a value test."""
    name = predicate[len(_SH):] if predicate.startswith(_SH) else None
    if name == "datatype":
        return _datatype_ok(value)
    if name == "class":
        return f"(!isLiteral(?v) && EXISTS {{ VALUES ?_c {{ {_SUBCLASSES}{_iri(value)} }} ?v <{RDF.type}> ?_c }})"
    if name == "nodeKind":
        kind = _iri(value)[1:-1].removeprefix(_SH)
        if kind not in _NODE_KINDS:
            raise UnsupportedShapes(f"sh:nodeKind {value}")
        return _NODE_KINDS[kind]
    if name in ("minLength", "maxLength"):
        op = ">=" if name == "minLength" else "<="
        return f"(!isBlank(?v) && STRLEN(STR(?v)) {op} {int(value.value)})"
    if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        op = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[name]
        return f"(?v {op} {value})"
    if name == "in":
        members = reader.items(value)
        return "(" + " || ".join(f"sameTerm(?v, {t})" for t in members) + ")" if members else "false"
    if name == "or":
        alternatives = []
        for member in reader.items(value):
            preds = reader.predicates(member) - _IGNORED
            tests = [_value_ok(reader, member, p, reader.one(member, p)) for p in sorted(preds)]
            if not tests or any(t is None for t in tests):
                raise UnsupportedShapes(f"sh:or member {member}")
            alternatives.append("(" + " && ".join(tests) + ")")
        return "(" + " || ".join(alternatives) + ")"
    return None


def _compile_property(reader: _Reader, p, node_message: str | None) -> _Property:
    path = reader.one(p, _SH + "path")
    message = reader.one(p, _SH + "message")
    if message is None:
        raise UnsupportedShapes(f"property shape {p} has no sh:message")
    prop = _Property(path=_iri(path)[1:-1], message=message.value, severity=_severity(reader, p))
    for predicate in sorted(reader.predicates(p) - _IGNORED):
        if predicate in (_SH + "path", _SH + "message", _SH + "severity"):
            continue
        for value in reader.objects(p, predicate):
            name = predicate.removeprefix(_SH)
            if name == "minCount":
                prop.min_count = int(value.value)
            elif name == "maxCount":
                prop.max_count = int(value.value)
            elif name == "pattern":
                flags = reader.one(p, _SH + "flags")
                re_flags = 0
                if flags is not None:
                    re_flags |= re.I if "i" in flags.value else 0
                    re_flags |= re.M if "m" in flags.value else 0
                    re_flags |= re.S if "s" in flags.value else 0
                    re_flags |= re.X if "x" in flags.value else 0
                prop.patterns.append(re.compile(value.value, re_flags))
            elif name == "flags":
                continue
            elif name == "lessThan":
                prop.less_than.append(_iri(value))
            elif name == "hasValue":
                prop.has_value.append(str(value))
            elif name == "disjoint":
                prop.ok.append(f"NOT EXISTS {{ ?this {_iri(value)} ?v }}")
            else:
                test = _value_ok(reader, p, predicate, value)
                if test is None:
                    raise UnsupportedShapes(f"{predicate} on {p}")
                prop.ok.append(test)
    return prop


@functools.cache
def _compiled() -> tuple[_Shape, ...]:
    text = resources.files("carrierkg.ontology").joinpath("shapes.ttl").read_bytes()
    graph = ox.Store()
    graph.load(text, format=ox.RdfFormat.TURTLE)
    reader = _Reader(graph)
    shapes = []
    node_shapes = sorted({q.subject for q in graph.quads_for_pattern(None, ox.NamedNode(RDF.type),
                                                                      ox.NamedNode(_SH + "NodeShape"), None)},
                         key=str)
    for s in node_shapes:
        message = reader.one(s, _SH + "message")
        shape = _Shape(iri=_iri(s)[1:-1], targets=[], message=message.value if message else None,
                       severity=_severity(reader, s))
        for predicate in sorted(reader.predicates(s) - _IGNORED):
            for value in reader.objects(s, predicate):
                name = predicate.removeprefix(_SH)
                if name == "targetClass":
                    shape.targets.append(f"VALUES ?_c {{ {_SUBCLASSES}{_iri(value)} }} ?this <{RDF.type}> ?_c .")
                elif name == "targetSubjectsOf":
                    shape.targets.append(f"?this {_iri(value)} ?_t .")
                elif name == "targetObjectsOf":
                    shape.targets.append(f"?_t {_iri(value)} ?this .")
                elif name == "targetNode":
                    shape.targets.append(f"VALUES ?this {{ {value} }}")
                elif name == "property":
                    shape.properties.append(_compile_property(reader, value, shape.message))
                elif name == "sparql":
                    select = reader.one(value, _SH + "select")
                    msg = reader.one(value, _SH + "message")
                    if select is None or msg is None or reader.predicates(value) - _IGNORED - {
                            _SH + "select", _SH + "message", _SH + "prefixes"}:
                        raise UnsupportedShapes(f"SPARQL constraint {value}")
                    shape.sparql.append((select.value.replace("$this", "?this"), msg.value))
                elif name in ("message", "severity", "declare"):
                    continue
                else:
                    test = _value_ok(reader, s, predicate, value)
                    if test is None:
                        raise UnsupportedShapes(f"{predicate} on {s}")
                    if shape.message is None:
                        raise UnsupportedShapes(f"node shape {s} has no sh:message")
                    shape.node_ok.append(test)
        if shape.targets:
            shapes.append(shape)
    return tuple(shapes)


# -- running the checks ----------------------------------------------------------------------------

def _fails(tests: Iterable[str]) -> str:
    return " || ".join(f"!COALESCE({t}, false)" for t in tests)


def _targets(shape: _Shape) -> str:
    union = " UNION ".join("{ " + t + " }" for t in shape.targets)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _run(store: ox.Store, query: str, classes: dict[str, str]):
    def below(m: re.Match) -> str:
        if m.group(1) not in classes:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_RDFS_SUBCLASS}>* <{m.group(1)}> }}",
                               use_default_graph_as_union=True)
            classes[m.group(1)] = " ".join({str(r["c"]) for r in rows} | {f"<{m.group(1)}>"})
        return classes[m.group(1)]

    return store.query(_PREFIX_HEADER + _SUBCLASSES_RE.sub(below, query), use_default_graph_as_union=True)


def _results(store: ox.Store) -> list[tuple]:
    """(focus, path, value, message, severity, shape) for every failed constraint."""
    out: list[tuple] = []
    classes: dict[str, str] = {}
    for shape in _compiled():
        targets = _targets(shape)
        if shape.node_ok:
            q = f"SELECT ?this WHERE {{ {targets} BIND(?this AS ?v) FILTER({_fails(shape.node_ok)}) }}"
            out += [(r["this"], None, r["this"], shape.message, shape.severity, shape.iri)
                    for r in _run(store, q, classes)]
        if shape.sparql:
            focus = {r["this"] for r in _run(store, f"SELECT ?this WHERE {{ {targets} }}", classes)}
            for select, message in shape.sparql:
                for r in _run(store, select, classes):
                    if r["this"] in focus:
                        out.append((r["this"], None, r["value"], message, shape.severity, shape.iri))
        for p in shape.properties:
            where = (p.message, p.severity, shape.iri)
            path = f"<{p.path}>"
            if p.min_count is not None or p.max_count is not None:
                having = []
                if p.min_count is not None:
                    having.append(f"COUNT(DISTINCT ?v) < {p.min_count}")
                if p.max_count is not None:
                    having.append(f"COUNT(DISTINCT ?v) > {p.max_count}")
                q = (f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this "
                     f"HAVING ({' || '.join(having)})")
                out += [(r["this"], p.path, None, *where) for r in _run(store, q, classes)]
            if p.ok:
                q = f"SELECT DISTINCT ?this ?v WHERE {{ {targets} ?this {path} ?v . FILTER({_fails(p.ok)}) }}"
                out += [(r["this"], p.path, r["v"], *where) for r in _run(store, q, classes)]
            if p.patterns:
                q = f"SELECT DISTINCT ?this ?v WHERE {{ {targets} ?this {path} ?v }}"
                for r in _run(store, q, classes):
                    v = r["v"]
                    if isinstance(v, ox.BlankNode) or not all(
                            pattern.match(v.value) or pattern.search(v.value) for pattern in p.patterns):
                        out.append((r["this"], p.path, v, *where))
            for other in p.less_than:
                q = (f"SELECT DISTINCT ?this ?v WHERE {{ {targets} ?this {path} ?v . ?this {other} ?w . "
                     f"FILTER(!COALESCE(?v < ?w, false)) }}")
                out += [(r["this"], p.path, r["v"], *where) for r in _run(store, q, classes)]
            for value in p.has_value:
                q = f"SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"
                out += [(r["this"], p.path, None, *where) for r in _run(store, q, classes)]
    return out


def _text(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


_SPECIAL = (ox.NamedNode(BACKGROUND_GRAPH), ox.NamedNode(CONTEXT_GRAPH))


def _data_graphs(store: ox.Store, focus, position: str) -> list:
    """The graphs (DefaultGraph included) in which ``focus`` is the subject (or object) of data quads."""
    pattern = (focus, None, None, None) if position == "s" else (None, None, focus, None)
    return [q.graph_name for q in store.quads_for_pattern(*pattern) if q.graph_name not in _SPECIAL]


def _graph_rules(store: ox.Store) -> list[tuple]:
    """(violation kind, relationship or None, graph or None) for the named-graph rules."""
    classes = " ".join(f"<{c}>" for c in sorted(relationship_classes()))
    rels = (f"{{ SELECT DISTINCT ?rel WHERE {{ VALUES ?c {{ {classes} }} "
            f"{{ ?rel a ?c }} UNION {{ GRAPH ?x {{ ?rel a ?c }} FILTER(?x != <{BACKGROUND_GRAPH}>) }} }} }}")
    data = f"FILTER(?g != <{BACKGROUND_GRAPH}> && ?g != <{CONTEXT_GRAPH}>)"

    def run(q):
        return store.query(_PREFIX_HEADER + q, use_default_graph_as_union=False)

    out: list[tuple] = [("default", r["rel"], None)
                        for r in run(f"SELECT DISTINCT ?rel WHERE {{ {rels} ?rel ?p ?o }}")]
    out += [("source", None, r["g"]) for r in run(
        f"SELECT DISTINCT ?g WHERE {{ {rels} GRAPH ?g {{ ?rel ?p ?o }} {data} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?g a ckg:Source }} }} }}")]
    out += [("own", r["rel"], r["g"]) for r in run(
        f"SELECT DISTINCT ?rel ?g WHERE {{ {rels} GRAPH ?g {{ ?rel ?p ?o }} {data} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?rel ckg:source ?g }} }} }}")]
    return out


def _label(store: ox.Store, focus) -> str | None:
    labels = [q.object.value for q in store.quads_for_pattern(focus, ox.NamedNode(SKOS.prefLabel), None, None)
              if isinstance(q.object, ox.Literal)]
    return min(labels) if labels else None


def validate_store(store: ox.Store) -> ValidationReport:
    """Validate the data an in-memory store holds (see the module's description of its graphs).

    Parameters
    ----------
    store : pyoxigraph.Store
        The data in its own graphs, with :func:`add_background` applied.

    Returns
    -------
    ValidationReport
        As :func:`carrierkg.graph.validate.validate` gives it.

    Raises
    ------
    UnsupportedShapes
        If the shapes use a SHACL feature that this module does not compile.
    """
    violations: list[Violation] = []
    for kind, rel, g in _graph_rules(store):
        if kind == "default":
            violations.append(Violation(_text(rel), _MSG_DEFAULT, severity="Violation",
                                        shape="carrierkg:named-graphs/default-graph", label=_label(store, rel)))
        elif kind == "source":
            shown = _compact(_from_oxigraph(g))
            violations.append(Violation(_text(g), _MSG_NO_SOURCE.format(graph=shown), path=RDF.type,
                                        shape="carrierkg:named-graphs/source-described", graph=_text(g),
                                        label=_label(store, g)))
        else:
            shown = _compact(_from_oxigraph(g))
            violations.append(Violation(_text(rel), _MSG_OWN_SOURCE.format(graph=shown), path=CKG.source,
                                        value=_text(g), shape="carrierkg:named-graphs/own-source",
                                        graph=_text(g), label=_label(store, rel)))
    mentioned: dict = {}
    for focus, path, value, message, severity, shape in _results(store):
        if focus not in mentioned:
            mentioned[focus] = bool(_data_graphs(store, focus, "s") or _data_graphs(store, focus, "o"))
        if not mentioned[focus]:
            continue
        graphs = sorted({_text(g) for g in _data_graphs(store, focus, "s") if isinstance(g, ox.NamedNode)})
        violations.append(Violation(
            focus=_text(focus), message=message, path=path,
            value=None if value is None else (value.value if isinstance(value, ox.Literal) else _text(value)),
            severity=severity, shape=shape, graph=graphs[0] if graphs else None, label=_label(store, focus)))
    violations = sorted(set(violations), key=violation_order)
    return ValidationReport(conforms=not any(v.severity == "Violation" for v in violations),
                            violations=violations)


@functools.cache
def _background_bytes() -> tuple[bytes, bytes]:
    files = resources.files("carrierkg.ontology")
    return files.joinpath("carrierkg.ttl").read_bytes(), files.joinpath("vocabularies.ttl").read_bytes()


def add_background(store: ox.Store, context: Iterable[ox.Quad] = ()) -> None:
    """Add the ontology, the vocabularies and the ``context`` quads to ``store`` for validation.

    The ontology and vocabularies go into :data:`BACKGROUND_GRAPH`, the context (as triples)
    into :data:`CONTEXT_GRAPH`; neither is reported on unless the data mentions the node.
    """
    for text in _background_bytes():
        store.load(text, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BACKGROUND_GRAPH))
    ctx = ox.NamedNode(CONTEXT_GRAPH)
    store.extend([ox.Quad(q.subject, q.predicate, q.object, ctx) for q in context])


def validate_fast(data: Iterable[ox.Quad], *, context: Iterable[ox.Quad] = ()) -> ValidationReport:
    """Validate pyoxigraph quads like :func:`carrierkg.graph.validate.validate`, through SPARQL.

    Parameters
    ----------
    data : iterable of pyoxigraph.Quad
        The data to check, in its graphs.
    context : iterable of pyoxigraph.Quad, optional
        What the data refers to but does not describe (types the store already knows).

    Returns
    -------
    ValidationReport

    Raises
    ------
    UnsupportedShapes
        If the shapes use a SHACL feature that this module does not compile.
    """
    store = ox.Store()
    store.extend(data)
    add_background(store, context)
    return validate_store(store)
