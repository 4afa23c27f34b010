"""Shared fixtures: stores built from the bundled data and from small files we wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from carrierkg.cli.common import state

REPO = Path(__file__).resolve().parents[1]
FILES = REPO / "tests" / "files"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def files() -> Path:
    """The folder of small test data files we wrote."""
    return FILES


@pytest.fixture(scope="session")
def bundled_kg():
    """An in-memory store holding the bundled data. Read it; do not write to it."""
    from carrierkg.graph.store import open_store

    return open_store("memory")


@pytest.fixture
def fresh_kg():
    """A new in-memory store with the bundled data, for tests that write."""
    from carrierkg.graph.store import open_store

    return open_store("memory")


@pytest.fixture
def disk_store(tmp_path) -> Path:
    """A path for a new on-disk store (built on first use)."""
    return tmp_path / "store"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    """Keep tests away from the user's real store and settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CARRIERKG_STORE", str(home / "default-store"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("CARRIERKG_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield
    state.reset()


@pytest.fixture
def cli():
    """Run the real app: ``cli("--store", "memory", "stats")`` -> click Result."""
    from typer.testing import CliRunner

    from carrierkg.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def example_kg():
    """The tiny fictional store of :mod:`carrierkg.graph.fixtures` (no bundled data). Read only."""
    from carrierkg.graph.fixtures import example_kg as build

    return build()
