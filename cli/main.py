"""The carrierkg command-line app: global options, and the command groups registered on it.

Each command group lives in its own module under ``cli/`` with a ``register(app)`` function.
Heavy libraries (rdflib, networkx, pyvis, spaCy) are imported inside command bodies so that
``carrierkg --help`` and simple questions start instantly.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from carrierkg.cli.common import SafeGroup, state

__all__ = ["app", "main"]

app = typer.Typer(
    name="carrierkg",
    cls=SafeGroup,
    help=(
        "A knowledge graph of telecom carrier relationships: who licenses, owns, partners with, "
        "forms joint ventures with, shares infrastructure with and supplies whom, and which "
        "source says so.\n\n"
        "\b\nExamples:\n"
        '  carrierkg ask "who partners with China Telecom"\n'
        "  carrierkg sparql 'SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name }'\n"
        "  carrierkg --store memory stats"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: Modules that add commands to the app, in the order their commands are listed.
COMMAND_MODULES = [
    "carrierkg.cli.data",
    "carrierkg.cli.sparql",
    "carrierkg.cli.questions",
    "carrierkg.cli.serve",
    "carrierkg.cli.extract",
    "carrierkg.cli.ingest",
    "carrierkg.cli.maps",
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"carrierkg {version('carrierkg')}")
        raise typer.Exit()


@app.callback()
def _global_options(
    store: Annotated[
        str | None,
        typer.Option("--store", envvar="CARRIERKG_STORE", metavar="PATH|memory|URL",
                     help="The store: a directory (embedded Oxigraph, the default is in your user data "
                          "directory), 'memory', or a SPARQL endpoint URL."),
    ] = None,
    update_url: Annotated[
        str | None,
        typer.Option("--update-url", envvar="CARRIERKG_UPDATE_URL", metavar="URL",
                     help="SPARQL Update URL of a remote store, when it differs from the query URL."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    state.store = store
    state.update_url = update_url


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """The console script: run the app."""
    app()


if __name__ == "__main__":
    main()
