"""Centrality: every measure, top N, type filter, and the backend seam."""

from __future__ import annotations

import networkx as nx
import pytest

from carrierkg.graph.centrality import BACKENDS, MEASURES, centrality, register_backend, simple_graph
from carrierkg.graph.errors import InputError
from carrierkg.graph.projection import project


@pytest.mark.parametrize("measure", sorted(MEASURES))
def test_every_measure_ranks(example_kg, measure):
    rows = centrality(project(example_kg), measure=measure, top=3)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["label"] == "Aurora Telecom"
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    assert set(rows[0]) == {"rank", "label", "iri", "type", "score", "connections"}


def test_scores_match_networkx(example_kg):
    G = project(example_kg)
    expected = nx.betweenness_centrality(simple_graph(G))
    for r in centrality(G, measure="betweenness", top=None):
        assert r["score"] == pytest.approx(expected[r["iri"]])


def test_type_filter_and_top(example_kg):
    rows = centrality(project(example_kg), top=None, types=["vendor"])
    assert {r["type"] for r in rows} == {"Vendor"} and len(rows) == 2


def test_unknown_measure(example_kg):
    with pytest.raises(InputError, match="unknown centrality measure 'fame'"):
        centrality(project(example_kg), measure="fame")


def test_backend_seam(example_kg):
    calls = []

    def fast(S):
        calls.append(S.number_of_nodes())
        return nx.degree_centrality(S)

    register_backend("degree", fast, min_nodes=1)
    try:
        assert centrality(project(example_kg), top=1)[0]["label"] == "Aurora Telecom"
        assert calls
    finally:
        del BACKENDS["degree"]


def test_empty_graph():
    assert centrality(nx.MultiGraph()) == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numpy_pagerank_equals_networkx(seed):
    from carrierkg.graph.centrality import numpy_pagerank

    G = nx.gnm_random_graph(300, 500, seed=seed)
    G.add_nodes_from(range(300, 310))  # isolated: dangling
    expected = nx.pagerank(G)
    got = numpy_pagerank(G)
    assert list(got) == list(expected)
    assert all(abs(got[n] - expected[n]) < 1e-12 for n in G)


def test_pagerank_backend_ranks_as_networkx(example_kg):
    from carrierkg.graph.centrality import numpy_pagerank

    G = project(example_kg)
    register_backend("pagerank", numpy_pagerank, min_nodes=1)
    try:
        fast = centrality(G, measure="pagerank", top=None)
    finally:
        register_backend("pagerank", numpy_pagerank, min_nodes=500)
    del BACKENDS["pagerank"]
    try:
        plain = centrality(G, measure="pagerank", top=None)
    finally:
        register_backend("pagerank", numpy_pagerank, min_nodes=500)
    assert [r["iri"] for r in fast] == [r["iri"] for r in plain]
    assert all(abs(a["score"] - b["score"]) < 1e-12 for a, b in zip(fast, plain, strict=True))


def test_simple_graph_keeps_the_order_of_add_edges_from():
    import random

    for seed in range(10):
        rng = random.Random(seed)
        G = nx.MultiGraph()
        G.add_nodes_from(range(40))
        G.add_edges_from((rng.randrange(40), rng.randrange(40)) for _ in range(120))
        plain = nx.Graph()
        plain.add_nodes_from(G.nodes(data=True))
        plain.add_edges_from((u, v) for u, v in G.edges() if u != v)
        S = simple_graph(G)
        assert [list(S[n]) for n in S] == [list(plain[n]) for n in plain]
        assert all(S._adj[u][v] is S._adj[v][u] for u, v in S.edges())
