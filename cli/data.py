"""Commands that move data in and out of the store: load, validate, export, stats, sources."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import FormatOption, OutputFormat, emit_rows, get_kg, info, write_atomic

__all__ = ["register"]

RDF_FORMAT_NAMES = "turtle, trig, ntriples, nquads, jsonld, rdfxml"


def load(
    files: Annotated[list[Path] | None, typer.Argument(help="RDF files: Turtle, TriG, N-Triples, N-Quads, JSON-LD.",
                                                       show_default=False)] = None,
    rdf_format: Annotated[str | None, typer.Option("--format", help=f"Input format ({RDF_FORMAT_NAMES}); "
                                                   "default: from the file suffix.")] = None,
    graph: Annotated[str | None, typer.Option("--graph", metavar="IRI",
                                              help="Named graph for triples of triple-only formats (default: "
                                                   "the graph of the ckg:Source the file describes).")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled dataset (reference data and seed "
                                          "sources), e.g. into a remote store; loading it twice changes nothing.")]
    = False,
) -> None:
    """Load RDF files into the store, validated against the shapes first.

    Every file is parsed and validated before anything is written; one transaction then writes
    them all. A file that is malformed or does not conform leaves the store exactly as it was.

    \b
    Examples:
      carrierkg load deals.trig
      carrierkg load notes.ttl --graph https://w3id.org/carrierkg/id/source/my-notes
      carrierkg --store http://127.0.0.1:7878/query --update-url http://127.0.0.1:7878/update load --bundled

    A local store is built from the bundled data on first use; a remote store never fills
    itself (a shared graph belongs to its team): use --bundled to fill it.
    """
    from carrierkg.cli.common import fail

    if not files and not bundled:
        fail("name the files to load, or --bundled for the bundled dataset", code=2)
    paths: list = list(files or [])
    if bundled:
        from carrierkg.data import bundled_files

        paths = [str(f) for f in bundled_files()] + paths
    kg = get_kg(read_only=False)
    report = kg.load(paths, fmt=rdf_format, graph=graph)
    what = f"{len(report.files)} file(s)"
    if bundled:
        what = f"{len(report.files) - len(files or [])} bundled file(s)"
        what += f" and {len(files)} file(s)" if files else ""
    info(f"Loaded {report.quads} quads from {what} into {len(report.graphs)} named graph(s).")


def validate(
    files: Annotated[list[Path] | None, typer.Argument(help="RDF files to check (default: the whole store).",
                                                       show_default=False)] = None,
    rdf_format: Annotated[str | None, typer.Option("--format", help=f"Input format ({RDF_FORMAT_NAMES}).")] = None,
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="Report format: table or json.")]
    = OutputFormat.table,
) -> None:
    """Check data against the SHACL shapes and print a readable report.

    Exit code 0 when everything conforms, 1 when anything does not.

    \b
    Examples:
      carrierkg validate                 # the whole store
      carrierkg validate new-deals.trig
    """
    from carrierkg.graph.store import parse_file
    from carrierkg.graph.validate import validate as run

    kg = get_kg(read_only=True)
    failed = 0
    targets: list[tuple[str, list]] = []
    if files:
        for f in files:
            targets.append((str(f), parse_file(f, fmt=rdf_format)))
    else:
        targets.append((f"the store at {kg.location}", [q for q in kg.quads()]))
    results = []
    for name, quads in targets:
        report = run(quads, context=kg._context_for(quads) if files else None)
        results.append((name, report))
        if not report.conforms:
            failed += 1
    if output is OutputFormat.json:
        emit_rows([], fmt="json", document=[
            {"target": name, "conforms": r.conforms,
             "violations": [v.as_dict() for v in r.violations]} for name, r in results])
    else:
        for name, r in results:
            if r.conforms:
                print(f"{name}: conforms")
            else:
                print(f"{name}: {len(r.violations)} violation(s)")
                print(r.text())
    if failed:
        print(f"Error: {failed} of {len(results)} target(s) do not conform to the shapes", file=sys.stderr)
        raise typer.Exit(1)


def export(
    rdf_format: Annotated[str, typer.Option("--format", help="turtle, trig, nquads, ntriples or jsonld.")] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) "
                                                "instead of stdout.")] = None,
) -> None:
    """Write the whole dataset out, one named graph per source (in quad formats).

    \b
    Examples:
      carrierkg export --format trig > carrierkg.trig
      carrierkg export --format nquads -o backup.nq
    """
    kg = get_kg(read_only=True)
    data = kg.export(rdf_format)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
        info(f"Wrote {len(data)} bytes to {output}")


def stats(fmt: FormatOption = OutputFormat.table) -> None:
    """Counts: quads, named graphs, organisations and relationships by class, facts by source.

    \b
    Examples:
      carrierkg stats
      carrierkg stats --format json
    """
    from carrierkg.ontology.namespaces import CKG

    kg = get_kg(read_only=True)
    s = kg.stats()
    if fmt is OutputFormat.json:
        emit_rows([], fmt=fmt, document=s)
        return
    rows = [{"what": "quads", "count": s["quads"]}, {"what": "named graphs", "count": s["graphs"]}]
    rows += [{"what": c.removeprefix(str(CKG)), "count": n} for c, n in s["classes"].items()]
    emit_rows(rows, ["what", "count"], fmt=fmt, title=f"Store {kg.location}")


def sources(fmt: FormatOption = OutputFormat.table) -> None:
    """The sources in the store and how many facts each states.

    \b
    Examples:
      carrierkg sources
      carrierkg sources --format csv > sources.csv
    """
    kg = get_kg(read_only=True)
    rows = kg.sources()
    emit_rows(rows, ["title", "publisher", "date", "facts", "source"], fmt=fmt, title="Sources")


def register(app: typer.Typer) -> None:
    app.command("load")(load)
    app.command("validate")(validate)
    app.command("export")(export)
    app.command("stats")(stats)
    app.command("sources")(sources)
