"""The store: open, load, query and export the RDF dataset.

Three kinds of store share one interface, :class:`KnowledgeGraph`:

* an embedded Oxigraph store on disk (the default; built from the bundled data on first use),
* an in-memory Oxigraph store (``"memory"``; for tests and notebooks),
* a remote SPARQL 1.1 endpoint (``"http(s)://..."``; see :mod:`carrierkg.graph.remote`).

Queries run over the union of all named graphs, so ``?rel ckg:source ?src`` finds the
sources of a fact without ``GRAPH`` patterns. Values reach queries only as bound values
(``bindings``), never pasted into the query text.

Writes are atomic: a file is parsed and validated in full before one transaction writes it,
so a file that fails leaves the store exactly as it was.

Examples
--------
>>> kg = open_store("memory")
>>> rows = kg.select(
...     "SELECT ?label WHERE { ?org skos:prefLabel ?label } ORDER BY ?label LIMIT 1",
... )
>>> len(rows)
1
>>> kg.ask("ASK { ?o a ckg:Carrier ; skos:prefLabel ?n }", {"n": literal("China Telecom")})
True
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from carrierkg.graph.errors import (
    InputError,
    ParseError,
    QueryError,
    StoreError,
    StoreLockedError,
    UnsupportedFormatError,
    ValidationError,
)
from carrierkg.ontology.namespaces import (
    CKG,
    GRAPH_META,
    PREFIXES,
    RDF,
    STORE_META,
    XSD,
)

__all__ = [
    "BULK_LOAD_BYTES",
    "RDF_FORMATS",
    "SCHEMA_VERSION",
    "KnowledgeGraph",
    "LoadReport",
    "OxigraphGraph",
    "bind",
    "bundle_digest",
    "cache_dir",
    "cache_file",
    "default_store_path",
    "detect_format",
    "iri",
    "literal",
    "open_store",
    "parse_file",
    "python_value",
    "read_cache",
    "write_cache",
]

#: The layout version of what carrierkg writes into a store. A store written with another
#: version is rebuilt or upgraded when opened (see :func:`open_store`).
SCHEMA_VERSION = "1"

#: Formats ``load`` reads and ``export`` writes: name -> (pyoxigraph format, file suffixes).
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, tuple[str, ...]]] = {
    "turtle": (ox.RdfFormat.TURTLE, (".ttl", ".turtle")),
    "trig": (ox.RdfFormat.TRIG, (".trig",)),
    "ntriples": (ox.RdfFormat.N_TRIPLES, (".nt", ".ntriples")),
    "nquads": (ox.RdfFormat.N_QUADS, (".nq", ".nquads")),
    "jsonld": (ox.RdfFormat.JSON_LD, (".jsonld", ".json")),
    "rdfxml": (ox.RdfFormat.RDF_XML, (".rdf", ".owl", ".xml")),
}
_QUAD_FORMATS = {"trig", "nquads", "jsonld"}

_PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def iri(value: str) -> ox.NamedNode:
    """A bound IRI value for a query.

    >>> iri("https://w3id.org/carrierkg/id/org/bt")
    <NamedNode value=https://w3id.org/carrierkg/id/org/bt>
    """
    return ox.NamedNode(value)


def literal(value, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    """A bound literal value for a query (a plain string unless a datatype is given)."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD.boolean))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD.integer))
    if language:
        return ox.Literal(str(value), language=language)
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    return ox.Literal(str(value))


_INTEGER_TYPES = frozenset((XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger))
_FLOAT_TYPES = frozenset((XSD.decimal, XSD.double, XSD.float))
_BOOLEAN_TYPE = XSD.boolean
_STRING_TYPE = XSD.string


def python_value(term):
    """A plain Python value for a term: ``str`` for IRIs and strings, numbers for numbers.

    >>> python_value(literal(3)), python_value(iri("http://example.org/x")), python_value(None)
    (3, 'http://example.org/x', None)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt == _STRING_TYPE:  # the common case first (called for every value of an answer)
            return term.value
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in _FLOAT_TYPES:
                return float(term.value)
            if dt == _BOOLEAN_TYPE:
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def default_store_path() -> Path:
    """Where the embedded store lives unless ``--store`` says otherwise.

    ``$CARRIERKG_STORE`` if set, else ``<user data dir>/carrierkg/store`` (platform convention).
    """
    env = os.environ.get("CARRIERKG_STORE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("carrierkg", appauthor=False) / "store"


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """The format name of an RDF file, from ``fmt`` or the file's suffix.

    >>> detect_format("x.trig"), detect_format("x.data", "nt")
    ('trig', 'ntriples')
    """
    aliases = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
               "n-quads": "nquads", "json-ld": "jsonld", "xml": "rdfxml", "rdf/xml": "rdfxml"}
    if fmt:
        name = aliases.get(fmt.lower(), fmt.lower())
        if name not in RDF_FORMATS:
            raise UnsupportedFormatError(
                f"unknown format {fmt!r}; use one of: {', '.join(RDF_FORMATS)}")
        return name
    suffix = Path(path).suffix.lower()
    for name, (_, suffixes) in RDF_FORMATS.items():
        if suffix in suffixes:
            return name
    raise UnsupportedFormatError(
        f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
        f"use --format with one of: {', '.join(RDF_FORMATS)}")


_LINE_RE = re.compile(r"line (\d+)|at (\d+):(\d+)|(\d+):(\d+)")


def _refuse_binary(path: Path, name: str, fmt_name: str) -> None:
    """Refuse a file that cannot be read, or whose first 8 kB hold a NUL byte: not RDF text."""
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError as exc:
        raise InputError(f"{name}: cannot read it: {exc.strerror or exc}") from None
    if b"\x00" in head:
        raise InputError(f"{name}: the file is binary, not {fmt_name} text")


def _syntax_error(path: str, exc: Exception) -> ParseError:
    message = " ".join(str(exc).split())
    line = None
    m = _LINE_RE.search(message)
    if m:
        line = int(next(g for g in m.groups() if g is not None))
        if m.group(2) or m.group(4):  # oxigraph counts lines from 0 in "line:column"
            line += 1
    return ParseError(message, path=path, line=line)


def parse_file(path: str | Path, *, fmt: str | None = None, graph: str | None = None,
               max_bytes: int | None = None, require_source: bool = False) -> list[ox.Quad]:
    """Parse an RDF file into quads, in full, before anything is written.

    Triples from triple formats (Turtle, N-Triples, RDF/XML) go into ``graph`` if given, else
    into the graph of the one ``ckg:Source`` the file describes, else the default graph
    (where relationships do not validate). With ``require_source``, triples left in the
    default graph are an error: every fact in the store comes from a source.

    Raises
    ------
    InputError
        The file is missing, a directory, empty, or not text.
    UnsupportedFormatError
        The format is unknown.
    ParseError
        The file is not valid in its format (the message names file and line).
    """
    p = Path(path)
    name = str(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{name}: no such file") from None
    except (OSError, ValueError) as exc:  # a name too long, a folder we may not enter, a NUL in the name
        raise InputError(f"{name}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    if p.is_dir():
        raise InputError(f"{name}: is a directory, not a file")
    fmt_name = detect_format(p, fmt)
    size = st.st_size
    if size == 0:
        raise InputError(f"{name}: the file is empty")
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"{name}: the file is {size} bytes, more than the limit of {max_bytes}")
    _refuse_binary(p, name, fmt_name)
    rdf_format = RDF_FORMATS[fmt_name][0]
    try:
        quads = list(ox.parse(path=str(p), format=rdf_format))
    except SyntaxError as exc:
        error = _syntax_error(name, exc)
        if error.line is None and fmt_name == "rdfxml":
            error = ParseError(" ".join(str(exc).split()), path=name, line=_xml_error_line(p))
        raise error from None
    except (ValueError, OSError) as exc:
        raise ParseError(" ".join(str(exc).split()), path=name) from None
    if not quads:
        raise InputError(f"{name}: the file holds no triples")
    if fmt_name not in _QUAD_FORMATS or all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        target = graph
        if target is None:
            sources = {q.subject.value for q in quads
                       if q.predicate.value == RDF.type and q.object == ox.NamedNode(CKG.Source)
                       and isinstance(q.subject, ox.NamedNode)}
            if len(sources) == 1:
                target = sources.pop()
        if target is not None:
            g = ox.NamedNode(target)
            quads = [ox.Quad(q.subject, q.predicate, q.object, g)
                     if isinstance(q.graph_name, ox.DefaultGraph) else q for q in quads]
    if require_source:
        orphans = sum(1 for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
        if orphans:
            raise InputError(
                f"{name}: {orphans} triple(s) belong to no source; describe the source in the file "
                "(a ckg:Source, whose IRI names its graph) or give the graph with --graph IRI")
    return quads


def _xml_error_line(path: Path) -> int | None:
    """The line of the first XML error in a file (the RDF/XML parser does not say), or None."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        with path.open("rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError as exc:
        return exc.lineno
    except OSError:
        return None
    return None


@dataclass
class LoadReport:
    """What a load wrote: files, quads and the named graphs they went into."""

    files: list[str] = field(default_factory=list)
    quads: int = 0
    graphs: list[str] = field(default_factory=list)


class KnowledgeGraph:
    """The dataset of carrier relationships, whatever holds it.

    Subclasses implement ``_query`` and the write primitives; everything else builds on them.
    """

    #: Where the store lives: "memory", a directory, or an endpoint URL.
    location: str = ""
    read_only: bool = False

    # -- queries -------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, object] | None):  # pragma: no cover
        raise NotImplementedError

    def query(self, query: str, bindings: Mapping[str, object] | None = None):
        """Run a SPARQL query; returns pyoxigraph solutions, a bool, or triples.

        Our prefixes (``ckg:``, ``skos:``, ``dcterms:``, ...) are declared for the query.
        """
        return self._query(query, bindings)

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> list[dict]:
        """Run a SELECT query; one dict per row, variable name -> pyoxigraph term or None."""
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: sol[n] for n in names} for sol in result]

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        """Run an ASK query."""
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, object] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query; returns the triples."""
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    # -- writes --------------------------------------------------------------------------
    def _write(self, quads: Sequence[ox.Quad], drop_graphs: Sequence[str] = ()) -> None:  # pragma: no cover
        raise NotImplementedError

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")

    def add(self, quads: Iterable[ox.Quad], *, validate: bool = True) -> int:
        """Validate and write quads in one transaction; returns how many were given."""
        self._check_writable()
        quads = list(quads)
        if validate:
            self.validate_quads(quads, what="the data")
        self._write(quads)
        return len(quads)

    def load(self, paths: Iterable[str | Path], *, fmt: str | None = None, graph: str | None = None,
             validate: bool = True) -> LoadReport:
        """Load RDF files: parse and validate all of them, then write them in one transaction.

        A file that is missing, malformed or does not conform to the shapes raises before
        anything is written, so the store is left exactly as it was.

        Large N-Quads, TriG or JSON-LD files (:data:`BULK_LOAD_BYTES` in all) going into an
        embedded store on disk take a faster road with the same guarantees: they are
        validated by the shapes compiled to SPARQL (:mod:`carrierkg.graph.shacl_sparql`)
        while Oxigraph's bulk loader writes them into a checkpoint copy of the store, which
        then replaces the store in one atomic directory exchange.
        """
        self._check_writable()
        paths = list(paths)
        if validate and graph is None and self._can_bulk_load(paths, fmt):
            report = self._bulk_load(paths, fmt=fmt)
            if report is not None:
                return report
        report = LoadReport()
        everything: list[ox.Quad] = []
        for path in paths:
            quads = parse_file(path, fmt=fmt, graph=graph, require_source=True)
            if validate:
                self.validate_quads(quads, what=str(path))
            everything.extend(quads)
            report.files.append(str(path))
        report.quads = len(everything)
        report.graphs = sorted({q.graph_name.value for q in everything
                                if isinstance(q.graph_name, ox.NamedNode)})
        self._write(everything)
        return report

    def _can_bulk_load(self, paths: Sequence[str | Path], fmt: str | None) -> bool:
        return False

    def _bulk_load(self, paths: Sequence[str | Path], *, fmt: str | None) -> LoadReport | None:  # pragma: no cover
        return None

    def validate_quads(self, quads: Sequence[ox.Quad], *, what: str = "the data"):
        """Validate quads against the shapes, with the store's knowledge of what they refer to.

        Raises :class:`ValidationError` naming the first violation; returns the report.
        """
        from carrierkg.graph.validate import validate

        report = validate(quads, context=self._context_for(quads))
        if not report.conforms:
            raise ValidationError(f"{what} does not conform to the shapes: {report.summary()}", report)
        return report

    def _context_for(self, quads: Sequence[ox.Quad]) -> list[ox.Quad]:
        """Type and label triples the store holds for IRIs the quads mention but do not describe."""
        described = {q.subject for q in quads if q.predicate.value == RDF.type}
        referenced = {q.object for q in quads if isinstance(q.object, ox.NamedNode)
                      and q.predicate.value != RDF.type} - described
        if not referenced:
            return []
        return self._types_of(sorted(referenced, key=str))

    def _types_of(self, nodes: Sequence[ox.NamedNode]) -> list[ox.Quad]:
        """``?s a ?t`` quads (default graph) for the given IRIs, as the store knows them."""
        out = []
        for i in range(0, len(nodes), 500):
            rows = self.select("SELECT ?s ?t WHERE { ?s a ?t . FILTER(?s IN ("
                               + ", ".join(str(r) for r in nodes[i:i + 500]) + ")) }")
            out += [ox.Quad(r["s"], ox.NamedNode(RDF.type), r["t"]) for r in rows]
        return out

    def drop_source(self, source: str) -> int:
        """Drop a source's named graph (retract everything only it states); returns quads removed."""
        self._check_writable()
        n = self.count_quads(source)
        self._write([], drop_graphs=[source])
        return n

    # -- bookkeeping ---------------------------------------------------------------------
    def count_quads(self, graph: str | None = None) -> int:
        if graph is None:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                               "FILTER(?g != ?meta) }", {"meta": iri(GRAPH_META)})
        else:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": iri(graph)})
        return int(rows[0]["n"].value) if rows else 0

    def generation(self) -> str:
        """A token that changes whenever the store's data changes (a cache key)."""
        rows = self.select(
            "SELECT (COUNT(?v) AS ?n) (MAX(?v) AS ?last) WHERE { GRAPH ?m { ?s ckg:generation ?v } }",
            {"m": iri(GRAPH_META), "s": iri(STORE_META)})
        if not rows:
            return "0"
        return f"{python_value(rows[0]['n'])}:{python_value(rows[0]['last']) or ''}"

    def bundle_digest(self) -> str | None:
        """The digest of the bundled data this store was last built or refreshed from."""
        rows = self.select("SELECT ?v WHERE { GRAPH ?m { ?s ckg:bundleDigest ?v } }",
                           {"m": iri(GRAPH_META), "s": iri(STORE_META)})
        return python_value(rows[0]["v"]) if rows else None

    def schema_version(self) -> str | None:
        rows = self.select("SELECT ?v WHERE { GRAPH ?m { ?s ckg:schemaVersion ?v } }",
                           {"m": iri(GRAPH_META), "s": iri(STORE_META)})
        return python_value(rows[0]["v"]) if rows else None

    @staticmethod
    def _generation_quad() -> ox.Quad:
        import uuid

        token = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        return ox.Quad(ox.NamedNode(STORE_META), ox.NamedNode(CKG.generation), ox.Literal(token),
                       ox.NamedNode(GRAPH_META))

    @staticmethod
    def _schema_quad() -> ox.Quad:
        return ox.Quad(ox.NamedNode(STORE_META), ox.NamedNode(CKG.schemaVersion),
                       ox.Literal(SCHEMA_VERSION), ox.NamedNode(GRAPH_META))

    # -- summaries -----------------------------------------------------------------------
    def sources(self) -> list[dict]:
        """The sources: IRI, title, publisher, date, URL and how many facts each states."""
        rows = self.select("""
            SELECT ?source (SAMPLE(?t) AS ?title) (SAMPLE(?p) AS ?publisher) (SAMPLE(?d) AS ?date)
                   (SAMPLE(?u) AS ?url) (SAMPLE(?m) AS ?method) (COUNT(DISTINCT ?rel) AS ?facts)
            WHERE {
              GRAPH ?source { ?source a ckg:Source . OPTIONAL { ?source dcterms:title ?t }
                OPTIONAL { ?source dcterms:publisher ?p } OPTIONAL { ?source dcterms:date ?d }
                OPTIONAL { ?source schema:url ?u } OPTIONAL { ?source ckg:extractionMethod ?m }
                OPTIONAL { ?rel ckg:source ?source } }
            } GROUP BY ?source ORDER BY ?source""")
        return [{k: python_value(v) for k, v in r.items()} for r in rows]

    def stats(self) -> dict:
        """Counts: quads, named graphs, instances by class, relationships by source."""
        by_class = self.select("""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
              GRAPH ?g { ?s a ?class } FILTER(STRSTARTS(STR(?class), STR(ckg:)))
            } GROUP BY ?class ORDER BY DESC(?n) ?class""")
        graphs = self.select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                             "FILTER(?g != ?meta) }", {"meta": iri(GRAPH_META)})
        return {
            "quads": self.count_quads(),
            "graphs": int(graphs[0]["n"].value) if graphs else 0,
            "classes": {r["class"].value: int(r["n"].value) for r in by_class},
            "sources": [{"source": s["source"], "title": s["title"], "facts": s["facts"]}
                        for s in self.sources()],
        }

    # -- export ------------------------------------------------------------------------------
    def quads(self) -> Iterator[ox.Quad]:  # pragma: no cover
        raise NotImplementedError

    def export(self, fmt: str = "trig") -> bytes:
        """Serialize the dataset (bookkeeping left out) as turtle, trig, nquads, ntriples or jsonld."""
        name = detect_format("", fmt)
        rdf_format = RDF_FORMATS[name][0]
        quads = (q for q in self.quads() if q.graph_name != ox.NamedNode(GRAPH_META))
        if name not in _QUAD_FORMATS:
            quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        prefixes = PREFIXES if name in ("turtle", "trig", "rdfxml") else None
        try:
            return ox.serialize(quads, format=rdf_format, prefixes=prefixes)
        except TypeError:  # older pyoxigraph without prefixes
            return ox.serialize(quads, format=rdf_format)

    def to_rdflib(self):
        """A copy of the dataset as an ``rdflib.Dataset`` (for notebooks and rdflib users)."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=self.export("nquads"), format="nquads")
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        return ds

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"


class OxigraphGraph(KnowledgeGraph):
    """A knowledge graph held by an embedded Oxigraph store, on disk or in memory."""

    def __init__(self, store: ox.Store, *, location: str, read_only: bool = False, lock=None):
        self.store = store
        self.location = location
        self.read_only = read_only
        self._lock = lock

    @property
    def path(self) -> Path | None:
        return None if self.location == "memory" else Path(self.location)

    def _query(self, query, bindings):
        text = _PREFIX_HEADER + bind(query, bindings) if bindings else _PREFIX_HEADER + query
        try:
            return self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(_query_error(exc)) from None
        except OSError as exc:
            raise StoreError(f"cannot read the store at {self.location}: {exc}") from None

    def _write(self, quads, drop_graphs=()):
        self._check_writable()
        try:
            if drop_graphs:
                ops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in drop_graphs]
                gen = self._generation_quad()
                ops.append(f"INSERT DATA {{ GRAPH {gen.graph_name} {{ {gen.subject} {gen.predicate} "
                           f"{gen.object} }} }}")
                self.store.update(" ;\n".join(ops))
            if quads:
                self.store.extend([*quads, self._generation_quad()])
            if self.path is not None:
                self.store.flush()
        except OSError as exc:
            raise _write_error(self.location, exc) from None

    def quads(self):
        return iter(self.store)

    def _types_of(self, nodes):
        rdf_type = ox.NamedNode(RDF.type)
        return [ox.Quad(q.subject, rdf_type, q.object) for n in nodes
                for q in self.store.quads_for_pattern(n, rdf_type, None, None)]

    def _can_bulk_load(self, paths, fmt) -> bool:
        if self.path is None or not paths:
            return False
        try:
            if any(detect_format(p, fmt) not in _QUAD_FORMATS for p in paths):
                return False
            size = sum(Path(p).stat().st_size for p in paths)
        except (OSError, ValueError, UnsupportedFormatError):
            return False  # the ordinary path says what is wrong
        return size >= BULK_LOAD_BYTES and _can_exchange(self.path.parent)

    def _bulk_load(self, paths, *, fmt):
        """Validate with SPARQL while the bulk loader fills a copy of the store; then swap.

        Returns None (nothing done) when the files need what only the ordinary path does:
        triples to move into a source's graph, or shapes the SPARQL compiler does not know.
        """
        import threading

        from carrierkg.graph import shacl_sparql

        assert self.path is not None
        _remove_staging(self.path)
        staging = _staging_path(self.path)
        formats = [RDF_FORMATS[detect_format(p, fmt)][0] for p in paths]
        try:
            self.store.flush()
            self.store.backup(str(staging))
        except OSError as exc:
            _remove_tree(staging)
            raise _write_error(self.location, exc) from None
        failure: list[BaseException] = []

        def fill() -> None:  # runs beside the validation; pyoxigraph lets go of the GIL
            try:
                copy = ox.Store(str(staging))
                for path, rdf_format in zip(paths, formats, strict=True):
                    pieces = _pieces(path, rdf_format)
                    if pieces is None:
                        # parse (not Store.bulk_load, which renames blank nodes) keeps the file's
                        # blank node labels, as the ordinary load does: loading a file twice is idempotent
                        copy.bulk_extend(ox.parse(path=str(path), format=rdf_format))
                    else:
                        _bulk_load_pieces(copy, *pieces, rdf_format)
                copy.add(self._generation_quad())
                copy.flush()
                del copy
            except BaseException as exc:  # handed to the main thread
                failure.append(exc)

        worker = threading.Thread(target=fill, name="carrierkg-bulk-load", daemon=True)
        worker.start()
        report = LoadReport()
        try:
            for path, rdf_format in zip(paths, formats, strict=True):
                data = _parse_into_memory(path, rdf_format)
                if data is None:
                    return None
                report.files.append(str(path))
                report.quads += len(data)
                report.graphs.extend(g.value for g in data.named_graphs() if isinstance(g, ox.NamedNode))
                context = self._types_of(_referenced_not_described(data))
                shacl_sparql.add_background(data, context)
                try:
                    checked = shacl_sparql.validate_store(data)
                except shacl_sparql.UnsupportedShapes:
                    return None
                del data
                if not checked.conforms:
                    raise ValidationError(f"{path} does not conform to the shapes: {checked.summary()}", checked)
            worker.join()
            if failure:
                exc = failure[0]
                if isinstance(exc, OSError):
                    raise _write_error(self.location, exc) from None
                if isinstance(exc, SyntaxError | ValueError):
                    raise ParseError(" ".join(str(exc).split()), path=str(paths[0])) from None
                raise exc
            _sync_tree(staging)
            self.store = None  # type: ignore[assignment] - the engine closes before the exchange
            import gc

            gc.collect()
            try:
                _exchange(staging, self.path)  # the one step that changes the store: atomic
            except OSError as exc:
                raise _write_error(self.location, exc) from None
            finally:
                self.store = _open_oxigraph(self.path, read_only=False)
            report.graphs = sorted(set(report.graphs))
            return report
        finally:
            worker.join()
            _remove_tree(staging)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.store = None  # type: ignore[assignment]


_HEADER_LINES = _PREFIX_HEADER.count("\n")


def _query_error(exc: Exception) -> str:
    """The parser's message, with line numbers counted in the user's query (not our prefixes)."""
    text = " ".join(str(exc).split())

    def shift(m: re.Match) -> str:
        return f"at line {max(1, int(m.group(1)) - _HEADER_LINES)}, column {m.group(2)}"

    return "invalid SPARQL: " + re.sub(r"at (\d+):(\d+)", shift, text)


#: Files of at least this many bytes in all (about 10k triples of N-Quads) are bulk-loaded.
BULK_LOAD_BYTES = 2 * 1024 * 1024

_RENAME_EXCHANGE = 2
_EXCHANGE_OK: dict[str, bool] = {}


def _renameat2(src: Path, dst: Path) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(-100, os.fsencode(src), -100, os.fsencode(dst), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(dst))


def _can_exchange(parent: Path) -> bool:
    """Whether this file system swaps two directories atomically (Linux ``renameat2``)."""
    key = str(parent)
    if key not in _EXCHANGE_OK:
        import tempfile

        try:
            with tempfile.TemporaryDirectory(dir=parent, prefix=".carrierkg-probe-") as tmp:
                a, b = Path(tmp) / "a", Path(tmp) / "b"
                a.mkdir()
                b.mkdir()
                (a / "x").touch()
                _renameat2(a, b)
                _EXCHANGE_OK[key] = (b / "x").exists()
        except (OSError, AttributeError):
            _EXCHANGE_OK[key] = False
    return _EXCHANGE_OK[key]


def _exchange(staging: Path, store: Path) -> None:
    """Swap the staging copy and the store in one atomic step, and make the swap durable."""
    _renameat2(staging, store)
    fd = os.open(store.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _staging_path(store: Path) -> Path:
    import uuid

    return store.with_name(f"{store.name}.staging-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _remove_staging(store: Path) -> None:
    """Remove what bulk loads that were killed left beside the store (call under the writer's lock).

    A staging copy is never part of the store: a load killed before its exchange leaves the
    store as it was, and one killed after it leaves the old store under the staging name.
    """
    with contextlib.suppress(OSError):
        for leftover in store.parent.glob(f"{store.name}.staging-*"):
            _remove_tree(leftover)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _sync_tree(path: Path) -> None:
    """fsync the files of a directory and the directory, so that the exchange finds them whole."""
    for entry in os.scandir(path):
        if entry.is_file(follow_symlinks=False):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _loaders() -> int:
    """How many bulk loaders to run at once: one per core this process may use, 2 to 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(2, min(4, cores))


def _pieces(path: str | Path, rdf_format: ox.RdfFormat) -> tuple[list[bytes], bytes] | None:
    """An N-Quads file cut at line ends into one piece per loader, and the lines with blank nodes.

    Oxigraph's bulk loader works on one thread per call: pieces loaded side by side take half
    the time on two cores. But each call renames blank nodes apart (two pieces would turn one
    blank node into two, and loading a file twice would repeat its blank nodes), so the lines
    with a blank node label (``_:``, or a literal holding one) are set apart, to be loaded in
    one call that keeps the labels. Other formats: None (one call for the whole file).
    """
    if rdf_format != ox.RdfFormat.N_QUADS:
        return None
    data = Path(path).read_bytes()
    blank: list[bytes] = []
    if b"_:" in data:
        kept: list[bytes] = []
        at = 0
        found = data.find(b"_:")
        while found != -1:
            start = data.rfind(b"\n", 0, found) + 1
            end = data.find(b"\n", found)
            end = len(data) if end == -1 else end + 1
            kept.append(data[at:start])
            line = data[start:end]
            blank.append(line if line.endswith(b"\n") else line + b"\n")
            at = end
            found = data.find(b"_:", at)
        kept.append(data[at:])
        data = b"".join(kept)
        del kept
    count = _loaders()
    cuts = [0]
    for i in range(1, count):
        cut = data.find(b"\n", max(cuts[-1], len(data) * i // count))
        cuts.append(len(data) if cut == -1 else cut + 1)
    cuts.append(len(data))
    pieces = [data[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    return pieces, b"".join(blank)


def _bulk_load_pieces(store: ox.Store, pieces: list[bytes], blank: bytes, rdf_format: ox.RdfFormat) -> None:
    """Bulk-load the pieces side by side, and the lines with blank nodes keeping their labels
    (see :func:`_pieces`)."""
    import threading

    failures: list[BaseException] = []

    def load(piece: bytes) -> None:
        try:
            store.bulk_load(piece, format=rdf_format)
        except BaseException as exc:  # handed to the caller
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(piece,), name="carrierkg-bulk-piece", daemon=True)
               for piece in pieces]
    for thread in threads:
        thread.start()
    try:
        if blank:
            store.bulk_extend(ox.parse(blank, format=rdf_format))
    finally:
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]


def _parse_into_memory(path: str | Path, rdf_format: ox.RdfFormat) -> ox.Store | None:
    """Parse a file into an in-memory store; None if its triples would need moving into a graph."""
    name = str(path)
    p = Path(path)
    _refuse_binary(p, name, detect_format(p))
    store = ox.Store()
    try:
        store.extend(ox.parse(path=name, format=rdf_format))
    except SyntaxError as exc:
        raise _syntax_error(name, exc) from None
    except (ValueError, OSError) as exc:
        raise ParseError(" ".join(str(exc).split()), path=name) from None
    if len(store) == 0:
        raise InputError(f"{name}: the file holds no triples")
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return None  # triples in the default graph: parse_file moves them into a source's graph or refuses
    return store


def _referenced_not_described(data: ox.Store) -> list[ox.NamedNode]:
    """IRIs the data refers to (not by rdf:type) without giving their type (see ``_context_for``)."""
    rows = data.query(
        "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != <" + RDF.type + ">) "
        "FILTER NOT EXISTS { ?o a ?t } }", use_default_graph_as_union=True)
    return sorted((r["o"] for r in rows), key=str)


def _write_error(location: str, exc: OSError) -> StoreError:
    code, text = getattr(exc, "errno", None), str(exc)
    if code == errno.ENOSPC or "No space left" in text:
        return StoreError(f"the disk holding {location} is full; nothing was written")
    if code == errno.EROFS or "Read-only file system" in text:
        return StoreError(f"cannot write to the store at {location}: the file system is read-only; nothing was written")
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return StoreError(f"cannot write to the store at {location}: permission denied; nothing was written")
    return StoreError(f"cannot write to the store at {location}: {' '.join(text.split())}")


def _term(value):
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, str):
        return ox.Literal(value)
    return literal(value)


_WHERE_RE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind(query: str, bindings: Mapping[str, object]) -> str:
    """Give variables of one of our queries fixed values, the way SPARQL ``VALUES`` does.

    Values are RDF terms (or Python values made into literals) serialized by pyoxigraph, so
    no text of the user's can change the query: a name with quotes, braces or keywords stays
    a string literal. A list gives a variable several values. The values block goes at the
    start of the outermost ``WHERE`` group, so it works with aggregates and sub-queries.

    >>> bind('SELECT ?o WHERE { ?o skos:prefLabel ?name }', {"name": 'a" } DROP ALL {'})
    'SELECT ?o WHERE { VALUES ?name { "a\\\\" } DROP ALL {" } ?o skos:prefLabel ?name }'
    """
    blocks = []
    for name, value in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a variable name: {name!r}")
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        terms = " ".join(str(_term(v)) for v in values)
        blocks.append(f"VALUES ?{name} {{ {terms} }}")
    m = _WHERE_RE.search(query)
    if m is not None:
        at = m.end()
    elif re.search(r"\b(ASK|SELECT)\b", query, re.IGNORECASE) and "{" in query:
        at = query.index("{") + 1  # ASK { ... } and SELECT * { ... } may leave WHERE out
    else:
        raise QueryError("a query with bound values needs a WHERE clause")
    return query[:at] + " " + " ".join(blocks) + query[at:]


class _FileLock:
    """An advisory lock beside the store: shared for readers, exclusive for writers.

    Oxigraph itself lets only one process open a store for writing, and reading while
    another process writes is undefined; this lock makes readers and writers wait for each
    other (up to ``timeout`` seconds) instead.
    """

    def __init__(self, path: Path, *, exclusive: bool, timeout: float):
        self.path = path
        self.exclusive = exclusive
        self.fd = None
        self._acquire(timeout)

    def _acquire(self, timeout: float) -> None:
        store = self.path.with_name(self.path.name.removesuffix(".lock"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if not self.exclusive and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                # a store on read-only media (or another user's): share its lock if it has one; if
                # none can be made here, no process can write the store either, so reading is safe
                try:
                    self.fd = os.open(self.path, os.O_RDONLY)
                except OSError:
                    return
            else:
                raise _write_error(str(store), exc) from None
        mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                served = _served_by(self.path, exclusive=self.exclusive)
                if served:
                    os.close(self.fd)
                    self.fd = None
                    raise StoreLockedError(served) from None
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    self.fd = None
                    holder = _lock_holder(self.path)
                    what = "writing to" if not self.exclusive else "using"
                    raise StoreLockedError(
                        f"another process{holder} is {what} the store at {self.path.parent}; "
                        "wait for it to finish and try again") from None
                time.sleep(0.05)

    def note_holder(self, what: str) -> None:
        if self.fd is not None and self.exclusive:
            with contextlib.suppress(OSError):  # only a hint for others (a full disk may refuse it)
                os.ftruncate(self.fd, 0)
                os.pwrite(self.fd, f"{os.getpid()} {what}".encode(), 0)

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
            self.fd = None


def _lock_holder(path: Path) -> str:
    try:
        text = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {text})" if text else ""


def _serving_path(lock_path: Path) -> Path:
    """The note ``carrierkg serve`` leaves beside a store it serves: ``pid writable url``."""
    return lock_path.with_name(lock_path.name.removesuffix(".lock") + ".serving")


def _served_by(lock_path: Path, *, exclusive: bool) -> str | None:
    """Why the store is held, when ``carrierkg serve`` (still running) holds it; else None."""
    try:
        pid_s, writable, url = _serving_path(lock_path).read_text().split(" ", 2)
        pid = int(pid_s)
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    where = lock_path.with_name(lock_path.name.removesuffix(".lock"))
    if writable == "1":
        return (f"the store at {where} is being served read-write by carrierkg serve (pid {pid}); "
                f"stop it, or use it through the server with --store {url.strip()}")
    if not exclusive:  # pragma: no cover - readers share the lock with a read-only server
        return None
    return (f"the store at {where} is being served by carrierkg serve (pid {pid}); stop it, or write "
            f"through the server: restart it with --writable and use --store {url.strip()}")


def _lock_path(store_dir: Path) -> Path:
    return store_dir.with_name(store_dir.name + ".lock")


def open_store(spec: str | Path | None = None, *, read_only: bool = False, update_url: str | None = None,
               build: bool = True, lock_timeout: float = 10.0) -> KnowledgeGraph:
    """Open a knowledge graph.

    Parameters
    ----------
    spec
        ``None`` for the default store (``$CARRIERKG_STORE`` or the user data directory),
        ``"memory"`` for an in-memory store, a directory for an embedded Oxigraph store, or an
        ``http(s)://`` SPARQL endpoint URL.
    read_only
        Open for queries only; several readers may share a store while no one writes.
    update_url
        For endpoints whose SPARQL Update URL differs from the query URL.
    build
        Fill a new or empty local store from the bundled data.
    lock_timeout
        Seconds to wait for another process that holds the store.
    """
    if spec is None:
        spec = default_store_path()
    spec_s = str(spec)
    if spec_s.startswith(("http://", "https://")):
        from carrierkg.graph.remote import RemoteGraph

        return RemoteGraph(spec_s, update_url=update_url, read_only=read_only)
    if spec_s == "memory":
        kg = OxigraphGraph(ox.Store(), location="memory")
        if build:
            _build(kg)
        return kg
    path = Path(spec_s).expanduser()
    try:
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a store directory")
        if path.exists() and any(path.iterdir()) and not (path / "CURRENT").exists():
            raise StoreError(f"{path} is not an Oxigraph store (refusing to write into another directory)")
        new = not (path / "CURRENT").exists()
    except (OSError, ValueError) as exc:  # a name too long, a folder we may not enter, a NUL in the name
        raise StoreError(f"cannot use {path} as a store: {getattr(exc, 'strerror', None) or exc}") from None
    # Readers share the lock; a writer (or the first build) holds it alone.
    exclusive = (not read_only) or new
    lock = _FileLock(_lock_path(path), exclusive=exclusive, timeout=lock_timeout)
    kg = store = None
    try:
        if exclusive:
            lock.note_holder("carrierkg")
            _remove_staging(path)
            # under the lock: nothing there yet (or an empty folder), so a failed first build is undone
            fresh = not path.exists() or not any(path.iterdir())
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store at {path}: {exc.strerror}") from None
            try:
                store = _open_oxigraph(path, read_only=False)
                kg = OxigraphGraph(store, location=str(path), lock=lock)
                if build:
                    _ensure_built(kg)
            except BaseException:
                if fresh:  # a full disk here must not leave a half-made store behind
                    if kg is not None:
                        kg.store = None  # the traceback keeps kg; the engine must close first
                    kg = store = None
                    _empty_folder(path)
                raise
            if read_only:
                # built on first use; now reopen for reading like any reader
                kg.close()
                kg = store = None
                return open_store(path, read_only=True, build=False, lock_timeout=lock_timeout)
            return kg
        store = _open_oxigraph(path, read_only=True)
        kg = OxigraphGraph(store, location=str(path), read_only=True, lock=lock)
        if build and (kg.schema_version() != SCHEMA_VERSION or kg.bundle_digest() != _current_digest(path)):
            # Written by another version (or never finished): upgrade or build it under the
            # writer's lock, then read it like any reader.
            kg.close()
            kg = store = None
            writer = open_store(path, read_only=False, build=True, lock_timeout=lock_timeout)
            writer.close()
            return open_store(path, read_only=True, build=False, lock_timeout=lock_timeout)
        return kg
    except BaseException:
        # close the engine before another process (or this one) may take the store: the traceback
        # keeps kg alive, and a writer left open after its lock is released corrupts later readers
        if kg is not None:
            kg.store = None
        kg = store = None
        lock.release()
        raise


def _empty_folder(path: Path) -> None:
    """Remove what a failed first build left in ``path`` (which was empty or absent before)."""
    import gc
    import shutil

    gc.collect()  # close the engine's files first
    with contextlib.suppress(OSError):
        for child in path.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _open_oxigraph(path: Path, *, read_only: bool) -> ox.Store:
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except RuntimeError as exc:  # the engine finds the files but not a whole store
        raise StoreError(f"cannot open the store at {path}: it is damaged or incomplete "
                         f"({' '.join(str(exc).split())})") from None
    except OSError as exc:
        text = " ".join(str(exc).split())
        if any(m in text for m in ("No space left", "Read-only file system")) \
                or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EROFS):
            raise _write_error(str(path), exc) from None
        if "lock" in text.lower():
            raise StoreLockedError(
                f"the store at {path} is in use by another program (an Oxigraph server?); "
                "stop it, or query it through its URL with --store http://.../query") from None
        if isinstance(exc, PermissionError) or "Permission denied" in text:
            raise StoreError(f"cannot open the store at {path}: permission denied") from None
        raise StoreError(f"cannot open the store at {path}: {text}") from None


def _ensure_built(kg: OxigraphGraph) -> None:
    """Build a new store from the bundled data; upgrade one written by another version;
    refresh the bundled sources when this carrierkg ships other bundled data."""
    version = kg.schema_version()
    if version == SCHEMA_VERSION:
        if kg.bundle_digest() != _current_digest(kg.path):
            _refresh_bundled(kg)
        return
    empty = kg.count_quads() == 0
    if version is None and not empty:
        # Data without our bookkeeping: an older layout (or someone else's store).
        raise StoreError(
            f"the store at {kg.location} holds data but no carrierkg layout version; "
            "it was not written by this carrierkg. Use another --store path")
    if version is not None and version != SCHEMA_VERSION:
        from carrierkg.graph.upgrade import upgrade

        upgrade(kg, version)
        return
    _build(kg)


_BUNDLE_DIGEST: str | None = None


def bundle_digest() -> str:
    """A digest of the bundled data files (their names and bytes)."""
    global _BUNDLE_DIGEST
    if _BUNDLE_DIGEST is None:
        import hashlib

        from carrierkg.data import bundled_files

        h = hashlib.sha256()
        for path in bundled_files():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        _BUNDLE_DIGEST = h.hexdigest()[:32]
    return _BUNDLE_DIGEST


def cache_dir(store_path: str | Path) -> Path:
    """The folder beside an on-disk store that holds what is derived from it (``<store>.cache``)."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".cache")


def cache_file(kg, kind: str, version: str, generation: str | None = None) -> Path | None:
    """A cache file of an on-disk store: ``<store>.cache/<kind>-<key>.pickle``, the key naming the
    cache's format ``version`` and the store's generation; ``None`` for other stores.

    Examples
    --------
    >>> cache_file(type("Disk", (), {"path": "/data/store"})(), "projection", "1", "7:x").as_posix()
    '/data/store.cache/projection-...pickle'
    """
    path = getattr(kg, "path", None)
    if path is None:
        return None
    if generation is None:
        generation = kg.generation()
    import hashlib

    key = hashlib.sha256(f"{version}\n{generation}".encode()).hexdigest()[:16]
    return cache_dir(path) / f"{kind}-{key}.pickle"


def read_cache(target: Path):
    """The object pickled in a cache file by :func:`write_cache`; None if it is missing or
    unreadable (the caller builds it again).

    Unpickling makes many small containers: the cyclic collector is off meanwhile, or it would
    run over them again and again (half the time of loading a projection).
    """
    import gc
    import pickle

    enabled = gc.isenabled()
    gc.disable()
    try:
        with Path(target).open("rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def write_cache(target: Path, obj, *, kinds: Sequence[str] | None = None) -> None:
    """Pickle ``obj`` into a cache file (made by :func:`cache_file`) atomically, then remove the
    files of other generations of its kind (or of ``kinds``); never fail: a cache is an extra."""
    import pickle

    from carrierkg.graph.files import write_atomic

    target = Path(target)
    kind, key = target.name.split("-", 1)
    with contextlib.suppress(OSError, InputError):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, lambda f: pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL))
        for name in kinds or (kind,):
            for old in target.parent.glob(f"{name}-*.pickle"):
                if old.name.split("-", 1)[1] != key:
                    with contextlib.suppress(OSError):
                        old.unlink()


def _bundle_signature() -> str | None:
    """The names, sizes and modification times of the bundled data files (no reading, no
    hashing): what the digest memo is keyed on. None if they are not plain files."""
    root = Path(__file__).resolve().parent.parent / "data"
    parts: list[str] = []
    try:
        for folder in ("reference", "sources"):
            for entry in sorted(os.scandir(root / folder), key=lambda e: e.name):
                if entry.is_file():
                    stat = entry.stat()
                    parts.append(f"{folder}/{entry.name} {stat.st_size} {stat.st_mtime_ns}")
    except OSError:
        return None
    return "\n".join(parts) or None


def _current_digest(store_path: Path | None) -> str:
    """:func:`bundle_digest`, remembered beside an on-disk store (``<store>.cache/bundle-digest``)
    for as long as the bundled files keep their names, sizes and times.

    Every open compares the store's digest with this one; reading and hashing the bundled files
    (and importing what that takes) was a tenth of a quick question.
    """
    signature = _bundle_signature() if store_path is not None else None
    if signature is None:
        return bundle_digest()
    memo = cache_dir(store_path) / "bundle-digest"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        known, _, digest = memo.read_text(encoding="utf-8").rpartition("\n")
        if known == signature and len(digest) == 32:
            return digest
    digest = bundle_digest()
    from carrierkg.graph.files import write_atomic

    with contextlib.suppress(OSError, InputError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(memo, signature + "\n" + digest)
    return digest


def _bundled_quads() -> list[ox.Quad]:
    from carrierkg.data import bundled_files

    quads: list[ox.Quad] = []
    for path in bundled_files():
        quads.extend(parse_file(path))
    return quads


def _digest_quad() -> ox.Quad:
    return ox.Quad(ox.NamedNode(STORE_META), ox.NamedNode(CKG.bundleDigest), ox.Literal(bundle_digest()),
                   ox.NamedNode(GRAPH_META))


def _build(kg: OxigraphGraph) -> None:
    kg._write([*_bundled_quads(), kg._schema_quad(), _digest_quad()])


def _refresh_bundled(kg: OxigraphGraph) -> None:
    """Replace the bundled sources' graphs with this version's; other sources stay as they are.

    The old graphs are dropped and the new ones written in two transactions; if the process
    dies between them the digest still differs, so the next open finishes the refresh.
    """
    quads = _bundled_quads()
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    old = kg.select("SELECT ?v WHERE { GRAPH ?m { ?s ckg:bundleDigest ?v } }",
                    {"m": iri(GRAPH_META), "s": iri(STORE_META)})
    kg._write([], drop_graphs=graphs)
    for row in old:
        kg.store.remove(ox.Quad(ox.NamedNode(STORE_META), ox.NamedNode(CKG.bundleDigest), row["v"],
                                ox.NamedNode(GRAPH_META)))
    kg._write([*quads, _digest_quad()])
