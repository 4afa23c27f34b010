"""What every command shares: the store option, output formats, error handling.

Commands parse, call the library and format; they never hold library logic. Data goes to
stdout; messages and hints go to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from carrierkg.graph.errors import CarrierKGError
from carrierkg.graph.files import write_atomic

__all__ = [
    "AsOfOption",
    "FormatOption",
    "OutputFormat",
    "RelationOption",
    "SafeGroup",
    "emit_rows",
    "fail",
    "get_kg",
    "info",
    "state",
    "write_atomic",
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format: table for people, json or csv for programs.",
                 case_sensitive=False),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Only relationships in force on this date (YYYY, YYYY-MM or YYYY-MM-DD).",
                 metavar="DATE"),
]
RelationOption = Annotated[
    list[str] | None,
    typer.Option("--relation", "-r", help="Only these relation types (repeatable), e.g. partnership.",
                 metavar="TYPE"),
]


class _State:
    """Options given before the command (``carrierkg --store X ask ...``)."""

    store: str | None = None
    update_url: str | None = None
    _kg = None

    def reset(self) -> None:
        if self._kg is not None:
            self._kg.close()
        self.store = None
        self.update_url = None
        self._kg = None


state = _State()


def get_kg(*, read_only: bool = True):
    """Open the store the user chose (``--store``, ``$CARRIERKG_STORE`` or the default)."""
    from carrierkg.graph.store import open_store

    if state._kg is not None and (read_only or not state._kg.read_only):
        return state._kg
    if state._kg is not None:
        state._kg.close()
        state._kg = None
    state._kg = open_store(state.store, read_only=read_only, update_url=state.update_url)
    return state._kg


def info(message: str) -> None:
    """A message for the person at the terminal (stderr)."""
    print(message, file=sys.stderr)


def fail(message: str, code: int = 1):
    """Stop with ``Error: message`` on stderr and exit ``code``; the message is made one line."""
    if len(message.splitlines()) > 1 or "\r" in message:
        message = " ".join(message.split())
    print(f"Error: {message}", file=sys.stderr)
    raise typer.Exit(code)


class SafeGroup(TyperGroup):
    """The app's command group: known errors become one line and exit 1, never a traceback.

    Set ``CARRIERKG_DEBUG=1`` to see the traceback of an unexpected error.
    """

    def invoke(self, ctx: click.Context) -> Any:
        debug = os.environ.get("CARRIERKG_DEBUG") == "1"
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, typer.Exit):
            raise
        except CarrierKGError as exc:
            if debug:
                raise
            fail(str(exc))
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:
            if debug:
                raise
            text = " ".join(str(exc).split()) or type(exc).__name__
            fail(f"unexpected {type(exc).__name__}: {text} (set CARRIERKG_DEBUG=1 for details)")
        finally:
            state.reset()


def _cell(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit_rows(rows: Sequence[dict], columns: Sequence[str] | None = None, *, fmt: OutputFormat | str = "table",
              title: str | None = None, headers: dict[str, str] | None = None, empty: str = "No results.",
              document: Any = None) -> None:
    """Print rows as a table (people), JSON (programs) or CSV (spreadsheets).

    ``columns`` picks and orders the columns for table and CSV; JSON carries every key of
    every row (IRIs beside labels, sources as lists). ``document`` replaces the rows list as
    the JSON output when a command returns more than rows.
    """
    fmt = OutputFormat(fmt)
    rows = list(rows)
    if columns is None:
        columns = list(dict.fromkeys(k for r in rows for k in r))
    if fmt is OutputFormat.json:
        out = document if document is not None else rows
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
        return
    if not rows:
        info(empty)
        return
    if len(rows) > PLAIN_TABLE_ROWS:
        _plain_table(rows, columns, title=title, headers=headers)
        return
    from rich.console import Console
    from rich.table import Table

    # titles, headers and cells may hold names from the data: never read them as rich markup
    table = Table(title=_escape_markup(title) if title else None, show_lines=False, header_style="bold")
    headers = headers or {}
    for c in columns:
        table.add_column(_escape_markup(headers.get(c, c.replace("_", " "))), overflow="fold")
    for r in rows:
        table.add_row(*(_escape_markup(_cell(r.get(c))) for c in columns))
    Console(soft_wrap=False, width=_width()).print(table)


#: Longer tables are drawn by :func:`_plain_table`: rich measures and renders every cell
#: (about 1 ms a row), which made the answer for a busy carrier (1,400 rows) take over a second.
PLAIN_TABLE_ROWS = 200


def _plain_table(rows: Sequence[dict], columns: Sequence[str], *, title: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
    """A long table in the look of the rich tables (heavy head, folded cells), drawn directly.

    Cells fold at spaces as :func:`textwrap.wrap` folds them (words longer than the column are
    cut); the common case, words one space apart that fit, is folded without textwrap.
    """
    width = _width()
    if width is None:
        import shutil

        width = shutil.get_terminal_size().columns
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    heads = [(headers or {}).get(c, c.replace("_", " ")) for c in columns]
    by_column = list(zip(*cells, strict=True)) if cells else [()] * len(columns)
    widths = [max(len(h), max(map(len, texts), default=0)) for h, texts in zip(heads, by_column, strict=True)]
    if sum(widths) > width - 3 * len(columns) - 1:  # too wide: some columns give way
        widths = _narrowed(widths, heads, by_column, width)

    out = []
    total = sum(widths) + 3 * len(widths) + 1
    if title:
        out.append(title.center(total).rstrip())
    out.append("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓")
    out.append("┃" + "┃".join(f" {h:<{w}} " for h, w in zip(heads, widths, strict=True)) + "┃")
    out.append("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")
    line = ("│" + "│".join(f" {{:<{w}}} " for w in widths) + "│").format
    blank = [""] * len(widths)
    for row in cells:
        if all(map(operator.le, map(len, row), widths)):
            out.append(line(*row))
            continue
        parts = [_fold(text, w) for text, w in zip(row, widths, strict=True)]
        for k in range(max(len(p) for p in parts)):
            out.append(line(*(p[k] if k < len(p) else b for p, b in zip(parts, blank, strict=True))))
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    sys.stdout.write("\n".join(out) + "\n")


def _narrowed(widths: list[int], heads: list[str], by_column: list[tuple[str, ...]], width: int) -> list[int]:
    """Column widths that fit ``width``: the columns that may give way narrowed in proportion to
    what they can give, none below its header or its longest word (at most 12)."""
    words = [max(map(len, " ".join(texts).split()), default=0) for texts in by_column]
    floor = [min(w, max(len(h), min(longest, 12))) for w, h, longest in zip(widths, heads, words, strict=True)]
    room = max(width - 3 * len(widths) - 1, sum(floor))
    excess = sum(widths) - room
    if excess <= 0:
        return widths
    give = [w - f for w, f in zip(widths, floor, strict=True)]
    total_give = sum(give)
    cut = [excess * g // total_give for g in give]
    for i in sorted(range(len(give)), key=lambda j: -give[j])[:excess - sum(cut)]:
        cut[i] += 1
    return [w - c for w, c in zip(widths, cut, strict=True)]


def _fold(text: str, w: int) -> list[str]:
    """The lines of a cell ``w`` wide: ``textwrap.wrap(text, w, break_on_hyphens=False)``.

    >>> _fold("Aurora Telecom and Borealis Mobile", 15)
    ['Aurora Telecom', 'and Borealis', 'Mobile']
    >>> _fold("towers,  spectrum", 8) == __import__("textwrap").wrap("towers,  spectrum", 8, break_on_hyphens=False)
    True
    """
    if len(text) <= w:
        return [text]
    words = text.split(" ")
    if "" in words or max(map(len, words)) > w or not text.isprintable():
        # runs of spaces, other white space, words to cut: textwrap's rules
        import textwrap

        return textwrap.wrap(text, w, break_on_hyphens=False) or [""]
    lines = []
    current = words[0]
    for word in words[1:]:
        if len(current) + 1 + len(word) <= w:
            current += " " + word
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def _escape_markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _width() -> int | None:
    if sys.stdout.isatty():
        return None
    return int(os.environ.get("COLUMNS", "160"))
