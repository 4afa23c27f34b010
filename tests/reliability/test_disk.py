"""A full disk and a read-only store: one clear ``Error:`` line, exit 1, the store intact and readable.

Each test mounts a small tmpfs on a temporary folder (we run as root in CI; where mounting is
not permitted the tests skip and say so), copies a built store onto it, and fills it or
remounts it read-only. Commands run as real subprocesses. The mount is always undone.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = 16 * 1024 * 1024


def _mount(target: Path, *options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={SIZE}", *options]), "tmpfs", str(target)],
                   check=True, capture_output=True, timeout=30)


def _umount(target: Path) -> None:
    for _ in range(50):
        done = subprocess.run(["umount", str(target)], capture_output=True, timeout=30)
        if done.returncode == 0 or not os.path.ismount(target):
            return
        subprocess.run(["sleep", "0.1"], check=False)  # a child still closing its files
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=30)


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 16 MiB tmpfs mounted at a temporary folder, unmounted afterwards."""
    target = tmp_path / "disk"
    target.mkdir()
    try:
        _mount(target)
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError) as exc:
        reason = getattr(exc, "stderr", b"") or str(exc).encode()
        pytest.skip(f"cannot mount a tmpfs here (needs root and mount permission): {reason.decode().strip()}")
    try:
        yield target
    finally:
        _umount(target)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk so that only ``leave`` bytes stay free; returns the filler file."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as f:
        chunk = b"\0" * (1 << 20)
        todo = max(0, free - leave)
        while todo > 0:
            n = f.write(chunk[: min(len(chunk), todo)])
            todo -= n
    assert shutil.disk_usage(disk).free <= leave + 4096
    return filler


@pytest.fixture(scope="module")
def mid_file(tmp_path_factory) -> Path:
    """A valid TriG file of a few hundred kB (larger than the room left on a full disk)."""
    import pyoxigraph as ox

    from carrierkg.graph.model import identity_iri
    from carrierkg.ontology.namespaces import CKG, DCTERMS, ID, RDF, SKOS, STATUS, XSD, source_iri

    N, L = ox.NamedNode, ox.Literal
    src = N(source_iri("disk-test"))
    quads = [(src, N(RDF.type), N(CKG.Source)), (src, N(DCTERMS.title), L("Disk test")),
             (src, N(DCTERMS.date), L("2024-01-01", datatype=N(XSD.date))), (src, N(CKG.extractionMethod), L("manual"))]
    orgs = [ID + f"org/disk-carrier-{i}" for i in range(1500)]
    for i, o in enumerate(orgs):
        quads += [(N(o), N(RDF.type), N(CKG.Carrier)), (N(o), N(SKOS.prefLabel), L(f"Disk Carrier {i} " + "x" * 60))]
    for a, b in itertools.pairwise(orgs):
        rel = N(identity_iri(CKG.Partnership, {CKG.party: [a, b]}))
        quads += [(rel, N(RDF.type), N(CKG.Partnership)), (rel, N(CKG.party), N(a)), (rel, N(CKG.party), N(b)),
                  (rel, N(CKG.status), N(STATUS.active)), (rel, N(CKG.source), src)]
    path = tmp_path_factory.mktemp("mid") / "mid.trig"
    path.write_bytes(ox.serialize([ox.Quad(s, p, o, src) for s, p, o in quads], format=ox.RdfFormat.TRIG))
    return path


def one_error(result) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("leave", [0, 64 * 1024, 1024 * 1024])
def test_load_on_a_full_disk(small_disk, built_store, mid_file, files, run_cli, snapshot, leave):
    store = small_disk / "store"
    shutil.copytree(built_store, store)
    before = snapshot(store)
    filler = fill(small_disk, leave)
    result = run_cli("--store", str(store), "load", str(mid_file), timeout=120)
    assert one_error(result) == f"Error: the disk holding {store} is full; nothing was written"
    # still full: the store opens and reads as before
    assert snapshot(store) == before
    result = run_cli("--store", str(store), "ask", "who partners with China Telecom", timeout=60)
    assert result.returncode == 0, result.stderr
    # room again: the same load goes through
    filler.unlink()
    result = run_cli("--store", str(store), "load", str(mid_file), timeout=120)
    assert result.returncode == 0, result.stderr
    assert snapshot(store)[2] > before[2]


@pytest.mark.parametrize("leave", [0, 256 * 1024])
def test_a_new_store_on_a_full_disk_is_not_left_half_made(small_disk, run_cli, leave):
    store = small_disk / "new"
    filler = fill(small_disk, leave)
    result = run_cli("--store", str(store), "stats", timeout=60)
    assert one_error(result) == f"Error: the disk holding {store} is full; nothing was written"
    assert not store.exists() or not any(store.iterdir())
    filler.unlink()
    result = run_cli("--store", str(store), "stats", "--format", "json", timeout=60)
    assert result.returncode == 0, result.stderr


def remount_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True, timeout=30)


@pytest.mark.parametrize("with_lock_file", [True, False])
def test_a_read_only_store_refuses_writes_and_still_reads(small_disk, built_store, files, run_cli, snapshot,
                                                          with_lock_file):
    store = small_disk / "store"
    shutil.copytree(built_store, store)
    if with_lock_file:
        (small_disk / "store.lock").touch()
    before = snapshot(store)
    remount_read_only(small_disk)
    with pytest.raises(OSError):
        (small_disk / "probe").touch()
    result = run_cli("--store", str(store), "load", str(files / "northwind.trig"), timeout=60)
    assert one_error(result) == (f"Error: cannot write to the store at {store}: the file system is read-only; "
                                 "nothing was written")
    # the reading commands work on read-only media
    result = run_cli("--store", str(store), "ask", "who partners with China Telecom", "--format", "json", timeout=60)
    assert result.returncode == 0, result.stderr
    result = run_cli("--store", str(store), "sparql", 'ASK { ?c skos:prefLabel "China Telecom" }', timeout=60)
    assert (result.returncode, result.stdout) == (0, "true\n"), result.stderr
    assert snapshot(store) == before


def test_a_new_store_on_read_only_media(small_disk, run_cli):
    remount_read_only(small_disk)
    store = small_disk / "new"
    result = run_cli("--store", str(store), "stats", timeout=60)
    assert one_error(result) == (f"Error: cannot write to the store at {store}: the file system is read-only; "
                                 "nothing was written")
