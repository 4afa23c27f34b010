"""Candidate facts to RDF: the named graph of one ingested source, in the data model's shape.

:func:`build_source` turns an :class:`~carrierkg.ingest.extract.Extraction` (and the relations
a person accepted) into the quads of one self-contained source graph, shaped like the bundled
source graphs (``data/sources/*.trig``):

- the source description (title, publisher, date, URL, file name, content hash, extraction
  method ``"rules"`` and the mean confidence of the accepted facts);
- every organisation the facts mention: a known one (matched through its names and aliases
  in the store, as :func:`carrierkg.graph.names.resolve` matches them) keeps its IRI, preferred label,
  types and country; a new one gets ``org_iri(name)``, its type and the names the article
  uses;
- the places (countries from the reference data, zones);
- one relationship node per fact (:data:`carrierkg.graph.model.RELATION_KINDS`), named by
  :func:`carrierkg.graph.model.identity_iri` so that a fact the bundled data also states is the
  same node; joint ventures with several parents become one ``ckg:JointVentureFormation``, a
  single named member of a consortium a ``ckg:ConsortiumMembership``;
- ``ckg:source`` on every relationship and one ``ckg:Evidence`` span per stated sentence.

The graph is validated against the shapes before it is returned; a relation that cannot form
a valid node is left out and reported in :attr:`SourceGraph.skipped` with the reason.

Examples
--------
>>> from carrierkg.graph.store import open_store
>>> from carrierkg.ingest.extract import extract
>>> kg = open_store("memory")
>>> text = "Northwind Telecom has acquired Southwind Mobile for $2 billion."
>>> built = build_source(kg, extract(text), title="Northwind buys Southwind")
>>> [f.cls.rsplit("#", 1)[1] for f in built.facts], built.new_organisations
(['Acquisition'], ['Northwind Telecom', 'Southwind Mobile'])
>>> built.source == source_iri_for(built.content_hash)
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from carrierkg.graph.errors import AmbiguousNameError, InputError, UnknownNameError, ValidationError
from carrierkg.graph.model import RELATION_KINDS, identity_iri
from carrierkg.graph.store import iri, literal, python_value
from carrierkg.ontology.namespaces import (
    ACQUISITION_KIND,
    CKG,
    DCTERMS,
    LICENCE_TYPE,
    RDF,
    SCHEMA,
    SHARED_ASSET,
    SKOS,
    STATUS,
    XSD,
    country_iri,
    evidence_iri,
    org_iri,
    source_iri,
    zone_iri,
)

__all__ = [
    "ORG_CLASSES",
    "Fact",
    "Skipped",
    "SourceGraph",
    "build_source",
    "clean_date",
    "clean_url",
    "known_names",
    "parse_money",
    "source_iri_for",
    "source_key",
]

#: Organisation classes an extracted entity may have (anything else is a ckg:Company).
ORG_CLASSES = ("Carrier", "Regulator", "Vendor", "Company", "JointVenture")
_PLACE_TYPES = ("Country", "Zone")

#: How many hex digits of the text's SHA-256 name an ingested source.
KEY_DIGITS = 16


def source_key(content_hash: str) -> str:
    """The key of an ingested source from its text's hash: ``sha256-<16 hex digits>``.

    >>> source_key("sha256:" + "ab" * 32)
    'sha256-abababababababab'
    """
    hexdigest = content_hash.removeprefix("sha256:")
    if not re.fullmatch(r"[0-9a-f]{64}", hexdigest):
        raise ValueError(f"not a sha256 content hash: {content_hash!r}")
    return "sha256-" + hexdigest[:KEY_DIGITS]


def source_iri_for(content_hash: str) -> str:
    """The IRI (and graph name) of the source whose text has this hash."""
    return source_iri(source_key(content_hash))


# ------------------------------------------------------------------------------------------
# what the builder returns


@dataclass
class Skipped:
    """A candidate relation that was not written, and why."""

    relation: object
    reason: str

    def as_dict(self) -> dict:
        r = self.relation
        return {"type": r.type, "subject": r.subject, "object": r.object, "reason": self.reason}


@dataclass
class Fact:
    """One relationship node of the source graph and the candidate relations it comes from."""

    iri: str
    cls: str
    relations: list = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, list] = field(default_factory=dict)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    stakes: dict[str, Decimal] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.cls.rsplit("#", 1)[-1]


@dataclass
class SourceGraph:
    """The quads of one source graph, and what went into them."""

    source: str
    content_hash: str
    title: str
    quads: list[ox.Quad]
    facts: list[Fact]
    skipped: list[Skipped]
    new_organisations: list[str]
    known_organisations: list[str]


# ------------------------------------------------------------------------------------------
# names the store knows

_KNOWN_NAMES = """
SELECT ?o ?name ?label WHERE {
  ?o a ?type ; skos:prefLabel ?label .
  { ?o skos:prefLabel ?name } UNION { ?o skos:altLabel ?name }
}"""


def known_names(kg) -> dict[str, str]:
    """Every name and alias of the organisations the store knows -> the canonical name.

    A name two organisations share is left out (the extractor then keeps the article's
    spelling, and ingesting asks the resolver, which reports the ambiguity).

    >>> from carrierkg.graph.store import open_store
    >>> names = known_names(open_store("memory"))
    >>> names["MIIT"]
    'Ministry of Industry and Information Technology'
    """
    rows = kg.select(_KNOWN_NAMES, {"type": [iri(CKG[t]) for t in (*ORG_CLASSES, "Organization")]})
    labels: dict[str, str] = {}
    owner: dict[str, set[str]] = {}
    for r in rows:
        o, name, label = r["o"].value, r["name"].value, r["label"].value
        if o not in labels or label < labels[o]:
            labels[o] = label
        owner.setdefault(name, set()).add(o)
    return {name: labels[next(iter(os_))] for name, os_ in owner.items() if len(os_) == 1}


# ------------------------------------------------------------------------------------------
# organisations and places


@dataclass
class _Thing:
    iri: str
    label: str
    types: set[str]
    alt: list[str] = field(default_factory=list)
    country: str | None = None  # a country IRI
    part_of: str | None = None  # zones
    iso: str | None = None  # countries
    known: bool = False


_ORG_NAMES = """
SELECT ?o ?name WHERE {
  ?o a ?type . { ?o skos:prefLabel ?name } UNION { ?o skos:altLabel ?name }
}"""

_ORG_DESCRIPTION = """
SELECT ?type ?label ?country WHERE {
  ?o a ?type . OPTIONAL { ?o skos:prefLabel ?label } OPTIONAL { ?o ckg:country ?country }
}"""

_PLACE_DESCRIPTION = """
SELECT ?type ?label ?iso ?part WHERE {
  ?o a ?type . OPTIONAL { ?o skos:prefLabel ?label } OPTIONAL { ?o ckg:isoCode ?iso }
  OPTIONAL { ?o ckg:partOf ?part }
}"""


def _describe_known(kg, o: str, query: str, types: Sequence[str]) -> dict | None:
    rows = kg.select(query, {"o": iri(o), "type": [iri(CKG[t]) for t in types]})
    if not rows:
        return None
    out: dict = {"types": set(), "label": None, "country": None, "iso": None, "part": None}
    for r in rows:
        out["types"].add(r["type"].value.rsplit("#", 1)[-1])
        for key in ("label", "country", "iso", "part"):
            v = python_value(r.get(key))
            if v is not None and (out[key] is None or v < out[key]):
                out[key] = v
    return out


class _Things:
    """The organisations and places of one source graph, matched against the store."""

    def __init__(self, kg, extraction):
        self.kg = kg
        self.entities = {}
        for e in extraction.entities:
            self.entities.setdefault(e.name, e)
        self.by_name: dict[str, _Thing | None] = {}
        self.things: dict[str, _Thing] = {}
        self.problems: dict[str, str] = {}
        self._index: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None

    # organisations
    def org(self, name: str) -> _Thing | None:
        if name in self.by_name:
            return self.by_name[name]
        thing = self._org(name)
        self.by_name[name] = thing
        return thing

    def _org(self, name: str) -> _Thing | None:

        entity = self.entities.get(name)
        etype = entity.type if entity is not None else "Company"
        if etype in _PLACE_TYPES or etype == "Person":
            self.problems[name] = f"{name!r} is a {etype.lower()}, not an organisation"
            return None
        if etype not in ORG_CLASSES:
            etype = "Company"
        forms = [name, *(entity.aliases if entity is not None else [])]
        forms = [" ".join(f.split()) for f in forms if f and f.strip()]
        if not forms:
            self.problems[name] = "the organisation has no name"
            return None
        found = None
        for form in forms:
            found = self._match(form)
            if found is not None:
                break
        if found is None:
            try:
                candidate = org_iri(forms[0])
            except ValueError:
                self.problems[name] = f"cannot make an identifier from the name {name!r}"
                return None
            if _describe_known(self.kg, candidate, _ORG_DESCRIPTION, (*ORG_CLASSES, "Organization")):
                found = candidate
        if found is not None:
            desc = _describe_known(self.kg, found, _ORG_DESCRIPTION, (*ORG_CLASSES, "Organization"))
            if desc is not None:
                thing = self.things.get(found)
                if thing is None:
                    thing = _Thing(found, desc["label"] or forms[0], set(desc["types"]) - {"Organization"} or {etype},
                                   country=desc["country"], known=True)
                    self.things[found] = thing
                    if thing.country and self._known_place(thing.country) is None:
                        thing.country = None  # a country the store does not describe: leave it out
                self._add_names(thing, forms)
                return thing
        new_iri = org_iri(forms[0])
        thing = self.things.get(new_iri)
        if thing is None:
            thing = _Thing(new_iri, forms[0], {etype})
            if entity is not None and entity.country:
                place = self._country_by_code(entity.country)
                if place is not None:
                    thing.country = place.iri
            self.things[new_iri] = thing
        elif not thing.known and etype != "Company":
            # the same organisation under two spellings: keep the most specific type
            thing.types = {etype} if thing.types == {"Company"} else thing.types | {etype}
        self._add_names(thing, forms)
        return thing

    def _match(self, name: str) -> str | None:
        """The one organisation the store knows by this name: its label or an alias, exactly, or
        with case, accents, punctuation and company suffixes set aside (as the resolver does)."""
        from carrierkg.graph.names import normalise

        if self._index is None:
            exact: dict[str, set[str]] = {}
            loose: dict[str, set[str]] = {}
            rows = self.kg.select(_ORG_NAMES, {"type": [iri(CKG[t]) for t in (*ORG_CLASSES, "Organization")]})
            for r in rows:
                o, n = r["o"].value, r["name"].value
                exact.setdefault(n, set()).add(o)
                key = normalise(n)
                if key:
                    loose.setdefault(key, set()).add(o)
            self._index = (exact, loose)
        exact, loose = self._index
        for table, key in ((exact, name), (loose, normalise(name))):
            hits = table.get(key) or set()
            if len(hits) == 1:
                return next(iter(hits))
            if len(hits) > 1:
                mine = org_iri(name) if re.search(r"\w", name) else None
                return mine if mine in hits else None
        return None

    @staticmethod
    def _add_names(thing: _Thing, forms: Iterable[str]) -> None:
        for f in forms:
            if f != thing.label and f not in thing.alt:
                thing.alt.append(f)

    # places
    def place(self, name: str) -> _Thing | None:
        key = "place:" + name
        if key in self.by_name:
            return self.by_name[key]
        thing = self._place(name)
        self.by_name[key] = thing
        return thing

    def _country_by_code(self, code: str) -> _Thing | None:
        try:
            c = country_iri(code)
        except ValueError:
            return None
        return self._known_place(c)

    def _known_place(self, o: str) -> _Thing | None:
        if o in self.things:
            return self.things[o]
        desc = _describe_known(self.kg, o, _PLACE_DESCRIPTION, (*_PLACE_TYPES, "Place"))
        if desc is None:
            return None
        types = set(desc["types"]) - {"Place"} or {"Zone"}
        thing = _Thing(o, desc["label"] or o.rsplit("/", 1)[-1], types, iso=desc["iso"], part_of=desc["part"],
                       known=True)
        self.things[o] = thing
        if thing.part_of:
            self._known_place(thing.part_of)
        return thing

    def _place(self, name: str) -> _Thing | None:
        from carrierkg.graph.names import resolve

        text = " ".join(name.split())
        if not text:
            return None
        entity = self.entities.get(name)
        try:
            found = resolve(self.kg, text, types=(*_PLACE_TYPES, "Place"))
            return self._known_place(found.iri)
        except (UnknownNameError, AmbiguousNameError):
            pass
        if entity is not None and entity.type == "Country" and entity.country:
            return self._country_by_code(entity.country)
        if entity is not None and entity.type == "Zone":
            try:
                z = zone_iri(text)
            except ValueError:
                return None
            known = self._known_place(z)
            if known is not None:
                return known
            thing = _Thing(z, text, {"Zone"})
            if entity.country:
                country = self._country_by_code(entity.country)
                thing.part_of = country.iri if country is not None else None
            self.things[z] = thing
            return thing
        return None

    # output
    def quads(self, used: set[str], graph: ox.NamedNode) -> list[ox.Quad]:
        out: list[ox.Quad] = []
        todo = list(used)
        seen: set[str] = set()
        while todo:
            o = todo.pop()
            if o in seen or o not in self.things:
                continue
            seen.add(o)
            t = self.things[o]
            s = ox.NamedNode(o)
            for cls in sorted(t.types):
                out.append(ox.Quad(s, _N(RDF.type), _N(CKG[cls]), graph))
            out.append(ox.Quad(s, _N(SKOS.prefLabel), ox.Literal(t.label), graph))
            for a in t.alt:
                out.append(ox.Quad(s, _N(SKOS.altLabel), ox.Literal(a), graph))
            if t.country:
                out.append(ox.Quad(s, _N(CKG.country), _N(t.country), graph))
                todo.append(t.country)
            if t.iso:
                out.append(ox.Quad(s, _N(CKG.isoCode), ox.Literal(t.iso), graph))
            if t.part_of:
                out.append(ox.Quad(s, _N(CKG.partOf), _N(t.part_of), graph))
                todo.append(t.part_of)
        return out


def _N(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


# ------------------------------------------------------------------------------------------
# details -> property values

_CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
_SCALE = {"billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "million": Decimal(10) ** 6, "m": Decimal(10) ** 6}
_MONEY_RE = re.compile(
    r"^(?:(?P<code>[A-Z]{3})\s?|(?P<sign>US\$|[$€£]))\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<scale>billion|million|bn|m)?$",
    re.IGNORECASE,
)


def parse_money(text: str) -> tuple[Decimal, str] | None:
    """A value and an ISO 4217 currency code from words such as ``"EUR 1.2 billion"``.

    >>> parse_money("EUR 1.2 billion"), parse_money("$3 billion"), parse_money("about a lot")
    ((Decimal('1200000000.0'), 'EUR'), (Decimal('3000000000'), 'USD'), None)
    """
    m = _MONEY_RE.match(" ".join(str(text).split()))
    if not m:
        return None
    currency = m.group("code").upper() if m.group("code") else _CURRENCY_SIGNS.get(m.group("sign"))
    if not currency:
        return None
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return None
    if m.group("scale"):
        value *= _SCALE[m.group("scale").lower()]
    return value, currency


def _date_literal(text) -> ox.Literal | None:
    s = str(text or "").strip()
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", s):
        return ox.Literal(s, datatype=_N(XSD.date))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", s):
        return ox.Literal(s, datatype=_N(XSD.gYearMonth))
    if re.fullmatch(r"\d{4}", s):
        return ox.Literal(s, datatype=_N(XSD.gYear))
    return None


def _decimal(value) -> ox.Literal:
    d = Decimal(str(value))
    text = format(d, "f")
    if "." not in text:
        text += ".0"
    return ox.Literal(text, datatype=_N(XSD.decimal))


def _percent(details: dict) -> Decimal | None:
    if details.get("stake_percent") is not None:
        try:
            return Decimal(str(details["stake_percent"]))
        except InvalidOperation:
            return None
    m = re.search(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent|percent)", str(details.get("stake") or ""))
    return Decimal(m.group(1)) if m else None


def _concept(scheme, key) -> str | None:
    key = str(key or "").strip().lower()
    return scheme[key] if key in scheme.terms and key[:1].islower() else None


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


#: The status a kind has when the article states no other.
_DEFAULT_STATUS = {"licence_grant": "active", "partnership": "active", "infrastructure_sharing": "active"}


# ------------------------------------------------------------------------------------------
# the builder


class _Builder:
    def __init__(self, kg, extraction, source: str):
        self.kg = kg
        self.extraction = extraction
        self.source = source
        self.things = _Things(kg, extraction)
        self.facts: dict[str, Fact] = {}
        self.skipped: list[Skipped] = []

    def skip(self, relation, reason: str) -> None:
        self.skipped.append(Skipped(relation, reason))

    def add(self, cls: str, relation, roles: dict[str, list[str]], values: dict[str, list],
            evidence: tuple[int, int], stakes: dict[str, Decimal] | None = None) -> None:
        identity = {p: v for p, v in {**roles, **values}.items()}
        rel_iri = identity_iri(cls, identity)
        fact = self.facts.get(rel_iri)
        if fact is None:
            fact = Fact(rel_iri, cls, roles={p: list(v) for p, v in roles.items()})
            self.facts[rel_iri] = fact
        fact.relations.append(relation)
        for p, vs in values.items():
            have = fact.values.setdefault(p, [])
            for v in vs:
                if v not in have:
                    have.append(v)
        if evidence not in fact.evidence:
            fact.evidence.append(evidence)
        for who, pct in (stakes or {}).items():
            fact.stakes.setdefault(who, pct)

    def places(self, relation, names) -> list[str]:
        out = []
        for n in _as_list(names):
            p = self.things.place(str(n))
            if p is not None and p.iri not in out:
                out.append(p.iri)
        return out

    def relation(self, r) -> None:
        kind = RELATION_KINDS.get(r.type)
        if kind is None:
            self.skip(r, f"unknown relation type {r.type!r}")
            return
        ev = (int(r.evidence.start), int(r.evidence.end))
        if not 0 <= ev[0] < ev[1]:
            self.skip(r, "the evidence span is empty")
            return
        d = dict(r.details or {})
        subj = self.things.org(r.subject)
        if subj is None:
            self.skip(r, self.things.problems.get(r.subject, f"no organisation for {r.subject!r}"))
            return
        values: dict[str, list] = {}
        if r.type in {"regulates", "operates_in"}:
            place = self.things.place(r.object)
            if place is None:
                self.skip(r, f"{r.object!r} is not a country or zone carrierkg knows")
                return
            obj_iri = place.iri
        else:
            obj = self.things.org(r.object)
            if obj is None:
                self.skip(r, self.things.problems.get(r.object, f"no organisation for {r.object!r}"))
                return
            obj_iri = obj.iri
        if subj.iri == obj_iri:
            self.skip(r, "the subject and the object are the same organisation")
            return
        status = _concept(STATUS, d.get("status")) or (kind.status if kind.status else None) \
            or _concept(STATUS, _DEFAULT_STATUS.get(r.type))
        if kind.cls == CKG.SupplyRelationship:  # active or removed: the kind says which
            status = kind.status
        if status:
            values[CKG.status] = [status]
        date = _date_literal(d.get("date"))
        if date is not None and r.type not in {"regulates", "operates_in"}:
            values[CKG.startDate] = [date]
        if d.get("note"):
            values[CKG.note] = [ox.Literal(str(d["note"]))]

        if r.type in {"licence_grant", "licence_application"}:
            lt = _concept(LICENCE_TYPE, d.get("licence_type"))
            if lt is None and d.get("category") == "value-added":
                lt = LICENCE_TYPE["value-added"]
            if lt:
                values[CKG.licenceType] = [lt]
            juris = self.places(r, d.get("jurisdiction"))
            if juris:
                values[CKG.jurisdiction] = juris
            for key, prop in (("scope", CKG.scope), ("category", CKG.category)):
                if d.get(key):
                    values[prop] = [ox.Literal(str(d[key]))]
            name = " ".join(str(d.get("licence") or "").split())
            if name and len(name.split()) <= 6 and re.search(r"licen[cs]e", name, re.I):
                values[CKG.licenceName] = [ox.Literal(name[:1].upper() + name[1:])]
            self.add(kind.cls, r, {kind.subject_role: [subj.iri], kind.object_role: [obj_iri]}, values, ev)
        elif r.type in {"partnership", "infrastructure_sharing"}:
            if r.type == "infrastructure_sharing":
                assets = [a for a in (_concept(SHARED_ASSET, x) for x in _as_list(d.get("assets"))) if a]
                if assets:
                    values[CKG.sharedAsset] = assets
            juris = self.places(r, d.get("jurisdiction"))
            if juris:
                values[CKG.jurisdiction] = juris
            if d.get("joint_venture") == "unnamed" and CKG.note not in values:
                values[CKG.note] = [ox.Literal("through a joint venture")]
            self.add(kind.cls, r, {CKG.party: sorted({subj.iri, obj_iri})}, values, ev)
        elif r.type == "acquisition":
            ak = _concept(ACQUISITION_KIND, d.get("kind"))
            if ak:
                values[CKG.acquisitionKind] = [ak]
            money = parse_money(d["value"]) if d.get("value") else None
            if money is not None:
                values[CKG.value] = [_decimal(money[0])]
                values[CKG.currency] = [ox.Literal(money[1])]
            pct = _percent(d)
            if pct is not None and 0 <= pct <= 100:
                values[CKG.stake] = [_decimal(pct)]
            self.add(kind.cls, r, {CKG.acquirer: [subj.iri], CKG.target: [obj_iri]}, values, ev)
        elif r.type == "joint_venture":
            juris = self.places(r, d.get("jurisdiction"))
            if juris:
                values[CKG.jurisdiction] = juris
            self._ventures.setdefault((obj_iri, ev), []).append((r, subj, values, _percent(d)))
        else:
            # subsidiary, supplier, supplier_removed, regulates, operates_in
            self.add(kind.cls, r, {kind.subject_role: [subj.iri], kind.object_role: [obj_iri]}, values, ev)

    def ventures(self) -> None:
        for (venture, ev), members in self._ventures.items():
            parents = list(dict.fromkeys(m[1].iri for m in members))
            values: dict[str, list] = {}
            for _r, _s, vals, _p in members:
                for p, vs in vals.items():
                    values.setdefault(p, [])
                    values[p] += [v for v in vs if v not in values[p]]
            if CKG.startDate in values:
                values[CKG.startDate] = values[CKG.startDate][:1]
            if CKG.status in values:
                values[CKG.status] = values[CKG.status][:1]
            if len(parents) >= 2:
                self.things.things[venture].types.add("JointVenture")
                stakes = {m[1].iri: m[3] for m in members if m[3] is not None and 0 <= m[3] <= 100}
                if sum(stakes.values(), Decimal(0)) > 100:
                    stakes = {}
                for r, *_ in members:
                    self.add(CKG.JointVentureFormation, r, {CKG.parent: sorted(parents), CKG.venture: [venture]},
                             values, ev, stakes)
            else:
                r, subj, _vals, pct = members[0]
                if pct is not None and 0 <= pct <= 100:
                    values[CKG.stake] = [_decimal(pct)]
                self.add(CKG.ConsortiumMembership, r, {CKG.member: [subj.iri], CKG.venture: [venture]}, values, ev)

    def run(self, relations) -> None:
        self._ventures: dict[tuple[str, tuple[int, int]], list] = {}
        for r in relations:
            self.relation(r)
        self.ventures()

    # quads
    def fact_quads(self, fact: Fact, graph: ox.NamedNode) -> list[ox.Quad]:
        s = _N(fact.iri)
        src = _N(self.source)
        out = [ox.Quad(s, _N(RDF.type), _N(fact.cls), graph)]
        for p, vs in fact.roles.items():
            for v in vs:
                out.append(ox.Quad(s, _N(p), _N(v), graph))
        for p, vs in fact.values.items():
            for v in vs[:1] if p in _SINGLE else vs:
                out.append(ox.Quad(s, _N(p), v if isinstance(v, ox.Literal) else _N(v), graph))
        for who, pct in sorted(fact.stakes.items()):
            b = ox.BlankNode()
            out += [ox.Quad(s, _N(CKG.parentStake), b, graph),
                    ox.Quad(b, _N(RDF.type), _N(CKG.Stake), graph),
                    ox.Quad(b, _N(CKG.stakeholder), _N(who), graph),
                    ox.Quad(b, _N(CKG.stake), _decimal(pct), graph)]
        out.append(ox.Quad(s, _N(CKG.source), src, graph))
        for start, end in fact.evidence:
            e = _N(evidence_iri(self.source, fact.iri, start, end))
            out += [ox.Quad(s, _N(CKG.evidence), e, graph),
                    ox.Quad(e, _N(RDF.type), _N(CKG.Evidence), graph),
                    ox.Quad(e, _N(CKG.source), src, graph),
                    ox.Quad(e, _N(CKG.start), literal(start), graph),
                    ox.Quad(e, _N(CKG.end), literal(end), graph)]
        return out

    def used(self, facts: Iterable[Fact]) -> set[str]:
        out: set[str] = set()
        for f in facts:
            for vs in f.roles.values():
                out.update(vs)
            out.update(f.stakes)
            for p in (CKG.jurisdiction,):
                out.update(str(v) for v in f.values.get(p, []))
        return out


def _source_quads(source: str, graph: ox.NamedNode, *, title: str, meta: dict, content_hash: str,
                  confidence: float | None) -> list[ox.Quad]:
    s = _N(source)
    out = [ox.Quad(s, _N(RDF.type), _N(CKG.Source), graph),
           ox.Quad(s, _N(DCTERMS.title), ox.Literal(title), graph)]
    if meta.get("publisher"):
        out.append(ox.Quad(s, _N(DCTERMS.publisher), ox.Literal(meta["publisher"]), graph))
    if meta.get("date"):
        out.append(ox.Quad(s, _N(DCTERMS.date), meta["date"], graph))
    if meta.get("url"):
        out.append(ox.Quad(s, _N(SCHEMA.url), ox.Literal(meta["url"], datatype=_N(XSD.anyURI)), graph))
    if meta.get("file_name"):
        out.append(ox.Quad(s, _N(CKG.fileName), ox.Literal(meta["file_name"]), graph))
    out.append(ox.Quad(s, _N(CKG.contentHash), ox.Literal(content_hash), graph))
    out.append(ox.Quad(s, _N(CKG.extractionMethod), ox.Literal("rules"), graph))
    if confidence is not None:
        out.append(ox.Quad(s, _N(CKG.confidence), _decimal(round(confidence, 2)), graph))
    return out


def clean_url(url: str | None) -> str | None:
    """An article URL as given, if it is an ``http(s)`` URL without spaces; else an error.

    >>> clean_url(" https://example.org/a?b=1 ")
    'https://example.org/a?b=1'
    >>> clean_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: the URL must be an http(s) address, not 'javascript:alert(1)'
    """
    if url is None or not str(url).strip():
        return None
    u = str(url).strip()
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", u, re.IGNORECASE):
        raise InputError(f"the URL must be an http(s) address, not {u!r}")
    return u


def clean_date(date: str | None) -> ox.Literal | None:
    """A source date (YYYY, YYYY-MM or YYYY-MM-DD) as a typed literal; else an error.

    >>> clean_date("2012-05-01").value, clean_date(None)
    ('2012-05-01', None)
    >>> clean_date("May 2012")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: the date must be YYYY, YYYY-MM or YYYY-MM-DD, not 'May 2012'
    """
    if date is None or not str(date).strip():
        return None
    lit = _date_literal(date)
    if lit is None:
        raise InputError(f"the date must be YYYY, YYYY-MM or YYYY-MM-DD, not {str(date).strip()!r}")
    return lit


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "")
    return text if text.strip() else None


def build_source(kg, extraction, relations: Sequence | None = None, *, title: str | None = None,
                 publisher: str | None = None, date: str | None = None, url: str | None = None,
                 file_name: str | None = None) -> SourceGraph:
    """The quads of the source graph for an extraction's accepted relations.

    Parameters
    ----------
    kg : KnowledgeGraph
        The store, to match organisations and places against (nothing is written).
    extraction : Extraction
        What :func:`carrierkg.ingest.extract.extract` found in the article.
    relations : sequence of Relation, optional
        The accepted relations (default: all of the extraction's).
    title, publisher, date, url, file_name : str, optional
        Source metadata; each defaults to what the extraction found. A missing title falls
        back to the file name, then to the source key.

    Returns
    -------
    SourceGraph
        The quads (validated), the facts, the skipped relations with reasons, and the
        labels of the new and the known organisations.

    Raises
    ------
    InputError
        The date or URL is malformed.
    ValidationError
        The source description itself does not conform (no fact could fix that).
    """
    src = extraction.source
    content_hash = src.content_hash
    source = source_iri_for(content_hash)
    graph = _N(source)
    relations = list(extraction.relations if relations is None else relations)
    meta = {
        "publisher": _text(publisher) or _text(src.publisher),
        "date": clean_date(date) if date else _date_literal(src.date),
        "url": clean_url(url) if url else clean_url(src.url) if _safe_url(src.url) else None,
        "file_name": _text(file_name) or _text(src.file_name),
    }
    the_title = _text(title) or _text(src.title) or meta["file_name"] or f"Article {source_key(content_hash)}"

    builder = _Builder(kg, extraction, source)
    builder.run(relations)
    facts = list(builder.facts.values())
    skipped = list(builder.skipped)
    _keep_stored_values(kg, facts)

    from carrierkg.graph.validate import validate

    while True:
        kept = [r for f in facts for r in f.relations]
        confidence = sum(r.confidence for r in kept) / len(kept) if kept else None
        quads = _source_quads(source, graph, title=the_title, meta=meta, content_hash=content_hash,
                              confidence=confidence)
        quads += builder.things.quads(builder.used(facts), graph)
        fact_of: dict[str, Fact] = {}
        for f in facts:
            fq = builder.fact_quads(f, graph)
            for q in fq:
                if isinstance(q.subject, ox.NamedNode | ox.BlankNode):
                    fact_of.setdefault(_focus(q.subject), f)
            quads += fq
        report = validate(quads, context=kg._context_for(quads))
        if report.conforms:
            break
        bad: dict[str, str] = {}
        for v in report.violations:
            if v.severity != "Violation":
                continue
            f = fact_of.get(v.focus)
            if f is not None:
                bad.setdefault(f.iri, v.message)
                continue
            # an organisation or place: drop the facts that mention it
            hit = [f for f in facts if v.focus in builder.used([f])]
            if not hit:
                raise ValidationError(f"the source graph does not conform to the shapes: {v.line()}", report)
            for f in hit:
                bad.setdefault(f.iri, f"{v.label or v.focus}: {v.message}")
        for f in [f for f in facts if f.iri in bad]:
            for r in f.relations:
                skipped.append(Skipped(r, bad[f.iri]))
        facts = [f for f in facts if f.iri not in bad]

    used = builder.used(facts)
    things = builder.things.things
    new = sorted({things[o].label for o in used if o in things and not things[o].known
                  and not things[o].types & set(_PLACE_TYPES)})
    known = sorted({things[o].label for o in used if o in things and things[o].known
                    and not things[o].types & set(_PLACE_TYPES)})
    return SourceGraph(source, content_hash, the_title, quads, facts, skipped, new, known)


#: Properties a relationship has at most one value of (shapes.ttl).
_SINGLE = (CKG.status, CKG.startDate, CKG.endDate, CKG.value, CKG.currency, CKG.stake, CKG.acquisitionKind)


def _keep_stored_values(kg, facts: list[Fact]) -> None:
    """A fact other sources already state keeps their single values (status, dates, value, ...).

    The same relationship node is described in several graphs; two statuses for it would
    break the shapes over the union of the graphs, so the article's differing value is left
    out (the evidence and the source are still added).
    """
    if not facts:
        return
    rows = kg.select("SELECT ?r ?p ?v WHERE { ?r ?p ?v }",
                     {"r": [iri(f.iri) for f in facts], "p": [iri(p) for p in _SINGLE]})
    stored: dict[tuple[str, str], set] = {}
    for row in rows:
        stored.setdefault((row["r"].value, row["p"].value), set()).add(row["v"])
    for f in facts:
        for p in _SINGLE:
            have = stored.get((f.iri, p))
            if have and p in f.values:
                f.values[p] = [v for v in f.values[p] if (v if isinstance(v, ox.Literal) else _N(v)) in have]
                if not f.values[p]:
                    del f.values[p]


def _safe_url(url) -> bool:
    try:
        return clean_url(url) is not None
    except InputError:
        return False


def _focus(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value
