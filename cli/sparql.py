"""The ``sparql`` command: run a query from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import FormatOption, OutputFormat, emit_rows, fail, get_kg

__all__ = ["register"]


def _read_query(query: str) -> str:
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            if not path.is_file():
                fail(f"{path}: no such query file")
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{path}: not a UTF-8 text file")
        except (OSError, ValueError) as exc:  # a name too long, a file we may not read, a NUL in the name
            fail(f"{path}: cannot read the query file: {getattr(exc, 'strerror', None) or exc}")
    if query == "-":
        return sys.stdin.read()
    return query


def sparql(
    query: Annotated[str, typer.Argument(help="The query text, @file.rq to read it from a file, or - for stdin.",
                                         show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Stop the query after this many seconds "
                                           "(0: no limit).")] = 60.0,
) -> None:
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all sources.

    The prefixes ckg:, id:, skos:, dcterms:, schema:, prov:, org:, rdfs:, xsd: and the
    vocabulary prefixes lt:, asset:, status: are declared for you. SELECT prints a table
    (or SPARQL JSON / CSV results with --format), ASK prints true or false (exit 0 either
    way), CONSTRUCT and DESCRIBE print Turtle.

    \b
    Examples:
      carrierkg sparql 'SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name'
      carrierkg sparql 'ASK { ?d a ckg:InfrastructureSharingDeal }'
      carrierkg sparql @queries/partners.rq --format json
    """
    import pyoxigraph as ox

    from carrierkg.graph.limits import call_with_timeout
    from carrierkg.graph.store import OxigraphGraph, python_value
    from carrierkg.ontology.namespaces import PREFIXES

    kg = get_kg(read_only=True)
    text = _read_query(query)
    if isinstance(kg, OxigraphGraph) and timeout:
        # the embedded engine cannot be interrupted: run the query in a child we can stop
        kind, data = call_with_timeout(lambda: _pack(kg.query(text)), timeout)
        result = _unpack(kind, data)
    else:
        result = kg.query(text)
    if isinstance(result, ox.QueryBoolean):
        if fmt is OutputFormat.json:
            sys.stdout.write('{"head": {}, "boolean": %s}\n' % ("true" if bool(result) else "false"))
        else:
            print("true" if bool(result) else "false")
        return
    if isinstance(result, ox.QueryTriples | _Triples):
        data = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        sys.stdout.buffer.write(data)
        return
    if fmt is OutputFormat.json:
        sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.JSON))
        sys.stdout.write("\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
        return
    names = [v.value for v in result.variables]
    rows = [{n: _show(sol[n], python_value) for n in names} for sol in result]
    emit_rows(rows, names, fmt=fmt)


def _pack(result) -> tuple[str, bytes]:
    """Query results as bytes, to cross a process boundary."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "solutions", b'{"head": {}, "boolean": %s}' % (b"true" if bool(result) else b"false")
    if isinstance(result, ox.QueryTriples):
        return "triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
    return "solutions", result.serialize(format=ox.QueryResultsFormat.JSON)


def _unpack(kind: str, data: bytes):
    import pyoxigraph as ox

    if kind == "triples":
        return _Triples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


class _Triples(list):
    """Triples of a CONSTRUCT result that crossed a process boundary."""

    def __init__(self, quads):
        import pyoxigraph as ox

        super().__init__(ox.Triple(q.subject, q.predicate, q.object) for q in quads)


def _show(term, python_value):
    from carrierkg.ontology.namespaces import PREFIXES

    value = python_value(term)
    if isinstance(value, str) and term is not None and type(term).__name__ == "NamedNode":
        # the longest namespace wins: orgid:bt rather than id:org/bt
        for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
            if value.startswith(ns) and len(value) > len(ns):
                return f"{prefix}:{value[len(ns):]}"
    return value


def register(app: typer.Typer) -> None:
    app.command("sparql")(sparql)
