"""Question commands: ask, show, partners, path, central, communities.

Each command parses its arguments, calls :mod:`carrierkg.graph.questions` /
:mod:`carrierkg.graph.answers` and formats the rows. Tables list the sources of each row
by number, with the numbered sources below the table; JSON carries IRIs beside labels and
the sources of each row. No connection between two organisations is an answer, not an
error: ``path`` says so on stderr and exits 0.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from carrierkg.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    RelationOption,
    emit_rows,
    get_kg,
    info,
)

__all__ = ["register"]


class Measure(StrEnum):
    degree = "degree"
    betweenness = "betweenness"
    pagerank = "pagerank"
    eigenvector = "eigenvector"
    closeness = "closeness"


class Method(StrEnum):
    louvain = "louvain"
    greedy = "greedy"
    label_propagation = "label_propagation"


def _source_text(s: dict) -> str:
    title = s.get("title") or s["iri"]
    where = s.get("url") or s["iri"]
    return title if where == title else f"{title} <{where}>"


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def _emit(rows: list[dict], columns: list[str], fmt: OutputFormat, *, title: str = "", summary: str = "",
          document: dict | None = None, empty: str = "No results.", sparql: str | None = None) -> None:
    """Print answer rows: a table with numbered sources, JSON, or CSV."""
    if fmt is OutputFormat.json:
        doc = dict(document) if document is not None else {"answer": summary, "rows": rows}
        if sparql is not None:
            doc["sparql"] = sparql
        emit_rows(rows, fmt=fmt, document=doc)
        return
    has_sources = any("sources" in r for r in rows)
    if fmt is OutputFormat.csv:
        iri_cols = [c + "_iri" for c in columns if any(c + "_iri" in r for r in rows)]
        extra = [c for c in ("rel",) if any(c in r for r in rows)]
        out = [{**{c: _cell(r.get(c)) for c in columns + iri_cols + extra},
                **({"sources": "; ".join(_source_text(s) for s in r.get("sources", []))} if has_sources else {})}
               for r in rows]
        emit_rows(out, columns + iri_cols + extra + (["sources"] if has_sources else []), fmt=fmt)
        if sparql is not None:
            info(sparql)
        return
    if summary and rows:
        print(summary)
    numbers: dict[str, int] = {}
    sources: list[dict] = []
    display = []
    for r in rows:
        d = {c: _cell(r.get(c)) for c in columns}
        if has_sources:
            refs = []
            for s in r.get("sources", []):
                if s["iri"] not in numbers:
                    numbers[s["iri"]] = len(numbers) + 1
                    sources.append(s)
                refs.append(f"[{numbers[s['iri']]}]")
            d["sources"] = " ".join(refs)
        display.append(d)
    shown = columns + (["sources"] if has_sources else [])
    emit_rows(display, shown, fmt=fmt, title=title or None, empty=summary or empty)
    if sources:
        print("Sources:")
        for s in sources:
            print(f"  [{numbers[s['iri']]}] {_source_text(s)}")
    if sparql is not None:
        print("\nSPARQL:\n" + sparql)


# -- ask ------------------------------------------------------------------------------------

def ask(
    question: Annotated[str, typer.Argument(help="A question in plain English.", show_default=False)],
    sparql: Annotated[bool, typer.Option("--sparql", help="Also print the SPARQL the answer ran.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """Answer a question in plain English, with the sources of every answer.

    Understood forms (several wordings each): who partners with X; who does X share
    infrastructure with; which licences does X hold / who licensed X; what has regulator R
    licensed; who regulates X / which regulator oversees COUNTRY; who owns X / what does X
    own / subsidiaries of X; which joint ventures is X in; who supplies X / which vendors
    were removed from X; how is X connected to Y; which carriers are most central / most
    connected; which carriers operate in COUNTRY; what do we know about X.

    \b
    Examples:
      carrierkg ask "who partners with China Telecom"
      carrierkg ask "which licences does BT hold" --sparql
      carrierkg ask "which regulator oversees China"
      carrierkg ask "how is BT connected to China Telecom"
      carrierkg ask "who partners with AT&T" --as-of 2005 --format json
    """
    from carrierkg.graph.errors import NoAnswerError
    from carrierkg.graph.questions import answer

    kg = get_kg(read_only=True)
    try:
        result = answer(kg, question, as_of=as_of, relations=relation)
    except NoAnswerError as exc:
        info("Questions I understand:")
        for line in getattr(exc, "forms", []):
            info("  " + line)
        raise
    _emit(result.rows, result.columns, fmt, title=result.title, summary=result.text,
          document=result.document(), empty=result.text, sparql=result.sparql if sparql else None)


# -- show -----------------------------------------------------------------------------------

def show(
    org: Annotated[str, typer.Argument(help="An organisation: name, alias or IRI.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """Profile of an organisation: type, country, aliases, and every relationship with sources.

    \b
    Examples:
      carrierkg show BT
      carrierkg show "China Telecom" --format json
      carrierkg show AT&T --relation partnership --as-of 2012
    """
    from carrierkg.graph.answers import profile

    kg = get_kg(read_only=True)
    rows = profile(kg, org, as_of=as_of, relations=relation)
    head = rows.info
    if fmt is OutputFormat.table:
        print(f"{head['label']} ({head['type']})")
        print(f"  IRI: {head['iri']}")
        if head.get("country"):
            print(f"  Country: {head['country']}")
        if head.get("aliases"):
            print(f"  Also known as: {', '.join(head['aliases'])}")
        for key in ("wikidata", "lei"):
            if head.get(key):
                print(f"  {key.capitalize() if key == 'wikidata' else key.upper()}: {head[key]}")
        print()
    _emit(list(rows), ["relationship", "counterpart", "counterpart_type", "details", "start", "end", "status"],
          fmt, title="Relationships", document={"organisation": head, "rows": list(rows)},
          empty=f"No relationships of {head['label']} in the graph.")


# -- partners -------------------------------------------------------------------------------

def partners(
    org: Annotated[str, typer.Argument(help="An organisation: name, alias or IRI.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """Organisations linked to ORG by partnerships, joint ventures and infrastructure sharing.

    \b
    Examples:
      carrierkg partners "China Telecom"
      carrierkg partners AT&T --relation sharing
      carrierkg partners AT&T --as-of 2005 --format csv
    """
    from carrierkg.graph.answers import partners_of
    from carrierkg.graph.names import resolve

    kg = get_kg(read_only=True)
    o = resolve(kg, org)
    rows = partners_of(kg, o, as_of=as_of, relations=relation)
    _emit(list(rows), ["partner", "partner_type", "relationship", "via", "details", "start", "end", "status"],
          fmt, title=f"Partners of {o.label}",
          document={"organisation": {"label": o.label, "iri": o.iri}, "rows": list(rows)},
          empty=f"No partners of {o.label} in the graph" + (f" as of {as_of}." if as_of else "."))


# -- path -----------------------------------------------------------------------------------

def path(
    a: Annotated[str, typer.Argument(help="The first organisation.", show_default=False)],
    b: Annotated[str, typer.Argument(help="The second organisation.", show_default=False)],
    max_hops: Annotated[int | None, typer.Option("--max-hops", min=1, help="The longest connection to show "
                                                 "(default: any length; 3 with --all).")] = None,
    all_paths: Annotated[bool, typer.Option("--all", help="List every connection of at most --max-hops hops, "
                                            "not only the shortest.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """How two organisations are connected, each hop explained (relationship, date, source).

    Organisations are connected through their relationships; when they are not, the
    connection may pass through a country both are tied to (both operate in China, say).
    No connection is an answer: a message on stderr and exit code 0.

    \b
    Examples:
      carrierkg path BT "China Telecom"
      carrierkg path AT&T "America Movil" --all --max-hops 4
      carrierkg path BT EE --as-of 2010 --format json
    """
    from carrierkg.graph.answers import connection
    from carrierkg.graph.names import resolve

    kg = get_kg(read_only=True)
    x, y = resolve(kg, a), resolve(kg, b)
    rows = connection(kg, x, y, as_of=as_of, relations=relation, max_hops=max_hops, all_paths=all_paths)
    if rows:
        n = len({r["path"] for r in rows})
        through = " (through a place both are tied to)" if rows.through_places else ""
        summary = (f"{n} connection{'s' if n != 1 else ''} between {x.label} and {y.label}{through}."
                   if all_paths else f"{x.label} is connected to {y.label} in {len(rows)} "
                   f"hop{'s' if len(rows) != 1 else ''}{through}.")
    else:
        limit = f" within {max_hops or 3 if all_paths else max_hops} hops" if (max_hops or all_paths) else ""
        summary = f"No connection between {x.label} and {y.label}{limit}" + (f" as of {as_of}." if as_of else ".")
    columns = ["path", "hop", "from", "relationship", "to", "date"] if all_paths else \
        ["hop", "from", "relationship", "to", "date"]
    _emit(list(rows), columns, fmt, title=f"From {x.label} to {y.label}", summary=summary,
          document={"from": {"label": x.label, "iri": x.iri}, "to": {"label": y.label, "iri": y.iri},
                    "connected": bool(rows), "answer": summary, "rows": list(rows)},
          empty=summary)


# -- central --------------------------------------------------------------------------------

def central(
    measure: Annotated[Measure, typer.Option("--measure", "-m", help="The centrality measure.",
                                             case_sensitive=False)] = Measure.degree,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many to list.")] = 10,
    types: Annotated[list[str] | None, typer.Option("--type", "-t", metavar="TYPE",
                                                    help="Only these types (repeatable): Carrier, Regulator, "
                                                         "Vendor, Company, JointVenture.")] = None,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """The most central organisations, ranked, with their score.

    \b
    Examples:
      carrierkg central
      carrierkg central --measure pagerank --top 5 --type Carrier
      carrierkg central --measure betweenness --as-of 2015 --format csv
    """
    from carrierkg.graph.answers import most_central

    kg = get_kg(read_only=True)
    rows = most_central(kg, measure=measure.value, top=top, types=types, as_of=as_of, relations=relation)
    _emit(list(rows), ["rank", "label", "type", "score", "connections"], fmt,
          title=f"Most central by {measure.value}",
          document={"measure": measure.value, "rows": list(rows)})


# -- communities ----------------------------------------------------------------------------

def communities(
    method: Annotated[Method, typer.Option("--method", help="networkx community detection method.",
                                           case_sensitive=False)] = Method.louvain,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Leave out smaller groups.")] = 2,
    fmt: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    relation: RelationOption = None,
) -> None:
    """Groups of closely connected organisations.

    \b
    Examples:
      carrierkg communities
      carrierkg communities --method greedy --format json
      carrierkg communities --relation partners --as-of 2015
    """
    from carrierkg.graph.communities import communities as find
    from carrierkg.graph.projection import project

    kg = get_kg(read_only=True)
    G = project(kg, as_of=as_of, relations=relation)
    rows = find(G, method=method.value, min_size=min_size)
    _emit(rows, ["community", "size", "members"], fmt, title="Communities",
          document={"method": method.value, "rows": rows}, empty="No communities (no relationships).")


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
    app.command("show")(show)
    app.command("partners")(partners)
    app.command("path")(path)
    app.command("central")(central)
    app.command("communities")(communities)
