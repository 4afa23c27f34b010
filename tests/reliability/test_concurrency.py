"""Two processes at once: a server and the CLI, two readers, a reader and a writer, two writers.

The store's lock (shared for readers, exclusive for writers, beside the store) decides: readers
run side by side, also beside a read-only ``carrierkg serve``; a reader that finds a writer
waits for it and then reads what it wrote; a writer waits for readers; a writer that finds a
server is told so at once. Every subprocess has a time limit; servers are stopped in ``finally``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from carrierkg.graph.errors import StoreLockedError
from carrierkg.graph.store import open_store

QUESTIONS = ["who partners with China Telecom", "which licences does BT hold", "how is BT connected to China Telecom",
             "who regulates BT", "which carriers are most central"]


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "CARRIERKG_DEBUG"}
    e.update(PYTHONUNBUFFERED="1", COLUMNS="200")
    return e


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "carrierkg.cli", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate(timeout=10)
        raise AssertionError(f"{process.args} did not end within {timeout} s (deadlock?): {err}") from None
    return process.returncode, out, err


def hold(path: Path, *, read_only: bool, seconds: float) -> subprocess.Popen:
    """Another program holding the store (reader or writer) for ``seconds``; prints 'held' once it has it."""
    code = ("import sys, time\nfrom carrierkg.graph.store import open_store\n"
            f"kg = open_store({str(path)!r}, read_only={read_only}, lock_timeout=30)\n"
            "print('held', flush=True)\n"
            f"time.sleep({seconds})\nkg.close()\nprint('released', flush=True)\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env())
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "held", process.stderr.read() if process.poll() is not None else line
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a holder we started (it is only sleeping)."""
    process.terminate()
    process.communicate(timeout=30)


def answers(store: Path | str, run_cli) -> dict[str, dict]:
    out = {}
    for q in QUESTIONS:
        result = run_cli("--store", str(store), "ask", q, "--format", "json", timeout=60)
        assert result.returncode == 0, (q, result.stderr)
        doc = json.loads(result.stdout)
        out[q] = {"answer": doc["answer"], "rows": doc["rows"]}
    return out


@pytest.mark.server
def test_a_served_store_answers_the_cli_and_refuses_a_writer(store_copy, run_cli, snapshot, files, serve):
    store = store_copy()
    embedded = answers(store, run_cli)
    before = snapshot(store)
    with serve(store) as served:
        server, url = served.process, served.url
        # questions on the store directory while it is served, several at once, and one writer
        askers = [start("--store", str(store), "ask", q, "--format", "json") for q in QUESTIONS]
        started = time.monotonic()
        writer = start("--store", str(store), "load", str(files / "northwind.trig"))
        code, _, err = finish(writer, timeout=30)
        assert (code, err) == (1, f"Error: the store at {store} is being served by carrierkg serve (pid {server.pid}); "
                                  f"stop it, or write through the server: restart it with --writable and use "
                                  f"--store {url}\n")
        assert time.monotonic() - started < 10  # told at once, not after the lock's time limit
        for q, asker in zip(QUESTIONS, askers, strict=True):
            code, out, err = finish(asker)
            assert code == 0, err
            doc = json.loads(out)
            assert {"answer": doc["answer"], "rows": doc["rows"]} == embedded[q]
        # and the same questions through the server
        assert answers(url, run_cli) == embedded
        assert server.poll() is None
    assert snapshot(store) == before


def test_two_readers_at_once(store_copy, run_cli):
    store = store_copy()
    embedded = answers(store, run_cli)
    for q in QUESTIONS[:3]:
        pair = [start("--store", str(store), "ask", q, "--format", "json") for _ in range(2)]
        outs = [finish(p) for p in pair]
        for code, out, err in outs:
            assert code == 0, err
            doc = json.loads(out)
            assert {"answer": doc["answer"], "rows": doc["rows"]} == embedded[q]


def test_a_reader_waits_for_a_writer_and_reads_what_it_wrote(store_copy, run_cli, files):
    store = store_copy()
    result = run_cli("--store", str(store), "partners", "Northwind Telecom", timeout=60)
    assert result.returncode == 1 and "no organisation named 'Northwind Telecom'" in result.stderr
    writer = hold(store, read_only=False, seconds=2)  # a writer in the middle of its work
    try:
        started = time.monotonic()
        reader = start("--store", str(store), "partners", "Northwind Telecom", "--format", "json")
        kg = open_store(store, lock_timeout=30)  # then writes (this process waits its turn too)
    finally:
        finish(writer, timeout=30)
    try:
        kg.load([files / "northwind.trig"])
    finally:
        kg.close()
    code, out, err = finish(reader, timeout=60)
    # the reader either waited for both writers, or came between them; never a half-written store
    if code == 0:
        assert [r["partner"] for r in json.loads(out)["rows"]] == ["Examplecom"]
    else:
        assert err == "Error: no organisation named 'Northwind Telecom'.\n", err
    assert time.monotonic() - started >= 1.5  # it waited for the first writer


def test_a_reader_that_cannot_wait_longer_says_why(store_copy):
    store = store_copy()
    writer = hold(store, read_only=False, seconds=5)
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as info:
            open_store(store, read_only=True, lock_timeout=0.5)
        assert time.monotonic() - started < 3
        assert str(info.value) == (f"another process (pid {writer.pid} carrierkg) is writing to the store at "
                                   f"{store.parent}; wait for it to finish and try again")
    finally:
        stop(writer)


def test_a_writer_waits_for_a_reader_that_finishes(store_copy, run_cli, files):
    store = store_copy()
    reader = hold(store, read_only=True, seconds=2)
    try:
        started = time.monotonic()
        result = run_cli("--store", str(store), "load", str(files / "northwind.trig"), timeout=60)
        waited = time.monotonic() - started
    finally:
        finish(reader, timeout=30)
    assert result.returncode == 0, result.stderr
    assert waited >= 1.5
    result = run_cli("--store", str(store), "partners", "Northwind Telecom", "--format", "json", timeout=60)
    assert [r["partner"] for r in json.loads(result.stdout)["rows"]] == ["Examplecom"]


def test_a_writer_that_cannot_wait_longer_says_why(store_copy):
    store = store_copy()
    reader = hold(store, read_only=True, seconds=5)
    try:
        with pytest.raises(StoreLockedError) as info:
            open_store(store, lock_timeout=0.5)
        assert str(info.value) == (f"another process is using the store at {store.parent}; "
                                   "wait for it to finish and try again")
    finally:
        stop(reader)


def test_two_writers_at_once_both_get_through(store_copy, run_cli, files, tmp_path):
    store = store_copy()
    second = tmp_path / "second.trig"
    second.write_text((files / "northwind.trig").read_text().replace("northwind-fixture", "northwind-second"))
    writers = [start("--store", str(store), "load", str(f)) for f in (files / "northwind.trig", second)]
    for w in writers:
        code, _, err = finish(w, timeout=60)
        assert code == 0, err
    result = run_cli("--store", str(store), "sources", "--format", "json", timeout=60)
    sources = {s["source"] for s in json.loads(result.stdout)}
    assert {"https://w3id.org/carrierkg/id/source/northwind-fixture",
            "https://w3id.org/carrierkg/id/source/northwind-second"} <= sources
