"""Stores written by another carrierkg: detected and refused (or upgraded), never misread.

The layout version and the digest of the bundled data a store was built from live in its
bookkeeping graph. A store of a newer or unknown layout, or one holding data without a
layout version, is refused by every command with one exact ``Error:`` line and left as it
was; a registered migration upgrades an older layout; a store built from older bundled data
gets this version's bundled sources, and keeps the user's own sources.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from carrierkg.graph.store import SCHEMA_VERSION, bundle_digest, open_store
from carrierkg.ontology.namespaces import CKG, GRAPH_META, GRAPH_REFERENCE, STORE_META, source_iri

META = ox.NamedNode(GRAPH_META)
SUBJECT = ox.NamedNode(STORE_META)
NORTHWIND = source_iri("northwind-fixture")


def set_meta(path, predicate: str, value: str | None) -> None:
    """Replace the store's bookkeeping value of ``predicate`` (None: remove it)."""
    kg = open_store(path, build=False)
    try:
        for q in list(kg.store.quads_for_pattern(SUBJECT, ox.NamedNode(predicate), None, META)):
            kg.store.remove(q)
        if value is not None:
            kg.store.add(ox.Quad(SUBJECT, ox.NamedNode(predicate), ox.Literal(value), META))
        kg.store.flush()
    finally:
        kg.close()


COMMANDS = [["stats"], ["ask", "who partners with China Telecom"], ["sparql", "ASK { ?s ?p ?o }"],
            ["load", "{northwind}"], ["partners", "BT"], ["export"]]


@pytest.mark.parametrize(("version", "message"), [
    ("99", "the store at {store} was written by a newer carrierkg (layout 99, this one reads {current}); "
           "upgrade carrierkg or use another --store"),
    ("0", "the store at {store} has layout 0, which this carrierkg cannot upgrade; export it with the "
          "carrierkg that wrote it and load the export into a new store"),
    ("1.0-beta", "the store at {store} has layout 1.0-beta, which this carrierkg cannot upgrade; export it "
                 "with the carrierkg that wrote it and load the export into a new store"),
    (None, "the store at {store} holds data but no carrierkg layout version; it was not written by this "
           "carrierkg. Use another --store path"),
])
def test_another_layout_is_refused_by_every_command(store_copy, run, snapshot, files, version, message):
    store = store_copy()
    set_meta(store, CKG.schemaVersion, version)
    before = snapshot(store)
    expected = "Error: " + message.format(store=store, current=SCHEMA_VERSION) + "\n"
    for command in COMMANDS:
        result = run("--store", str(store), *[a.replace("{northwind}", str(files / "northwind.trig")) for a in command])
        assert (result.exit_code, result.stderr, result.stdout) == (1, expected, ""), command
    assert snapshot(store) == before


def test_the_same_through_a_real_process(store_copy, run_cli, snapshot):
    store = store_copy()
    set_meta(store, CKG.schemaVersion, "99")
    before = snapshot(store)
    result = run_cli("--store", str(store), "ask", "who partners with China Telecom", timeout=60)
    assert result.returncode == 1
    assert result.stderr == (f"Error: the store at {store} was written by a newer carrierkg (layout 99, this one "
                             f"reads {SCHEMA_VERSION}); upgrade carrierkg or use another --store\n")
    assert snapshot(store) == before


def test_an_older_layout_with_a_migration_is_upgraded(store_copy, run, snapshot, monkeypatch):
    from carrierkg.graph import upgrade

    steps = []

    def zero_to_one(kg):
        steps.append(kg.location)
        subject, predicate = SUBJECT, ox.NamedNode(CKG.schemaVersion)
        kg.store.remove(ox.Quad(subject, predicate, ox.Literal("0"), META))
        kg.store.add(ox.Quad(subject, predicate, ox.Literal("1"), META))
        return "1"

    monkeypatch.setitem(upgrade.MIGRATIONS, "0", zero_to_one)
    store = store_copy()
    data_before = snapshot(store)[2]
    set_meta(store, CKG.schemaVersion, "0")
    result = run("--store", str(store), "ask", "who partners with China Telecom", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert steps == [str(store)]
    kg = open_store(store, read_only=True, build=False)
    try:
        assert kg.schema_version() == SCHEMA_VERSION
        assert kg.count_quads() > 0
    finally:
        kg.close()
    assert snapshot(store)[2] == data_before
    # upgraded once: the next command does not run the migration again
    assert run("--store", str(store), "stats").exit_code == 0
    assert steps == [str(store)]


def graph_contents(path, graphs: set[str]) -> dict[str, set[str]]:
    kg = open_store(path, read_only=True, build=False)
    try:
        out: dict[str, set[str]] = {g: set() for g in graphs}
        for q in kg.store:
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in graphs:
                out[q.graph_name.value].add(str(ox.Triple(q.subject, q.predicate, q.object)))
        return out
    finally:
        kg.close()


def bundled_graphs(path) -> set[str]:
    kg = open_store(path, read_only=True, build=False)
    try:
        return {q.graph_name.value for q in kg.store if isinstance(q.graph_name, ox.NamedNode)} - {GRAPH_META}
    finally:
        kg.close()


@pytest.mark.parametrize("how", ["changed", "half-refreshed"])
def test_a_store_built_from_older_bundled_data_is_refreshed(store_copy, built_store, run, files, how):
    """Older bundled data: the bundled graphs are replaced by this version's; the user's sources stay."""
    graphs = bundled_graphs(built_store)
    fresh = graph_contents(built_store, graphs)
    store = store_copy()
    result = run("--store", str(store), "load", str(files / "northwind.trig"))
    assert result.exit_code == 0, result.stderr
    mine = graph_contents(store, {NORTHWIND})
    kg = open_store(store, build=False)
    try:
        ref = ox.NamedNode(GRAPH_REFERENCE)
        if how == "changed":  # an older release: one fact more, one fact less, in the bundled graphs
            gone = next(iter(kg.store.quads_for_pattern(None, None, None, ref)))
            kg.store.remove(gone)
            kg.store.add(ox.Quad(ox.NamedNode("https://w3id.org/carrierkg/id/org/stale-carrier"),
                                 ox.NamedNode(CKG.note), ox.Literal("from an older release"), ref))
        else:  # a refresh killed between dropping the old graphs and writing the new ones
            kg.store.update("; ".join(f"DROP GRAPH <{g}>" for g in graphs if g != NORTHWIND))
        kg.store.flush()
    finally:
        kg.close()
    set_meta(store, CKG.bundleDigest, "0123456789abcdef-older-release")

    result = run("--store", str(store), "stats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    kg = open_store(store, read_only=True, build=False)
    try:
        assert kg.bundle_digest() == bundle_digest()
        assert kg.schema_version() == SCHEMA_VERSION
    finally:
        kg.close()
    assert graph_contents(store, graphs) == fresh
    assert graph_contents(store, {NORTHWIND}) == mine
    result = run("--store", str(store), "ask", "who partners with Northwind Telecom", "--format", "json")
    assert result.exit_code == 0, result.stderr
