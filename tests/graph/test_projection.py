"""The projection: nodes, edges, filters, the directed view and the on-disk cache."""

from __future__ import annotations

import networkx as nx
import pytest

from carrierkg.graph.errors import InputError
from carrierkg.graph.projection import cache_path, directed, project
from carrierkg.ontology.namespaces import CKG, ID, RDF, SKOS

ORG = ID + "org/"


def test_nodes_are_organisations_with_attributes(example_kg):
    G = project(example_kg)
    assert isinstance(G, nx.MultiGraph)
    aurora = G.nodes[ORG + "aurora-telecom"]
    assert aurora["label"] == "Aurora Telecom"
    assert aurora["type"] == "Carrier"
    assert aurora["country"] == ID + "country/NO"
    assert aurora["aliases"] == ["Aurora", "Aurora Telekom AS"]
    # no literals, classes, relationship nodes, sources or places
    for n in G:
        assert n.startswith(ORG), n
    assert RDF.type not in G


def test_one_edge_per_relationship_with_attributes(example_kg):
    G = project(example_kg)
    data = G.get_edge_data(ORG + "aurora-telecom", ORG + "cobalt-networks")
    assert len(data) == 1
    (key, d), = data.items()
    assert key == d["rel"] and d["relation"] == "infrastructure_sharing"
    assert d["start"] == "2018-06" and d["status"] == "active" and not d["directed"]
    assert d["details"]["shared_assets"] == ["towers"]
    assert {s["title"] for s in d["sources"]} == {"Aurora and Cobalt to share towers (fixture)",
                                                 "Nordic deals roundup (fixture)"}
    assert all(set(s) == {"iri", "title", "url"} for s in d["sources"])


def test_directed_kinds_keep_their_roles(example_kg):
    G = project(example_kg)
    (d,) = G.get_edge_data(ORG + "nordic-telecom-authority", ORG + "aurora-baltic").values()
    assert d["relation"] == "licence_grant" and d["directed"]
    assert (d["source_node"], d["target_node"]) == (ORG + "nordic-telecom-authority", ORG + "aurora-baltic")


def test_joint_venture_edges(example_kg):
    G = project(example_kg)
    jv = [d for _, _, d in G.edges(ORG + "fjord-connect", data=True)]
    assert {d["source_node"] for d in jv} == {ORG + "aurora-telecom", ORG + "borealis-mobile"}
    co = [d for d in G.get_edge_data(ORG + "aurora-telecom", ORG + "borealis-mobile").values()
          if d.get("via") == "joint_venture"]
    assert len(co) == 1 and co[0]["venture"] == ORG + "fjord-connect"
    H = project(example_kg, co_venturers=False)
    assert all(not d.get("via") for _, _, d in H.edges(data=True))


def test_places_only_when_asked(example_kg):
    assert ID + "country/NO" not in project(example_kg)
    G = project(example_kg, places=True)
    assert G.nodes[ID + "country/NO"]["kind"] == "place"
    relations = {d["relation"] for _, _, d in G.edges(ID + "country/NO", data=True)}
    assert relations == {"regulates", "operates_in"}


def test_as_of_drops_relationships_that_start_later(example_kg):
    delta = ORG + "delta-wireless"
    assert set(project(example_kg)[delta]) == {ORG + "borealis-mobile", ORG + "cobalt-networks"}
    assert set(project(example_kg, as_of="2022-01-01")[delta]) == {ORG + "borealis-mobile"}
    assert set(project(example_kg, as_of="2021-08")[delta]) == set()
    # a gYear start (2015) is in force during 2015 and later, not before
    fjord = ORG + "fjord-connect"
    assert len(project(example_kg, as_of="2015")[fjord]) == 2
    assert len(project(example_kg, as_of="2014-12-31")[fjord]) == 0


def test_as_of_drops_relationships_that_ended(example_kg):
    pair = (ORG + "nordic-telecom-authority", ORG + "aurora-telecom")
    assert project(example_kg, as_of="2019").has_edge(*pair)
    assert not project(example_kg, as_of="2020").has_edge(*pair)


def test_relation_filter_with_aliases(example_kg):
    G = project(example_kg, relations=["licence"])
    assert {d["relation"] for _, _, d in G.edges(data=True)} == {"licence_grant"}
    G = project(example_kg, relations=["partners"])
    assert {d["relation"] for _, _, d in G.edges(data=True)} == {
        "partnership", "infrastructure_sharing", "joint_venture"}
    with pytest.raises(InputError, match="unknown relation type 'friends'"):
        project(example_kg, relations=["friends"])
    with pytest.raises(InputError, match="not a date"):
        project(example_kg, as_of="soon")


def test_directed_view(example_kg):
    D = directed(project(example_kg))
    assert D.has_edge(ORG + "aurora-baltic", ORG + "aurora-telecom")
    assert not D.has_edge(ORG + "aurora-telecom", ORG + "aurora-baltic")
    assert D.has_edge(ORG + "aurora-telecom", ORG + "cobalt-networks")
    assert D.has_edge(ORG + "cobalt-networks", ORG + "aurora-telecom")
    D = directed(project(example_kg, as_of="2021", relations=["licence", "subsidiary"]))
    chain = nx.shortest_path(D, ORG + "nordic-telecom-authority", ORG + "aurora-telecom")
    assert chain == [ORG + "nordic-telecom-authority", ORG + "aurora-baltic", ORG + "aurora-telecom"]


def test_results_do_not_share_mutations(example_kg):
    G = project(example_kg)
    G.remove_node(ORG + "aurora-telecom")
    assert ORG + "aurora-telecom" in project(example_kg)


def test_bundled_projection(bundled_kg):
    G = project(bundled_kg)
    att, ct = ORG + "at-t", ORG + "china-telecom"
    assert {d["relation"] for d in G.get_edge_data(att, ct).values()} == {
        "infrastructure_sharing", "partnership", "joint_venture"}


def test_disk_cache_is_written_reused_and_replaced(tmp_path):
    from carrierkg.graph.store import open_store

    store = tmp_path / "store"
    kg = open_store(store)
    try:
        assert cache_path(kg) is None or not cache_path(kg).exists()
        G = project(kg)
        target = cache_path(kg)
        assert target.parent == tmp_path / "store.cache" and target.exists()
        # a new process would read the pickle: simulate by forgetting the in-process memo
        from carrierkg.graph import projection

        projection._MEMO.clear()
        assert set(project(kg)) == set(G)
        import pyoxigraph as ox

        zeta, graph = ox.NamedNode(ORG + "zeta"), ox.NamedNode(ID + "source/test-cache")
        kg.add([ox.Quad(zeta, ox.NamedNode(RDF.type), ox.NamedNode(CKG.Company), graph),
                ox.Quad(zeta, ox.NamedNode(SKOS.prefLabel), ox.Literal("Zeta"), graph)], validate=False)
        G2 = project(kg)
        assert ORG + "zeta" in G2
        files = sorted(p.name for p in target.parent.glob("projection-*.pickle"))
        assert files == [cache_path(kg).name] and cache_path(kg) != target
    finally:
        kg.close()


def test_memory_store_has_no_cache_file(example_kg):
    assert cache_path(example_kg) is None


def test_organisations_cache_is_the_filtered_projection(tmp_path, example_kg):
    """``project(kg)`` read from ``organisations-<key>.pickle`` is what filtering the whole
    projection gives, in the same order; filters on it equal filters on the whole one."""
    import pyoxigraph as ox

    from carrierkg.graph import projection
    from carrierkg.graph.projection import _build, filter_graph
    from carrierkg.graph.store import open_store

    kg = open_store(tmp_path / "store")
    try:
        kg.add(list(example_kg.store.quads_for_pattern(None, None, None, None)), validate=False)
        assert isinstance(kg.store, ox.Store)
        whole = _build(kg)
        project(kg)
        organisations = cache_path(kg).with_name("organisations-" + cache_path(kg).name.split("-", 1)[1])
        assert organisations.exists()
        projection._MEMO.clear()
        G = project(kg)
        plain = filter_graph(whole, places=False)
        assert list(G.nodes(data=True)) == list(plain.nodes(data=True))
        assert list(G.edges(keys=True, data=True)) == list(plain.edges(keys=True, data=True))
        assert G.graph == plain.graph
        for options in ({"as_of": "2020"}, {"relations": ["partnership"]}, {"co_venturers": False}):
            H, P = project(kg, **options), filter_graph(whole, **options)
            assert list(H.edges(keys=True, data=True)) == list(P.edges(keys=True, data=True))
            assert [list(H[n]) for n in H] == [list(P[n]) for n in P]
        assert set(project(kg, places=True)) == set(whole)
    finally:
        kg.close()
