"""`carrierkg validate` on the golden SHACL files: the valid ones conform, each invalid one is
reported with its violation and exit code 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes"
VALID = sorted(SHAPES.glob("*-valid.*"))
INVALID = sorted(SHAPES.glob("*-invalid-*.*"))


def test_there_are_golden_files():
    assert len(VALID) >= 10 and len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_a_valid_golden_file_conforms(cli, path):
    result = cli("--store", "memory", "validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("conforms")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_an_invalid_golden_file_is_reported(cli, path):
    expected = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE).group(1).strip()
    result = cli("--store", "memory", "validate", str(path))
    assert result.exit_code == 1
    assert "violation" in result.stdout
    assert expected.lower() in result.stdout.lower(), result.stdout
    assert result.stderr == "Error: 1 of 1 target(s) do not conform to the shapes\n"


def test_the_bundled_data_conforms(cli):
    result = cli("--store", "memory", "validate")
    assert result.exit_code == 0
    assert result.stdout == "the store at memory: conforms\n"
