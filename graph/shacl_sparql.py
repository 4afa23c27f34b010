"""Fast validation: the SHACL shapes compiled to SPARQL and run by pyoxigraph in memory.

pyshacl takes about 90 s and pyrudof 80 s (and 6 GB) to check a million triples; the shapes
in ``ontology/shapes.ttl`` use a small part of SHACL core, which compiles to SPARQL queries
that pyoxigraph answers over an in-memory store in seconds. The compiler reads the shapes
file itself and refuses (:class:`UnsupportedShapes`) any shape feature it does not know, so
a new kind of constraint falls back to pyshacl instead of passing silently.

A constraint does not compile to a query of its own, which would join the shape's focus
nodes to their values: joins cost pyoxigraph more than anything else, more so as the data
repeats what it mentions in every graph that mentions it. The queries (:func:`_checks`) go
once through a path's quads instead, whatever their subject, for the constraints of every
shape on that path: they count the values of each subject and test each distinct value
once, and only ask of the few subjects that fail whether they are focus nodes. What a
path's quads cannot show (missing values, tests of the node itself) is looked for by one
query per shape through its focus nodes. sh:pattern is tested in Python (with ``re``, as
pyshacl does), through a custom SPARQL function. The queries run two at a time, in threads:
pyoxigraph lets go of the GIL while it evaluates a query.

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
from concurrent.futures import ThreadPoolExecutor
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
#: Stands for the pattern "?v is an instance of the class or of a class below it" (see _run).
_INSTANCE = "INSTANCE-OF:"
_CLASS_RE = re.compile(f"({re.escape(_SUBCLASSES)}|{re.escape(_INSTANCE)})" + r"<([^>]*)>")
_PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
#: Queries run this many at a time: pyoxigraph lets go of the GIL while it evaluates one (two:
#: a bulk load validates beside the thread that fills the store).
_THREADS = 2


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
    function: str = ""                                    # IRI of the SPARQL function of sh:pattern


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
        return f"(!isLiteral(?v) && EXISTS {{ {_INSTANCE}{_iri(value)} }})"
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


def _matches(patterns: list[re.Pattern], v) -> bool:
    """Whether ``v`` passes every sh:pattern (as pyshacl checks them: a blank node never does)."""
    return not isinstance(v, ox.BlankNode) and all(pattern.search(v.value) for pattern in patterns)


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
            for i, prop in enumerate(shape.properties):
                prop.function = f"urn:carrierkg:validation:pattern:{len(shapes)}:{i}"
            shapes.append(shape)
    return tuple(shapes)


@functools.cache
def _functions() -> dict:
    """The custom SPARQL functions: the sh:pattern test (:func:`_matches`) of each property that has patterns."""
    answers = {True: ox.Literal(True), False: ox.Literal(False)}

    def test(patterns):
        return lambda v: answers[_matches(patterns, v)]

    return {ox.NamedNode(p.function): test(p.patterns) for s in _compiled() for p in s.properties if p.patterns}


# -- running the checks ----------------------------------------------------------------------------

def _fails(tests: Iterable[str]) -> str:
    return " || ".join(f"!COALESCE({t}, false)" for t in tests)


def _targets(shape: _Shape) -> str:
    union = " UNION ".join("{ " + t + " }" for t in shape.targets)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _run(store: ox.Store, query: str, classes: dict[str, list[str]]):
    """Run a compiled query over the union of the store's graphs; ``classes`` caches the subclasses."""
    def below(m: re.Match) -> str:
        if m.group(2) not in classes:
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_RDFS_SUBCLASS}>* <{m.group(2)}> }}",
                               use_default_graph_as_union=True)
            classes[m.group(2)] = sorted({str(r["c"]) for r in rows} | {f"<{m.group(2)}>"})
        found = classes[m.group(2)]
        if m.group(1) == _SUBCLASSES:
            return " ".join(found)
        # (for the classes of sh:class) a type test per class, or a VALUES join, costs more per value
        if len(found) == 1:
            return f"?v <{RDF.type}> {found[0]}"
        return f"?v <{RDF.type}> ?_c FILTER(?_c IN ({', '.join(found)}))"

    return store.query(_PREFIX_HEADER + _CLASS_RE.sub(below, query), use_default_graph_as_union=True,
                       custom_functions=_functions())


def _focus(shape: _Shape, test: str = "true") -> str:
    """True if ``test`` holds and ?this (bound) is a focus node of ``shape``.

    IF, not &&: pyoxigraph works out an EXISTS for every row, even where && need not.
    """
    return f"IF({test}, EXISTS {{ " + " UNION ".join("{ " + t + " }" for t in shape.targets) + " }, false)"


def _bounds(p: _Property, n: str) -> list[str]:
    """The tests that a node with ``n`` values of ``p`` breaks its count bounds, for n > 0.

    (A node without values, which only sh:minCount can fail, is left to the focus queries.)
    """
    return ([f"{n} < {p.min_count}"] if p.min_count is not None and p.min_count > 1 else []) + (
        [f"{n} > {p.max_count}"] if p.max_count is not None else [])


def _value_tests(p: _Property) -> list[tuple[str, str]]:
    """(kind, test) for the tests of ``p`` on one value, true for a bad value (sh:pattern's in Python)."""
    tests = [("ok", _fails(p.ok))] if p.ok else []
    return tests + ([("pattern", f"!COALESCE(<{p.function}>(?v), false)")] if p.patterns else [])


def _check_query(flags: list[str], checks: list, where: str) -> tuple[str, tuple]:
    """A query of ``checks``: the distinct ?this, ?v and ``flags`` (one per check) over ``where``, not all false."""
    columns = " ".join(f"BIND({flag} AS ?_f{k})" for k, flag in enumerate(flags))
    query = (f"SELECT DISTINCT ?this ?v {' '.join(f'?_f{k}' for k in range(len(flags)))} WHERE {{ {where} "
             f"{columns} FILTER({' || '.join(f'?_f{k}' for k in range(len(flags)))}) }}")
    return query, tuple(checks)


def _count_query(paths: list[str], on_path: dict[str, list]) -> tuple[str, tuple]:
    """The query of the count bounds on ``paths``: one group per subject, whatever its type.

    The paths are those the same shapes bound, so mostly of the same subjects: a group per
    subject costs more than the values in it, and one query for them all makes fewer groups.
    """
    shapes = _compiled()
    branches, aggregates, having, flags, checks = [], [], [], [], []
    for k, path in enumerate(paths):
        branches.append(f"{{ ?this <{path}> ?_v{k} }}")
        aggregates.append(f"(COUNT(DISTINCT ?_v{k}) AS ?_n{k})")
        counts = [(s, i, p) for s, i, p in on_path[path] if _bounds(p, "?_n")]
        # HAVING keeps the few nodes with a count out of every bound before the focus tests run
        maxima = [p.max_count for _, _, p in counts if p.max_count is not None]
        minima = [p.min_count for _, _, p in counts if p.min_count is not None and p.min_count > 1]
        having += ([f"COUNT(DISTINCT ?_v{k}) > {min(maxima)}"] if maxima else []) + (
            [f"(COUNT(DISTINCT ?_v{k}) > 0 && COUNT(DISTINCT ?_v{k}) < {max(minima)})"] if minima else [])
        for s, i, p in counts:
            flags.append(_focus(shapes[s], " || ".join(_bounds(p, f"?_n{k}"))))
            checks.append((s, (i, "count")))
    return _check_query(flags, checks, (
        f"{{ SELECT ?this {' '.join(aggregates)} WHERE {{ {' UNION '.join(branches)} }} GROUP BY ?this "
        f"HAVING ({' || '.join(having)}) }}"))


def _value_queries(path: str, on_path: list[tuple[int, int, _Property]]) -> list[tuple[str, tuple]]:
    """The queries of the tests of the values of ``path``."""
    shapes = _compiled()
    queries = []
    on_value, on_pair = [], []
    for s, i, p in on_path:
        for kind, test in _value_tests(p):
            # sh:disjoint's test (the only one that mentions ?this) needs the node as well as the value
            (on_pair if "?this" in test else on_value).append((s, (i, kind), test))
    if on_value:
        # each distinct value is tested once, whatever its subject; the subjects of the few bad
        # ones are looked up after
        tests = list(dict.fromkeys(t for _, _, t in on_value))
        bad = (f"{{ SELECT ?v {' '.join(f'?_b{j}' for j in range(len(tests)))} WHERE {{ "
               f"{{ SELECT DISTINCT ?v WHERE {{ ?_s <{path}> ?v }} }} "
               f"{' '.join(f'BIND({t} AS ?_b{j})' for j, t in enumerate(tests))} "
               f"FILTER({' || '.join(f'?_b{j}' for j in range(len(tests)))}) }} }}")
        flags = [_focus(shapes[s], f"?_b{tests.index(t)}") for s, _, t in on_value]
        queries.append(_check_query(flags, [(s, check) for s, check, _ in on_value], f"{bad} ?this <{path}> ?v ."))
    if on_pair:
        flags = [_focus(shapes[s], t) for s, _, t in on_pair]
        queries.append(_check_query(flags, [(s, check) for s, check, _ in on_pair], (
            f"{{ SELECT DISTINCT ?this ?v WHERE {{ ?this <{path}> ?v }} }}")))
    return queries


@functools.cache
def _checks() -> tuple[tuple[str, tuple], ...]:
    """The queries that find the violations, and the check each of their flags stands for.

    A check is (shape number, ``"node"`` or (property number, kind[, number])); a query's
    rows are the distinct (?this, ?v, flags) where a flag is true: ?this fails that check
    (on the value ?v). Most queries go through a path's quads whatever their subject, for
    the checks of every shape on the path, without joining them to the focus nodes (which
    costs more than all the rest): they find the subjects with too many (or too few) values,
    or the bad values and then their subjects, and only then ask whether those few are focus
    nodes. The others:

    - one per shape with node tests, sh:minCount or sh:hasValue goes through its focus nodes
      for the node tests' failures and for missing values;
    - one per sh:lessThan compares the two paths' values of each subject.
    """
    shapes = _compiled()
    queries = []
    on_path: dict[str, list] = {}       # path -> (shape number, property number, property)
    for s, shape in enumerate(shapes):
        for i, p in enumerate(shape.properties):
            on_path.setdefault(p.path, []).append((s, i, p))
    bounded: dict[tuple, list[str]] = {}    # the shapes that bound the counts of a path -> the paths
    for path in sorted(on_path):
        by = tuple(sorted({s for s, _, p in on_path[path] if _bounds(p, "?_n")}))
        if by:
            bounded.setdefault(by, []).append(path)
    queries += [_count_query(paths, on_path) for paths in bounded.values()]
    for path in sorted(on_path):
        queries += _value_queries(path, on_path[path])
    for s, shape in enumerate(shapes):
        flags, checks = [], []
        if shape.node_ok:
            flags.append(_fails(shape.node_ok))
            checks.append((s, "node"))
        for i, p in enumerate(shape.properties):
            if p.min_count is not None and p.min_count > 0:
                flags.append(f"NOT EXISTS {{ ?this <{p.path}> ?_o }}")
                checks.append((s, (i, "count")))
            for j, value in enumerate(p.has_value):
                flags.append(f"NOT EXISTS {{ ?this <{p.path}> {value} }}")
                checks.append((s, (i, "has_value", j)))
            for j, other in enumerate(p.less_than):
                queries.append(_check_query([_focus(shape, "!COALESCE(?v < ?w, false)")], [(s, (i, "less_than", j))],
                                            f"?this <{p.path}> ?v . ?this {other} ?w ."))
        if checks:
            queries.append(_check_query(flags, checks, f"{_targets(shape)} BIND(?this AS ?v)"))
    return tuple(queries)


def _results(store: ox.Store, pool: ThreadPoolExecutor | None = None) -> list[tuple]:
    """(focus, path, value, message, severity, shape) for every failed constraint (see :func:`_checks`).

    The queries run in ``pool`` if one is given.
    """
    out: list[tuple] = []
    classes: dict[str, list[str]] = {}      # (two threads may both look a class up: no matter)
    shapes = _compiled()
    queries = _checks()

    def rows(query: str) -> list:
        return list(_run(store, query, classes))

    found = (pool.map if pool else map)(rows, [query for query, _ in queries])
    for (_, checks), solutions in zip(queries, found, strict=True):
        for r in solutions:
            for k, (s, check) in enumerate(checks):
                flag = r[2 + k]
                if flag is None or flag.value != "true":
                    continue
                shape = shapes[s]
                if check == "node":
                    out.append((r["this"], None, r["this"], shape.message, shape.severity, shape.iri))
                else:
                    p = shape.properties[check[0]]
                    value = r["v"] if check[1] in ("ok", "pattern", "less_than") else None
                    out.append((r["this"], p.path, value, p.message, p.severity, shape.iri))
    for shape in shapes:
        if shape.sparql:
            focus = {r["this"] for r in _run(store, f"SELECT ?this WHERE {{ {_targets(shape)} }}", classes)}
            for select, message in shape.sparql:
                for r in _run(store, select, classes):
                    if r["this"] in focus:
                        out.append((r["this"], None, r["value"], message, shape.severity, shape.iri))
    return out


def _text(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


_SPECIAL = (ox.NamedNode(BACKGROUND_GRAPH), ox.NamedNode(CONTEXT_GRAPH))


def _data_graphs(store: ox.Store, focus, position: str) -> list:
    """The graphs (DefaultGraph included) in which ``focus`` is the subject (or object) of data quads."""
    pattern = (focus, None, None, None) if position == "s" else (None, None, focus, None)
    return [q.graph_name for q in store.quads_for_pattern(*pattern) if q.graph_name not in _SPECIAL]


def _graph_rules(store: ox.Store) -> list[tuple]:
    """(violation kind, relationship or None, graph or None) for the named-graph rules.

    The costly part is going through every quad of every relationship, to find the graphs it
    is in; that is done once, and the pairs (relationship, graph) that keep both rules (the
    graph names itself as the relationship's source and describes itself as a ckg:Source)
    are taken out by one anti-join before the two rules are told apart on what is left.
    """
    classes = " ".join(f"<{c}>" for c in sorted(relationship_classes()))
    typed = (f"VALUES ?c {{ {classes} }} "
             f"{{ ?rel a ?c }} UNION {{ GRAPH ?x {{ ?rel a ?c }} FILTER(?x != <{BACKGROUND_GRAPH}>) }}")
    data = f"FILTER(?g != <{BACKGROUND_GRAPH}> && ?g != <{CONTEXT_GRAPH}>)"

    def run(q):
        return store.query(_PREFIX_HEADER + q, use_default_graph_as_union=False)

    # the default graph is usually empty: its subjects are looked at, not every relationship
    out: list[tuple] = [("default", r["rel"], None) for r in run(
        f"SELECT ?rel WHERE {{ {{ SELECT DISTINCT ?rel WHERE {{ ?rel ?p ?o }} }} FILTER EXISTS {{ {typed} }} }}")]
    rows = list(run(
        f"SELECT ?rel ?g ?own ?described WHERE {{ "
        f"{{ SELECT DISTINCT ?rel ?g WHERE {{ {{ SELECT DISTINCT ?rel WHERE {{ {typed} }} }} "
        f"GRAPH ?g {{ ?rel ?p ?o }} {data} }} }} "
        f"MINUS {{ GRAPH ?g {{ ?rel ckg:source ?g . ?g a ckg:Source }} }} "
        f"BIND(EXISTS {{ GRAPH ?g {{ ?rel ckg:source ?g }} }} AS ?own) "
        f"BIND(EXISTS {{ GRAPH ?g {{ ?g a ckg:Source }} }} AS ?described) }}"))
    out += [("source", None, g) for g in dict.fromkeys(r["g"] for r in rows if r["described"].value == "false")]
    out += [("own", r["rel"], r["g"]) for r in rows if r["own"].value == "false"]
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
    with ThreadPoolExecutor(_THREADS) as pool:
        rules = pool.submit(_graph_rules, store)
        results = _results(store, pool)
    for kind, rel, g in rules.result():
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
    for focus, path, value, message, severity, shape in results:
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
