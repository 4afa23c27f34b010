"""Every command has help text with examples, and the README shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from carrierkg.cli.main import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)


@pytest.mark.parametrize("name", commands())
def test_command_has_help_with_examples(cli, name):
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert "Usage: carrierkg " + name in result.stdout
    assert "Examples:" in result.stdout, f"'carrierkg {name} --help' shows no examples"
    group = typer.main.get_command(app)
    assert group.commands[name].help, f"{name} has no help text"


@pytest.mark.parametrize("name", commands())
def test_command_appears_in_readme(name):
    assert f"carrierkg {name}" in README, f"the README does not show 'carrierkg {name}'"


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## A short tour")]
    assert "make run" in head and "make test" in head


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = (
        "import sys; from carrierkg.cli.main import app;"
        "heavy = [m for m in ('rdflib', 'networkx', 'pyvis', 'spacy', 'pyshacl', 'IPython', 'pandas')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing the CLI imports {result.stdout.strip()}"
