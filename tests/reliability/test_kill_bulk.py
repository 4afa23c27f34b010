"""A large ``carrierkg load`` (the bulk road: a checkpoint copy, then an atomic exchange) killed at any moment.

One run is timed first; then runs are killed with SIGKILL at points spread over the whole of it
(parsing and validation, the bulk load into the staging copy, the exchange at the end). After each
kill the store opens and holds all of the file or none of it, the bundled data and bookkeeping are
as before (or, after a completed exchange, the bookkeeping gained one generation), a writer that
opens the store removes the staging copy left behind, and a later load succeeds.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from carrierkg.graph.store import BULK_LOAD_BYTES, open_store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def large_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("large") / "large.nq"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--size", "60k", "--seed", "5", "--output", str(out)],
                   cwd=REPO, check=True, capture_output=True, timeout=120)
    assert out.stat().st_size >= BULK_LOAD_BYTES
    return out


def start(store: Path, file: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "carrierkg.cli", "--store", str(store), "load", str(file)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_killed_bulk_load_leaves_all_of_the_file_or_none(store_copy, large_file, files, state_of):
    quads = set(ox.parse(path=str(large_file), format=ox.RdfFormat.N_QUADS))
    graphs, expected = {q.graph_name.value for q in quads}, len(quads)
    _, bundled = state_of(store_copy("template"), graphs)[:2]

    store = store_copy("measured")
    started = time.monotonic()
    process = start(store, large_file)
    _, err = process.communicate(timeout=300)
    took = time.monotonic() - started
    assert process.returncode == 0, err.decode()
    assert state_of(store, graphs)[:2] == (expected, bundled)
    assert not list(store.parent.glob("measured.staging-*"))

    outcomes = []
    for i, fraction in enumerate([0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0]):
        store = store_copy(f"killed-{i}")
        process = start(store, large_file)
        time.sleep(fraction * took)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        in_file, others = state_of(store, graphs)[:2]
        assert in_file in (0, expected), f"kill at {fraction}: {in_file} of {expected} quads of the file"
        assert others == bundled, f"kill at {fraction}: the rest of the store changed"
        outcomes.append("all" if in_file else "none")
        with open_store(store, lock_timeout=10) as kg:  # a writer: removes the staging copy left behind
            assert not list(store.parent.glob(f"{store.name}.staging-*"))
            assert kg.load([files / "northwind.trig"]).quads > 10
    assert outcomes[0] == "none", outcomes
    print(f"measured {took:.1f} s; outcomes {outcomes}")
