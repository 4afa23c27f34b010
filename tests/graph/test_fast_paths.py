"""The fast paths of issue 7 return the same answers as the plain ones.

* Answers look up labels, types, dates and sources after the relationship rows (every source
  graph repeats the descriptions of what it mentions, and a join would multiply the rows):
  they must equal what the plain one-query-per-answer versions (``plain_queries/``, the queries
  before the change) return, and must not change when an organisation is described in 50 graphs.
* The projection is built from single-pattern queries: the same graph however many graphs
  repeat a description.
* igraph's betweenness equals networkx's.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from carrierkg.graph import answers
from carrierkg.graph.fixtures import EXAMPLE_TRIG
from carrierkg.graph.projection import _build
from carrierkg.graph.store import open_store, python_value

PLAIN = Path(__file__).with_name("plain_queries")
ORG = "https://w3id.org/carrierkg/id/org/"
COPIES = 50


def _plain_run(kg, name, bindings, key, rows, **_ignored):
    """The grouping of answers before issue 7: one query joining every lookup."""
    query = (PLAIN / f"{name}.rq").read_text()
    result = kg.query(query, bindings)
    names = [v.value for v in result.variables]
    groups: dict[tuple, dict] = {}
    for sol in result:
        k = tuple(python_value(sol[v]) for v in key)
        g = groups.get(k)
        if g is None:
            g = groups[k] = {n: set() for n in names}
            g["_sources"] = {}
        for n in names:
            if sol[n] is not None:
                g[n].add(python_value(sol[n]))
        src = sol["src"] if "src" in names else None
        if src is not None:
            entry = g["_sources"].setdefault(src.value, {"iri": src.value, "title": None, "url": None})
            entry["title"] = entry["title"] or python_value(sol["srcTitle"])
            entry["url"] = entry["url"] or python_value(sol["srcUrl"])
    out = []
    for g in groups.values():
        g["sources"] = sorted(g.pop("_sources").values(), key=lambda s: s["iri"])
        out.append(answers._Group(g))
    return out


def _store(copies: int = 0):
    """The fixture store; with ``copies``, the reference descriptions (types, labels, aliases,
    countries) are repeated in that many more source graphs."""
    quads = list(ox.parse(EXAMPLE_TRIG, format=ox.RdfFormat.TRIG))
    extra = []
    reference = [q for q in quads if q.graph_name.value.endswith("/graph/reference")
                 and q.subject != q.graph_name]
    for i in range(copies):
        g = ox.NamedNode(f"https://w3id.org/carrierkg/id/source/copy-{i}")
        extra.append(ox.Quad(g, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             ox.NamedNode("https://w3id.org/carrierkg/ontology#Source"), g))
        extra += [ox.Quad(q.subject, q.predicate, q.object, g) for q in reference]
    kg = open_store("memory", build=False)
    kg.add(quads + extra, validate=False)
    return kg


@pytest.fixture(scope="module")
def one():
    return _store()


@pytest.fixture(scope="module")
def many():
    return _store(COPIES)


ORGS = ["Aurora Telecom", "Borealis Mobile", "Cobalt Networks", "Delta Wireless", "Aurora Baltic",
        "Fjord Connect", "Nordic Telecom Authority", "Helix Equipment"]
FUNCTIONS = [answers.partners_of, answers.licences_of, answers.owners_of, answers.holdings_of,
             answers.joint_ventures_of, answers.suppliers_of, answers.profile, answers.regulators_of]


def _all_answers(kg):
    out = {}
    for f in FUNCTIONS:
        for name in ORGS:
            out[(f.__name__, name)] = list(f(kg, name))
    out[("licensed_by", "NTA")] = list(answers.licensed_by(kg, "NTA"))
    for place in ("Norway", "Finland"):
        out[("operating_in", place)] = list(answers.operating_in(kg, place))
        out[("regulators_of", place)] = list(answers.regulators_of(kg, place))
    out[("organisation_info", "Aurora")] = answers.organisation_info(kg, "Aurora")
    return out


@pytest.mark.parametrize("which", ["example", "bundled"])
def test_answers_equal_the_plain_queries(which, one, bundled_kg, monkeypatch):
    kg = one if which == "example" else bundled_kg
    names = ORGS if which == "example" else ["BT", "China Telecom", "AT&T", "China Unicom"]
    fast = {}
    for f in FUNCTIONS:
        for name in names:
            fast[(f.__name__, name)] = list(f(kg, name))
    with monkeypatch.context() as m:
        m.setattr(answers, "_run", _plain_run)
        m.setattr(answers, "_mandates_over_org", lambda *a, **k: [])
        for f in FUNCTIONS:
            for name in names:
                assert list(f(kg, name)) == fast[(f.__name__, name)], (f.__name__, name)


def test_answers_do_not_change_with_repeated_descriptions(one, many):
    assert _all_answers(many) == _all_answers(one)


def test_query_rows_are_bounded_with_repeated_descriptions(one, many, monkeypatch):
    """Every query returns as many rows with 50 copies of each description as with one."""
    def counted(kg):
        counts = []
        real = type(kg).query

        def query(self, q, b=None):
            result = real(self, q, b)
            if not isinstance(result, ox.QuerySolutions):
                return result
            rows = list(result)
            counts.append(len(rows))
            return _Solutions(result.variables, rows)

        with monkeypatch.context() as m:
            m.setattr(type(kg), "query", query)
            for f in FUNCTIONS:
                f(kg, "Aurora Telecom")
        return counts

    assert counted(many) == counted(one)


class _Solutions(list):
    def __init__(self, variables, rows):
        super().__init__(rows)
        self.variables = variables


def test_projection_does_not_change_with_repeated_descriptions(one, many):
    a, b = _build(one), _build(many)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data="rel")) == sorted(b.edges(keys=True, data="rel"))
    for u, v, k, d in a.edges(keys=True, data=True):
        assert b.edges[u, v, k] == d
    aurora = ORG + "aurora-telecom"
    assert a.nodes[aurora]["aliases"] == ["Aurora", "Aurora Telekom AS"]


@pytest.mark.parametrize("seed", range(6))
def test_igraph_betweenness_equals_networkx(seed):
    from carrierkg.graph.centrality import igraph_betweenness

    G = nx.gnm_random_graph(40 + seed * 10, 90 + seed * 30, seed=seed)
    G.add_node("isolated")
    exact, fast = nx.betweenness_centrality(G), igraph_betweenness(G)
    assert set(exact) == set(fast)
    assert all(abs(exact[n] - fast[n]) <= 1e-9 for n in G)


def test_centrality_uses_the_backend_on_large_graphs(monkeypatch):
    import importlib

    centrality = importlib.import_module("carrierkg.graph.centrality")
    assert "betweenness" in centrality.BACKENDS
    G = nx.MultiGraph(nx.barabasi_albert_graph(600, 2, seed=1))
    nx.set_node_attributes(G, "Carrier", "type")
    nx.set_node_attributes(G, {n: f"org {n}" for n in G}, "label")
    fast = centrality.centrality(G, measure="betweenness", top=20)
    monkeypatch.setattr(centrality, "BACKENDS", {})
    plain = centrality.centrality(G, measure="betweenness", top=20)
    assert [r["iri"] for r in fast] == [r["iri"] for r in plain]
    assert all(abs(a["score"] - b["score"]) <= 1e-9 for a, b in zip(fast, plain, strict=True))
