"""The ``ingest`` and ``retract`` commands: review an article's facts into the store, or take a source out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import emit_rows, fail, get_kg, info

__all__ = ["ingest_command", "register", "retract_command"]

#: Input larger than this many bytes is refused (an article is a few kB of text).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class IngestFormat(StrEnum):
    table = "table"
    json = "json"


def _interactive() -> bool:
    """Whether a person can answer questions (standard input is a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _console():
    import os

    from rich.console import Console

    width = None if sys.stderr.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=True, highlight=False, width=width)


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _show_candidates(prepared) -> None:
    from rich.markup import escape
    from rich.table import Table

    name = prepared.article.file_name or "the article"
    if not prepared.candidates:
        info(f"{name}: no candidate facts.")
        return

    table = Table(title=f"Candidate facts in {escape(name)}", header_style="bold", title_justify="left")
    for col in ("#", "type", "subject", "object", "conf", "evidence"):
        table.add_column(col, overflow="fold")
    for i, r in enumerate(prepared.candidates, 1):
        table.add_row(str(i), r.type, escape(r.subject), escape(r.object), f"{r.confidence:.2f}",
                      escape(_one_line(r.evidence.text, 70)))
    _console().print(table)


def _reviewer(total: int):
    """An ``accept`` callable that asks about each candidate: y(es), n(o), a(ll), q(uit)."""
    import click

    state = {"all": False, "quit": False, "i": 0}

    def accept(r) -> bool:
        state["i"] += 1
        if state["all"]:
            return True
        if state["quit"]:
            return False
        typer.echo(f"[{state['i']}/{total}] {r.type}: {_one_line(r.subject, 60)} -> {_one_line(r.object, 60)} "
                   f"(confidence {r.confidence:.2f})", err=True)
        typer.echo(f"    {_one_line(r.evidence.text, 160)}", err=True)
        answer = typer.prompt("Accept? y(es) / n(o) / a(ll remaining) / q(uit, reject the rest)", default="y",
                              type=click.Choice(["y", "n", "a", "q"], case_sensitive=False), show_choices=False,
                              err=True).lower()
        if answer == "a":
            state["all"] = True
            return True
        if answer == "q":
            state["quit"] = True
            return False
        return answer == "y"

    return accept


def ingest_command(
    files: Annotated[list[Path], typer.Argument(help="Articles: UTF-8 text files.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept every candidate without asking.")] = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out weaker candidates (0 to 1).")
    ] = 0.0,
    title: Annotated[str | None, typer.Option("--title", help="The article's title (one FILE only).")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it (one FILE only).")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY[-MM[-DD]]",
                                             help="When it was published (one FILE only).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published, http(s) (one FILE only).")]
    = None,
    fmt: Annotated[IngestFormat, typer.Option("--format", "-f", case_sensitive=False,
                                              help="Output: table (source IRIs) or json (full reports).")]
    = IngestFormat.table,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse larger files.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Read articles into the graph: review each candidate fact, then write the accepted ones.

    Each article becomes one source (a named graph whose IRI comes from the hash of its text),
    written in one validated transaction with its title, publisher, date, URL and hash.
    Organisations the graph knows are matched by their names and aliases; new ones are
    created with their type. Ingesting the same text again changes nothing.

    For each candidate answer y(es), n(o), a(ll remaining) or q(uit: reject the rest).
    Without a terminal, pass --yes. The source IRI of each article goes to stdout, the
    summary to stderr.

    \b
    Examples:
      carrierkg ingest article.txt
      carrierkg ingest --yes --min-confidence 0.7 news/*.txt
      carrierkg ingest article.txt --title "Northwind buys Southwind" --date 2024-05-02 \\
          --url https://example.com/news/1
      carrierkg ingest --yes article.txt --format json
    """
    from carrierkg.ingest.ingest import commit, prepare, read_article

    if len(files) > 1 and any(v is not None for v in (title, publisher, date, url)):
        fail("--title, --publisher, --date and --url describe one article; give a single FILE with them")
    if not yes and not _interactive():
        fail("standard input is not a terminal, so carrierkg cannot ask about each candidate; "
             "pass --yes to accept them all (with --min-confidence to leave out weak ones)")
    # every file is checked before anything is written
    for f in files:
        read_article(f, max_bytes=max_bytes)
    kg = get_kg(read_only=False)
    reports = []
    meta = {"title": title, "publisher": publisher, "date": date, "url": url}

    def one(path: Path, show) -> None:
        prepared = prepare(kg, path, min_confidence=min_confidence, max_bytes=max_bytes, **meta)
        if prepared.already_ingested:
            report = commit(kg, prepared, [])
        else:
            if not yes:
                _show_candidates(prepared)
                review = _reviewer(len(prepared.candidates))
                accepted = [r for r in prepared.candidates if review(r)]
            else:
                if len(files) == 1:
                    _show_candidates(prepared)
                accepted = list(prepared.candidates)
            report = commit(kg, prepared, accepted)
        show(report.summary())
        for s in report.skipped:
            show(f"  skipped {s['type']}: {_one_line(s['subject'], 50)} -> {_one_line(s['object'], 50)}: "
                 f"{s['reason']}")
        reports.append(report)

    if yes and len(files) > 1:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = _console()
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("Ingesting", total=len(files))
            for f in files:
                one(f, lambda line: console.print(line, markup=False, highlight=False, soft_wrap=True))
                progress.advance(task)
    else:
        for f in files:
            one(f, info)

    if fmt is IngestFormat.json:
        emit_rows([], fmt="json", document=[r.as_dict() for r in reports])
        return
    for r in reports:
        if r.written or r.already_ingested:
            sys.stdout.write(r.source + "\n")


def retract_command(
    source: Annotated[str, typer.Argument(help="The source: its IRI, key (sha256-...), bundled file stem, or the "
                                               "article's file.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Allow retracting the reference data.")] = False,
) -> None:
    """Remove a source and the facts only it states; facts other sources state stay.

    \b
    Examples:
      carrierkg retract sha256-3f9a1c0d2b7e4a55
      carrierkg retract article.txt --yes
      carrierkg retract 004_110dc85f55a30326
    """
    from carrierkg.ingest.ingest import find_source, retract
    from carrierkg.ontology.namespaces import GRAPH_REFERENCE

    if not yes and not _interactive():
        fail("standard input is not a terminal, so carrierkg cannot ask for confirmation; pass --yes")
    kg = get_kg(read_only=False)
    found = find_source(kg, source)
    if found == GRAPH_REFERENCE and not force:
        retract(kg, found)  # raises: the reference data needs --force
    if not yes:
        quads = kg.count_quads(found)
        if not typer.confirm(f"Retract {found} ({quads} quads)?", default=False, err=True):
            info("Nothing retracted.")
            return
    report = retract(kg, found, force=force)
    info(report.summary())
    sys.stdout.write(report.source + "\n")


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` and ``retract`` commands to the app."""
    app.command("ingest")(ingest_command)
    app.command("retract")(retract_command)
