"""The ``extract`` command: print the candidate facts an article states, writing nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import FormatOption, OutputFormat, emit_rows, fail, get_kg, info

__all__ = ["extract_command", "register"]


def extract_command(
    file: Annotated[Path, typer.Argument(help="The article: a UTF-8 text file.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out weaker candidates.")
    ] = 0.0,
) -> None:
    """Print the facts an article states (candidates with evidence); nothing is written.

    Relations follow the annotation conventions (licence_grant: regulator -> licensee,
    joint_venture: parent -> venture, ...). Each carries the sentence that states it as a
    character span of the text, and a confidence from 0 to 1. Organisations the store knows
    are printed with their canonical names (if the store cannot be read, as the article
    writes them).

    \b
    Examples:
      carrierkg extract article.txt
      carrierkg extract article.txt --format json
      carrierkg extract article.txt --min-confidence 0.6
    """
    from carrierkg.graph.errors import CarrierKGError
    from carrierkg.ingest.extract import extract_file

    try:
        result = extract_file(file, known_names=_known_names())
    except CarrierKGError as exc:
        fail(str(exc))
    result.relations = [r for r in result.relations if r.confidence >= min_confidence]
    if fmt is OutputFormat.json:
        sys.stdout.write(result.to_json() + "\n")
        return
    names = ["type", "subject", "object", "confidence", "evidence"]
    rows = [
        {
            "type": r.type,
            "subject": r.subject,
            "object": r.object,
            "confidence": f"{r.confidence:.2f}",
            "evidence": r.evidence.text,
        }
        for r in result.relations
    ]
    emit_rows(rows, names, fmt=fmt)


def _known_names() -> dict[str, str] | None:
    """The names and aliases the store knows -> canonical names; None (with a note) if it cannot be read."""
    from carrierkg.graph.errors import CarrierKGError

    try:
        from carrierkg.ingest.facts import known_names

        return known_names(get_kg(read_only=True))
    except CarrierKGError as exc:
        info(f"Note: the store cannot be read ({exc}); names are printed as the article writes them.")
        return None


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to the app."""
    app.command("extract")(extract_command)
