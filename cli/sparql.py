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
        if not path.is_file():
            fail(f"{path}: no such query file")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{path}: not a UTF-8 text file")
    if query == "-":
        return sys.stdin.read()
    return query


def sparql(
    query: Annotated[str, typer.Argument(help="The query text, @file.rq to read it from a file, or - for stdin.",
                                         show_default=False)],
    fmt: FormatOption = OutputFormat.table,
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

    from carrierkg.graph.store import python_value
    from carrierkg.ontology.namespaces import PREFIXES

    kg = get_kg(read_only=True)
    result = kg.query(_read_query(query))
    if isinstance(result, ox.QueryBoolean):
        if fmt is OutputFormat.json:
            sys.stdout.write('{"head": {}, "boolean": %s}\n' % ("true" if bool(result) else "false"))
        else:
            print("true" if bool(result) else "false")
        return
    if isinstance(result, ox.QueryTriples):
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


def _show(term, python_value):
    from carrierkg.ontology.namespaces import PREFIXES

    value = python_value(term)
    if isinstance(value, str) and term is not None and type(term).__name__ == "NamedNode":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and len(value) > len(ns):
                return f"{prefix}:{value[len(ns):]}"
    return value


def register(app: typer.Typer) -> None:
    app.command("sparql")(sparql)
