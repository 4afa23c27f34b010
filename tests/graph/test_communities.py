"""Communities: networkx community detection on the projection."""

from __future__ import annotations

import pytest

from carrierkg.graph.communities import METHODS, communities
from carrierkg.graph.errors import InputError
from carrierkg.graph.projection import project


@pytest.mark.parametrize("method", METHODS)
def test_methods_group_connected_organisations(example_kg, method):
    groups = communities(project(example_kg), method=method)
    members = [set(g["members"]) for g in groups]
    if method != "label_propagation":  # label propagation may split small groups
        assert any({"Aurora Telecom", "Aurora Baltic"} <= m for m in members)
    assert all(g["size"] >= 2 and len(g["members"]) == len(g["member_iris"]) == g["size"] for g in groups)
    assert [g["community"] for g in groups] == list(range(1, len(groups) + 1))
    # isolated organisations are not communities
    assert not any("Nova Telecom Sweden" in m for m in members)


def test_repeatable(example_kg):
    G = project(example_kg)
    assert communities(G) == communities(G)


def test_unknown_method(example_kg):
    with pytest.raises(InputError, match="unknown community method"):
        communities(project(example_kg), method="astrology")
