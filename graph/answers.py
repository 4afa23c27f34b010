"""Answers: the library functions behind each question, as rows with their sources.

Every function takes the store first and an organisation (or place) name or
:class:`~carrierkg.graph.names.Org`, and returns :class:`Rows`: a list of dicts with
snake_case keys (labels *and* IRIs, the relation type, dates, status, and ``sources``, a
list of ``{"iri", "title", "url"}``), plus the SPARQL it ran (``rows.sparql``).

The simple answers run one SPARQL query each (``graph/queries/*.rq``) and do not import
networkx; :func:`connection` and :func:`most_central` use the projection.

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

from collections.abc import Iterable

from carrierkg.graph.errors import InputError
from carrierkg.graph.filters import in_force, parse_as_of, phrase, query_text, relation_names
from carrierkg.graph.model import kind_of_class
from carrierkg.graph.names import ORGANISATION_TYPES, PLACE_TYPES, Org, resolve
from carrierkg.graph.store import bind, iri, python_value
from carrierkg.ontology.namespaces import CKG

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
    """A list of answer rows that also remembers the SPARQL queries it ran (``sparql``)."""

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


def _best_type(types: set[str]) -> str | None:
    known = [t for t in types if t in _TYPE_ORDER]
    if not known:
        return None
    return _local(min(known, key=_TYPE_ORDER.__getitem__))


def _run(kg, name: str, bindings: dict, key: tuple[str, ...], rows: Rows) -> list[dict]:
    """Run query ``name`` and group its solutions by the ``key`` variables.

    Each group maps every variable to the set of its values (python values; IRIs as str),
    and ``sources`` to the list of ``{"iri", "title", "url"}`` from ``?src``/``?srcTitle``/
    ``?srcUrl``.
    """
    query = query_text(name)
    rows.sparql.append(bind(query, bindings))
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
            term = sol[n]
            if term is not None:
                g[n].add(python_value(term))
        src = sol["src"] if "src" in names else None
        if src is not None:
            entry = g["_sources"].setdefault(src.value, {"iri": src.value, "title": None, "url": None})
            entry["title"] = entry["title"] or python_value(sol["srcTitle"])
            entry["url"] = entry["url"] or python_value(sol["srcUrl"])
    out = []
    for g in groups.values():
        g["sources"] = sorted(g.pop("_sources").values(), key=lambda s: s["iri"])
        out.append(g)
    return out


def _one(values: set):
    """One value of a set (the least, so answers repeat)."""
    if not values:
        return None
    return min(values, key=str)


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
    for g in _run(kg, "partners", bindings, ("rel", "other", "venture"), rows):
        g["_relation"] = _one(g["relation"])
        if not _keep(g, period, None):
            continue
        venture = _one(g["venture"])
        relation = g["_relation"]
        out.append({
            "organisation": o.label, "organisation_iri": o.iri,
            "partner": _one(g["otherLabel"]) or _one(g["other"]), "partner_iri": _one(g["other"]),
            "partner_type": _best_type(g["otherType"]),
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
    for g in _run(kg, "licences", {"org": iri(o.iri)}, ("rel",), rows):
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
    for g in _run(kg, "licensed_by", {"issuer": iri(o.iri)}, ("rel",), rows):
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
        groups = _run(kg, "regulators_of_place", {"place": iri(o.iri)}, ("rel", "basis"), rows)
    else:
        groups = _run(kg, "regulators_of_org", {"org": iri(o.iri)}, ("rel", "basis"), rows)
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
    rows.extend(sorted(merged.values(), key=lambda r: str(r["regulator"]).casefold()))
    return rows


# -- ownership ------------------------------------------------------------------------------

def _ownership(kg, org, query: str, side: str, as_of, relations) -> Rows:
    o = _org(kg, org)
    period, wanted = _filters(as_of, relations)
    rows = Rows()
    out = []
    for g in _run(kg, query, {"org": iri(o.iri)}, ("rel", "other"), rows):
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
            side: _one(g["otherLabel"]) or _one(g["other"]), f"{side}_iri": _one(g["other"]),
            f"{side}_type": _best_type(g["otherType"]),
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
    for g in _run(kg, "joint_ventures", {"org": iri(o.iri)}, ("rel", "venture"), rows):
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
    found: dict[str, str] = {}
    for r in kg.select("SELECT ?o ?label WHERE { ?o skos:prefLabel ?label }", {"o": [iri(i) for i in iris]}):
        o, label = r["o"].value, r["label"].value
        if o not in found or label < found[o]:
            found[o] = label
    return found


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
    for g in _run(kg, "suppliers", {"org": iri(o.iri)}, ("rel", "other"), rows):
        st = _local(_one(g["status"]))
        g["_relation"] = _supply_relation(st)
        if status is not None and st != status:
            continue
        # a removed supplier is news about its removal: not filtered by the supply dates
        if not _keep(g, None if st == "removed" else period, wanted):
            continue
        out.append({
            "customer": o.label, "customer_iri": o.iri,
            "supplier": _one(g["otherLabel"]) or _one(g["other"]), "supplier_iri": _one(g["other"]),
            "supplier_type": _best_type(g["otherType"]), "relation": g["_relation"],
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
    for g in _run(kg, "operating_in", {"place": iri(p.iri)}, ("rel", "other"), rows):
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
    vals: dict[str, set] = {}
    for r in rows:
        for k, v in r.items():
            if v is not None:
                vals.setdefault(k, set()).add(python_value(v))
    return {
        "label": o.label, "iri": o.iri, "type": _best_type(vals.get("type", set())) or o.type,
        "country": _one(vals.get("countryLabel", set())), "country_iri": _one(vals.get("country", set())),
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
    for g in _run(kg, "profile", {"org": iri(o.iri)}, ("rel", "role", "other", "otherRole"), rows):
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
            "counterpart": _one(g["otherLabel"]) or _one(g["other"]), "counterpart_iri": _one(g["other"]),
            "counterpart_type": _best_type(g["otherType"]), "details": "; ".join(details) or None,
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

