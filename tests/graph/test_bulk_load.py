"""Large loads into an on-disk store: validated by SPARQL, bulk-loaded into a checkpoint copy, swapped atomically.

``BULK_LOAD_BYTES`` is set to 0 here so that the small test files take the large-file road.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import carrierkg.graph.store as store_module
from carrierkg.graph.errors import ParseError, ValidationError
from carrierkg.graph.store import open_store
from carrierkg.ontology.namespaces import GRAPH_META, source_iri


def content(kg) -> set[str]:
    """Every quad outside the bookkeeping graph, as N-Quads lines."""
    return {str(q) for q in kg.store if q.graph_name != ox.NamedNode(GRAPH_META)}


@pytest.fixture
def disk_kg(tmp_path):
    kg = open_store(tmp_path / "store")
    yield kg
    kg.close()


@pytest.fixture
def bulk(monkeypatch):
    monkeypatch.setattr(store_module, "BULK_LOAD_BYTES", 0)
    calls = []
    real = store_module.OxigraphGraph._bulk_load

    def spy(self, paths, *, fmt):
        report = real(self, paths, fmt=fmt)
        calls.append(report)
        return report

    monkeypatch.setattr(store_module.OxigraphGraph, "_bulk_load", spy)
    return calls


def test_bulk_load_writes_what_the_ordinary_load_writes(tmp_path, files, bulk, monkeypatch):
    with open_store(tmp_path / "bulk") as kg:
        before = kg.generation()
        report = kg.load([files / "northwind.trig"])
        assert bulk and bulk[0] is report  # the large-file road was taken
        assert report.graphs == [source_iri("northwind-fixture")]
        assert kg.generation() != before
        assert not list(tmp_path.glob("bulk.staging-*"))
        bulk_content = content(kg)
    monkeypatch.setattr(store_module, "BULK_LOAD_BYTES", 1 << 62)
    with open_store(tmp_path / "ordinary") as kg:
        kg.load([files / "northwind.trig"])
        assert content(kg) == bulk_content
    # the swapped store opens again, for reading and for writing
    with open_store(tmp_path / "bulk", read_only=True) as kg:
        assert content(kg) == bulk_content


def test_an_invalid_large_file_leaves_the_store_as_it_was(disk_kg, files, bulk, tmp_path):
    before = content(disk_kg)
    with pytest.raises(ValidationError, match="does not conform to the shapes"):
        disk_kg.load([files / "licence-issuer-not-regulator.trig"])
    assert content(disk_kg) == before
    assert not list(tmp_path.glob("store.staging-*"))
    assert disk_kg.load([files / "northwind.trig"]).quads > 10  # the store still takes writes


def test_a_malformed_large_file_gives_a_parse_error(disk_kg, tmp_path, bulk):
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://a> <http://b> "c" <http://g> .\n<http://a> <http://b> .\n')
    before = content(disk_kg)
    with pytest.raises(ParseError, match=r"bad\.nq"):
        disk_kg.load([bad])
    assert content(disk_kg) == before


def test_triples_for_a_source_graph_take_the_ordinary_road(disk_kg, files, bulk):
    report = disk_kg.load([files / "northwind.trig"], graph=source_iri("northwind-fixture"))
    assert report.quads > 10
    assert bulk == []


def test_leftover_staging_copies_are_removed_when_a_writer_opens(tmp_path):
    open_store(tmp_path / "store").close()
    leftover = tmp_path / "store.staging-1-deadbeef"
    leftover.mkdir()
    (leftover / "CURRENT").write_text("x")
    open_store(tmp_path / "store", read_only=True).close()
    assert leftover.exists()  # readers never touch it
    open_store(tmp_path / "store").close()
    assert not leftover.exists()


def test_without_an_atomic_exchange_the_ordinary_road_is_taken(disk_kg, files, bulk, monkeypatch):
    monkeypatch.setattr(store_module, "_can_exchange", lambda parent: False)
    assert disk_kg.load([files / "northwind.trig"]).quads > 10
    assert bulk == []


def test_the_context_comes_from_the_store(disk_kg, tmp_path, bulk):
    # a licence whose issuer is a regulator the file does not describe: the store knows its type
    from carrierkg.graph.validate import validate

    rows = disk_kg.select("SELECT ?r WHERE { ?r a ckg:Regulator } ORDER BY ?r LIMIT 1")
    regulator = rows[0]["r"]
    context = disk_kg._context_for([ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                                            regulator)])
    assert context and all(q.subject == regulator for q in context)
    assert validate([], context=context).conforms


def test_pieces_loaded_side_by_side_keep_blank_nodes_whole(tmp_path, bulk, monkeypatch):
    """N-Quads load as pieces side by side; the lines with blank nodes stay one piece with their labels."""
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))  # the benchmarks' generator
    from benchmarks.generate import generate

    data = tmp_path / "synthetic.nq"
    generate(3000, seed=5, output=data)
    text = data.read_bytes()
    assert text.count(b"_:") > 10  # joint ventures' parent stakes are blank nodes
    monkeypatch.setattr(store_module, "_loaders", lambda: 3)
    pieces, blank = store_module._pieces(data, ox.RdfFormat.N_QUADS)
    assert len(pieces) == 3 and all(piece.endswith(b"\n") and b"_:" not in piece for piece in pieces)
    assert sorted(b"".join(pieces).splitlines() + blank.splitlines()) == sorted(text.splitlines())

    with open_store(tmp_path / "bulk") as kg:
        kg.load([data])
        assert bulk  # the large-file road was taken
        bulk_content = content(kg)
        kg.load([data])  # loading a file twice changes nothing: blank nodes keep their labels
        assert content(kg) == bulk_content
    assert any("_:stake" in line for line in bulk_content)
    monkeypatch.setattr(store_module, "BULK_LOAD_BYTES", 1 << 62)
    with open_store(tmp_path / "ordinary") as kg:
        kg.load([data])
        assert content(kg) == bulk_content


def test_other_formats_and_small_files_are_not_cut(tmp_path, files):
    assert store_module._pieces(files / "northwind.trig", ox.RdfFormat.TRIG) is None
    one = tmp_path / "one.nq"
    one.write_bytes(b'<http://a> <http://b> "c" <http://g> .\n')
    pieces, blank = store_module._pieces(one, ox.RdfFormat.N_QUADS)
    assert pieces == [one.read_bytes()] and blank == b""
