"""Paths: how two organisations are connected, each hop explained with its sources.

A path is a list of hops; a hop is a dict with the two ends (labels and IRIs) and every
relationship between them (relation type, how it reads from the hop's start, dates,
status, sources). Connections ignore direction: "BT is owned by nobody, but licensed by
MIIT" still connects BT and MIIT.

Examples
--------
>>> from carrierkg.graph.fixtures import example_graph
>>> G = example_graph()
>>> org = "https://w3id.org/carrierkg/id/org/"
>>> [(h["from"], h["relationship"], h["to"]) for h in shortest_path(G, org + "aurora-baltic",
...                                                                  org + "borealis-mobile")]
[('Aurora Baltic', 'is owned by', 'Aurora Telecom'), ('Aurora Telecom', 'formed a joint venture with \
(Fjord Connect); partners with', 'Borealis Mobile')]
"""

from __future__ import annotations

import itertools

import networkx as nx

from carrierkg.graph.filters import phrase

__all__ = ["all_simple_paths", "explain_hop", "path_rows", "shortest_path"]


def _dates(d: dict) -> str:
    start, end = d.get("start"), d.get("end")
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""


def explain_hop(G: nx.MultiGraph, u: str, v: str) -> dict:
    """Every relationship between ``u`` and ``v``, read from ``u``'s side.

    Returns
    -------
    dict
        ``from``, ``from_iri``, ``to``, ``to_iri``, ``relationship`` (the phrases joined
        by "; "), ``relationships`` (one dict per relationship: ``relation``,
        ``relationship``, ``rel``, ``start``, ``end``, ``date``, ``status``, ``venture``,
        ``sources``) and ``sources`` (all of them, without repeats).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> G = example_graph()
    >>> org = "https://w3id.org/carrierkg/id/org/"
    >>> hop = explain_hop(G, org + "aurora-telecom", org + "nordic-telecom-authority")
    >>> hop["relationship"], hop["relationships"][0]["date"]
    ('licensed by', '2005 to 2019-12-31')
    """
    rels = []
    for d in G.get_edge_data(u, v, default={}).values():
        if d.get("via") == "joint_venture":
            text = phrase("co_venturer")
            venture = d.get("venture")
            if venture in G:
                text += f" ({G.nodes[venture]['label']})"
        elif not d.get("directed"):
            text = phrase(d["relation"])
        else:
            text = phrase(d["relation"], subject_side=d.get("source_node") == u)
        rels.append({
            "relation": d["relation"], "relationship": text, "rel": d["rel"],
            "start": d.get("start"), "end": d.get("end"), "date": _dates(d), "status": d.get("status"),
            "venture": d.get("venture"), "details": d.get("details", {}), "sources": d.get("sources", []),
        })
    rels.sort(key=lambda r: (r["relationship"], r["rel"]))
    sources: dict[str, dict] = {}
    for r in rels:
        for s in r["sources"]:
            sources.setdefault(s["iri"], s)
    return {
        "from": G.nodes[u].get("label", u), "from_iri": u,
        "to": G.nodes[v].get("label", v), "to_iri": v,
        "relationship": "; ".join(dict.fromkeys(r["relationship"] for r in rels)),
        "relationships": rels, "sources": list(sources.values()),
    }


def _hops(G: nx.MultiGraph, nodes: list[str]) -> list[dict]:
    return [dict(explain_hop(G, a, b), hop=i + 1) for i, (a, b) in enumerate(itertools.pairwise(nodes))]


def _label_key(G: nx.MultiGraph, nodes) -> list[str]:
    return [str(G.nodes[n].get("label", n)).casefold() for n in nodes]


def shortest_path(G: nx.MultiGraph, a: str, b: str) -> list[dict]:
    """The shortest connection between two nodes, hop by hop (empty when there is none).

    Parameters
    ----------
    G : nx.MultiGraph
        A projection (already filtered by date and relation type if wanted).
    a, b : str
        Node IRIs.

    Returns
    -------
    list of dict
        One dict per hop (see :func:`explain_hop`, plus ``hop``, counting from 1); ``[]``
        when ``a`` and ``b`` are not connected (or either is not in ``G``).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> org = "https://w3id.org/carrierkg/id/org/"
    >>> [h["to"] for h in shortest_path(example_graph(), org + "delta-wireless", org + "aurora-telecom")]
    ['Borealis Mobile', 'Aurora Telecom']
    >>> shortest_path(example_graph(as_of="2020"), org + "delta-wireless", org + "aurora-telecom")
    []
    """
    if a not in G or b not in G or a == b:
        return []
    try:
        # the first few shortest paths, and of those the first by labels: the same answer every run
        candidates = list(itertools.islice(nx.all_shortest_paths(G, a, b), 64))
    except nx.NetworkXNoPath:
        return []
    return _hops(G, min(candidates, key=lambda p: _label_key(G, p)))


def all_simple_paths(G: nx.MultiGraph, a: str, b: str, *, max_hops: int = 3, limit: int = 100
                     ) -> list[list[dict]]:
    """Every connection of at most ``max_hops`` hops that visits no node twice, shortest first.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> org = "https://w3id.org/carrierkg/id/org/"
    >>> paths = all_simple_paths(example_graph(), org + "delta-wireless", org + "aurora-telecom")
    >>> [[h["to"] for h in p] for p in paths]
    [['Borealis Mobile', 'Aurora Telecom'], ['Cobalt Networks', 'Aurora Telecom'], \
['Borealis Mobile', 'Fjord Connect', 'Aurora Telecom']]
    """
    if a not in G or b not in G or a == b:
        return []
    found = {tuple(p) for p in nx.all_simple_paths(G, a, b, cutoff=max_hops)}

    def key(p):
        return len(p), _label_key(G, p)

    return [_hops(G, list(p)) for p in sorted(found, key=key)[:limit]]


def path_rows(paths: list[list[dict]]) -> list[dict]:
    """Paths as flat rows (one per hop) for tables and CSV: ``path``, ``hop``, ends, relationship.

    Examples
    --------
    >>> rows = path_rows([[{"hop": 1, "from": "A", "from_iri": "a", "to": "B", "to_iri": "b",
    ...                     "relationship": "partners with", "relationships": [], "sources": []}]])
    >>> rows[0]["path"], rows[0]["date"]
    (1, '')
    """
    rows = []
    for i, p in enumerate(paths, start=1):
        for h in p:
            rows.append({
                "path": i, "hop": h["hop"], "from": h["from"], "from_iri": h["from_iri"],
                "relationship": h["relationship"], "to": h["to"], "to_iri": h["to_iri"],
                "date": "; ".join(r["date"] for r in h["relationships"] if r["date"]),
                "rels": [r["rel"] for r in h["relationships"]],
                "relationships": h["relationships"], "sources": h["sources"],
            })
    return rows
