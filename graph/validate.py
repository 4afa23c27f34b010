"""Validation: check data against the SHACL shapes and the named-graph rules.

The shapes (``ontology/shapes.ttl``) are checked with pyshacl against the union of the
data's graphs, with the ontology and the vocabularies mixed in, so that subclass typing
holds (a ``ckg:Carrier`` is a ``ckg:Organization``). The rules about named graphs, which
SHACL cannot see over one graph, are checked here in Python:

- a relationship node does not live in the default graph;
- a relationship names the graph it lives in as its ``ckg:source``;
- a graph that holds relationships describes its source (``G a ckg:Source``).

Examples
--------
>>> from rdflib import Dataset, Literal, URIRef
>>> from carrierkg.ontology.namespaces import CKG, RDF, SKOS, org_iri
>>> ds = Dataset()
>>> _ = ds.add((URIRef(org_iri("Examplecom")), URIRef(RDF.type), URIRef(CKG.Carrier)))
>>> report = validate(ds)
>>> report.conforms
False
>>> report.violations[0].path == SKOS.prefLabel
True
>>> report.text().startswith("orgid:examplecom: An organisation needs exactly one name")
True
>>> _ = ds.add((URIRef(org_iri("Examplecom")), URIRef(SKOS.prefLabel), Literal("Examplecom")))
>>> validate(ds).summary()
'conforms: no violations'
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources

from pyshacl import validate as _shacl_validate
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from carrierkg.graph.errors import InputError
from carrierkg.ontology.namespaces import CKG, PREFIXES, RDF, RDFS, SKOS

__all__ = [
    "ValidationReport",
    "Violation",
    "ontology_graph",
    "relationship_classes",
    "shapes_graph",
    "validate",
    "violation_order",
    "vocabularies_graph",
]

_PACKAGE = "carrierkg.ontology"
_SHAPES_NS = "https://w3id.org/carrierkg/shapes#"
_SH = "http://www.w3.org/ns/shacl#"

_NAMESPACES = (*PREFIXES.items(), ("shapes", _SHAPES_NS))

_TYPE = URIRef(RDF.type)
_SOURCE = URIRef(CKG.source)
_SOURCE_CLASS = URIRef(CKG.Source)

#: A triple together with the named graph it lives in (``None`` for the default graph).
_Quad = tuple[Node, Node, Node, "URIRef | BNode | None"]


# -- the ontology files ------------------------------------------------------------------

@functools.cache
def _parse(name: str) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    graph.parse(data=text, format="turtle")
    return graph


def ontology_graph() -> Graph:
    """The OWL ontology (``carrierkg.ttl``), parsed once per process.

    The graph is shared: treat it as read-only (copy it before changing it).

    Examples
    --------
    >>> from rdflib import OWL, URIRef
    >>> from carrierkg.ontology.namespaces import CKG
    >>> (URIRef(CKG.Carrier), URIRef(RDF.type), OWL.Class) in ontology_graph()
    True
    """
    return _parse("carrierkg.ttl")


def vocabularies_graph() -> Graph:
    """The SKOS concept schemes (``vocabularies.ttl``), parsed once per process (read-only)."""
    return _parse("vocabularies.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``), parsed once per process (read-only)."""
    return _parse("shapes.ttl")


@functools.cache
def _background() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology and vocabulary triples mixed into every data graph."""
    return tuple(ontology_graph()) + tuple(vocabularies_graph())


@functools.cache
def relationship_classes() -> frozenset[str]:
    """``ckg:Relationship`` and every class below it in the ontology, as IRIs.

    >>> CKG.Licence in relationship_classes()
    True
    """
    return frozenset(str(c) for c in ontology_graph().transitive_subjects(
        URIRef(RDFS.subClassOf), URIRef(CKG.Relationship)))


@functools.cache
def _node_shape_of() -> dict[Node, Node]:
    """Map each property shape to the node shape that holds it."""
    shapes = shapes_graph()
    return {prop: node for node, prop in shapes.subject_objects(URIRef(_SH + "property"))}


# -- the report --------------------------------------------------------------------------

def _compact(term: object) -> str:
    """A short, readable form of an IRI (``ckg:issuer``, ``orgid:bt``) or literal."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return repr(str(term)) if term.datatype is None else f"{str(term)!r}^^{_compact(term.datatype)}"
    text = str(term)
    if isinstance(term, BNode):
        return "_:" + text
    matches = [(len(ns), prefix, ns) for prefix, ns in _NAMESPACES if text.startswith(ns)]
    if matches:
        _, prefix, ns = max(matches)
        return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


@dataclass(frozen=True)
class Violation:
    """One way the data fails the shapes or the named-graph rules.

    Attributes
    ----------
    focus : str
        The IRI (or ``_:id`` blank node label) of the node that breaks the rule.
    message : str
        What is expected, for a person.
    path : str or None
        The IRI of the property concerned, if any.
    value : str or None
        The offending value (IRI or literal text), if any.
    severity : str
        ``"Violation"``, ``"Warning"`` or ``"Info"``.
    shape : str or None
        The IRI of the node shape (or the name of the Python rule) that was broken.
    graph : str or None
        The named graph the focus node is described in, where known.
    label : str or None
        The focus node's name (``skos:prefLabel``), where the data gives one.
    """

    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"
    shape: str | None = None
    graph: str | None = None
    label: str | None = None

    def line(self) -> str:
        """One readable line: ``<focus label or IRI>: message (path)``."""
        who = self.label or _compact(_term_from_text(self.focus))
        text = f"{who}: {self.message}"
        if self.path:
            text += f" ({_compact(URIRef(self.path))})"
        if self.severity != "Violation":
            text = f"{self.severity.lower()}: {text}"
        return text


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    ``conforms`` is true when no violation has severity ``"Violation"`` (warnings and
    infos are reported but do not fail the data); ``bool(report)`` is ``report.conforms``.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.conforms

    def text(self) -> str:
        """A readable report, one line per violation.

        Examples
        --------
        >>> ValidationReport(True).text()
        'The data conforms to the shapes.'
        >>> print(ValidationReport(False, [Violation("https://w3id.org/carrierkg/id/rel/x",
        ...     "A licence needs exactly one issuer", path=CKG.issuer)]).text())
        rel:x: A licence needs exactly one issuer (ckg:issuer)
        """
        if not self.violations:
            return "The data conforms to the shapes."
        return "\n".join(v.line() for v in self.violations)

    def summary(self) -> str:
        """One line: how many violations, and the first of them.

        >>> ValidationReport(False, [Violation("_:b0", "A source needs a title"),
        ...                          Violation("_:b1", "Another")]).summary()
        '2 violations: _:b0: A source needs a title'
        """
        if not self.violations:
            return "conforms: no violations"
        failing = [v for v in self.violations if v.severity == "Violation"]
        first = (failing or self.violations)[0]
        if failing:
            n = len(failing)
            head = f"{n} violation{'s' if n != 1 else ''}"
        else:
            n = len(self.violations)
            head = f"conforms, with {n} warning{'s' if n != 1 else ''}"
        return f"{head}: {first.line()}"


def _term_from_text(text: str) -> Node:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def _text_of(term: Node) -> str:
    return "_:" + str(term) if isinstance(term, BNode) else str(term)


# -- reading the input -------------------------------------------------------------------

def _from_oxigraph(term) -> Node:
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise InputError(f"cannot validate an RDF term of type {kind}: {term}")


def _quads(data: object) -> Iterator[_Quad]:
    """Yield ``(s, p, o, graph)`` with rdflib terms; ``graph`` is ``None`` for the default graph."""
    if data is None:
        return
    if isinstance(data, Dataset | ConjunctiveGraph):
        default = data.default_graph if isinstance(data, Dataset) else data.default_context
        default_ids = {DATASET_DEFAULT_GRAPH_ID, default.identifier}
        for s, p, o, ctx in data.quads((None, None, None, None)):
            name = getattr(ctx, "identifier", ctx)
            yield s, p, o, (None if name is None or name in default_ids else name)
        return
    if isinstance(data, Graph):
        name = data.identifier if isinstance(data.identifier, URIRef) else None
        if name == DATASET_DEFAULT_GRAPH_ID:
            name = None
        for s, p, o in data:
            yield s, p, o, name
        return
    if isinstance(data, str | bytes):
        raise InputError("validate() takes RDF data (an rdflib graph or dataset, or pyoxigraph quads), "
                         "not text; parse it first")
    try:
        items = iter(data)  # type: ignore[call-overload]
    except TypeError:
        raise InputError(f"cannot validate a {type(data).__name__}: give an rdflib Graph or Dataset, "
                         "or pyoxigraph quads") from None
    for item in items:
        if isinstance(item, tuple) and len(item) in (3, 4):
            s, p, o = item[:3]
            g = item[3] if len(item) == 4 else None
            if isinstance(g, Graph):
                g = g.identifier
            yield s, p, o, (None if g is None or g == DATASET_DEFAULT_GRAPH_ID else g)
            continue
        try:
            s, p, o = item.subject, item.predicate, item.object
        except AttributeError:
            raise InputError(f"cannot validate a {type(item).__name__}: expected a quad or a triple") from None
        g = getattr(item, "graph_name", None)
        g_node = None if g is None or type(g).__name__ == "DefaultGraph" else _from_oxigraph(g)
        yield _from_oxigraph(s), _from_oxigraph(p), _from_oxigraph(o), g_node


# -- the named-graph rules ---------------------------------------------------------------

_MSG_DEFAULT = ("A relationship must live in the named graph of its source, not in the default graph "
                "(put it in a graph named by its ckg:source)")
_MSG_OWN_SOURCE = "A relationship must name the graph it lives in as its source (ckg:source {graph})"
_MSG_NO_SOURCE = ("A graph that holds relationships must describe its source: {graph} a ckg:Source, "
                  "with a dcterms:title")


def _graph_rules(quads: list[_Quad], relationships: set[Node], labels: dict[Node, str]) -> list[Violation]:
    violations: list[Violation] = []
    in_default: set[Node] = set()
    by_graph: dict[Node, set[Node]] = defaultdict(set)
    own_source: set[tuple[Node, Node]] = set()
    described: set[Node] = set()
    for s, p, o, g in quads:
        if g is None:
            if s in relationships:
                in_default.add(s)
            continue
        if s in relationships:
            by_graph[g].add(s)
            if p == _SOURCE and o == g:
                own_source.add((s, g))
        if s == g and p == _TYPE and o == _SOURCE_CLASS:
            described.add(g)
    for rel in sorted(in_default, key=str):
        violations.append(Violation(_text_of(rel), _MSG_DEFAULT, severity="Violation",
                                    shape="carrierkg:named-graphs/default-graph", label=labels.get(rel)))
    for g in sorted(by_graph, key=str):
        shown = _compact(g)
        if g not in described:
            violations.append(Violation(_text_of(g), _MSG_NO_SOURCE.format(graph=shown), path=RDF.type,
                                        shape="carrierkg:named-graphs/source-described", graph=_text_of(g),
                                        label=labels.get(g)))
        for rel in sorted(by_graph[g], key=str):
            if (rel, g) not in own_source:
                violations.append(Violation(_text_of(rel), _MSG_OWN_SOURCE.format(graph=shown), path=CKG.source,
                                            value=_text_of(g), shape="carrierkg:named-graphs/own-source",
                                            graph=_text_of(g), label=labels.get(rel)))
    return violations


# -- validation ----------------------------------------------------------------------------

def _first(graph: Graph, s: Node, p: Node) -> Node | None:
    return next(iter(graph.objects(s, p)), None)



def violation_order(v: Violation) -> tuple:
    """The order of a report: violations first, then by graph, node, path, message and value.

    Values that are numbers sort as numbers (``150`` and ``150.0`` alike), so two validators
    that print numbers differently still list violations in the same order.
    """
    from decimal import Decimal, InvalidOperation

    value = v.value or ""
    try:
        value_key = (0, Decimal(value).normalize().to_eng_string(), "")
    except (InvalidOperation, ValueError):
        value_key = (1, "", value)
    return (v.severity != "Violation", v.graph or "", v.label or v.focus, v.focus, v.path or "", v.message,
            value_key)

def validate(data: object, *, context: object = None) -> ValidationReport:
    """Check RDF data against the SHACL shapes and the named-graph rules.

    Parameters
    ----------
    data : rdflib.Dataset, rdflib.Graph or iterable of pyoxigraph.Quad
        The data to check. A plain ``Graph`` counts as the default graph, unless its
        identifier is an IRI (as for ``dataset.graph(iri)``), which is then its graph name.
        Triples (pyoxigraph or rdflib tuples) count as the default graph.
    context : same kinds as ``data``, optional
        Extra triples that the data refers to but does not describe, for example the types
        and names the store already holds for the organisations a new source mentions.
        They are added for validation only; violations about nodes that appear only in
        the context are not reported.

    Returns
    -------
    ValidationReport
        ``conforms`` and the list of violations, sorted by graph, focus node and path.

    Raises
    ------
    InputError
        If ``data`` is not RDF data this function understands.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    quads = list(_quads(data))
    context_quads = list(_quads(context))

    union = Graph()
    for s, p, o, _ in quads:
        union.add((s, p, o))
    mentioned = {t for s, _p, o, _g in quads for t in (s, o)}
    for s, p, o, _ in context_quads:
        union.add((s, p, o))
    for triple in _background():
        union.add(triple)

    labels: dict[Node, str] = {}
    for s, o in union.subject_objects(URIRef(SKOS.prefLabel)):
        if isinstance(o, Literal) and (s not in labels or str(o) < labels[s]):
            labels[s] = str(o)  # the least of several names, so that the report does not vary
    rel_classes = {URIRef(c) for c in relationship_classes()}
    relationships = {s for s, _p, o, _g in (*quads, *context_quads) if _p == _TYPE and o in rel_classes}

    violations = _graph_rules(quads, relationships, labels)

    graphs_of: dict[Node, set[Node]] = defaultdict(set)
    for s, _p, _o, g in quads:
        if g is not None:
            graphs_of[s].add(g)

    _conforms, results, _text = _shacl_validate(
        union, shacl_graph=shapes_graph(), ont_graph=None, inference="none", inplace=True,
        allow_warnings=True, allow_infos=True, advanced=False, meta_shacl=False, js=False,
    )
    sh = _SH
    node_shape_of = _node_shape_of()
    for result in results.subjects(URIRef(RDF.type), URIRef(sh + "ValidationResult")):
        focus = _first(results, result, URIRef(sh + "focusNode"))
        if focus is None or focus not in mentioned:
            continue
        path = _first(results, result, URIRef(sh + "resultPath"))
        value = _first(results, result, URIRef(sh + "value"))
        message = _first(results, result, URIRef(sh + "resultMessage"))
        severity = _first(results, result, URIRef(sh + "resultSeverity"))
        shape = _first(results, result, URIRef(sh + "sourceShape"))
        shape = node_shape_of.get(shape, shape)
        graphs = sorted(graphs_of.get(focus, ()), key=str)
        violations.append(Violation(
            focus=_text_of(focus),
            message=str(message) if message is not None else "does not conform to the shapes",
            path=str(path) if isinstance(path, URIRef) else None,
            value=None if value is None else (_text_of(value) if not isinstance(value, Literal) else str(value)),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            shape=_text_of(shape) if shape is not None else None,
            graph=_text_of(graphs[0]) if graphs else None,
            label=labels.get(focus),
        ))

    violations = sorted(set(violations), key=violation_order)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations)
