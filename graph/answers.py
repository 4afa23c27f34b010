"""Answers: the library functions behind each question, as rows with their sources.

Every function takes the store first and an organisation (or place) name or
:class:`~carrierkg.graph.names.Org`, and returns :class:`Rows`: a list of dicts with
snake_case keys (labels *and* IRIs, the relation type, dates, status, and ``sources``, a
list of ``{"iri", "title", "url"}``), plus the SPARQL behind it (``rows.sparql``).

The simple answers run a few SPARQL queries each (``graph/queries/*.rq``): the relationships,
then their dates and sources, and the names of what they found (see :func:`_run`; many names
come from a cache beside an on-disk store). They do not import networkx; :func:`connection`
and :func:`most_central` use the projection.

``as_of`` keeps relationships in force on a date (see :mod:`carrierkg.graph.filters`);
``relations`` keeps some relation types (names or aliases such as ``partners``).

Examples
--------
>>> from carrierkg.graph.fixtures import example_kg
>>> kg = example_kg()
>>> [(r["partner"], r["relation"]) for r in partners_of(kg, "Aurora Telecom")]
[('Borealis Mobile', 'joint_venture'), ('Borealis Mobile', 'partnership'), ('Cobalt Networks', \
'infrastructure_sharing')]
"""

from __future__ import annotations

import contextlib
import os
import re
import weakref
from collections.abc import Iterable
from pathlib import Path

from carrierkg.graph.errors import InputError
from carrierkg.graph.filters import in_force, parse_as_of, phrase, query_text, relation_names
from carrierkg.graph.model import kind_of_class
from carrierkg.graph.names import ORGANISATION_TYPES, PLACE_TYPES, Org, resolve
from carrierkg.graph.store import bind, cache_file, iri, python_value, read_cache, write_cache
from carrierkg.ontology.namespaces import CKG, ONTOLOGY, RDF, SKOS

__all__ = [
    "Rows",
    "connection",
    "holdings_of",
    "joint_ventures_of",
    "licences_of",
    "licensed_by",
    "most_central",
    "operating_in",
    "organisation_info",
    "owners_of",
    "partners_of",
    "profile",
    "regulators_of",
    "removed_vendors_of",
    "sharing_partners_of",
    "subsidiaries_of",
    "suppliers_of",
]


class Rows(list):
    """A list of answer rows that also remembers the SPARQL queries behind them (``sparql``).

    The queries whose results an answer read from the descriptions cache are listed too: the
    answer is what they give.
    """

    def __init__(self, rows: Iterable[dict] = (), *, sparql: Iterable[str] = ()):
        super().__init__(rows)
        self.sparql: list[str] = list(sparql)


# -- helpers --------------------------------------------------------------------------------

def _org(kg, org, *, types=None) -> Org:
    return org if isinstance(org, Org) else resolve(kg, org, types=types)


def _local(value: str | None) -> str | None:
    if value is None:
        return None
    for sep in ("#", "/"):
        if sep in value:
            value = value.rsplit(sep, 1)[1]
    return value


_TYPE_ORDER = {CKG[t]: i for i, t in enumerate(ORGANISATION_TYPES + PLACE_TYPES)}
_TYPES = {t: t for t in _TYPE_ORDER}  # one str object per class (a smaller cache file)


def _best_type(types: set[str]) -> str | None:
    known = [t for t in types if t in _TYPE_ORDER]
    if not known:
        return None
    return _local(min(known, key=_TYPE_ORDER.__getitem__))


#: Properties of relationship nodes, by the variable name answers use for their values.
_REL_ATTRIBUTES: dict[str, str] = {
    "start": CKG.startDate, "end": CKG.endDate, "status": CKG.status, "src": CKG.source,
    "asset": CKG.sharedAsset, "note": CKG.note, "stake": CKG.stake, "value": CKG.value,
    "currency": CKG.currency, "service": CKG.service, "licenceType": CKG.licenceType,
    "licenceName": CKG.licenceName, "scope": CKG.scope, "category": CKG.category,
    "jurisdiction": CKG.jurisdiction, "issuer": CKG.issuer,
}
_DATES = ("start", "end", "status", "src")
_LICENCE = (*_DATES, "issuer", "licenceType", "licenceName", "scope", "category", "jurisdiction")
_OTHER = {"otherLabel": ("other", "label"), "otherType": ("other", "type")}
_REGULATOR = {"regulatorLabel": ("regulator", "label"), "jurisdictionLabel": ("jurisdiction", "label")}


class _Group(dict):
    """One answer group: variable name -> set of values (an empty set for a variable never bound)."""

    def __missing__(self, key):
        return set()


def _run(kg, name: str, bindings: dict, key: tuple[str, ...], rows: Rows, *,
         attributes: tuple[str, ...] = _DATES, lookups: dict[str, tuple[str, str]] | None = None
         ) -> list[dict]:
    """Run query ``name`` and group its rows by the ``key`` variables, with what they need.

    The query (``graph/queries/<name>.rq``) returns the relationships: one DISTINCT row per
    relationship and counterpart. Every source graph repeats the descriptions of what it
    mentions, and Oxigraph's union default graph returns a triple once per graph that holds
    it, so joining labels, types, dates and sources into that query would multiply its rows
    by the number of graphs (and again for every such lookup). They are looked up afterwards
    instead, for the set of relationships and counterparts found, each with one pattern and
    DISTINCT:

    * ``attributes``: variables taken from the relationship's own properties
      (:data:`_REL_ATTRIBUTES`, ``relationship_attributes.rq``);
    * ``lookups``: variable -> (variable, ``"label"`` or ``"type"``), the preferred labels or
      types of another variable's values (``descriptions.rq``);
    * ``sources``: the list of ``{"iri", "title", "url"}`` of ``src``
      (``source_descriptions.rq``).

    When there are many counterparts and sources to describe (a busy carrier's partners), an
    on-disk store's descriptions cache gives what the last two queries would (see
    :func:`_description_cache`): a seek per description would cost more than reading it.

    Each group maps every variable to the set of its values (python values; IRIs as str).
    """
    groups: dict[tuple, _Group] = {}
    for query in _parts(name):
        rows.sparql.append(bind(query, bindings))
        result = kg.query(query, bindings)
        names = [v.value for v in result.variables]
        key_at = [names.index(k) for k in key]
        for sol in result:
            values = [python_value(sol[i]) for i in range(len(names))]
            k = tuple(values[i] for i in key_at)
            g = groups.get(k)
            if g is None:
                g = groups[k] = _Group({n: set() for n in names})
            for n, v in zip(names, values, strict=True):
                if v is not None:
                    g[n].add(v)
    return _enrich(kg, list(groups.values()), rows, attributes=attributes, lookups=lookups)


def _enrich(kg, out: list[dict], rows: Rows, *, attributes: tuple[str, ...] = _DATES,
            lookups: dict[str, tuple[str, str]] | None = None) -> list[dict]:
    """Add the relationships' attributes, the lookups and the sources to groups (see :func:`_run`)."""
    lookups = lookups or {}
    if not out:
        return []

    # the relationships' own properties
    if attributes:
        wanted = {_REL_ATTRIBUTES[a]: a for a in attributes}
        rels = sorted({r for g in out for r in g["rel"]})
        props = _relationship_properties(kg, rels, set(wanted), rows)
        for g in out:
            for a in attributes:
                g.setdefault(a, set())
            for r in g["rel"]:
                for p, vals in props.get(r, {}).items():
                    g[wanted[p]] |= vals

    # what to describe: counterparts, places and ventures; sources. Many of them (a busy
    # carrier's partners) are read from the descriptions cache of an on-disk store.
    iris = sorted({v for g in out for base, _ in lookups.values() for v in g[base] if isinstance(v, str)})
    srcs = sorted({s for g in out for s in g["src"]})
    cache = _description_cache(kg, len(iris) + len(srcs))

    # names and types of counterparts, places and ventures
    if lookups:
        desc = _descriptions(kg, iris, rows, cache=cache)
        for g in out:
            for var, (base, what) in lookups.items():
                g[var] = {x for v in g[base] for x in desc.get(v, {}).get(what, ())}

    # sources
    titles = _source_descriptions(kg, srcs, rows, cache=cache) if srcs else {}
    for g in out:
        g["sources"] = [titles.get(s) or {"iri": s, "title": None, "url": None} for s in sorted(g["src"])]
    return out


_PART_RE = re.compile(r"^# -{3,}[^\n]*$", re.MULTILINE)


def _parts(name: str) -> list[str]:
    """The queries of ``graph/queries/<name>.rq``: one, or several separated by ``# ---`` lines.

    Several queries whose rows add up stand for a UNION: Oxigraph evaluates the branches of a
    UNION without the values bound to the query, so each branch runs as a query of its own.

    >>> len(_parts("partners")), len(_parts("suppliers"))
    (4, 1)
    """
    return [q.strip() + "\n" for q in _PART_RE.split(query_text(name)) if "SELECT" in q]


def _chunks(items: list, size: int = 2000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


_IN_RE = re.compile(r"FILTER\(\?p IN \([^)]*\)\)")


def _relationship_properties(kg, rels: list[str], props: set[str], rows: Rows) -> dict[str, dict[str, set]]:
    """rel -> property -> set of python values, for the properties ``props``.

    >>> from carrierkg.graph.fixtures import example_kg
    >>> rel = "https://w3id.org/carrierkg/id/rel/partnership-446ab7e570c11ed6d2ba"
    >>> _relationship_properties(example_kg(), [rel], {CKG.startDate}, Rows())[rel]
    {'https://w3id.org/carrierkg/ontology#startDate': {'2012-03-01'}}
    """
    listed = ", ".join(f"ckg:{p[len(ONTOLOGY):]}" if p.startswith(ONTOLOGY) else f"<{p}>" for p in sorted(props))
    query = _IN_RE.sub(lambda _: f"FILTER(?p IN ({listed}))", query_text("relationship_attributes"), count=1)
    rows.sparql.append(query.strip() + "\n# with VALUES ?rel { the relationships found above }")
    out: dict[str, dict[str, set]] = {}
    for chunk in _chunks(rels):
        for sol in kg.query(query, {"rel": [iri(r) for r in chunk]}):
            p = sol[1].value
            if p in props:
                out.setdefault(sol[0].value, {}).setdefault(p, set()).add(python_value(sol[2]))
    return out


def _descriptions(kg, iris: Iterable[str], rows: Rows | None = None, *, cache: _Cache | None = None
                  ) -> dict[str, dict[str, set]]:
    """The preferred labels and the organisation and place classes of IRIs: iri -> {"label": set, "type": set}.

    One DISTINCT query for the whole set (however many graphs repeat each description), or
    the descriptions ``cache`` (see :func:`_description_cache`), which holds the same.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> d = _descriptions(example_kg(), ["https://w3id.org/carrierkg/id/org/aurora-telecom"])
    >>> d["https://w3id.org/carrierkg/id/org/aurora-telecom"]
    {'label': {'Aurora Telecom'}, 'type': {'https://w3id.org/carrierkg/ontology#Carrier'}}
    """
    iris = sorted(set(iris))
    out: dict[str, dict[str, set]] = {}
    if not iris:
        return out
    query = query_text("descriptions")
    if rows is not None:
        rows.sparql.append(query.strip() + "\n# with VALUES ?e { the counterparts found above }")
    if cache is not None:
        for i in iris:
            found = cache.entities.get(i)
            if found is not None:
                out[i] = {"label": set(found[0]), "type": set(found[1])}
        return out
    for chunk in _chunks(iris):
        for sol in kg.query(query, {"e": [iri(i) for i in chunk]}):
            what, value = sol[1].value, sol[2].value
            if what == "type" and value not in _TYPE_ORDER:
                continue  # other classes say nothing answers use
            out.setdefault(sol[0].value, {"label": set(), "type": set()})[what].add(value)
    return out


def _source_descriptions(kg, srcs: list[str], rows: Rows, *, cache: _Cache | None = None) -> dict[str, dict]:
    """src -> {"iri", "title", "url"} (the least title and URL, should a source have several).

    From one query for the whole set, or from the descriptions ``cache``, which holds the same.
    """
    query = query_text("source_descriptions")
    rows.sparql.append(query.strip() + "\n# with VALUES ?src { the sources found above }")
    if cache is not None:
        return {s: {"iri": s, "title": found[0], "url": found[1]}
                for s in srcs if (found := cache.sources.get(s)) is not None}
    found: dict[str, dict[str, list]] = {}
    for chunk in _chunks(srcs):
        found.update(_titles(kg.query(query, {"src": [iri(s) for s in chunk]})))
    return {s: {"iri": s, "title": t, "url": u} for s, (t, u) in found.items()}


def _titles(solutions) -> dict[str, tuple]:
    """src -> (title, url) from rows of source_descriptions.rq: the least of each (None: none)."""
    found: dict[str, dict[str, list]] = {}
    for sol in solutions:
        found.setdefault(sol[0].value, {}).setdefault(sol[1].value, []).append(python_value(sol[2]))
    return {s: (min(d["title"], key=_least) if d.get("title") else None,
                min(d["url"], key=_least) if d.get("url") else None) for s, d in found.items()}


def _least(value) -> tuple[str, str]:
    """Sort key of a title or URL: its text (and type, so that the choice never depends on the row order)."""
    return str(value), type(value).__name__


# -- the descriptions cache -----------------------------------------------------------------

#: Bump when the shape of the descriptions cache changes (its files get a new name).
_CACHE_FORMAT = "1"

#: An answer with at least this many counterparts, places and sources to describe reads them
#: from the descriptions cache of an on-disk store, built by the first such answer: looked up
#: in the store each costs ~50 µs (a seek per pattern, and decoding the terms), while reading
#: the whole cache of a 1M-triple store (12,000 organisations and places, 13,000 sources)
#: takes ~15 ms. Fewer are looked up in the store (unless the process holds the cache already).
CACHE_FROM = 300


class _Cache:
    """What descriptions.rq and source_descriptions.rq give for every IRI of a store.

    ``entities``: IRI -> (preferred labels, organisation and place classes), for everything
    with a preferred label or such a class; ``sources``: IRI -> (title, url), the least of
    each, for every source with either. An IRI that is not there has none.
    """

    __slots__ = ("entities", "sources")

    def __init__(self, entities: dict[str, tuple[tuple, tuple]], sources: dict[str, tuple]):
        self.entities = entities
        self.sources = sources


#: store -> (generation, cache): what this process has read or built.
_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def description_cache_path(kg, generation: str | None = None) -> Path | None:
    """Where the descriptions cache of an on-disk store is kept; ``None`` for other stores.

    Beside the projection's (``<store>.cache/``), named after the store's generation, so a
    change to the store makes a new file (and the next answer that needs it rebuilds it).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> description_cache_path(example_kg()) is None
    True
    >>> description_cache_path(type("Disk", (), {"path": "/data/store"})(), "7:x").name
    'descriptions-64af99d5dfa39423.pickle'
    """
    return cache_file(kg, "descriptions", _CACHE_FORMAT, generation)


def _description_cache(kg, wanted: int) -> _Cache | None:
    """The descriptions cache for an answer with ``wanted`` things to describe, or None.

    None (look them up in the store) for stores not on disk, and for fewer than
    :data:`CACHE_FROM` unless this process holds the cache of the store already. Otherwise the
    cache of the store's generation: held, read from its file, or built (a scan of the labels,
    the classes, the titles and the URLs of the store: 0.6 s for 1M triples) and written for
    the next processes. Where it cannot be written (a read-only folder) it is not built: one
    answer would pay for it and the next one again.
    """
    if getattr(kg, "path", None) is None:
        return None
    held = _CACHES.get(kg)
    if held is None and wanted < CACHE_FROM:
        return None
    generation = kg.generation()
    if held is not None and held[0] == generation:
        return held[1]
    if wanted < CACHE_FROM:
        return None
    target = description_cache_path(kg, generation)
    cache = _read_cache(target)
    if cache is None:
        folder = target.parent if target.parent.exists() else target.parent.parent
        if not os.access(folder, os.W_OK):
            return None
        cache = _build_cache(kg)
        _write_cache(target, cache)
    with contextlib.suppress(TypeError):  # a store that takes no weak reference: not held
        _CACHES[kg] = (generation, cache)
    return cache


def _build_cache(kg) -> _Cache:
    """The descriptions cache of a store, from scans of description_cache.rq and source_descriptions.rq."""
    entities: dict[str, tuple[set, set]] = {}
    labels, classes = _parts("description_cache")
    for sol in kg.query(labels):
        entities.setdefault(sol[0].value, (set(), set()))[0].add(sol[1].value)
    for sol in kg.query(classes, {"type": [iri(t) for t in _TYPE_ORDER]}):
        entities.setdefault(sol[0].value, (set(), set()))[1].add(_TYPES[sol[1].value])
    return _Cache({e: (tuple(sorted(ls)), tuple(sorted(ts))) for e, (ls, ts) in entities.items()},
                  _titles(kg.query(query_text("source_descriptions"))))


def _read_cache(target: Path) -> _Cache | None:
    """The cache in a file; None if it is missing or unreadable (then it is built again)."""
    data = read_cache(target)
    if not (isinstance(data, tuple) and len(data) == 2
            and isinstance(data[0], dict) and isinstance(data[1], dict)):
        return None
    return _Cache(*data)


def _write_cache(target: Path, cache: _Cache) -> None:
    """Write atomically and remove the caches of older generations; never fail."""
    write_cache(target, (cache.entities, cache.sources))


def _one(values: set):
    """One value of a set (the least, so answers repeat)."""
    if len(values) == 1:
        for value in values:
            return value
    if not values:
        return None
    return min(values, key=str)


def _counterpart(g, side: str) -> dict:
    """The other end of a relationship as row fields: ``side``, ``side_iri``, ``side_type``."""
    other = _one(g["other"])
    return {side: _one(g["otherLabel"]) or other, f"{side}_iri": other, f"{side}_type": _best_type(g["otherType"])}


def _keep(g: dict, period, wanted) -> bool:
    if wanted is not None and g.get("_relation") not in wanted:
        return False
    return in_force(period, start=_one(g.get("start", set())), end=_one(g.get("end", set())))


def _filters(as_of, relations):
    return parse_as_of(as_of), relation_names(relations)


def _dates(g: dict) -> dict:
    return {"start": _one(g.get("start", set())), "end": _one(g.get("end", set())),
            "status": _local(_one(g.get("status", set())))}


def _supply_relation(status: str | None) -> str:
    return "supplier_removed" if status == "removed" else "supplier"


# -- partners -------------------------------------------------------------------------------

_PARTNER_KINDS = ("partnership", "infrastructure_sharing", "joint_venture", "consortium_membership")


def partners_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """Who partners with an organisation: partnerships, sharing deals, joint ventures, consortia.

    Parameters
    ----------
    kg : KnowledgeGraph
    org : str or Org
        A name (resolved with :func:`carrierkg.graph.names.resolve`) or a resolved ``Org``.
    as_of : str, optional
        Only relationships in force on this date.
    relations : iterable of str, optional
        Only these of ``partnership``, ``infrastructure_sharing``, ``joint_venture``,
        ``consortium_membership`` (or aliases).

    Returns
    -------
    Rows
        One row per partner and relationship: ``organisation``, ``organisation_iri``,
        ``partner``, ``partner_iri``, ``partner_type``, ``relation``, ``relationship``,
        ``via`` / ``via_iri`` (the joint venture or consortium), ``details``, ``start``,
        ``end``, ``status``, ``rel``, ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> rows = partners_of(example_kg(), "Cobalt Networks", as_of="2020")
    >>> [(r["partner"], r["details"], len(r["sources"])) for r in rows]
    [('Aurora Telecom', 'towers', 2)]
    """
    o = _org(kg, org)
    period, wanted = _filters(as_of, relations)
    kinds = [k for k in _PARTNER_KINDS if wanted is None or k in wanted]
    rows = Rows()
    if not kinds:
        return rows
    bindings: dict = {"org": iri(o.iri)}
    if wanted is not None:
        bindings["relation"] = kinds
    out = []
    for g in _run(kg, "partners", bindings, ("rel", "other", "venture"), rows,
                  attributes=(*_DATES, "asset"), lookups=_OTHER | {"ventureLabel": ("venture", "label")}):
        g["_relation"] = _one(g["relation"])
        if not _keep(g, period, None):
            continue
        venture = _one(g["venture"])
        relation = g["_relation"]
        out.append({
            "organisation": o.label, "organisation_iri": o.iri,
            **_counterpart(g, "partner"),
            "relation": relation,
            "relationship": phrase("co_venturer") if relation == "joint_venture" else (
                "is a fellow member with" if relation == "consortium_membership" else phrase(relation)),
            "via": _one(g["ventureLabel"]) or venture, "via_iri": venture,
            "details": ", ".join(sorted(_local(a) for a in g["asset"])) or None,
            **_dates(g), "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (str(r["partner"]).casefold(), r["relation"], r["rel"]))
    rows.extend(out)
    return rows


def sharing_partners_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """Who shares infrastructure with an organisation (rows as :func:`partners_of`).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [r["partner"] for r in sharing_partners_of(example_kg(), "Aurora")]
    ['Cobalt Networks']
    """
    return partners_of(kg, org, as_of=as_of, relations=["infrastructure_sharing"])


# -- licences -------------------------------------------------------------------------------

def licences_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """The licences an organisation holds, directly or through its subsidiaries.

    Two statements of the same licence (same issuer, licence type and jurisdiction) held by
    the organisation and by a subsidiary, or stated by two sources, make one row that lists
    every holder with its sources.

    Returns
    -------
    Rows
        ``licence``, ``licence_type``, ``issuer``, ``issuer_iri``, ``jurisdiction``,
        ``jurisdiction_iri`` (lists), ``scope``, ``category``, ``start``, ``end``,
        ``status``, ``held_by`` (text), ``holders`` (``holder``, ``holder_iri``,
        ``held_through``, ``rel``, ``sources``), ``rels``, ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> [(r["licence"], r["held_by"]) for r in licences_of(kg, "Aurora Telecom")]
    [('3.5 GHz spectrum licence', 'Aurora Telecom'), ('National mobile licence', \
'Aurora Baltic (subsidiary of Aurora Telecom)')]
    >>> [r["licence"] for r in licences_of(kg, "Aurora Telecom", as_of="2021")]
    ['National mobile licence']
    """
    o = _org(kg, org)
    period, _ = _filters(as_of, relations)
    rows = Rows()
    merged: dict[tuple, dict] = {}
    for g in _run(kg, "licences", {"org": iri(o.iri)}, ("rel",), rows, attributes=_LICENCE,
                  lookups={"holderLabel": ("holder", "label"), "issuerLabel": ("issuer", "label"),
                           "jurisdictionLabel": ("jurisdiction", "label")}):
        if not _keep(g, period, None):
            continue
        holder_iri = _one(g["holder"])
        holder = _one(g["holderLabel"]) or holder_iri
        through = None if holder_iri == o.iri else f"subsidiary of {o.label}"
        key = (_one(g["issuer"]), _one(g["licenceType"]) or _one(g["licenceName"]),
               tuple(sorted(g["jurisdiction"])))
        row = merged.get(key)
        if row is None:
            row = merged[key] = {
                "licence": _one(g["licenceName"]) or _local(_one(g["licenceType"])),
                "licence_type": _local(_one(g["licenceType"])),
                "issuer": _one(g["issuerLabel"]) or _one(g["issuer"]), "issuer_iri": _one(g["issuer"]),
                "jurisdiction": sorted(g["jurisdictionLabel"]), "jurisdiction_iri": sorted(g["jurisdiction"]),
                "scope": _one(g["scope"]), "category": _one(g["category"]),
                **_dates(g), "held_by": "", "holders": [], "rels": [], "sources": [],
            }
        row["holders"].append({"holder": holder, "holder_iri": holder_iri, "held_through": through,
                               "rel": _one(g["rel"]), "sources": g["sources"]})
        row["rels"].append(_one(g["rel"]))
        for s in g["sources"]:
            if s not in row["sources"]:
                row["sources"].append(s)
        for k in ("scope", "category", "start", "end", "status"):
            if row[k] is None:
                row[k] = _dates(g)[k] if k in ("start", "end", "status") else _one(g[k])
    for row in merged.values():
        row["holders"].sort(key=lambda h: (h["held_through"] is not None, str(h["holder"]).casefold()))
        row["held_by"] = "; ".join(
            h["holder"] + (f" ({h['held_through']})" if h["held_through"] else "") for h in row["holders"])
        row["rels"].sort()
    rows.extend(sorted(merged.values(), key=lambda r: (str(r["licence"]).casefold(), str(r["issuer"]))))
    return rows


def licensed_by(kg, regulator, *, as_of=None, relations=None) -> Rows:
    """The licences a regulator has granted: licensee, licence, scope, dates and sources.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["licensee"], r["licence_type"]) for r in licensed_by(example_kg(), "NTA")]
    [('Aurora Baltic', 'mobile'), ('Aurora Telecom', 'spectrum')]
    """
    o = _org(kg, regulator, types=("Regulator",))
    period, _ = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, "licensed_by", {"issuer": iri(o.iri)}, ("rel",), rows, attributes=_LICENCE,
                  lookups={"holderLabel": ("holder", "label"), "holderType": ("holder", "type"),
                           "jurisdictionLabel": ("jurisdiction", "label")}):
        if not _keep(g, period, None):
            continue
        out.append({
            "regulator": o.label, "regulator_iri": o.iri,
            "licensee": _one(g["holderLabel"]) or _one(g["holder"]), "licensee_iri": _one(g["holder"]),
            "licensee_type": _best_type(g["holderType"]),
            "licence": _one(g["licenceName"]) or _local(_one(g["licenceType"])),
            "licence_type": _local(_one(g["licenceType"])),
            "jurisdiction": sorted(g["jurisdictionLabel"]), "jurisdiction_iri": sorted(g["jurisdiction"]),
            "scope": _one(g["scope"]), "category": _one(g["category"]), **_dates(g),
            "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (str(r["licensee"]).casefold(), str(r["licence"]).casefold(), r["rel"]))
    rows.extend(out)
    return rows


# -- regulators -----------------------------------------------------------------------------

def regulators_of(kg, name, *, as_of=None, relations=None) -> Rows:
    """Who regulates an organisation or a place.

    For a country or zone: the regulators with a mandate over it (or over the country a
    zone is part of). For an organisation: the regulators that licensed it or received its
    licence applications, and those with a mandate over its home country or its markets.

    Returns
    -------
    Rows
        One row per regulator: ``regulator``, ``regulator_iri``, ``basis`` (why: a list of
        "licensed it", "home country", "market", "mandate" ...), ``jurisdiction``,
        ``jurisdiction_iri``, ``subject``, ``subject_iri``, ``rels``, ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> [(r["regulator"], r["basis"]) for r in regulators_of(kg, "Norway")]
    [('Nordic Telecom Authority', ['mandate'])]
    >>> [(r["regulator"], r["basis"]) for r in regulators_of(kg, "Aurora Telecom")]
    [('Nordic Telecom Authority', ['home country', 'licensed it', 'market'])]
    """
    o = name if isinstance(name, Org) else resolve(kg, name, types=ORGANISATION_TYPES + PLACE_TYPES)
    period, _ = _filters(as_of, relations)
    rows = Rows()
    if o.is_place:
        groups = _run(kg, "regulators_of_place", {"place": iri(o.iri)}, ("rel", "basis"), rows, lookups=_REGULATOR)
    else:
        groups = _run(kg, "regulators_of_org", {"org": iri(o.iri)}, ("rel", "basis"), rows, lookups=_REGULATOR)
        groups += _mandates_over_org(kg, o, rows)
    merged: dict[str, dict] = {}
    for g in groups:
        if not _keep(g, period, None):
            continue
        reg = _one(g["regulator"])
        row = merged.setdefault(reg, {
            "subject": o.label, "subject_iri": o.iri,
            "regulator": _one(g["regulatorLabel"]) or reg, "regulator_iri": reg,
            "basis": [], "jurisdiction": [], "jurisdiction_iri": [], "rels": [], "sources": []})
        for b in sorted(g["basis"]):
            if b not in row["basis"]:
                row["basis"].append(b)
        for j in sorted(g["jurisdiction"]):
            if j not in row["jurisdiction_iri"]:
                row["jurisdiction_iri"].append(j)
        for j in sorted(g["jurisdictionLabel"]):
            if j not in row["jurisdiction"]:
                row["jurisdiction"].append(j)
        row["rels"].append(_one(g["rel"]))
        for s in g["sources"]:
            if s not in row["sources"]:
                row["sources"].append(s)
    for row in merged.values():
        row["basis"].sort()
        row["rels"] = sorted(set(row["rels"]))
        row["sources"].sort(key=lambda s: s["iri"])  # the same order whatever order the rows came in
    rows.extend(sorted(merged.values(), key=lambda r: str(r["regulator"]).casefold()))
    return rows


def _mandates_over_org(kg, o: Org, rows: Rows) -> list[dict]:
    """Groups for the regulators with a mandate over an organisation's home country or markets.

    Two steps (the places, then the mandates over them): joined in one query, each place's
    repeated descriptions would multiply the rows of every mandate and licence there.
    """
    bases: dict[str, set] = {}
    for query in _parts("org_jurisdictions"):
        rows.sparql.append(bind(query, {"org": iri(o.iri)}))
        for sol in kg.query(query, {"org": iri(o.iri)}):
            bases.setdefault(sol[1].value, set()).add(sol[0].value)
    if not bases:
        return []
    query = query_text("mandates")
    rows.sparql.append(query.strip() + "\n# with VALUES ?jurisdiction { the places found above }")
    groups: dict[tuple, _Group] = {}
    for chunk in _chunks(sorted(bases)):
        for sol in kg.query(query, {"jurisdiction": [iri(j) for j in chunk]}):
            rel, regulator, jurisdiction = sol[0].value, sol[1].value, sol[2].value
            for basis in bases[jurisdiction]:
                g = groups.setdefault((rel, basis), _Group(
                    rel={rel}, basis={basis}, regulator=set(), jurisdiction=set()))
                g["regulator"].add(regulator)
                g["jurisdiction"].add(jurisdiction)
    return _enrich(kg, list(groups.values()), rows, lookups=_REGULATOR)


# -- ownership ------------------------------------------------------------------------------

def _ownership(kg, org, query: str, side: str, as_of, relations) -> Rows:
    o = _org(kg, org)
    period, wanted = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, query, {"org": iri(o.iri)}, ("rel", "other"), rows,
                  attributes=(*_DATES, "stake", "value", "currency", "note"), lookups=_OTHER):
        g["_relation"] = _one(g["relation"])
        if not _keep(g, period, wanted):
            continue
        relation = g["_relation"]
        if side == "holding":
            text = {"subsidiary": "owns", "acquisition": "acquired", "joint_venture": "formed"}[relation]
        else:
            text = {"subsidiary": "is owned by", "acquisition": "was acquired by",
                    "joint_venture": "was formed by"}[relation]
        value = _one(g["value"])
        out.append({
            "organisation": o.label, "organisation_iri": o.iri,
            **_counterpart(g, side),
            "relation": relation, "relationship": text, "stake": _one(g["stake"]),
            "value": value, "currency": _one(g["currency"]), "note": _one(g["note"]), **_dates(g),
            "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (str(r[side]).casefold(), r["relation"], r["rel"]))
    rows.extend(out)
    return rows


def owners_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """Who owns an organisation: owners, acquirers and joint-venture parents.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["owner"], r["relationship"]) for r in owners_of(example_kg(), "Aurora Baltic")]
    [('Aurora Telecom', 'is owned by')]
    """
    return _ownership(kg, org, "owners", "owner", as_of, relations)


def holdings_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """What an organisation owns: subsidiaries, acquisitions and joint ventures it formed.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["holding"], r["relation"]) for r in holdings_of(example_kg(), "Borealis")]
    [('Delta Wireless', 'acquisition'), ('Fjord Connect', 'joint_venture')]
    """
    return _ownership(kg, org, "holdings", "holding", as_of, relations)


def subsidiaries_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """An organisation's subsidiaries and acquisitions (rows as :func:`holdings_of`).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [r["holding"] for r in subsidiaries_of(example_kg(), "Aurora Telecom")]
    ['Aurora Baltic']
    """
    return holdings_of(kg, org, as_of=as_of, relations=relations or ["subsidiary", "acquisition"])


# -- joint ventures -------------------------------------------------------------------------

def joint_ventures_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """The joint ventures an organisation formed (or is, or is a consortium member of).

    Returns
    -------
    Rows
        ``venture``, ``venture_iri``, ``role`` (parent, venture or member), ``partners`` and
        ``partner_iris`` (the other parents or members), ``jurisdiction``, dates, ``rel``,
        ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["venture"], r["partners"], r["start"]) for r in joint_ventures_of(example_kg(), "Borealis")]
    [('Fjord Connect', ['Aurora Telecom'], '2015')]
    """
    o = _org(kg, org)
    period, _ = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, "joint_ventures", {"org": iri(o.iri)}, ("rel", "venture"), rows,
                  attributes=(*_DATES, "jurisdiction"),
                  lookups={"ventureLabel": ("venture", "label"), "jurisdictionLabel": ("jurisdiction", "label")}):
        if not _keep(g, period, None):
            continue
        others = sorted(p for p in g["partner"] if p != o.iri)
        labels = _labels(kg, others) if others else {}
        out.append({
            "organisation": o.label, "organisation_iri": o.iri,
            "venture": _one(g["ventureLabel"]) or _one(g["venture"]), "venture_iri": _one(g["venture"]),
            "role": _one(g["role"]),
            "partners": [labels.get(p, p) for p in others], "partner_iris": others,
            "jurisdiction": sorted(g["jurisdictionLabel"]), **_dates(g),
            "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (str(r["venture"]).casefold(), r["rel"]))
    rows.extend(out)
    return rows


def _labels(kg, iris: list[str]) -> dict[str, str]:
    return {o: min(d["label"]) for o, d in _descriptions(kg, iris).items() if d["label"]}


# -- supply ---------------------------------------------------------------------------------

def suppliers_of(kg, org, *, as_of=None, relations=None, status: str | None = None) -> Rows:
    """Who supplies an organisation (and who was removed: ``status="removed"``).

    Returns
    -------
    Rows
        ``supplier``, ``supplier_iri``, ``supplier_type``, ``relation`` (``supplier`` or
        ``supplier_removed``), ``status``, ``note``, dates, ``rel``, ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["supplier"], r["status"]) for r in suppliers_of(example_kg(), "Aurora Telecom")]
    [('Gridline Systems', 'removed'), ('Helix Equipment', 'active')]
    """
    o = _org(kg, org)
    period, wanted = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, "suppliers", {"org": iri(o.iri)}, ("rel", "other"), rows,
                  attributes=(*_DATES, "note"), lookups=_OTHER):
        st = _local(_one(g["status"]))
        g["_relation"] = _supply_relation(st)
        if status is not None and st != status:
            continue
        # a removed supplier is news about its removal: not filtered by the supply dates
        if not _keep(g, None if st == "removed" else period, wanted):
            continue
        out.append({
            "customer": o.label, "customer_iri": o.iri,
            **_counterpart(g, "supplier"), "relation": g["_relation"],
            "relationship": phrase(g["_relation"]), "note": _one(g["note"]), **_dates(g),
            "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (str(r["supplier"]).casefold(), r["rel"]))
    rows.extend(out)
    return rows


def removed_vendors_of(kg, org, *, as_of=None, relations=None) -> Rows:
    """The suppliers removed (or banned) from an organisation's network.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [(r["supplier"], r["end"]) for r in removed_vendors_of(example_kg(), "Aurora Telecom")]
    [('Gridline Systems', '2020')]
    """
    return suppliers_of(kg, org, as_of=as_of, relations=relations, status="removed")


# -- places ---------------------------------------------------------------------------------

def operating_in(kg, place, *, as_of=None, relations=None) -> Rows:
    """The organisations that operate in a country or zone: market presence or a licence there.

    Returns
    -------
    Rows
        One row per organisation: ``organisation``, ``organisation_iri``, ``type``,
        ``basis`` (``market presence``, ``licence``), ``where`` (the country or zones),
        ``details``, ``rels``, ``sources``.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> [(r["organisation"], r["basis"]) for r in operating_in(kg, "Norway")]
    [('Aurora Baltic', ['licence']), ('Aurora Telecom', ['licence', 'market presence']), \
('Borealis Mobile', ['market presence'])]
    >>> [r["organisation"] for r in operating_in(kg, "Norway", as_of="2018")]
    ['Aurora Baltic', 'Aurora Telecom']
    """
    p = place if isinstance(place, Org) else resolve(kg, place, types=PLACE_TYPES)
    period, _ = _filters(as_of, relations)
    rows = Rows()
    merged: dict[str, dict] = {}
    for g in _run(kg, "operating_in", {"place": iri(p.iri)}, ("rel", "other"), rows,
                  attributes=(*_DATES, "note", "service"),
                  lookups=_OTHER | {"marketLabel": ("market", "label")}):
        if not _keep(g, period, None):
            continue
        other = _one(g["other"])
        row = merged.setdefault(other, {
            "place": p.label, "place_iri": p.iri,
            "organisation": _one(g["otherLabel"]) or other, "organisation_iri": other,
            "type": _best_type(g["otherType"]), "basis": [], "where": [], "details": [],
            "rels": [], "sources": []})
        for b in g["basis"]:
            if b not in row["basis"]:
                row["basis"].append(b)
        for w in g["marketLabel"]:
            if w not in row["where"]:
                row["where"].append(w)
        for d in sorted(g["service"] | g["note"]):
            if d not in row["details"]:
                row["details"].append(d)
        row["rels"].append(_one(g["rel"]))
        for s in g["sources"]:
            if s not in row["sources"]:
                row["sources"].append(s)
    for row in merged.values():
        row["basis"].sort()
        row["where"].sort()
        row["rels"].sort()
        row["sources"].sort(key=lambda s: s["iri"])
    rows.extend(sorted(merged.values(), key=lambda r: str(r["organisation"]).casefold()))
    return rows


# -- profile --------------------------------------------------------------------------------

def organisation_info(kg, org) -> dict:
    """What the store says about an organisation itself: type, country, aliases, identifiers.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> info = organisation_info(example_kg(), "Aurora")
    >>> info["label"], info["type"], info["country"], info["aliases"]
    ('Aurora Telecom', 'Carrier', 'Norway', ['Aurora', 'Aurora Telekom AS'])
    """
    o = _org(kg, org, types=ORGANISATION_TYPES + PLACE_TYPES)
    rows = kg.select(query_text("organisation"), {"org": iri(o.iri)})
    names = {RDF.type: "type", SKOS.prefLabel: "label", SKOS.altLabel: "alias", CKG.country: "country",
             CKG.wikidataId: "wikidata", CKG.lei: "lei"}
    vals: dict[str, set] = {}
    for r in rows:
        vals.setdefault(names[r["p"].value], set()).add(python_value(r["v"]))
    countries = sorted(vals.get("country", ()))
    country_labels = {x for d in _descriptions(kg, countries).values() for x in d["label"]}
    return {
        "label": o.label, "iri": o.iri, "type": _best_type(vals.get("type", set())) or o.type,
        "country": _one(country_labels), "country_iri": _one(vals.get("country", set())),
        "aliases": sorted(a for a in vals.get("alias", set()) if a != o.label),
        "wikidata": _one(vals.get("wikidata", set())), "lei": _one(vals.get("lei", set())),
    }


def profile(kg, org, *, as_of=None, relations=None) -> Rows:
    """Every relationship an organisation takes part in, read from its side.

    Returns
    -------
    Rows
        One row per relationship and counterpart: ``relation``, ``relationship`` (how it
        reads from the organisation's side), ``counterpart``, ``counterpart_iri``,
        ``counterpart_type``, ``details``, ``start``, ``end``, ``status``, ``rel``,
        ``sources``. ``rows.info`` holds :func:`organisation_info`.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> rows = profile(example_kg(), "Aurora Baltic")
    >>> rows.info["country"]
    'Estonia'
    >>> [(r["relationship"], r["counterpart"]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('is owned by', 'Aurora Telecom'), ('licensed by', 'Nordic Telecom Authority')]
    """
    o = _org(kg, org)
    period, wanted = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, "profile", {"org": iri(o.iri)}, ("rel", "role", "other", "otherRole"), rows,
                  attributes=(*_DATES, "licenceName", "scope", "asset", "note", "stake", "value", "currency",
                              "service"), lookups=_OTHER):
        cls = _one(g["class"])
        status_iri = _one(g["status"])
        try:
            kind = kind_of_class(cls, status_iri)
        except KeyError:
            try:
                kind = kind_of_class(cls)
            except KeyError:
                continue
        g["_relation"] = kind.name
        if not _keep(g, period, wanted):
            continue
        role, other_role = _one(g["role"]), _one(g["otherRole"])
        if other_role not in kind.roles:
            continue  # the jurisdiction of a licence or a deal: not a counterpart
        if role == other_role and kind.name in ("joint_venture", "consortium_membership"):
            continue  # co-parents: see joint_ventures_of and partners_of
        elif kind.symmetric:
            text = phrase(kind.name)
        else:
            text = phrase(kind.name, subject_side=role == kind.subject_role)
        details = [d for d in (_one(g["licenceName"]), _one(g["scope"]),
                               ", ".join(sorted(_local(a) for a in g["asset"])) or None,
                               _one(g["service"]), _one(g["note"]),
                               f"{_one(g['stake'])}%" if g["stake"] else None,
                               f"{_one(g['value']):,.0f} {_one(g['currency']) or ''}".strip()
                               if g["value"] else None) if d]
        out.append({
            "organisation": o.label, "organisation_iri": o.iri,
            "relation": kind.name, "relationship": text,
            **_counterpart(g, "counterpart"), "details": "; ".join(details) or None,
            **_dates(g), "rel": _one(g["rel"]), "sources": g["sources"],
        })
    out.sort(key=lambda r: (r["relationship"], str(r["counterpart"]).casefold(), r["rel"]))
    rows.extend(out)
    rows.info = organisation_info(kg, o)
    return rows


# -- via the projection ---------------------------------------------------------------------

def connection(kg, a, b, *, as_of=None, relations=None, max_hops: int | None = None,
               all_paths: bool = False) -> Rows:
    """How two organisations are connected, hop by hop (empty rows: not connected).

    The connection is looked for among organisations first; only when they are not
    connected that way may it pass through a country or zone both are tied to (both
    operate in China, say).

    Parameters
    ----------
    max_hops : int, optional
        With ``all_paths``: the longest connection to list (default 3). Without: a
        shortest connection longer than this counts as none.
    all_paths : bool
        List every connection of at most ``max_hops`` hops, not only the shortest.

    Returns
    -------
    Rows
        One row per hop (see :func:`carrierkg.graph.paths.path_rows`): ``path``, ``hop``,
        ``from``, ``from_iri``, ``relationship``, ``to``, ``to_iri``, ``date``, ``rels``,
        ``relationships``, ``sources``. ``rows.through_places`` tells whether the
        connection passes through places.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> [(r["from"], r["relationship"], r["to"]) for r in connection(kg, "Delta Wireless", "Borealis")]
    [('Delta Wireless', 'was acquired by', 'Borealis Mobile')]
    >>> len(connection(kg, "Delta Wireless", "Borealis", as_of="2020"))
    0
    """
    from carrierkg.graph.paths import all_simple_paths, path_rows, shortest_path
    from carrierkg.graph.projection import project

    x, y = _org(kg, a), _org(kg, b)
    if x.iri == y.iri:
        raise InputError(f"{x.label} and {y.label} are the same organisation")
    rows = Rows(sparql=[bind(query_text("projection_relationships"), {}).strip()])
    rows.through_places = False
    for places in (False, True):
        G = project(kg, as_of=as_of, relations=relations, places=places)
        if all_paths:
            paths = all_simple_paths(G, x.iri, y.iri, max_hops=max_hops or 3)
        else:
            hops = shortest_path(G, x.iri, y.iri)
            paths = [hops] if hops and (max_hops is None or len(hops) <= max_hops) else []
        if paths:
            rows.extend(path_rows(paths))
            rows.through_places = places
            break
    return rows


def most_central(kg, *, measure: str = "degree", top: int | None = 10, types: Iterable[str] | None = None,
                 as_of=None, relations=None) -> Rows:
    """The most central organisations of the projection (see :mod:`carrierkg.graph.centrality`).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> [r["label"] for r in most_central(example_kg(), top=3, types=["Carrier"])]
    ['Aurora Telecom', 'Borealis Mobile', 'Aurora Baltic']
    """
    from carrierkg.graph.centrality import centrality
    from carrierkg.graph.projection import project

    G = project(kg, as_of=as_of, relations=relations)
    return Rows(centrality(G, measure=measure, top=top, types=types),
                sparql=[query_text("projection_relationships").strip()])

