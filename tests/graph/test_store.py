"""The store: building, loading atomically, bound values, locks, versions, export."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from carrierkg.graph.errors import (
    InputError,
    ParseError,
    QueryError,
    StoreError,
    StoreLockedError,
    UnsupportedFormatError,
    ValidationError,
)
from carrierkg.graph.store import SCHEMA_VERSION, bind, iri, literal, open_store, parse_file
from carrierkg.ontology.namespaces import CKG, GRAPH_META, STORE_META, org_iri, source_iri

NORTHWIND = org_iri("Northwind Telecom")


def snapshot(kg) -> set[str]:
    """Every quad of the store, bookkeeping included, as N-Quads lines."""
    return set(kg.export("nquads").decode().splitlines()) | {kg.generation()}


def test_memory_store_is_built_from_bundled_data(bundled_kg):
    assert bundled_kg.schema_version() == SCHEMA_VERSION
    assert bundled_kg.count_quads() > 100
    assert bundled_kg.ask("ASK { ?c a ckg:Carrier ; skos:prefLabel ?n }", {"n": literal("China Telecom")})
    sources = {s["source"] for s in bundled_kg.sources()}
    assert source_iri("004_110dc85f55a30326") in sources


def test_load_writes_the_file_into_its_source_graph(fresh_kg, files):
    before = fresh_kg.generation()
    report = fresh_kg.load([files / "northwind.trig"])
    assert report.quads > 10
    assert report.graphs == [source_iri("northwind-fixture")]
    assert fresh_kg.generation() != before
    rows = fresh_kg.select("SELECT ?src WHERE { ?rel a ckg:Partnership ; ckg:party ?a ; ckg:source ?src }",
                           {"a": iri(NORTHWIND)})
    assert [r["src"].value for r in rows] == [source_iri("northwind-fixture")]


@pytest.mark.parametrize(
    ("name", "error", "fragment"),
    [
        ("broken-syntax.ttl", ParseError, "broken-syntax.ttl:4:"),
        ("licence-issuer-not-regulator.trig", ValidationError, "does not conform"),
        ("missing.trig", InputError, "missing.trig: no such file"),
    ],
)
def test_a_bad_file_leaves_the_store_exactly_as_it_was(fresh_kg, files, name, error, fragment):
    before = snapshot(fresh_kg)
    with pytest.raises(error) as info:
        fresh_kg.load([files / "northwind.trig", files / name])
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)
    assert snapshot(fresh_kg) == before


def test_unknown_format_and_empty_and_binary_files(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.ttl").write_text("")
    (tmp_path / "bin.ttl").write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(UnsupportedFormatError, match="cannot tell the format"):
        parse_file(tmp_path / "x.docx")
    with pytest.raises(InputError, match="empty"):
        parse_file(tmp_path / "empty.ttl")
    with pytest.raises(InputError, match="binary"):
        parse_file(tmp_path / "bin.ttl")
    with pytest.raises(UnsupportedFormatError, match="unknown format 'yaml'"):
        parse_file(tmp_path / "empty.ttl", fmt="yaml")


def test_triples_go_into_the_graph_of_the_source_they_describe(tmp_path, files):
    ttl = tmp_path / "one-source.ttl"
    trig = (files / "northwind.trig").read_text()
    body = trig[trig.index("{") + 1: trig.rindex("}")]
    head = trig[: trig.index("<https://w3id.org/carrierkg/id/source/")]
    ttl.write_text(head + body)
    quads = parse_file(ttl)
    assert {q.graph_name.value for q in quads} == {source_iri("northwind-fixture")}


def test_bound_values_cannot_change_a_query(bundled_kg):
    hostile = 'x" } } DROP ALL ; SELECT * WHERE { ?s ?p "'
    rows = bundled_kg.select("SELECT ?o WHERE { ?o skos:prefLabel ?name }", {"name": hostile})
    assert rows == []
    assert 'VALUES ?name { "x\\" } } DROP ALL' in bind("SELECT ?o WHERE { ?o ?p ?name }", {"name": hostile})
    with pytest.raises(QueryError, match="not a variable name"):
        bind("SELECT ?o WHERE { ?o ?p ?x }", {"x } DROP ALL": "a"})


def test_invalid_sparql_is_a_query_error_with_the_users_line(bundled_kg):
    with pytest.raises(QueryError, match=r"invalid SPARQL: .*line 2"):
        bundled_kg.select("SELECT ?s\nWHERE { ?s ?p }")


def test_disk_store_is_built_once_and_reused(disk_store):
    kg = open_store(disk_store)
    generation = kg.generation()
    n = kg.count_quads()
    kg.close()
    again = open_store(disk_store, read_only=True)
    assert again.generation() == generation
    assert again.count_quads() == n
    again.close()


def test_readers_share_and_a_writer_waits_for_them(disk_store):
    open_store(disk_store).close()
    r1 = open_store(disk_store, read_only=True)
    r2 = open_store(disk_store, read_only=True)
    assert r1.count_quads() == r2.count_quads()
    with pytest.raises(StoreLockedError, match="another process"):
        open_store(disk_store, lock_timeout=0.2)
    r1.close()
    r2.close()
    writer = open_store(disk_store, lock_timeout=1)
    writer.close()


def test_read_only_store_refuses_writes(disk_store, files):
    open_store(disk_store).close()
    kg = open_store(disk_store, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        kg.load([files / "northwind.trig"])
    kg.close()


def test_a_directory_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        open_store(tmp_path)


@pytest.mark.parametrize(("version", "message"), [("99", "newer carrierkg"), ("0", "cannot upgrade")])
def test_a_store_of_another_layout_is_detected(disk_store, version, message):
    kg = open_store(disk_store)
    subject, predicate, graph = ox.NamedNode(STORE_META), ox.NamedNode(CKG.schemaVersion), ox.NamedNode(GRAPH_META)
    kg.store.remove(ox.Quad(subject, predicate, ox.Literal(SCHEMA_VERSION), graph))
    kg.store.add(ox.Quad(subject, predicate, ox.Literal(version), graph))
    kg.close()
    with pytest.raises(StoreError, match=message):
        open_store(disk_store)
    with pytest.raises(StoreError, match=message):
        open_store(disk_store, read_only=True)


def test_drop_source_keeps_facts_another_source_states(fresh_kg, files, tmp_path):
    second = tmp_path / "second.trig"
    second.write_text((files / "northwind.trig").read_text().replace("northwind-fixture", "northwind-second"))
    fresh_kg.load([files / "northwind.trig", second])
    query = "ASK { ?rel a ckg:Partnership ; ckg:party ?a }"
    fresh_kg.drop_source(source_iri("northwind-fixture"))
    assert fresh_kg.ask(query, {"a": iri(NORTHWIND)})
    fresh_kg.drop_source(source_iri("northwind-second"))
    assert not fresh_kg.ask(query, {"a": iri(NORTHWIND)})


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_export_round_trips(bundled_kg, tmp_path, fmt):
    data = bundled_kg.export(fmt)
    path = tmp_path / f"export.{ {'trig': 'trig', 'nquads': 'nq', 'jsonld': 'jsonld'}[fmt] }"
    path.write_bytes(data)
    copy = open_store("memory", build=False)
    copy.load([path], validate=False)
    assert copy.count_quads() == bundled_kg.count_quads()


def test_to_rdflib_gives_an_rdflib_dataset(bundled_kg):
    import rdflib

    ds = bundled_kg.to_rdflib()
    assert isinstance(ds, rdflib.Dataset)
    assert len(ds) + sum(1 for _ in ds.quads((None, None, None, None))) > 0


def test_the_bundle_digest_is_remembered_beside_the_store_while_the_files_stay_the_same(tmp_path, monkeypatch):
    """Opening a store compares its bundled-data digest with this version's without hashing the
    bundled files each time; a change to the files (their size or time) is noticed."""
    import carrierkg.graph.store as store_module

    path = tmp_path / "store"
    open_store(path).close()
    open_store(path, read_only=True).close()  # the first comparison hashes the files, and remembers
    memo = tmp_path / "store.cache" / "bundle-digest"
    assert memo.read_text(encoding="utf-8").endswith("\n" + store_module.bundle_digest())

    hashed = []
    real = store_module.bundle_digest
    monkeypatch.setattr(store_module, "bundle_digest", lambda: hashed.append(1) or real())
    open_store(path, read_only=True).close()
    assert hashed == []  # the memo answered

    signature = store_module._bundle_signature()
    monkeypatch.setattr(store_module, "_bundle_signature", lambda: signature + "\nsources/new.trig 1 1")
    open_store(path, read_only=True).close()
    assert hashed  # other files: hashed again, and remembered
    assert memo.read_text(encoding="utf-8").startswith(signature + "\nsources/new.trig 1 1\n")

    memo.write_text("garbage", encoding="utf-8")
    hashed.clear()
    with open_store(path, read_only=True) as kg:
        assert kg.bundle_digest() == real()
    assert hashed
