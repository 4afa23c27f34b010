"""Communities: groups of closely connected organisations (networkx community detection).

Computed on the simple graph of the projection (see
:func:`carrierkg.graph.centrality.simple_graph`). Organisations with no relationship are
not a community; ``min_size`` (default 2) leaves them out.

Examples
--------
>>> from carrierkg.graph.fixtures import example_graph
>>> groups = communities(example_graph())
>>> "Aurora Telecom" in groups[0]["members"]
True
"""

from __future__ import annotations

import networkx as nx

from carrierkg.graph.centrality import simple_graph
from carrierkg.graph.errors import InputError

__all__ = ["METHODS", "communities"]

#: Community detection methods by name.
METHODS = ("louvain", "greedy", "label_propagation")


def communities(G: nx.Graph, *, method: str = "louvain", seed: int = 42, resolution: float = 1.0,
                min_size: int = 2) -> list[dict]:
    """Groups of closely connected organisations, largest first.

    Parameters
    ----------
    G : nx.Graph
        A projection.
    method : {"louvain", "greedy", "label_propagation"}
        ``nx.community.louvain_communities``, ``greedy_modularity_communities`` or
        ``asyn_lpa_communities``.
    seed : int
        Random seed (Louvain and label propagation), so runs repeat.
    resolution : float
        Above 1 favours smaller groups, below 1 larger ones (Louvain, greedy).
    min_size : int
        Leave out smaller groups.

    Returns
    -------
    list of dict
        ``community`` (numbered from 1), ``size``, ``members`` (labels, sorted) and
        ``member_iris`` (in the same order), ``types`` (count per type).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> [g["size"] for g in communities(example_graph(), method="greedy")]
    [5, 4]
    """
    S = simple_graph(G)
    S.remove_nodes_from([n for n in list(S) if S.degree(n) == 0])
    if S.number_of_nodes() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(S, seed=seed, resolution=resolution)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(S, resolution=resolution)
    elif method in ("label_propagation", "lpa"):
        found = nx.community.asyn_lpa_communities(S, seed=seed)
    else:
        raise InputError(f"unknown community method {method!r}; use one of: {', '.join(METHODS)}")
    groups = []
    for members in found:
        if len(members) < min_size:
            continue
        ordered = sorted(members, key=lambda n: (str(S.nodes[n].get("label", n)).casefold(), n))
        types: dict[str, int] = {}
        for n in ordered:
            t = S.nodes[n].get("type") or "Organization"
            types[t] = types.get(t, 0) + 1
        groups.append({"members": [S.nodes[n].get("label", n) for n in ordered], "member_iris": ordered,
                       "size": len(ordered), "types": dict(sorted(types.items()))})
    groups.sort(key=lambda g: (-g["size"], g["members"][0].casefold()))
    return [{"community": i, **g} for i, g in enumerate(groups, start=1)]
