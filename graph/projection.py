"""Projection: the RDF dataset as a networkx MultiGraph of organisations.

One node per organisation (key: its IRI; attributes ``label``, ``type``, ``country``,
``aliases``, ``kind="organisation"``) and one edge per relationship node between two of
them, with the relationship's annotation type (``relation``), IRI (``rel``), class, roles
(``directed``, ``source_node``, ``target_node``), ``start``, ``end``, ``status``,
``details`` and ``sources`` (a list of ``{"iri", "title", "url"}``) as attributes. Literals
and ``rdf:type`` never become nodes.

How relationship nodes become edges:

* two-role kinds (licence, ownership, supply, acquisition, ...) give one directed edge per
  (subject, object) pair, running the way :mod:`carrierkg.graph.model` directs the kind
  (``issuer -> licensee``, ``subsidiary -> owner``, ``supplier -> customer``);
* partnerships and infrastructure-sharing deals give an undirected edge between every two
  parties;
* a joint-venture formation gives an edge ``parent -> venture`` for each parent, and an
  undirected edge between every two parents (``via="joint_venture"``, ``venture`` = the
  venture's IRI): co-venturers are partners.

Places (countries and zones) are not organisations. ``regulates`` and ``operates_in``
edges end at place nodes (``kind="place"``), which are left out unless ``places=True``:
so centrality and communities see organisations only, while a path may go through a
country two carriers both operate in when asked to.

The graph is built from four SPARQL queries (organisations and places, relationship
classes, relationship facts, sources; see ``graph/queries/projection_*.rq`` and
``source_descriptions.rq``), each made of single patterns with DISTINCT: every source graph
repeats the descriptions of what it mentions, and the union of the graphs returns a triple
once per graph that holds it, so a join of two description patterns would multiply the rows.
For an on-disk store the whole projection is pickled beside it (``<store>.cache/projection-<key>.pickle``),
and the projection without places too (``organisations-<key>.pickle``: what most questions need), and
reused while ``kg.generation()`` is unchanged; filters are applied to those graphs.

Examples
--------
>>> from carrierkg.graph.fixtures import example_kg
>>> G = project(example_kg())
>>> aurora = "https://w3id.org/carrierkg/id/org/aurora-telecom"
>>> sorted({d["relation"] for _, _, d in G.edges(aurora, data=True)})  # doctest: +NORMALIZE_WHITESPACE
['infrastructure_sharing', 'joint_venture', 'licence_grant', 'partnership', 'subsidiary',
 'supplier', 'supplier_removed']
"""

from __future__ import annotations

import contextlib
import gc
import sys
import weakref
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from carrierkg.graph.filters import in_force as _in_force
from carrierkg.graph.filters import parse_as_of, phrase, query_text, relation_names
from carrierkg.graph.model import RELATIONSHIP_CLASSES, ROLE_PROPERTIES, kind_of_class
from carrierkg.graph.names import ORGANISATION_TYPES, PLACE_TYPES
from carrierkg.graph.store import cache_file, iri, python_value, read_cache, write_cache
from carrierkg.ontology.namespaces import CKG, RDF, SKOS

__all__ = ["cache_path", "directed", "edge_sources", "filter_graph", "project"]

#: Bump when the shape of the projected graph changes (invalidates the on-disk caches).
FORMAT_VERSION = "1"

_ATTRIBUTES = {
    CKG.startDate: "start", CKG.endDate: "end", CKG.status: "status", CKG.source: "sources",
    CKG.licenceType: "licence_type", CKG.licenceName: "licence_name", CKG.scope: "scope",
    CKG.category: "category", CKG.sharedAsset: "shared_assets", CKG.assetDescription: "asset_description",
    CKG.stake: "stake", CKG.value: "value", CKG.currency: "currency", CKG.note: "note",
    CKG.service: "service", CKG.jurisdiction: "jurisdiction", CKG.acquisitionKind: "acquisition_kind",
}
_LISTS = {"sources", "shared_assets", "jurisdiction"}
_VOCAB_ATTRS = {"status", "licence_type", "shared_assets", "acquisition_kind"}


def _local(value: str) -> str:
    for sep in ("#", "/"):
        if sep in value:
            value = value.rsplit(sep, 1)[1]
    return value


def _kind(cls: str, status: str | None):
    try:
        return kind_of_class(cls, status)
    except KeyError:
        return kind_of_class(cls)


@contextlib.contextmanager
def _no_gc():
    """No cyclic garbage collection inside: making ~10^6 containers (building or unpickling the
    projection) would set it off again and again, each time scanning all of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(kg) -> nx.MultiGraph:
    """The whole projection: every organisation, every place an edge touches, every edge."""
    with _no_gc():
        return _build_graph(kg)


def _build_graph(kg) -> nx.MultiGraph:
    # sources (their titles and URLs: one pattern each, no join)
    sources: dict[str, dict] = {}
    for sol in kg.query(query_text("source_descriptions")):
        s, what, v = sol[0].value, sol[1].value, sol[2]
        entry = sources.get(s)
        if entry is None:
            entry = sources[s] = {"iri": s, "title": None, "url": None}
        v = python_value(v)
        if entry[what] is None or str(v) < str(entry[what]):
            entry[what] = v

    # organisations and places: types, then names and countries (DISTINCT: every source
    # graph repeats them)
    nodes: dict[str, dict] = {}
    org_types = {CKG[t] for t in ORGANISATION_TYPES}
    order = {CKG[t]: i for i, t in enumerate(ORGANISATION_TYPES + PLACE_TYPES)}
    result = kg.query(query_text("projection_nodes"), {
        "type": [iri(CKG[t]) for t in ORGANISATION_TYPES + PLACE_TYPES],
    })
    pref, alt, country, rdf_type = SKOS.prefLabel, SKOS.altLabel, CKG.country, RDF.type
    described: list[tuple[str, str, str]] = []
    for sol in result:
        node, p, v = sol[0].value, sol[1].value, sol[2].value
        if p != rdf_type:
            described.append((node, p, v))
            continue
        entry = nodes.get(node)
        if entry is None:
            nodes[node] = {"label": None, "type": v, "country": None, "aliases": set(),
                           "kind": "organisation" if v in org_types else "place"}
        elif order[v] < order[entry["type"]]:
            entry["type"] = v
            entry["kind"] = "organisation" if v in org_types else "place"
    for node, p, v in described:
        entry = nodes.get(node)
        if entry is None:
            continue
        if p == pref:
            if entry["label"] is None or v < entry["label"]:
                if entry["label"] is not None:
                    entry["aliases"].add(entry["label"])
                entry["label"] = v
            elif v != entry["label"]:
                entry["aliases"].add(v)
        elif p == alt:
            entry["aliases"].add(v)
        elif p == country and (entry["country"] is None or v < entry["country"]):
            entry["country"] = v

    # relationship facts: the nodes of the relationship classes, then each property by itself
    rels: dict[str, dict] = {}
    for sol in kg.query(query_text("projection_classes"), {"class": [iri(c) for c in RELATIONSHIP_CLASSES]}):
        r = sol[0].value
        entry = rels.get(r)
        if entry is None:
            rels[r] = {"class": sol[1].value, "props": {}}
        elif sol[1].value < entry["class"]:
            entry["class"] = sol[1].value
    props = list(dict.fromkeys([*ROLE_PROPERTIES, *_ATTRIBUTES]))
    if isinstance(getattr(kg, "store", None), ox.Store):
        # an embedded store: one query per property, a quarter faster than binding ?p to them all
        for p in props:
            for sol in kg.query(f"SELECT DISTINCT ?rel ?o WHERE {{ ?rel <{p}> ?o }}"):
                entry = rels.get(sol[0].value)
                if entry is not None:
                    entry["props"].setdefault(p, set()).add(sol[1])
    else:
        result = kg.query(query_text("projection_relationships"), {"p": [iri(p) for p in props]})
        for sol in result:
            entry = rels.get(sol[0].value)
            if entry is not None:
                entry["props"].setdefault(sol[1].value, set()).add(sol[2])

    G = nx.MultiGraph()
    for n, entry in nodes.items():
        if entry["kind"] != "organisation":
            continue
        G.add_node(n, **_node_attrs(entry))
    for r, entry in rels.items():
        _add_edges(G, r, entry, nodes, sources)
    G.graph["places"] = True
    return G


def _node_attrs(entry: dict) -> dict:
    label = entry["label"]
    aliases = sorted(a for a in entry["aliases"] if a != label)
    return {"label": label, "type": _local(entry["type"]), "country": entry["country"],
            "aliases": aliases, "kind": entry["kind"]}


def _add_edges(G: nx.MultiGraph, r: str, entry: dict, nodes: dict, sources: dict) -> None:
    props = entry["props"]
    status_terms = props.get(CKG.status, ())
    status_iri = min((t.value for t in status_terms), default=None)
    kind = _kind(entry["class"], status_iri)
    attrs: dict = {"relation": kind.name, "rel": r, "class": _local(entry["class"])}
    details: dict = {}
    role_props = set(kind.roles)
    for p, key in _ATTRIBUTES.items():
        if p not in props or p in role_props:
            continue
        values = sorted(props[p], key=str)
        if key == "sources":
            # shared by the edges of a source (read-only): a smaller cache that loads faster
            attrs["sources"] = [sources.get(v.value) or sources.setdefault(
                v.value, {"iri": v.value, "title": None, "url": None}) for v in values]
            continue
        if key in _VOCAB_ATTRS:
            py = [_local(v.value) for v in values]
        else:
            py = [python_value(v) for v in values]
        if key in ("start", "end", "status"):
            attrs[key] = py[0]
        elif key in _LISTS:
            details[key] = py
        else:
            details[key] = py[0] if len(py) == 1 else py
    for key in ("start", "end", "status"):
        attrs.setdefault(key, None)
    attrs.setdefault("sources", [])
    attrs["details"] = details
    for key in ("class", "status", "start", "end"):  # one object per value: a smaller, faster cache
        if isinstance(attrs[key], str):
            attrs[key] = sys.intern(attrs[key])

    def endpoint(term) -> str | None:
        n = term.value
        if n in G:
            return n
        info = nodes.get(n)
        if info is None:  # named by a relationship but not described: an organisation
            info = {"label": _local(n), "type": CKG.Organization, "country": None, "aliases": set(),
                    "kind": "organisation"}
        G.add_node(n, **_node_attrs(info))
        return n

    subjects = [e for e in (endpoint(t) for t in sorted(props.get(kind.subject_role, ()), key=str)) if e]
    if kind.symmetric:
        for i, a in enumerate(subjects):
            for b in subjects[i + 1:]:
                G.add_edge(a, b, key=r, directed=False, source_node=None, target_node=None,
                           label=sys.intern(phrase(kind.name)), **attrs)
        return
    objects = [e for e in (endpoint(t) for t in sorted(props.get(kind.object_role, ()), key=str)) if e]
    for a in subjects:
        for b in objects:
            if a != b:
                G.add_edge(a, b, key=r, directed=True, source_node=a, target_node=b,
                           label=sys.intern(phrase(kind.name)), **attrs)
    if kind.name == "joint_venture":
        venture = objects[0] if objects else None
        for i, a in enumerate(subjects):
            for b in subjects[i + 1:]:
                G.add_edge(a, b, key=r, directed=False, source_node=None, target_node=None,
                           label=phrase("co_venturer"), via="joint_venture", venture=venture, **attrs)


# -- caching ------------------------------------------------------------------------------

_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cache_path(kg, generation: str | None = None) -> Path | None:
    """Where the projection of an on-disk store is cached; ``None`` for other stores.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> cache_path(example_kg()) is None
    True
    """
    return cache_file(kg, "projection", FORMAT_VERSION, generation)


def _organisations_path(target: Path) -> Path:
    """The cache of the projection without places, beside the whole one's."""
    return target.with_name("organisations-" + target.name.split("-", 1)[1])


def _load_cached(target: Path) -> nx.MultiGraph | None:
    # the ~10^6 containers read are then moved out of the collector's reach (gc.freeze): they
    # are not scanned again by every full collection the rest of the process makes
    G = read_cache(target)
    if G is None:
        return None
    gc.freeze()
    return G if isinstance(G, nx.MultiGraph) else None


def _save_cached(target: Path, G: nx.MultiGraph) -> None:
    """Write atomically and remove older projections (both kinds); never fail."""
    write_cache(target, G, kinds=("projection", "organisations"))


def _full(kg, places: bool = True) -> tuple[nx.MultiGraph, bool]:
    """The whole projection (``places``) or the one of organisations only (what
    ``filter_graph(whole, places=False)`` gives), and whether it is shared (memoised)
    rather than fresh. Both are cached on disk: most questions need only organisations,
    and reading their graph saves reading the places and filtering them out."""
    generation = kg.generation()
    memo = _MEMO.get(kg)
    if memo is None or memo[0] != generation:
        memo = (generation, {})
        with contextlib.suppress(TypeError):
            _MEMO[kg] = memo
    graphs = memo[1]
    name = "places" if places else "organisations"
    G = graphs.get(name)
    if G is not None:
        return G, True
    target = cache_path(kg, generation)
    if target is not None and not places:
        target = _organisations_path(target)
    G = _load_cached(target) if target is not None else None
    if G is None:
        if places:
            G = _build(kg)
        else:
            whole = graphs.get("places")
            if whole is None:
                whole, _ = _full(kg, places=True)
            with _no_gc():
                G = filter_graph(whole, places=False)
        gc.freeze()  # kept for the rest of the process: not worth scanning again (see _load_cached)
        if target is not None:
            _save_cached(target, G)
    graphs[name] = G
    return G, False


# -- filters ------------------------------------------------------------------------------

def filter_graph(G: nx.MultiGraph, *, as_of=None, relations=None, places: bool = False,
                 co_venturers: bool = True) -> nx.MultiGraph:
    """A new graph with only the edges in force on ``as_of`` and of the ``relations`` given.

    Parameters
    ----------
    G : nx.MultiGraph
        A projection.
    as_of : str or datetime.date, optional
        Keep relationships in force on this date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
    relations : iterable of str, optional
        Relation type names or aliases (see :func:`carrierkg.graph.filters.relation_names`).
    places : bool
        Keep country and zone nodes (and the ``regulates``/``operates_in`` edges to them).
    co_venturers : bool
        Keep the edges between the parents of a joint venture.

    Returns
    -------
    nx.MultiGraph
        Nodes and attribute values are shared with ``G``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> G = example_graph()
    >>> H = filter_graph(G, relations=["partnership"], as_of="2020")
    >>> sorted(d["rel"].rsplit("/", 1)[1] for _, _, d in H.edges(data=True))
    ['partnership-446ab7e570c11ed6d2ba']
    """
    period = parse_as_of(as_of) if as_of is not None else None
    wanted = relation_names(relations) if relations is not None else None
    H = nx.MultiGraph()
    H.graph.update(G.graph)
    H.graph.update({"as_of": None if as_of is None else str(as_of), "relations": wanted, "places": places})
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if places or d.get("kind") != "place")
    for u, v, k, d in G.edges(keys=True, data=True):
        if u not in H or v not in H:
            continue
        if wanted is not None and d["relation"] not in wanted:
            continue
        if not co_venturers and d.get("via"):
            continue
        if period is not None and not _in_force(period, start=d.get("start"), end=d.get("end")):
            continue
        H.add_edge(u, v, k, **d)
    return H


def project(kg, *, as_of=None, relations=None, places: bool = False, co_venturers: bool = True
            ) -> nx.MultiGraph:
    """The knowledge graph as a networkx MultiGraph of organisations.

    Parameters
    ----------
    kg : KnowledgeGraph
        The store.
    as_of : str or datetime.date, optional
        Only relationships in force on this date: started on or before it (no start date
        counts as in force), not ended before it.
    relations : iterable of str, optional
        Only these relation types (``partnership``, ``licence_grant`` ... or aliases such as
        ``partners``, ``sharing``, ``licence``).
    places : bool, default False
        Include countries and zones as nodes (``kind="place"``) with the ``regulates`` and
        ``operates_in`` edges that end at them.
    co_venturers : bool, default True
        Include the undirected edges between parents of the same joint venture.

    Returns
    -------
    nx.MultiGraph
        Node keys are IRIs; edge keys are relationship IRIs.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> G = project(kg)
    >>> G.nodes["https://w3id.org/carrierkg/id/org/borealis-mobile"]["aliases"]
    ['Borealis']
    >>> delta = "https://w3id.org/carrierkg/id/org/delta-wireless"
    >>> sorted(G.nodes[n]["label"] for n in G[delta])
    ['Borealis Mobile', 'Cobalt Networks']
    >>> sorted(G.nodes[n]["label"] for n in project(kg, as_of="2022")[delta])
    ['Borealis Mobile']
    >>> "https://w3id.org/carrierkg/id/country/NO" in project(kg, places=True)
    True
    """
    G, shared = _full(kg, places)
    if as_of is None and relations is None and co_venturers and not shared:
        return G
    return filter_graph(G, as_of=as_of, relations=relations, places=places, co_venturers=co_venturers)


def directed(G: nx.MultiGraph) -> nx.MultiDiGraph:
    """The projection with directions: for ownership, licensing and supply chains.

    Directed relationships run the way their kind does (``issuer -> licensee``,
    ``subsidiary -> owner``, ``supplier -> customer``, ``parent -> venture``); undirected
    ones (partnership, sharing, co-venturers) run both ways.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> D = directed(example_graph(relations=["subsidiary"]))
    >>> [(D.nodes[u]["label"], D.nodes[v]["label"]) for u, v in D.edges()]
    [('Aurora Baltic', 'Aurora Telecom')]
    """
    D = nx.MultiDiGraph()
    D.graph.update(G.graph)
    D.add_nodes_from(G.nodes(data=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("directed"):
            D.add_edge(d["source_node"], d["target_node"], k, **d)
        else:
            D.add_edge(u, v, k, **d)
            D.add_edge(v, u, k, **d)
    return D


def edge_sources(G: nx.MultiGraph, u: str, v: str) -> list[dict]:
    """The sources of every relationship between two nodes, without repeats.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_graph
    >>> G = example_graph()
    >>> [s["title"] for s in edge_sources(G, "https://w3id.org/carrierkg/id/org/aurora-telecom",
    ...                                    "https://w3id.org/carrierkg/id/org/cobalt-networks")]
    ['Aurora and Cobalt to share towers (fixture)', 'Nordic deals roundup (fixture)']
    """
    seen: dict[str, dict] = {}
    for d in G.get_edge_data(u, v, default={}).values():
        for s in d.get("sources", ()):
            seen.setdefault(s["iri"], s)
    return list(seen.values())

