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


def test_commands_table_matches_what_modules_register():
    from carrierkg.cli.main import COMMANDS, build_app

    for module, names in COMMANDS.items():
        group = typer.main.get_command(build_app([module]))
        assert tuple(group.commands) == names, module
    assert sorted(n for names in COMMANDS.values() for n in names) == commands()


@pytest.mark.parametrize(("argv", "expected"), [
    (["ask", "who partners with BT"], ("carrierkg.cli.questions", "ask")),
    (["--store", "memory", "map", "--focus", "BT"], ("carrierkg.cli.maps", "map")),
    (["--store=memory", "--update-url", "http://x/update", "load", "f.nq"], ("carrierkg.cli.data", "load")),
    (["--help"], None),
    (["--version"], None),
    ([], None),
    (["--store", "memory"], None),
    (["askk"], None),
])
def test_a_run_registers_only_its_command(argv, expected):
    from carrierkg.cli.main import _command_of, build_app

    assert _command_of(argv) == expected
    if expected is not None:
        module, command = expected
        assert list(typer.main.get_command(build_app([module], command=command)).commands) == [command]


def test_console_script_runs_a_command_and_suggests_once(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "carrierkg.cli.main", *args], capture_output=True,
                              text=True, env={**__import__("os").environ, "XDG_DATA_HOME": str(tmp_path)})

    asked = run("--store", "memory", "ask", "who partners with China Telecom")
    assert asked.returncode == 0 and "AT&T" in asked.stdout, asked.stderr
    typo = run("--store", "memory", "askk")
    assert typo.returncode == 2
    assert typo.stderr.strip().splitlines()[-1] == "Error: No such command 'askk'. Did you mean 'ask'?"
    listing = run("--help")
    assert all(f" {name} " in listing.stdout for name in ("ask", "load", "map", "serve", "ingest"))
