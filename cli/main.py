"""The carrierkg command-line app: global options, and the command groups registered on it.

Each command group lives in its own module under ``cli/`` with a ``register(app)`` function.
A run registers only its command (see :func:`main`). Heavy libraries (rdflib,
networkx, pyvis, spaCy) are imported inside command bodies so that ``carrierkg --help`` and
simple questions start instantly.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from carrierkg.cli.common import SafeGroup, state

__all__ = ["COMMANDS", "app", "build_app", "main"]  # noqa: F822 - app: built on first use (__getattr__)

_HELP = (
    "A knowledge graph of telecom carrier relationships: who licenses, owns, partners with, "
    "forms joint ventures with, shares infrastructure with and supplies whom, and which "
    "source says so.\n\n"
    "\b\nExamples:\n"
    '  carrierkg ask "who partners with China Telecom"\n'
    "  carrierkg sparql 'SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name }'\n"
    "  carrierkg --store memory stats"
)

#: The modules that add commands to the app, in the order their commands are listed, and the
#: commands each adds (a test checks this against what they register).
COMMANDS: dict[str, tuple[str, ...]] = {
    "carrierkg.cli.data": ("load", "validate", "export", "stats", "sources"),
    "carrierkg.cli.sparql": ("sparql",),
    "carrierkg.cli.questions": ("ask", "show", "partners", "path", "central", "communities"),
    "carrierkg.cli.serve": ("serve",),
    "carrierkg.cli.extract": ("extract",),
    "carrierkg.cli.ingest": ("ingest", "retract"),
    "carrierkg.cli.maps": ("map",),
}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"carrierkg {version('carrierkg')}")
        raise typer.Exit()


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


def build_app(modules: list[str] | None = None, *, command: str | None = None) -> typer.Typer:
    """The app with the commands of ``modules`` (default: all of :data:`COMMANDS`), or only
    ``command`` of them."""
    built = typer.Typer(
        name="carrierkg",
        cls=SafeGroup,
        help=_HELP,
        no_args_is_help=True,
        add_completion=False,
        suggest_commands=False,  # Click suggests already: once is enough
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_global_options)
    for name in COMMANDS if modules is None else modules:
        importlib.import_module(name).register(built)
    if command is not None:
        built.registered_commands = [c for c in built.registered_commands if c.name == command]
    return built


#: Global options that take a value (``carrierkg --store X ask ...``).
_VALUED = ("--store", "--update-url")


def _command_of(args: list[str]) -> tuple[str, str] | None:
    """The module and name of the command ``args`` run, if it can be told; None for the whole app.

    Typer builds a Click command, with every parameter, for each command registered: about
    40 ms for all of them. A run needs one, so only it is registered; ``--help``, no command
    or an unknown one get the whole app (the list of commands, or Click's suggestions).
    """
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _VALUED:
            i += 2
            continue
        if arg.startswith("--") and arg.split("=", 1)[0] in _VALUED:
            i += 1
            continue
        if arg.startswith("-"):
            return None  # --help, --version, or an option Click should judge
        return next(((module, arg) for module, names in COMMANDS.items() if arg in names), None)
    return None


def __getattr__(name: str):
    # ``app``, with every command, is built when first asked for (tests, documentation tools);
    # the console script builds only what the command line needs
    if name == "app":
        full = globals()["app"] = build_app()
        return full
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The console script: run the app."""
    found = _command_of(sys.argv[1:])
    if found is None:
        build_app()()
    else:
        module, command = found
        build_app([module], command=command)()


if __name__ == "__main__":
    main()
