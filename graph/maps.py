"""Maps: the projection drawn as an interactive, self-contained HTML page (pyvis, vis-network).

:func:`build_map` turns a projection (a networkx ``MultiGraph`` of organisations, see
:mod:`carrierkg.graph.projection`) into a :class:`MapResult`: the page, built with carrierkg's
own template, and a pyvis ``Network`` whose node and edge lists are filled directly (pyvis's
``add_node``/``add_edge``/``from_nx`` are quadratic), made when first asked for.

The page carries compact data (no hover texts, colours or sentences, edge ends as indexes,
see ``_network``) and its script makes the vis-network items from it: the same items as the
``Network``'s (``_vis_items``), in a page a third the size, written in a fraction of the time.

The page works opened from disk with the network off: vis-network's script and style sheet
(the copies pyvis ships) are inline, nothing is loaded from anywhere, and a Content Security
Policy forbids every request and every script but the page's own two. Text from the data
(labels, aliases, source titles, URLs) enters the page only as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and reaches the
screen through ``textContent``; only ``http(s)`` URLs become links.

Nodes are coloured and shaped by organisation type and sized by a centrality measure; edges
are coloured and dashed by relation type, with arrows where the relation is directed. Hover
texts are plain text; a click opens a details panel with the sources. A legend doubles as
filters (relation types, organisation types); a search box finds and focuses a node.

Large maps stay usable: physics runs for a bounded number of iterations and then stops, and
above ``max_nodes`` only the most central organisations are kept (closest to the focus first);
:attr:`MapResult.omitted` says what was left out, and so does a note in the page.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiGraph()
>>> G.add_node("ex:a", label="Aurora Telecom", type="Carrier", country="NO", aliases=["Aurora"])
>>> G.add_node("ex:n", label="Nordic Telecom Authority", type="Regulator", country="NO", aliases=[])
>>> G.add_node("ex:b", label="Borealis <Mobile>", type="Carrier", country="SE", aliases=[])
>>> _ = G.add_edge("ex:a", "ex:n", relation="licence_grant", source_node="ex:n", target_node="ex:a",
...                start="2005", sources=[{"iri": "ex:s1", "title": "NTA licences Aurora",
...                                        "url": "https://example.org/nta"}])
>>> _ = G.add_edge("ex:a", "ex:b", relation="partnership", start="2012-03-01", sources=[])
>>> result = build_map(G, focus="ex:a", title="Aurora & friends")
>>> result.organisations, result.relationships, result.omitted.organisations
(3, 2, 0)
>>> page = result.html
>>> "<title>Aurora &amp; friends</title>" in page, "Borealis <Mobile>" in page
(True, False)
>>> "<script src" in page or "<link" in page
False
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carrierkg.graph.errors import InputError, UnknownNameError
from carrierkg.graph.files import write_atomic

__all__ = [
    "DEFAULT_MAX_NODES",
    "LAYOUT_THRESHOLD",
    "ORGANISATION_STYLES",
    "RELATION_STYLES",
    "SIZE_MEASURES",
    "MapResult",
    "Omitted",
    "build_map",
    "notebook_html",
    "render_html",
    "safe_url",
    "to_pyvis",
]

#: Above this many organisations a map keeps only the most central ones.
DEFAULT_MAX_NODES = 1500

#: Centrality measures that can size the nodes.
SIZE_MEASURES = ("degree", "pagerank", "betweenness")

#: How each organisation type is drawn: (colour, vis-network shape). Places (countries,
#: zones) appear only in projections made with ``places=True``.
ORGANISATION_STYLES: dict[str, tuple[str, str]] = {
    "Carrier": ("#1f77b4", "dot"),
    "Regulator": ("#d62728", "diamond"),
    "Vendor": ("#2ca02c", "square"),
    "Company": ("#7f7f7f", "triangle"),
    "JointVenture": ("#ff7f0e", "hexagon"),
    "Organization": ("#9467bd", "triangleDown"),
    "Country": ("#bcbd22", "star"),
    "Zone": ("#dbdb8d", "star"),
}
_OTHER_TYPE = "Organization"
_NOT_LISTED = {_OTHER_TYPE, "Country", "Zone"}

#: How each relation type is drawn: (colour, dash pattern or None for a solid line).
#: Arrows follow :data:`carrierkg.graph.model.RELATION_KINDS` (``directed``).
RELATION_STYLES: dict[str, tuple[str, list[int] | None]] = {
    "partnership": ("#1f77b4", None),
    "infrastructure_sharing": ("#17becf", None),
    "joint_venture": ("#ff7f0e", None),
    "consortium_membership": ("#ffbb78", [6, 4]),
    "co_venturer": ("#ff7f0e", [2, 4]),
    "licence_grant": ("#d62728", [10, 5]),
    "licence_application": ("#f28e8e", [3, 4]),
    "acquisition": ("#8c564b", None),
    "subsidiary": ("#9467bd", [12, 4, 3, 4]),
    "supplier": ("#2ca02c", None),
    "supplier_removed": ("#98a98f", [4, 4]),
    "regulates": ("#555555", [2, 3]),
    "operates_in": ("#bcbd22", [2, 3]),
}
_OTHER_RELATION = ("#999999", [1, 3])

#: Maps with more organisations than this are laid out here (see ``_layout``) and open with
#: physics off; smaller ones are laid out by vis-network's physics, which stops after a
#: bounded number of iterations.
LAYOUT_THRESHOLD = 600
_PATH_COLOUR = "#111111"
_RELATION_NAMES = {"co_venturer": "co-venturers (joint venture parents)", "supplier_removed": "supplier removed"}

_TEMPLATES = Path(__file__).with_name("templates")
_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_URL_RE = re.compile(r"^https?://[^\s\x00-\x1f\x7f<>\"]+$", re.IGNORECASE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PLACEHOLDER_RE = re.compile(r"@@([A-Z_]+)@@")


@dataclass(frozen=True)
class Omitted:
    """What a map left out to stay within its size limit.

    ``names`` holds the labels of the most central organisations left out (at most ten).
    """

    organisations: int = 0
    relationships: int = 0
    names: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.organisations or self.relationships)

    def describe(self, *, names: int = 5) -> str:
        """A one-line description for people (naming at most ``names``), empty when nothing was left out.

        Examples
        --------
        >>> Omitted(3, 5, ("A", "B", "C")).describe(names=2)
        'left out 3 organisations and 5 relationships (the least central), among them: A, B, ...'
        """
        if not self:
            return ""
        text = (f"left out {_count(self.organisations, 'organisation')} and "
                f"{_count(self.relationships, 'relationship')} (the least central)")
        if self.names and names > 0:
            text += ", among them: " + ", ".join(self.names[:names])
            if self.organisations > min(names, len(self.names)):
                text += ", ..."
        return text


@dataclass
class MapResult:
    """A map: the page, what it shows and left out, and the pyvis network.

    Attributes
    ----------
    title : str
        The page title.
    organisations, relationships : int
        How many nodes and edges the map shows.
    omitted : Omitted
        What was left out above the size limit.
    focus : str or None
        The focus organisation's IRI.
    path : list of str
        The IRIs along the highlighted path (empty without one, or when there is none).
    connected : bool or None
        With ``path=``: whether the two organisations are connected (``None`` without).
    legend : dict
        The organisation and relation types drawn, with their styles and counts.
    data : dict
        The page's compact data (see :func:`_network`): what the page script turns into
        vis-network items, the same ones :attr:`network` holds.
    network : pyvis.network.Network
        The network; ``network.nodes``/``network.edges`` hold vis-network items. Made on
        first use (writing a page needs neither pyvis's Python side nor these items).
    """

    title: str
    organisations: int
    relationships: int
    omitted: Omitted = field(default_factory=Omitted)
    focus: str | None = None
    path: list[str] = field(default_factory=list)
    connected: bool | None = None
    legend: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def network(self):
        """The pyvis ``Network``, its node and edge lists filled with the page's vis-network items."""
        from pyvis.network import Network

        net = Network(height="100%", width="100%", directed=False, cdn_resources="remote", heading="")
        # Fill pyvis's lists directly: add_node/add_edge check every existing item (quadratic).
        net.nodes, net.edges = _vis_items(self.data, self.legend)
        net.node_ids = [n["id"] for n in net.nodes]
        net.node_map = {n["id"]: n for n in net.nodes}
        net.options = self.data["options"]
        return net

    @functools.cached_property
    def html(self) -> str:
        """The self-contained HTML page."""
        return "".join(_render(self))

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically (temp file, fsync, rename); return the path.

        Raises
        ------
        InputError
            The folder does not exist or the file cannot be written.
        """
        target = Path(path)
        if "html" in self.__dict__:
            write_atomic(target, self.html.encode("utf-8"))
        else:  # the page in pieces: no copy of the whole page as one string, then as bytes
            parts = [p if type(p) is bytes else p.encode("utf-8") for p in _render(self, raw=True)]
            write_atomic(target, lambda f: f.writelines(parts))
        return target

    def _repr_html_(self) -> str:
        """Jupyter shows a map inline (in an iframe, so the page keeps its own policy)."""
        return _iframe(self.html)


# -- building ---------------------------------------------------------------------------------


def build_map(G, *, focus: str | None = None, depth: int = 1, path: Sequence[str] | None = None,
              types: Iterable[str] | None = None, size_by: str = "degree",
              max_nodes: int | None = DEFAULT_MAX_NODES, title: str | None = None) -> MapResult:
    """Draw a projection (or part of it) as a map.

    Parameters
    ----------
    G : networkx.MultiGraph
        A projection: node keys are organisation IRIs with ``label``, ``type``, ``country``
        and ``aliases``; edges carry ``relation``, ``rel``, ``start``, ``end``, ``status``,
        ``sources`` (dicts with ``iri``, ``title``, ``url``) and ``directed``,
        ``source_node``, ``target_node`` (the ends in the relation's direction).
    focus : str, optional
        An organisation IRI: draw only its neighbourhood up to ``depth`` steps.
    depth : int
        How many steps from ``focus`` (or, without a focus, from the path) to draw
        (default 1).
    path : pair of str, optional
        Two organisation IRIs: highlight the shortest connection between them, the one
        :func:`carrierkg.graph.paths.shortest_path` finds. Its organisations are always
        drawn; without ``focus`` the map shows them and their neighbours up to ``depth``.
        Two organisations that are not connected are drawn without a path, and
        :attr:`MapResult.connected` is ``False``.
    types : iterable of str, optional
        Only organisations of these types (``Carrier``, ``Regulator``, ``Vendor``,
        ``Company``, ``JointVenture``); the focus and the path ends are always kept.
    size_by : {"degree", "pagerank", "betweenness"}
        The centrality measure that sizes the nodes (betweenness is sampled on large maps).
    max_nodes : int or None
        Keep at most this many organisations, the most central ones (closest to the focus
        first); ``None`` for no limit.
    title : str, optional
        The page title (default: from the focus or path).

    Returns
    -------
    MapResult

    Raises
    ------
    UnknownNameError
        ``focus`` or a path end is not an organisation of ``G``.
    InputError
        An option is out of range (unknown measure or type, negative depth).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> for key, label, kind in [("a", "Aurora", "Carrier"), ("b", "Borealis", "Carrier"),
    ...                          ("c", "Cobalt", "Carrier"), ("h", "Helix", "Vendor")]:
    ...     G.add_node(key, label=label, type=kind)
    >>> _ = G.add_edge("a", "b", relation="partnership")
    >>> _ = G.add_edge("b", "c", relation="partnership")
    >>> _ = G.add_edge("a", "h", relation="supplier", directed=True, source_node="h", target_node="a")
    >>> m = build_map(G, path=["h", "c"])
    >>> m.path
    ['h', 'a', 'b', 'c']
    >>> build_map(G, focus="c", depth=1).organisations
    2
    >>> build_map(G, types=["Carrier"]).organisations
    3
    >>> small = build_map(G, max_nodes=2)
    >>> small.organisations, small.omitted.organisations
    (2, 2)
    >>> sorted(n["id"] for n in to_pyvis(G, focus="h").nodes)
    ['a', 'h']
    """
    import networkx as nx

    if size_by not in SIZE_MEASURES:
        raise InputError(f"unknown size measure {size_by!r}; use one of: {', '.join(SIZE_MEASURES)}")
    if depth < 0:
        raise InputError(f"the depth must be 0 or more, not {depth}")
    if max_nodes is not None and max_nodes < 1:
        raise InputError(f"the node limit must be 1 or more, not {max_nodes}")
    wanted_types = _normalise_types(types)
    ends = list(path) if path else []
    if ends and len(ends) != 2:
        raise InputError(f"a path needs two organisations, not {len(ends)}")
    for key in [focus, *ends]:
        if key is not None and key not in G:
            raise UnknownNameError(str(key))

    pinned = {k for k in [focus, *ends] if k is not None}
    H = G
    if wanted_types is not None:
        H = _induced(G, [n for n, t in G.nodes(data="type") if _type_name(t) in wanted_types or n in pinned])

    path_nodes: list[str] = []
    connected = None
    if ends:
        path_nodes = _shortest_path(H, ends[0], ends[1])
        connected = bool(path_nodes)

    distance: dict = {}
    if focus is not None:
        distance = nx.single_source_shortest_path_length(H, focus, cutoff=depth)
    elif ends:
        distance = nx.multi_source_dijkstra_path_length(H, set(path_nodes or ends), cutoff=depth)
    if focus is not None or ends:
        H = _induced(H, set(distance) | set(path_nodes) | set(ends))
    scores = _centrality(H, size_by)

    omitted = Omitted()
    if max_nodes is not None and H.number_of_nodes() > max_nodes:
        pinned_order = list(dict.fromkeys([*([focus] if focus else []), *ends, *path_nodes]))
        rest = sorted((n for n in H if n not in set(pinned_order)),
                      key=lambda n: (distance.get(n, 0), -scores.get(n, 0.0), str(n)))
        kept = pinned_order + rest[: max(0, max_nodes - len(pinned_order))]
        left = rest[max(0, max_nodes - len(pinned_order)):]
        before_edges = H.number_of_edges()
        if H is G:
            H = _induced(H, kept)
        else:  # a graph of our own (see _induced): dropping the rest leaves what _induced makes
            H.remove_nodes_from(left)
        top = sorted(left, key=lambda n: (-scores.get(n, 0.0), str(n)))[:10]
        omitted = Omitted(len(left), before_edges - H.number_of_edges(), tuple(_label(G, n) for n in top))

    if title is None:
        if ends:
            title = f"How {_label(G, ends[0])} is connected to {_label(G, ends[1])}"
        elif focus is not None:
            title = f"{_label(G, focus)} and its relationships"
        else:
            title = "carrierkg relationship map"
    data, legend = _network(H, scores, size_by, path_nodes)
    return MapResult(title=title, organisations=len(data["nodes"]), relationships=len(data["edges"]),
                     omitted=omitted, focus=focus, path=path_nodes, connected=connected, legend=legend,
                     data=data)


def _induced(G, nodes):
    """The subgraph of ``G`` on ``nodes`` as a graph of its own, nodes in ``G``'s order.

    Not a networkx subgraph view: every later look at a view (degrees, edges, layout,
    centrality) filters the whole graph's adjacency again, which took most of the time of a
    2,000-organisation map.
    """
    import networkx as nx

    keep = nodes if isinstance(nodes, set | frozenset) else set(nodes)
    order = [n for n in G if n in keep]
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in order)
    if G.is_directed() or type(G) not in (nx.Graph, nx.MultiGraph):
        edges = G.edges(order, keys=True, data=True) if G.is_multigraph() else G.edges(order, data=True)
        H.add_edges_from(e for e in edges if e[1] in keep)
        return H
    # the adjacency ``H.add_edges_from(G.edges(order, data=True))`` would make, in the same
    # order, with the edges' attribute dicts shared (as a subgraph view shares them)
    multi, adj = G.is_multigraph(), H._adj
    for u in order:
        row = adj[u]
        for v, data in G._adj[u].items():
            if v in keep and v not in row:
                row[v] = adj[v][u] = dict(data) if multi else data
    return H


def to_pyvis(G, **options):
    """The pyvis ``Network`` of a map (options as for :func:`build_map`).

    Its node and edge lists hold vis-network items; use :func:`render_html` for a page that
    works offline (pyvis's own ``write_html`` loads scripts from CDNs).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edges_from([("a", "b")], relation="partnership")
    [0]
    >>> net = to_pyvis(G)
    >>> len(net.nodes), len(net.edges), net.edges[0]["relation"]
    (2, 1, 'partnership')
    """
    return build_map(G, **options).network


def render_html(G, **options) -> str:
    """The self-contained HTML page of a map (options as for :func:`build_map`).

    Examples
    --------
    >>> import networkx as nx
    >>> page = render_html(nx.MultiGraph([("a", "b")]), title="<Demo>")
    >>> page.startswith("<!DOCTYPE html>"), "<h1>&lt;Demo&gt;</h1>" in page
    (True, True)
    """
    return build_map(G, **options).html


def notebook_html(G_or_map, *, height: str = "640px", **options):
    """Show a map inline in Jupyter: an ``IPython.display.HTML`` holding the page in an iframe.

    ``G_or_map`` is a projection (drawn with ``options`` as for :func:`build_map`) or a
    :class:`MapResult`. The page sits in the iframe's ``srcdoc``, so it keeps its own
    security policy and works without a server or network.

    Examples
    --------
    >>> import networkx as nx
    >>> view = notebook_html(nx.MultiGraph([("a", "b")]), height="300px")
    >>> view.data.startswith('<iframe'), 'height="300px"' in view.data
    (True, True)
    """
    import warnings

    from IPython.display import HTML

    result = G_or_map if isinstance(G_or_map, MapResult) else build_map(G_or_map, **options)
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL; srcdoc needs none
        warnings.simplefilter("ignore", UserWarning)
        return HTML(_iframe(result.html, height=height))


def safe_url(url: object) -> str | None:
    """``url`` if it is an ``http(s)`` URL fit for a link, else ``None``.

    Examples
    --------
    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(" data:x")
    ('https://example.org/a?b=1', None, None)
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if _URL_RE.match(text) else None


# -- internals --------------------------------------------------------------------------------


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _type_name(value: object) -> str:
    """``Carrier`` from ``Carrier``, ``ckg:Carrier`` or the full class IRI."""
    if not value:
        return _OTHER_TYPE
    text = str(value)
    for sep in ("#", "/", ":"):
        text = text.rsplit(sep, 1)[-1]
    return text or _OTHER_TYPE


def _normalise_types(types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    known = {t.casefold().replace("_", "").replace(" ", ""): t for t in ORGANISATION_STYLES}
    known["organisation"] = "Organization"
    out: set[str] = set()
    for raw in types:
        for part in str(raw).split(","):
            key = part.strip().casefold().replace("_", "").replace(" ", "").replace("-", "")
            if not key:
                continue
            key = key[:-1] if key.endswith("s") and key[:-1] in known else key
            if key not in known:
                raise InputError(f"unknown organisation type {part.strip()!r}; use one of: "
                                 + ", ".join(t for t in ORGANISATION_STYLES if t not in _NOT_LISTED))
            out.add(known[key])
    return out or None


def _label(G, node) -> str:
    data = G.nodes[node] if node in G else {}
    return str(data.get("label") or node)


def _shortest_path(H, a, b) -> list:
    """The path :func:`carrierkg.graph.paths.shortest_path` explains: of the first shortest
    paths, the first by labels (the same every run); ``[]`` when there is none."""
    import networkx as nx

    if a == b:
        return [a]
    try:
        candidates = list(itertools.islice(nx.all_shortest_paths(H, a, b), 64))
    except nx.NetworkXNoPath:
        return []
    return min(candidates, key=lambda p: [_label(H, n).casefold() for n in p])


def _label_or_tail(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str | bytes | Mapping):
        return [value]
    return list(value)


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _local_name(value) -> str | None:
    """``active`` from a status IRI; the text itself otherwise."""
    text = _text(value)
    if text is None:
        return None
    if "://" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return text


def _centrality(H, measure: str) -> dict:
    """Scores as ``carrierkg central`` computes them; betweenness sampled on large maps."""
    import networkx as nx

    from carrierkg.graph.centrality import BACKENDS, centrality, degree_scores, simple_graph

    n = H.number_of_nodes()
    if n == 0:
        return {}
    if measure == "degree" and "degree" not in BACKENDS:
        return degree_scores(H)
    if measure == "betweenness" and n > 500 and "betweenness" not in BACKENDS:
        return nx.betweenness_centrality(simple_graph(H), k=200, seed=0)
    return {r["iri"]: r["score"] for r in centrality(H, measure=measure, top=None)}


def _sources(value, cache: dict | None = None) -> list[dict]:
    """The page's sources of an edge: ``{"iri", "title", "url", "href"}`` without the empty
    ones, but with ``href`` (``None`` unless the URL is http(s)) whenever there is a URL.

    ``cache`` shares one dict among the edges that cite the same source object (the dicts
    are never changed afterwards).
    """
    out = []
    for s in value if type(value) is list else _as_list(value):  # a projection's list: no copy
        if cache is not None:
            seen = cache.get(id(s))
            if seen is not None:
                out.append(seen[1])
                continue
        if type(s) is dict or isinstance(s, Mapping):  # the exact type first: ABC checks are slow
            iri, title, url = s.get("iri"), s.get("title"), s.get("url")
        else:
            iri, title, url = s, None, None
        item = {}
        if iri is not None and iri != "":
            item["iri"] = str(iri)
        if title is not None and title != "":
            item["title"] = str(title)
        if url is not None and url != "":
            item["url"] = str(url)
            item["href"] = safe_url(url)
        if cache is not None:
            cache[id(s)] = (s, item)  # the source is kept: its id is not reused meanwhile
        out.append(item)
    return out


def _period(start, end) -> str:
    start, end = _text(start), _text(end)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return ""


def _network(H, scores: Mapping, size_by: str, path_nodes: list) -> tuple[dict, dict]:
    """The page data of ``H`` and the legend of what it shows.

    The data is compact, as the page script and :func:`_vis_items` read it: what they can
    derive (hover texts, colours, shapes, arrows, sentences, the ends' labels, parallel edges'
    curves) is left out, and so are empty fields.

    * a node: ``{"id", "label", "orgType", "size", "info": {"relationships", "score",
      "country"?, "aliases"?}, "x"?, "y"?, "onPath"?}``
    * an edge: ``{"from", "to"`` (indexes into the nodes, in the relation's direction),
      ``"relation", "info": {"rel", "directed"?, "start"?, "end"?, "status"?, "venture"?,
      "sources"?}, "onPath"?}``
    * a source: ``{"iri"?, "title"?, "url"?, "href"?}``; ``href`` (``None`` when the URL is
      not http(s)) comes with every URL.

    The legend's relations carry the ``phrase`` the sentences use.
    """
    from carrierkg.graph.filters import phrase
    from carrierkg.graph.model import RELATION_KINDS

    n_nodes = H.number_of_nodes()
    on_path = set(path_nodes)
    path_pairs = {frozenset(p) for p in itertools.pairwise(path_nodes)}
    top = max(scores.values(), default=0.0) or 1.0
    degree = dict(H.degree())
    type_counts: dict[str, int] = {}
    index: dict = {}
    nodes = []
    for node, data in H.nodes(data=True):
        kind = _type_name(data.get("type"))
        if kind not in ORGANISATION_STYLES:
            kind = _OTHER_TYPE
        type_counts[kind] = type_counts.get(kind, 0) + 1
        label = str(data.get("label") or node)
        aliases = [str(a) for a in _as_list(data.get("aliases")) if a and str(a) != label]
        country = _text(data.get("country"))
        score = float(scores.get(node, 0.0))
        info: dict[str, Any] = {"relationships": degree.get(node, 0), "score": round(score, 6)}
        if country is not None:
            info["country"] = country
        if aliases:
            info["aliases"] = aliases
        item = {"id": node, "label": label, "orgType": kind,
                "size": round(10 + 30 * math.sqrt(max(score, 0.0) / top), 1), "info": info}
        if node in on_path:
            item["onPath"] = True
        index[node] = len(nodes)
        nodes.append(item)

    relation_counts: dict[str, int] = {}
    relation_directed: dict[str, bool] = {}
    source_cache: dict = {}
    source_lists: dict[int, tuple] = {}  # id(a projection's list) -> (the list, its page list)
    statuses: dict[str, str | None] = {}
    edges = []
    for u, v, data in H.edges(data=True):
        # one pass per relationship, so _text and _local_name are inline. The ends in the
        # relation's direction: the projection marks directed edges with ``directed``,
        # ``source_node`` and ``target_node``; without ``directed`` the relation kind decides.
        get = data.get
        value = get("relation")
        directed, via = get("directed"), get("via")
        if directed is None:
            kind = RELATION_KINDS.get(value)
            directed = kind.directed if kind is not None and via is None else False
        if get("source_node") == v or get("target_node") == u:
            item = {"from": index[v], "to": index[u]}
        else:
            item = {"from": index[u], "to": index[v]}
        relation = "co_venturer" if via == "joint_venture" else str(value or "related")
        item["relation"] = relation
        relation_counts[relation] = relation_counts.get(relation, 0) + 1
        value = get("rel")
        info = item["info"] = {"rel": None if value is None or value == "" else str(value)}
        if directed:
            relation_directed[relation] = info["directed"] = True
        value = get("start")
        if value is not None and value != "":
            info["start"] = str(value)
        value = get("end")
        if value is not None and value != "":
            info["end"] = str(value)
        value = get("status")
        if value is not None:
            if type(value) is str:
                status = statuses.get(value, "")
                if status == "":
                    status = statuses[value] = _local_name(value)
            else:
                status = _local_name(value)
            if status is not None:
                info["status"] = status
        if relation == "co_venturer":
            venture = get("venture")
            if venture is not None:
                info["venture"] = _label(H, venture) if venture in H else _label_or_tail(venture)
        value = get("sources")
        if value:
            shared = source_lists.get(id(value))
            if shared is None:  # the list is kept in the tuple: its id is not reused meanwhile
                shared = source_lists[id(value)] = (value, _sources(value, source_cache))
            info["sources"] = shared[1]
        if path_pairs:
            pair = frozenset((u, v))
            if pair in path_pairs:
                item["onPath"] = True
                path_pairs.discard(pair)  # one edge per step is enough
        edges.append(item)

    positions = _layout(H) if n_nodes > LAYOUT_THRESHOLD else None
    if positions is not None:
        for item, (x, y) in zip(nodes, positions, strict=True):
            item["x"] = x
            item["y"] = y
    data = {"nodes": nodes, "edges": edges, "path": list(path_nodes),
            "options": _options(n_nodes, len(edges), positioned=positions is not None)}
    legend = {
        "types": [{"name": t, "colour": ORGANISATION_STYLES[t][0], "shape": ORGANISATION_STYLES[t][1],
                   "count": type_counts[t]} for t in ORGANISATION_STYLES if t in type_counts],
        "relations": [{"name": r, "label": _RELATION_NAMES.get(r, r.replace("_", " ")),
                       "colour": RELATION_STYLES.get(r, _OTHER_RELATION)[0],
                       "dashes": RELATION_STYLES.get(r, _OTHER_RELATION)[1] or [],
                       "directed": relation_directed.get(r, False), "count": relation_counts[r],
                       "phrase": phrase(r)}
                      for r in sorted(relation_counts, key=lambda r: (-relation_counts[r], r))],
        "sizeBy": size_by,
        "pathColour": _PATH_COLOUR,
    }
    return data, legend


def _vis_items(data: Mapping, legend: Mapping) -> tuple[list[dict], list[dict]]:
    """The vis-network nodes and edges of the page data: what the page script makes of it.

    Keep the two in step: ``templates/map.js`` builds the same items in the browser.
    """
    types = {t["name"]: t for t in legend["types"]}
    relations = {r["name"]: r for r in legend["relations"]}
    size_by, path_colour = legend["sizeBy"], legend["pathColour"]
    has_path = bool(data["path"])
    nodes = []
    for n in data["nodes"]:
        info, kind, label = n["info"], n["orgType"], n["label"]
        colour, shape = types[kind]["colour"], types[kind]["shape"]
        aliases, country = list(info.get("aliases", ())), info.get("country")
        hover = [label, kind + (f" · {country}" if country else "")]
        if aliases:
            hover.append("Also known as: " + ", ".join(aliases[:6]) + (" ..." if len(aliases) > 6 else ""))
        hover.append(f"{_count(info['relationships'], 'relationship')} in this map · click for details")
        item = {
            "id": n["id"], "label": label, "title": "\n".join(hover), "shape": shape, "size": n["size"],
            "color": {"background": colour, "border": "#333333" if n.get("onPath") else colour,
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            "orgType": kind,
            "info": {"iri": str(n["id"]), "label": label, "type": kind, "country": country, "aliases": aliases,
                     "relationships": info["relationships"], "measure": size_by, "score": info["score"]},
        }
        if n.get("onPath"):
            item["borderWidth"] = 4
            item["onPath"] = True
        elif has_path:
            item["opacity"] = 0.35
        if "x" in n:
            item["x"], item["y"] = n["x"], n["y"]
        nodes.append(item)

    parallel: dict[tuple[int, int], int] = {}
    edges = []
    for i, e in enumerate(data["edges"]):
        a, b, info, relation = data["nodes"][e["from"]], data["nodes"][e["to"]], e["info"], e["relation"]
        style = relations[relation]
        colour, directed, status = style["colour"], info.get("directed", False), info.get("status")
        sources = [{"iri": s.get("iri"), "title": s.get("title"), "url": s.get("url"), "href": s.get("href")}
                   for s in info.get("sources", ())]
        sentence = f"{a['label']} {style['phrase']} {b['label']}"
        if "venture" in info:
            sentence += f" ({info['venture']})"
        when = _period(info.get("start"), info.get("end"))
        hover = [sentence, relation.replace("_", " ") + "".join(f" · {x}" for x in (status, when) if x)]
        if sources:
            names = [s["title"] or s["url"] or s["iri"] or "?" for s in sources]
            hover.append(f"Sources ({len(names)}): " + "; ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
        else:
            hover.append("Sources: none recorded")
        hover.append("click for details")
        pair = (min(e["from"], e["to"]), max(e["from"], e["to"]))
        nth = parallel.get(pair, 0)
        parallel[pair] = nth + 1
        item = {
            "id": f"e{i}", "from": a["id"], "to": b["id"], "title": "\n".join(hover), "relation": relation,
            "color": {"color": colour, "highlight": colour, "hover": colour},
            "dashes": style["dashes"] or False, "arrows": "to" if directed else "",
            "info": {"sentence": sentence, "relation": relation, "rel": info.get("rel"),
                     "from": str(a["id"]), "to": str(b["id"]), "fromLabel": a["label"], "toLabel": b["label"],
                     "directed": directed, "start": info.get("start"), "end": info.get("end"),
                     "status": status, "sources": sources},
        }
        if nth:
            item["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                              "roundness": 0.15 * ((nth + 1) // 2)}
        if e.get("onPath"):
            item["width"] = 5
            item["color"] = {"color": path_colour, "highlight": path_colour, "hover": path_colour}
            item["onPath"] = True
        elif has_path:
            item["color"]["opacity"] = 0.25
        edges.append(item)
    return nodes, edges


def _layout(H, *, iterations: int = 40, samples: int = 12, seed: int = 42) -> list | None:
    """Positions for a large map, in ``H``'s node order: a force-directed layout in
    O(iterations * (n * samples + m)).

    Fruchterman-Reingold with the repulsion of each node estimated from ``samples`` random
    others (a stochastic approximation), springs along the edges (one per linked pair,
    as strong as the relationships between them) and a little gravity that keeps
    components together; numpy does the arithmetic, positions as complex numbers. About
    0.02 s for 2,000 organisations and 0.06 s for 5,000, where networkx's exact layouts take
    many seconds.
    ``None`` without numpy.
    """
    try:
        import numpy as np
    except ImportError:  # numpy is optional: vis-network's physics lays the map out instead
        return None

    nodes = list(H)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    # each linked pair once, weighted by its relationships (self-loops pull nothing)
    first, second, weight = [], [], []
    multi = H.is_multigraph()
    for u, nbrs in H._adj.items():
        i = index[u]
        for v, keys in nbrs.items():
            j = index[v]
            if i < j:
                first.append(i)
                second.append(j)
                weight.append(len(keys) if multi else 1)
    a, b = np.array(first, dtype=np.intp), np.array(second, dtype=np.intp)
    w = np.array(weight, dtype=float)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    xy = rng.uniform(-side, side, size=(n, 2))
    pos = xy[:, 0] + 1j * xy[:, 1]
    temperature = side / 4
    cooling = 0.02 ** (1 / iterations)
    for _ in range(iterations):
        others = rng.integers(0, n, size=(n, samples))
        delta = pos[:, None] - pos[others]
        d2 = np.maximum(delta.real**2 + delta.imag**2, 1e-4)
        disp = (delta / d2).sum(1) * (n / samples)
        if len(a):
            dv = pos[a] - pos[b]
            pull = dv * (np.maximum(np.abs(dv), 1e-4) * w)
            disp += (np.bincount(b, pull.real, n) - np.bincount(a, pull.real, n)) \
                + 1j * (np.bincount(b, pull.imag, n) - np.bincount(a, pull.imag, n))
        disp -= pos * 0.05
        length = np.maximum(np.abs(disp), 1e-4)
        pos += disp * (np.minimum(length, temperature) / length)
        temperature *= cooling
    pos -= pos.mean()
    spread = float(np.sqrt((pos.real**2 + pos.imag**2).mean())) or 1.0
    pos *= 45.0 * side / spread  # about 90 px between neighbours at scale 1
    return list(zip(pos.real.round(1).tolist(), pos.imag.round(1).tolist(), strict=True))


def _options(n_nodes: int, n_edges: int, *, positioned: bool = False) -> dict:
    """vis-network options: physics off for laid-out maps, else bounded stabilisation.

    The page script turns physics off once stabilisation ends, so nothing keeps moving.
    """
    big = n_nodes > 800 or n_edges > 2000
    iterations = 600 if n_nodes <= 200 else 300
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1.5, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                                "strokeColor": "#ffffff"},
                  "scaling": {"label": {"enabled": False}}},
        "edges": {"width": 1.6, "selectionWidth": 2, "hoverWidth": 1.5,
                  "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "arrows": {"to": {"scaleFactor": 0.6}}},
        "interaction": {"hover": not big, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 42},
        "physics": {
            "enabled": not positioned,
            "solver": "forceAtlas2Based" if n_nodes <= 300 else "barnesHut",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.3},
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 120, "springConstant": 0.04,
                          "avoidOverlap": 0.05, "theta": 0.5},
            "minVelocity": 1.0,
            "stabilization": {"enabled": not positioned, "iterations": iterations, "updateInterval": 20, "fit": True},
        },
    }


def _json_for_script(value) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    for char, escape in _JSON_ESCAPES.items():  # str.replace: ten times faster than a re.sub on megabytes
        if char in text:
            text = text.replace(char, escape)
    return text


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, Any]:
    """The page's fixed parts: the template in pieces, the scripts and styles, their hashes.

    vis-network comes from the pyvis package, found without importing pyvis (its import
    pulls in IPython and jinja2: a tenth of a second).
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("pyvis")
    except (ImportError, ValueError):  # pragma: no cover - a broken pyvis install
        spec = None
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pyvis is a dependency
        raise InputError("cannot find vis-network: the pyvis package is not installed")
    vis = Path(next(iter(spec.submodule_search_locations))).joinpath(*_VIS_DIR)
    try:
        js = (vis / "vis-network.min.js").read_text(encoding="utf-8")
        css = (vis / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken pyvis install
        raise InputError(f"cannot read vis-network from the pyvis package: {exc}") from None
    # HTML parsers turn CR and CRLF into LF; do it here so the script hashes match.
    js = js.replace("\r\n", "\n").replace("\r", "\n")
    # No source map comment: it names a file that is not there.
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    texts = {
        "VIS_JS": js,
        "VIS_CSS": css,
        "APP_JS": (_TEMPLATES / "map.js").read_text(encoding="utf-8"),
        "APP_CSS": (_TEMPLATES / "map.css").read_text(encoding="utf-8"),
    }
    for name, end in (("VIS_JS", "</script"), ("APP_JS", "</script"), ("VIS_CSS", "</style"),
                      ("APP_CSS", "</style")):
        if end in texts[name].lower():  # pragma: no cover - guards a pyvis upgrade
            raise InputError(f"the {name.lower()} asset cannot be inlined: it contains {end!r}")
    # the template as literal text and placeholder names, alternately (split once: text put in
    # is never scanned for placeholders)
    pieces = _PLACEHOLDER_RE.split((_TEMPLATES / "map.html").read_text(encoding="utf-8"))
    return {
        "pieces": pieces,
        "texts": texts,
        "bytes": {name: text.encode("utf-8") for name, text in texts.items()},
        "script_hashes": _sha256(texts["VIS_JS"]) + " " + _sha256(texts["APP_JS"]),
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _render(result: MapResult, *, raw: bool = False) -> list:
    """The page in pieces, to be joined; with ``raw`` the fixed scripts and styles come as
    UTF-8 bytes (the rest is text)."""
    assets = _assets()
    note = ""
    if result.omitted:
        shown = _count(result.organisations, "organisation")
        note = (f"Showing the {shown} most central of "
                f"{result.organisations + result.omitted.organisations:,}; {result.omitted.describe()}.")
    data = result.data
    page = {"nodes": data["nodes"], "edges": data["edges"], "options": data["options"], "legend": result.legend,
            "path": result.path, "focus": result.focus,
            "omitted": {"organisations": result.omitted.organisations,
                        "relationships": result.omitted.relationships, "names": list(result.omitted.names)}}
    csp = ("default-src 'none'; script-src " + assets["script_hashes"]
           + "; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    summary = f"{_count(result.organisations, 'organisation')}, {_count(result.relationships, 'relationship')}"
    values = {
        "CSP": html.escape(csp, quote=False).replace('"', "&quot;"),
        "TITLE": html.escape(result.title),
        "SUMMARY": html.escape(summary),
        "NOTE": html.escape(note),
        "NOTE_HIDDEN": "" if note else " hidden",
        "DATA": _json_for_script(page),
    }
    fixed = assets["bytes"] if raw else assets["texts"]
    pieces = assets["pieces"]
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(piece)
        else:
            out.append(values[piece] if piece in values else fixed[piece])
    return out


def _iframe(page: str, *, height: str = "640px") -> str:
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width: 100%; border: 1px solid #ddd;" '
            f'height="{html.escape(height, quote=True)}"></iframe>')


