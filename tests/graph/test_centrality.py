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
