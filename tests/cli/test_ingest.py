"""The ``ingest`` and ``retract`` commands, run through the real app on an on-disk store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from carrierkg.graph.store import open_store
from carrierkg.ontology.namespaces import GRAPH_META

ARTICLES = Path(__file__).resolve().parents[1] / "ingest" / "articles"


def snapshot(store: Path) -> set:
    kg = open_store(store)
    try:
        return {q for q in kg.quads() if q.graph_name != ox.NamedNode(GRAPH_META)}
    finally:
        kg.close()


@pytest.fixture
def store(disk_store, cli) -> Path:
    """An on-disk store, built from the bundled data."""
    assert cli("--store", str(disk_store), "stats").exit_code == 0
    return disk_store


@pytest.fixture
def tty(monkeypatch):
    """Pretend standard input is a terminal, so the command asks about each candidate."""
    monkeypatch.setattr("carrierkg.cli.ingest._interactive", lambda: True)


def test_ingest_yes(cli, store):
    result = cli("--store", str(store), "ingest", "--yes", str(ARTICLES / "spectrum_award.txt"))
    assert result.exit_code == 0, result.stderr
    iri = result.stdout.strip()
    assert iri.startswith("https://w3id.org/carrierkg/id/source/sha256-")
    assert "spectrum_award.txt: 3 of 3 candidate(s) accepted; wrote 3 fact(s), 4 new organisation(s)" in result.stderr
    assert "Candidate facts in spectrum_award.txt" in result.stderr
    # the facts are there
    result = cli("--store", str(store), "sparql",
                 "SELECT ?l WHERE { ?x a ckg:Licence ; ckg:licensee/skos:prefLabel ?l } ORDER BY ?l", "-f", "csv")
    assert "Eastgate Mobile" in result.stdout and "Northwind Telecom" in result.stdout
    # again: nothing changes
    before = snapshot(store)
    result = cli("--store", str(store), "ingest", "--yes", str(ARTICLES / "spectrum_award.txt"))
    assert result.exit_code == 0 and result.stdout.strip() == iri
    assert result.stderr.strip() == f"spectrum_award.txt: already ingested as {iri}; nothing written"
    assert snapshot(store) == before


def test_ingest_json(cli, store):
    result = cli("--store", str(store), "ingest", "--yes", "--format", "json", "--title", 'A "title"',
                 "--date", "2024-05", "--url", "https://example.org/x", str(ARTICLES / "tower_jv.txt"))
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["title"] == 'A "title"' and report["facts"] == 1 and report["written"] is True
    assert set(report["new_organisations"]) == {"Eastgate Mobile", "Examplia Towers", "Northwind Telecom"}


def test_interactive_review(cli, store, tty):
    result = cli("--store", str(store), "ingest", str(ARTICLES / "spectrum_award.txt"), input="y\nn\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "[1/3] licence_grant: Regulatory Authority of Examplia -> Eastgate Mobile" in result.stderr
    assert "2 of 3 candidate(s) accepted; wrote 2 fact(s)" in result.stderr
    kg = open_store(store, read_only=True)
    try:
        rows = kg.select("SELECT ?l WHERE { ?x a ckg:Licence ; ckg:licensee/skos:prefLabel ?l }")
        applications = kg.select("SELECT ?x WHERE { ?x a ckg:LicenceApplication ; ckg:applicant/skos:prefLabel ?n }",
                                 {"n": "Bluewater Wireless"})
    finally:
        kg.close()
    assert {r["l"].value for r in rows} >= {"Eastgate Mobile"}
    assert "Northwind Telecom" not in {r["l"].value for r in rows}
    assert len(applications) == 1


def test_interactive_all_and_quit(cli, store, tty):
    result = cli("--store", str(store), "ingest", str(ARTICLES / "subsea_vendor.txt"), input="a\n")
    assert "5 of 5 candidate(s) accepted" in result.stderr
    assert result.stderr.count("Accept?") == 1
    before = snapshot(store)
    result = cli("--store", str(store), "ingest", str(ARTICLES / "merger_mvno.txt"), input="q\n")
    assert result.exit_code == 0
    assert "0 of 3 candidate(s) accepted; nothing written" in result.stderr and result.stdout == ""
    assert snapshot(store) == before


def test_no_tty_without_yes(cli, store):
    before = snapshot(store)
    result = cli("--store", str(store), "ingest", str(ARTICLES / "tower_jv.txt"))
    assert result.exit_code == 1
    assert result.stderr == ("Error: standard input is not a terminal, so carrierkg cannot ask about each "
                             "candidate; pass --yes to accept them all (with --min-confidence to leave out weak "
                             "ones)\n")
    assert snapshot(store) == before


def test_several_files_with_progress(cli, store):
    files = [str(ARTICLES / n) for n in ("tower_jv.txt", "merger_mvno.txt", "denied_application.txt",
                                         "clutter_only.txt")]
    result = cli("--store", str(store), "ingest", "--yes", "--min-confidence", "0.8", *files)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.split()) == 3  # clutter_only.txt states nothing
    assert "Ingesting" in result.stderr and "4/4" in result.stderr
    assert "denied_application.txt: 1 of 1 candidate(s) accepted, 2 below the confidence threshold" in result.stderr
    assert "clutter_only.txt: 0 of 0 candidate(s) accepted; nothing written" in result.stderr
    result = cli("--store", str(store), "ingest", "--yes", "--title", "T", *files[:2])
    assert result.exit_code == 1 and result.stderr.startswith("Error: --title, --publisher, --date and --url")


def test_retract(cli, store, tty):
    before = snapshot(store)
    iri = cli("--store", str(store), "ingest", "--yes", str(ARTICLES / "merger_mvno.txt")).stdout.strip()
    result = cli("--store", str(store), "retract", str(ARTICLES / "merger_mvno.txt"), input="n\n")
    assert result.exit_code == 0 and "Nothing retracted." in result.stderr
    result = cli("--store", str(store), "retract", iri.rsplit("/", 1)[-1], input="y\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == iri
    assert f"Retracted {iri} (Southwind Mobile completes takeover of Redrock Communications): " in result.stderr
    assert snapshot(store) == before


def test_retract_errors(cli, store):
    before = snapshot(store)
    result = cli("--store", str(store), "retract", "004_110dc85f55a3032")
    assert result.exit_code == 1 and result.stderr == (
        "Error: standard input is not a terminal, so carrierkg cannot ask for confirmation; pass --yes\n")
    result = cli("--store", str(store), "retract", "--yes", "no-such-source")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no source named 'no-such-source'.")
    result = cli("--store", str(store), "retract", "--yes", "004_110dc85f55a3032x")
    assert result.stderr == ("Error: no source named '004_110dc85f55a3032x'. Did you mean: "
                             "004_110dc85f55a30326?\n")
    result = cli("--store", str(store), "retract", "--yes", "reference")
    assert result.exit_code == 1 and "--force" in result.stderr
    assert snapshot(store) == before


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"", "the file is empty"),
    (b"\x00\x01\x02\x03binary\x00", "the file is binary, not text"),
    ("huge", "the file is 104857600 bytes, more than the limit of 5242880 (an article is plain text of a few kB)"),
])
def test_input_errors(cli, store, tmp_path, content, message):
    f = tmp_path / "article.txt"
    if content == "huge":
        with f.open("wb") as out:
            out.truncate(100 * 1024 * 1024)
    elif content is not None:
        f.write_bytes(content)
    good = str(ARTICLES / "tower_jv.txt")
    before = snapshot(store)
    started = time.monotonic()
    result = cli("--store", str(store), "ingest", "--yes", good, str(f))
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr == f"Error: {f}: {message}\n"
    assert result.stdout == ""
    assert snapshot(store) == before  # the good file was not written either


def test_extract_uses_canonical_names(cli, store, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Northwind Telecom and China Telecom Corporation agreed to share towers in Kenya.\n")
    result = cli("--store", str(store), "extract", "--format", "json", str(f))
    rel = json.loads(result.stdout)["relations"][0]
    assert {rel["subject"], rel["object"]} == {"Northwind Telecom", "China Telecom"}
    # a store that cannot be opened: still extracts, with a note
    bad = tmp_path / "not-a-store"
    bad.write_text("x")
    result = cli("--store", str(bad), "extract", "--format", "json", str(f))
    assert result.exit_code == 0 and result.stderr.startswith("Note: the store cannot be read")
    assert json.loads(result.stdout)["relations"]


# -- SIGKILL at any moment leaves all of a source or none of it ---------------------------------


def _big_article(path: Path, n: int = 400) -> None:
    first = ["North", "South", "East", "West", "Harbor", "River", "Stone", "Maple", "Cedar", "Lake",
             "Iron", "Silver", "Golden", "Coral", "Pine", "Oak", "Birch", "Willow", "Aspen", "Elm"]
    kinds = ["Telecom", "Mobile", "Networks", "Communications", "Wireless"]
    names = [f"{a}{b.lower()} {k}" for a in first for b in first if a != b for k in kinds]
    lines = ["Carriers reshape the market", ""]
    for i in range(n):
        lines += [f"{names[2 * i]} has acquired {names[2 * i + 1]} for $2 billion.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_all_or_nothing(cli, store, tmp_path):
    from carrierkg.ingest.ingest import ingest, retract

    article = tmp_path / "big.txt"
    _big_article(article, n=200)
    expected = ingest(open_store("memory"), article)
    assert expected.facts == 200
    command = [sys.executable, "-m", "carrierkg.cli.main", "--store", str(store), "ingest", "--yes", str(article)]
    env = {**os.environ, "CARRIERKG_STORE": str(store)}

    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    duration = time.monotonic() - started
    kg = open_store(store)
    assert kg.count_quads(expected.source) == expected.quads
    retract(kg, expected.source)
    kg.close()

    outcomes = []
    for fraction in (0.2, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.5):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kg = open_store(store)
        n = kg.count_quads(expected.source)
        assert n in (0, expected.quads), f"killed at {fraction:.0%}: {n} of {expected.quads} quads"
        kg.validate_quads(list(kg.quads()), what="the store")
        outcomes.append(n)
        if n:
            retract(kg, expected.source)
        kg.close()
    assert 0 in outcomes  # the early kills left nothing; every kill left all or nothing
