"""Shared fixtures of the reliability tests: a built on-disk store to copy, snapshots, CLI runs.

Every store here is a copy of one store built from the bundled data (building takes a
second; copying a few milliseconds). Commands run either in this process through typer's
``CliRunner`` (``run``) or as real ``carrierkg`` subprocesses with a time limit (``run_cli``).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from carrierkg.cli.common import state
from carrierkg.graph.store import open_store
from carrierkg.ontology.namespaces import GRAPH_META

# hypothesis keeps caches (unicode tables, constants) in .hypothesis/ of the working tree: keep
# them in a temporary folder that goes when the tests end
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="carrierkg-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, True)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """An on-disk store built from the bundled data. Copy it (``store_copy``); never open it for writing."""
    from carrierkg.graph.store import open_store

    path = tmp_path_factory.mktemp("built") / "store"
    open_store(path).close()
    return path


@pytest.fixture
def store_copy(built_store, tmp_path):
    """``store_copy(name="store")`` -> a fresh copy of the built store under this test's tmp dir."""

    def copy(name: str = "store") -> Path:
        target = tmp_path / name
        shutil.copytree(built_store, target)
        return target

    return copy


def store_snapshot(path: Path) -> tuple[str, str, int]:
    """(digest of every quad, generation token, quad count) of the store at ``path``, read-only."""
    from carrierkg.graph.store import open_store

    kg = open_store(path, read_only=True, build=False, lock_timeout=30)
    try:
        lines = sorted(kg.export("nquads").decode().splitlines())
        return hashlib.sha256("\n".join(lines).encode()).hexdigest(), kg.generation(), len(lines)
    finally:
        kg.close()


@pytest.fixture
def snapshot():
    """``snapshot(path)`` -> a value that changes whenever anything in the store changes."""
    return store_snapshot


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CARRIERKG_DEBUG"}
    env.update(PYTHONUNBUFFERED="1", COLUMNS="200", **extra)
    return env


@pytest.fixture
def run_cli():
    """``run_cli(*args, timeout=60)`` -> CompletedProcess of a real ``carrierkg`` subprocess."""

    def run(*args: str, timeout: float = 60, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "carrierkg.cli", *args], capture_output=True, text=True,
                              timeout=timeout, env=cli_env(), input=input,
                              stdin=None if input is not None else subprocess.DEVNULL)

    return run


@pytest.fixture
def run():
    """``run(*args)`` -> click Result of the real app in this process; exceptions are kept, not raised."""
    from typer.testing import CliRunner

    from carrierkg.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        try:
            return runner.invoke(app, list(args), input=input, catch_exceptions=True)
        finally:
            state.reset()

    return invoke


def assert_clean_outcome(result, *, allow_ok: bool = True, where: object = "") -> None:
    """An answer (exit 0), or exactly one ``Error:`` line on stderr with exit 1; never a traceback.

    ``allow_ok=False``: the input is wrong, so only the error is right. ``where`` names the case.
    """
    what = f"{where!r}: exit {result.exit_code}; stderr: {result.stderr[:500]!r}; stdout: {result.stdout[:200]!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{type(result.exception).__name__}: {result.exception}; {what}")
    assert "Traceback" not in result.stderr + result.stdout, what
    assert "unexpected" not in result.stderr, what
    if result.exit_code == 0 and allow_ok:
        assert "Error:" not in result.stderr, what
        return
    assert result.exit_code == 1, what
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, what
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0], what
    assert len(errors[0]) > len("Error: ") + 5, what


@pytest.fixture
def clean_outcome():
    """``clean_outcome(result)``: see :func:`assert_clean_outcome`."""
    return assert_clean_outcome


def _state_of(store: Path, graphs: set[str]) -> tuple[int, set[str], dict]:
    """(quads in the file's graphs, every other quad outside the bookkeeping graph, bookkeeping)."""
    kg = open_store(store, read_only=True, build=False, lock_timeout=30)
    try:
        in_file, others = 0, set()
        for q in kg.store:
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            if g in graphs:
                in_file += 1
            elif g != GRAPH_META:
                others.add(str(q))
        return in_file, others, {"version": kg.schema_version(), "digest": kg.bundle_digest()}
    finally:
        kg.close()


@pytest.fixture
def state_of():
    """``state_of(store, graphs)``: (quads in those graphs, every other quad, bookkeeping) of a store."""
    return _state_of
