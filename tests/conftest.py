"""Shared fixtures: stores built from the bundled data and from small files we wrote."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


class Served:
    """A running ``carrierkg serve``: its process, query URL, store and stderr lines."""

    def __init__(self, process: subprocess.Popen, url: str, store: Path | None, lines: list[str]):
        self.process, self.url, self.store, self.lines = process, url, store, lines
        self.base = url.removesuffix("/query")


@contextmanager
def _serve(store: Path | str, *args: str, timeout: float = 60.0) -> Iterator[Served]:
    """Run ``carrierkg --store STORE serve --port 0 ARGS`` on 127.0.0.1 until the block ends."""
    env = {k: v for k, v in os.environ.items() if k != "CARRIERKG_DEBUG"}
    env.update(PYTHONUNBUFFERED="1", COLUMNS="200")
    process = subprocess.Popen(
        [sys.executable, "-m", "carrierkg.cli", "--store", str(store), "serve", "--port", "0", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            if " at http://" in line:
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not found.wait(timeout):
            raise RuntimeError("carrierkg serve did not start: " + " | ".join(lines))
        url = re.search(r"at (http://\S+/query)", next(x for x in lines if " at http://" in x)).group(1)
        yield Served(process, url, None if str(store) == "memory" else Path(store), lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        reader.join(timeout=5)


@pytest.fixture(scope="session")
def serve():
    """``with serve(store, *args) as served:`` runs ``carrierkg serve`` and always stops it."""
    return _serve
