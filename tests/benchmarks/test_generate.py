"""The synthetic carrier-graph generator: deterministic, to size, conforming, heavy-tailed, true IRIs."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pyoxigraph as ox
import pytest

from benchmarks.generate import ensure, generate, parse_size
from carrierkg.graph.model import IDENTITY, identity_iri
from carrierkg.ontology.namespaces import CKG, RDF


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A 10k-triple graph and the quads it holds."""
    path = tmp_path_factory.mktemp("gen") / "g10k.nq"
    meta = generate("10k", seed=7, output=path)
    return path, meta, list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def test_sizes_parse():
    assert parse_size("10k") == 10_000
    assert parse_size("1m") == 1_000_000
    assert parse_size("2500") == 2500
    with pytest.raises(ValueError):
        parse_size("lots")


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    generate(3000, seed=1, output=tmp_path / "a.nq")
    generate(3000, seed=1, output=tmp_path / "b.nq")
    generate(3000, seed=2, output=tmp_path / "c.nq")
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()
    assert (tmp_path / "a.nq").read_bytes() != (tmp_path / "c.nq").read_bytes()


def test_the_requested_order_of_magnitude(sample, tmp_path):
    _, meta, quads = sample
    assert 9_000 <= len(quads) <= 12_000
    assert meta["triples"] >= 10_000
    small = generate(3000, seed=3, output=tmp_path / "s.nq")
    assert 2_700 <= small["triples"] <= 3_600


def test_cache_is_keyed_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("CARRIERKG_BENCH_CACHE", str(tmp_path))
    first = ensure("2k", seed=5)
    assert first.path.parent == tmp_path and "2000-s5-v" in first.path.name
    mtime = first.path.stat().st_mtime_ns
    assert ensure("2k", seed=5).path.stat().st_mtime_ns == mtime


def test_one_named_graph_per_source_each_describing_its_source(sample):
    _, meta, quads = sample
    graphs = {q.graph_name for q in quads}
    assert all(isinstance(g, ox.NamedNode) for g in graphs)
    described = {q.subject for q in quads
                 if q.predicate.value == RDF.type and q.object.value == CKG.Source and q.subject == q.graph_name}
    assert described == graphs
    assert len(graphs) == meta["sources"]


def test_conforms_to_the_shapes(sample):
    from carrierkg.graph.validate import validate

    report = validate(sample[2])
    assert report.conforms, report.summary()


def test_loads_into_a_store_with_the_bundled_data(sample):
    from carrierkg.graph.store import open_store

    kg = open_store("memory")
    report = kg.load([sample[0]])
    assert report.quads == len(sample[2])
    rows = kg.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?o skos:prefLabel ?name . "
                     "?r a ckg:Partnership ; ckg:party ?o, ?p FILTER(?p != ?o) }",
                     {"name": sample[1]["busiest"]["label"]})
    assert int(rows[0]["n"].value) == sample[1]["busiest"]["partners"]


def test_degrees_are_heavy_tailed(sample):
    _, meta, quads = sample
    roles = {CKG.party, CKG.parent, CKG.venture, CKG.member, CKG.issuer, CKG.licensee, CKG.applicant,
             CKG.addressee, CKG.acquirer, CKG.target, CKG.subsidiary, CKG.owner, CKG.supplier, CKG.customer}
    rels_of = defaultdict(set)
    for q in quads:
        if q.predicate.value in roles:
            rels_of[q.object.value].add(q.subject.value)
    degrees = [len(v) for v in rels_of.values()]
    assert max(degrees) >= 10 * statistics.median(degrees)
    assert meta["max_degree"] >= 10 * meta["median_degree"]


def test_relationship_iris_are_identity_iri_of_their_content(sample):
    quads = sample[2]
    classes = {}
    values = defaultdict(lambda: defaultdict(set))
    for q in quads:
        s = q.subject.value
        if q.predicate.value == RDF.type and q.object.value in IDENTITY:
            classes[s] = q.object.value
        values[s][q.predicate.value].add(q.object.value)
    assert len(classes) > 100
    assert len({c for c in classes.values()}) >= 10  # the mix of kinds
    for rel, cls in classes.items():
        content = {p: sorted(values[rel][p]) if len(values[rel][p]) > 1 else next(iter(values[rel][p]))
                   for p in IDENTITY[cls] if values[rel].get(p)}
        assert identity_iri(cls, content) == rel, rel
