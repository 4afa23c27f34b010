"""Paths: the shortest connection explained hop by hop, all simple paths, no connection."""

from __future__ import annotations

from carrierkg.graph.answers import connection
from carrierkg.graph.paths import all_simple_paths, explain_hop, path_rows, shortest_path
from carrierkg.graph.projection import project
from carrierkg.ontology.namespaces import ID

ORG = ID + "org/"


def test_shortest_path_explains_each_hop(example_kg):
    hops = shortest_path(project(example_kg), ORG + "aurora-baltic", ORG + "cobalt-networks")
    assert [(h["hop"], h["from"], h["relationship"], h["to"]) for h in hops] == [
        (1, "Aurora Baltic", "is owned by", "Aurora Telecom"),
        (2, "Aurora Telecom", "shares infrastructure with", "Cobalt Networks"),
    ]
    rel = hops[1]["relationships"][0]
    assert rel["date"] == "from 2018-06" and rel["status"] == "active"
    assert len(hops[1]["sources"]) == 2


def test_direction_is_read_from_the_hop_start(example_kg):
    G = project(example_kg)
    assert explain_hop(G, ORG + "aurora-telecom", ORG + "aurora-baltic")["relationship"] == "owns"
    assert explain_hop(G, ORG + "nordic-telecom-authority", ORG + "aurora-telecom")["relationship"] == "licensed"


def test_no_connection_is_empty(example_kg):
    G = project(example_kg)
    assert shortest_path(G, ORG + "nova-telecom-sweden", ORG + "aurora-telecom") == []
    assert shortest_path(G, ORG + "aurora-telecom", ORG + "aurora-telecom") == []
    assert all_simple_paths(G, ORG + "nova-telecom-sweden", ORG + "aurora-telecom") == []


def test_as_of_changes_the_path(example_kg):
    assert len(shortest_path(project(example_kg), ORG + "delta-wireless", ORG + "aurora-telecom")) == 2
    assert shortest_path(project(example_kg, as_of="2020"), ORG + "delta-wireless", ORG + "aurora-telecom") == []


def test_all_simple_paths_respects_max_hops(example_kg):
    G = project(example_kg)
    two = all_simple_paths(G, ORG + "delta-wireless", ORG + "aurora-telecom", max_hops=2)
    three = all_simple_paths(G, ORG + "delta-wireless", ORG + "aurora-telecom", max_hops=3)
    assert len(two) == 2 and len(three) == 3
    rows = path_rows(three)
    assert [r["path"] for r in rows] == [1, 1, 2, 2, 3, 3, 3]


def test_connection_through_places_when_organisations_are_not_connected(example_kg, bundled_kg):
    rows = connection(example_kg, "Nova Telecom Finland", "Cobalt Networks")
    assert rows.through_places
    assert [(r["from"], r["to"]) for r in rows] == [("Nova Telecom Finland", "Finland"),
                                                    ("Finland", "Cobalt Networks")]
    rows = connection(bundled_kg, "BT", "China Telecom")
    assert rows and rows[0]["from"] == "BT" and rows[-1]["to"] == "China Telecom"
    assert all(r["sources"] for r in rows)
