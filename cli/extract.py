"""The ``extract`` command: print the candidate facts an article states, writing nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from carrierkg.cli.common import FormatOption, OutputFormat, emit_rows, fail

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
    character span of the text, and a confidence from 0 to 1.

    \b
    Examples:
      carrierkg extract article.txt
      carrierkg extract article.txt --format json
      carrierkg extract article.txt --min-confidence 0.6
    """
    from carrierkg.graph.errors import CarrierKGError
    from carrierkg.ingest.extract import extract_file

    try:
        result = extract_file(file)
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


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to the app."""
    app.command("extract")(extract_command)
