"""The map command: the graph, or part of it, as an interactive HTML page that works offline."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import AsOfOption, RelationOption, get_kg, info

__all__ = ["register"]


class SizeBy(StrEnum):
    degree = "degree"
    pagerank = "pagerank"
    betweenness = "betweenness"


def _default_output(focus: str | None, path: tuple[str, str] | None) -> Path:
    words = [*path] if path else [focus] if focus else []
    stem = "-".join(w for w in (re.sub(r"[^a-z0-9]+", "-", x.casefold()).strip("-") for x in words) if w)
    return Path(f"{stem[:80] or 'carrierkg'}-map.html")


def _with(G, orgs):
    """``G`` with these organisations, which may have no relationships under the filters."""
    missing = [o for o in orgs if o.iri not in G]
    if missing:
        G = G.copy()
        G.add_nodes_from((o.iri, {"label": o.label, "type": o.type, "country": None, "aliases": []})
                         for o in missing)
    return G


def map_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE.html",
                                                help="Write the page here (atomically); '-' writes it to stdout. "
                                                     "Default: <focus>-map.html or carrierkg-map.html.")] = None,
    focus: Annotated[str | None, typer.Option("--focus", metavar="ORG",
                                              help="Draw only this organisation's neighbourhood.")] = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=0, metavar="N", help="Steps from --focus to draw.")] = 1,
    path: Annotated[tuple[str, str] | None, typer.Option("--path", metavar="A B",
                                                         help="Highlight the shortest connection between two "
                                                              "organisations.")] = None,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
    types: Annotated[list[str] | None, typer.Option("--type", "-t", metavar="TYPE",
                                                    help="Only these organisation types (repeatable): Carrier, "
                                                         "Regulator, Vendor, Company, JointVenture.")] = None,
    size_by: Annotated[SizeBy, typer.Option("--size-by", case_sensitive=False,
                                            help="The centrality measure that sizes the nodes.")] = SizeBy.degree,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, metavar="N",
                                           help="Keep at most this many organisations, the most central "
                                                "(closest to --focus first), and say what was left out.")] = 1500,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The page title.")] = None,
) -> None:
    """Draw relationships as an interactive map: one HTML file that works offline.

    Colours and shapes show organisation types, line colours and dashes relation types,
    node sizes centrality. Hover for a summary, click for the relationship and its sources;
    the legend filters, the search box finds an organisation. The file needs no network.
    Prints the path of the file written.

    \b
    Examples:
      carrierkg map --focus "China Telecom" --depth 2 -o china-telecom-map.html
      carrierkg map --path BT "China Telecom" -o bt-china-telecom.html
      carrierkg map --relation licence --as-of 2012 --type Carrier --type Regulator -o licences.html
      carrierkg map --size-by pagerank --max-nodes 300 --title "Who matters" -o top300.html
    """
    from carrierkg.graph.maps import build_map
    from carrierkg.graph.names import resolve
    from carrierkg.graph.projection import project

    kg = get_kg(read_only=True)
    focus_org = resolve(kg, focus) if focus is not None else None
    ends = [resolve(kg, name) for name in path] if path else []
    G = project(kg, as_of=as_of, relations=relation)
    missing = [o for o in [focus_org, *ends] if o is not None]
    G = _with(G, missing)
    options = {"focus": focus_org.iri if focus_org else None, "depth": depth, "path": [o.iri for o in ends] or None,
               "types": types, "size_by": size_by.value, "max_nodes": max_nodes, "title": title}
    result = build_map(G, **options)
    through_places = False
    if ends and not result.connected:  # as `carrierkg path` does: try through places both are tied to
        with_places = build_map(_with(project(kg, as_of=as_of, relations=relation, places=True), missing), **options)
        if with_places.connected:
            result, through_places = with_places, True
    if str(output) == "-":
        sys.stdout.write(result.html)
        sys.stdout.flush()
        target = "stdout"
    else:
        target_path = output if output is not None else _default_output(focus, path)
        result.save(target_path)
        print(target_path)
        target = str(target_path)
    info(f"Wrote {target}: {result.organisations:,} organisation{'s' if result.organisations != 1 else ''}, "
         f"{result.relationships:,} relationship{'s' if result.relationships != 1 else ''}")
    if ends and not result.connected:
        info(f"No connection between {ends[0].label} and {ends[1].label}"
             + (f" as of {as_of}" if as_of else "") + "; the map shows both without a path.")
    elif ends:
        hops = len(result.path) - 1
        info(f"Highlighted: {ends[0].label} is connected to {ends[1].label} in {hops} hop{'s' if hops != 1 else ''}"
             + (" (through a place both are tied to)." if through_places else "."))
    if result.omitted:
        text = result.omitted.describe()
        info(text[0].upper() + text[1:] + f" (raise --max-nodes above {max_nodes} to draw more).")


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)
