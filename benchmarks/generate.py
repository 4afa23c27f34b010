"""A seeded generator of synthetic carrier graphs in the carrierkg ontology, written as N-Quads.

The data follows ``ontology/README.md`` exactly: one named graph per synthetic source, each
describing its source (``ckg:Source`` with title, publisher, date, URL, file name, content
hash, extraction method, confidence), every organisation and place its facts mention (type,
``skos:prefLabel``, ``skos:altLabel``s, country) and the facts: relationship nodes whose IRIs
are ``identity_iri`` of their content, with roles, statuses, dates (``xsd:date``,
``xsd:gYearMonth``, ``xsd:gYear``), licence types, shared assets, stakes, values and an
evidence span each. About one fact in seven is restated by a second source (the same node,
stated in two graphs).

Degrees are heavy-tailed: organisations are drawn from a Zipf distribution, so a few global
groups take part in hundreds (at 1M triples, thousands) of relationships while the median
organisation has a handful. Countries and regulators come from the bundled reference data,
so the synthetic graph fits into a store built from the bundled data.

Usage::

    python -m benchmarks.generate --size 100k          # prints the path of the cached file
    python -m benchmarks.generate --size 10k --seed 7 --output /tmp/x.nq

Files are cached in ``$CARRIERKG_BENCH_CACHE`` or ``benchmarks/cache/``, keyed on size, seed
and generator version, with a JSON sidecar that names the busiest carrier, a typical one, a
pair of organisations for ``path`` and a focus for ``map``.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from carrierkg.graph.model import identity_iri
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
    evidence_iri,
    org_iri,
    source_iri,
    zone_iri,
)

__all__ = ["GENERATOR_VERSION", "SIZES", "Generated", "cache_dir", "ensure", "generate", "parse_size"]

#: Bump when the output for a given (size, seed) changes: cached files are keyed on it.
GENERATOR_VERSION = 2

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

_TYPE = f"<{RDF.type}>"
_XSD_DATE, _XSD_YEAR, _XSD_YM = XSD.date, XSD.gYear, XSD.gYearMonth


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"1m"`` -> 1000000, ``"2500"`` -> 2500."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not m:
        raise ValueError(f"not a size: {text!r} (use e.g. 10k, 100k, 1m)")
    n = float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    if n < 500:
        raise ValueError(f"size {text!r} is too small: use at least 500 triples")
    return int(n)


def cache_dir() -> Path:
    """Where generated files are kept: ``$CARRIERKG_BENCH_CACHE`` or ``benchmarks/cache/``."""
    env = os.environ.get("CARRIERKG_BENCH_CACHE")
    return Path(env).expanduser() if env else Path(__file__).resolve().parent / "cache"


# -- N-Quads terms ------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _i(value: str) -> str:
    return f"<{value}>"


def _s(value: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"'


def _t(value: str, datatype: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"^^<' + datatype + ">"


# -- names ----------------------------------------------------------------------------------

_ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr",
           "r", "s", "st", "t", "tr", "v", "vr", "z", "zh", "al", "or", "es", "in", "ul", "ar"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
_CODAS = ["", "n", "r", "x", "s", "l", "m", "th", "nd", "rt", "v", "k"]
_CARRIER_SUFFIX = ["Telecom", "Mobile", "Communications", "Networks", "Telekom", "Tel", "Broadband",
                   "Wireless", "Telecommunications", "Connect", "Cellular", "Digital"]
_VENDOR_SUFFIX = ["Systems", "Technologies", "Networks Equipment", "Electronics", "Microwave", "Optical",
                  "Semiconductor", "Radio Systems"]
_COMPANY_SUFFIX = ["Towers", "Capital", "Infrastructure", "Holdings", "Fibre", "Data Centres", "Investments",
                   "Satellite", "Cable Company"]
_LEGAL = ["Ltd", "plc", "Inc.", "S.A.", "AG", "Corporation", "Limited", "N.V."]
_REGIONS = ["Africa", "Asia Pacific", "Europe", "Americas", "Middle East", "Nordics", "Latin America",
            "Central Asia", "Gulf", "Caribbean"]
_PUBLISHERS = ["Carrier Wire", "Telecom Ledger", "Spectrum Weekly", "Network Monitor", "Mobile Markets Daily",
               "The Backhaul", "Regulatory Review", "Capacity Report"]


def _word(rng: random.Random) -> str:
    parts = [rng.choice(_ONSETS), rng.choice(_VOWELS)]
    if rng.random() < 0.6:
        parts += [rng.choice(_ONSETS[:26]), rng.choice(_VOWELS)]
    parts.append(rng.choice(_CODAS))
    return "".join(parts).capitalize()


@dataclass
class Org:
    iri: str
    label: str
    cls: str
    country: str | None
    alt: list[str] = field(default_factory=list)
    lines: str = ""  # "s p o" lines without the graph, ending in " "

    def describe(self) -> None:
        s = _i(self.iri)
        out = [f"{s} {_TYPE} {_i(self.cls)} ", f"{s} <{SKOS.prefLabel}> {_s(self.label)} "]
        out += [f"{s} <{SKOS.altLabel}> {_s(a)} " for a in self.alt]
        if self.country:
            out.append(f"{s} <{CKG.country}> {_i(self.country)} ")
        self.lines = "\n".join(out)


@dataclass
class Place:
    iri: str
    label: str
    lines: str
    regulators: list[str] = field(default_factory=list)
    part_of: str | None = None


@dataclass
class Fact:
    """One relationship node: its IRI, the orgs and places it mentions, and its triples."""

    iri: str
    kind: str
    orgs: list[str]
    places: list[str]
    body: list[tuple[str, str]]  # (predicate, object) pairs, serialized
    pairs: list[tuple[str, str]]  # org-org edges for the sidecar statistics
    blanks: list[tuple[str, str, str]] = field(default_factory=list)  # extra "s p o" (stakes)
    title: str = ""


@dataclass
class Generated:
    """A generated file and what the benchmarks need to know about it."""

    path: Path
    meta: dict


def _restated(fact: Fact) -> Fact:
    """The fact as a second source states it: the same node, its stakes said only once."""
    if not fact.blanks:
        return fact
    stake = f"<{CKG.parentStake}>"
    return Fact(fact.iri, fact.kind, fact.orgs, fact.places, [b for b in fact.body if b[0] != stake],
                fact.pairs, [], fact.title)


# -- the generator ----------------------------------------------------------------------------

_KIND_WEIGHTS = {
    "partnership": 22, "infrastructure_sharing": 10, "joint_venture": 4, "consortium_membership": 2,
    "licence_grant": 14, "licence_application": 3, "acquisition": 6, "subsidiary": 7, "supplier": 12,
    "supplier_removed": 3, "operates_in": 12, "regulates": 1,
}


class _Generator:
    def __init__(self, target: int, seed: int):
        self.rng = random.Random(seed)
        self.target = target
        self.orgs: dict[str, Org] = {}
        self.slugs: set[str] = set()
        self.places: dict[str, Place] = {}
        self.facts: list[Fact] = []
        self.restatable: list[Fact] = []
        self.by_iri: dict[str, Fact] = {}
        self._load_reference()
        self._make_orgs(max(40, target // 70))

    # reference data: countries and regulators from the bundled data
    def _load_reference(self) -> None:
        import pyoxigraph as ox

        from carrierkg.data import bundled_files

        quads = []
        for path in bundled_files():
            quads.extend(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
        by_subject: dict[str, list] = defaultdict(list)
        for q in quads:
            if isinstance(q.subject, ox.NamedNode):
                by_subject[q.subject.value].append(q)
            if isinstance(q.subject, ox.NamedNode) and "/org/" in q.subject.value:
                self.slugs.add(q.subject.value.rsplit("/", 1)[1])
        countries, regulators = [], []
        for s, qs in by_subject.items():
            types = {q.object.value for q in qs if q.predicate.value == RDF.type}
            if CKG.Country in types:
                countries.append(s)
            if CKG.Regulator in types:
                regulators.append(s)
        keep = {RDF.type, SKOS.prefLabel, SKOS.altLabel, CKG.isoCode}

        def lines_of(s: str) -> str:
            return "\n".join(dict.fromkeys(f"{q.subject} {q.predicate} {q.object} " for q in by_subject[s]
                                            if q.predicate.value in keep))

        for c in sorted(countries):
            label = next(q.object.value for q in by_subject[c] if q.predicate.value == SKOS.prefLabel)
            self.places[c] = Place(c, label, lines_of(c))
        self.reg_country: dict[str, str] = {}
        for r in sorted(regulators):
            country = next((q.object.value for q in by_subject[r] if q.predicate.value == CKG.country), None)
            label = next(q.object.value for q in by_subject[r] if q.predicate.value == SKOS.prefLabel)
            alt = [q.object.value for q in by_subject[r] if q.predicate.value == SKOS.altLabel]
            if country is None or country not in self.places:
                continue
            org = Org(r, label, CKG.Regulator, country, alt)
            org.describe()
            self.orgs[r] = org
            self.places[country].regulators.append(r)
            self.reg_country[r] = country
        self.regulators = sorted(self.reg_country)
        self.country_list = sorted(self.places)
        self.licensing_countries = sorted({c for c in self.reg_country.values()})
        # a few sub-national zones (free-trade zones, provinces) for licences and markets
        self.zones: list[str] = []
        for name, country in [("Shanghai Free-Trade Zone", "CN"), ("Dubai Internet City", "AE"),
                              ("Shenzhen Qianhai Zone", "CN"), ("Labuan Offshore Zone", "MY"),
                              ("Jebel Ali Free Zone", "AE")]:
            z = zone_iri(name)
            c = next((p for p in self.places if p.endswith("/" + country)), None)
            if c is None:
                continue
            lines = "\n".join([f"{_i(z)} {_TYPE} <{CKG.Zone}> ", f"{_i(z)} <{SKOS.prefLabel}> {_s(name)} ",
                               f"{_i(z)} <{CKG.partOf}> {_i(c)} "])
            self.places[z] = Place(z, name, lines, regulators=self.places[c].regulators, part_of=c)
            self.zones.append(z)

    def _new_name(self, stem_words: int = 1) -> tuple[str, str]:
        while True:
            base = " ".join(_word(self.rng) for _ in range(stem_words))
            if base.split()[0].casefold() not in self.slugs:
                return base, base

    def _add_org(self, label: str, cls: str, country: str | None, alt: list[str]) -> Org | None:
        iri = org_iri(label)
        slug = iri.rsplit("/", 1)[1]
        if slug in self.slugs:
            return None
        self.slugs.add(slug)
        org = Org(iri, label, cls, country, [a for a in dict.fromkeys(alt) if a and a != label])
        org.describe()
        self.orgs[iri] = org
        return org

    def _aliases(self, label: str) -> list[str]:
        r = self.rng.random()
        words = label.split()
        out = []
        if r < 0.25 and len(words) > 1:
            out.append("".join(w[0] for w in words).upper())
        if r < 0.45:
            out.append(f"{label} {self.rng.choice(_LEGAL)}")
        if r > 0.9:
            out.append(words[0])
        return out

    def _make_orgs(self, n: int) -> None:
        rng = self.rng
        countries = [c for c in self.country_list]
        groups_n = max(2, n // 900)
        self.groups: list[str] = []
        self.carriers: list[str] = []
        self.vendors: list[str] = []
        self.companies: list[str] = []
        ownership_seed: list[tuple[str, str]] = []  # (subsidiary, owner)
        while len(self.groups) < groups_n:
            base, _ = self._new_name()
            org = self._add_org(f"{base} Group", CKG.Carrier, rng.choice(countries), [base, f"{base} Group plc"])
            if org is None:
                continue
            self.groups.append(org.iri)
            # an ownership chain: group -> regional holding -> national operators
            for region in rng.sample(_REGIONS, k=rng.randint(1, min(5, 1 + n // 200))):
                holding = self._add_org(f"{base} {region} Holdings", CKG.Company, org.country, [])
                if holding is None:
                    continue
                ownership_seed.append((holding.iri, org.iri))
                for _ in range(rng.randint(1, min(6, 1 + n // 100))):
                    c = rng.choice(countries)
                    code = c.rsplit("/", 1)[1]
                    op = self._add_org(f"{base} {self.places[c].label}", CKG.Carrier, c, [f"{base} {code}"])
                    if op is not None:
                        self.carriers.append(op.iri)
                        ownership_seed.append((op.iri, holding.iri))
        while len(self.orgs) - len(self.regulators) < n or len(self.vendors) < 3:
            r = 0.75 if len(self.vendors) < 3 and len(self.orgs) - len(self.regulators) >= n else rng.random()
            base, _ = self._new_name(1 if rng.random() < 0.8 else 2)
            if r < 0.70:
                label, cls, pool = f"{base} {rng.choice(_CARRIER_SUFFIX)}", CKG.Carrier, self.carriers
            elif r < 0.80:
                label, cls, pool = f"{base} {rng.choice(_VENDOR_SUFFIX)}", CKG.Vendor, self.vendors
            else:
                label, cls, pool = f"{base} {rng.choice(_COMPANY_SUFFIX)}", CKG.Company, self.companies
            country = rng.choice(countries) if rng.random() < 0.92 else None
            org = self._add_org(label, cls, country, self._aliases(label))
            if org is not None:
                pool.append(org.iri)
        self.ownership_seed = ownership_seed
        # Zipf weights: global groups first, then everything else in a random order
        others = self.carriers + self.companies
        rng.shuffle(others)
        self.actors = self.groups + others
        self.actor_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.85 for i in range(len(self.actors))))
        vendors = list(self.vendors)
        rng.shuffle(vendors)
        self.vendor_list = vendors
        self.vendor_cum = list(itertools.accumulate(1.0 / (i + 1) ** 1.0 for i in range(len(vendors))))

    def actor(self, exclude: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        while True:
            x = self.rng.random() * self.actor_cum[-1]
            a = self.actors[bisect.bisect_left(self.actor_cum, x)]
            if a not in exclude:
                return a

    def vendor(self) -> str:
        x = self.rng.random() * self.vendor_cum[-1]
        return self.vendor_list[bisect.bisect_left(self.vendor_cum, x)]

    # dates and common attributes
    def _date(self, lo: int = 1995, hi: int = 2024) -> tuple[str, int]:
        rng = self.rng
        y = rng.randint(lo, hi)
        r = rng.random()
        if r < 0.6:
            return _t(f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", _XSD_DATE), y
        if r < 0.75:
            return _t(f"{y:04d}-{rng.randint(1, 12):02d}", _XSD_YM), y
        return _t(f"{y:04d}", _XSD_YEAR), y

    def _dates_status(self, body: list, statuses=(("active", 0.75), ("ended", 0.15), ("planned", 0.1))) -> None:
        rng = self.rng
        r, acc, status = rng.random(), 0.0, statuses[-1][0]
        for name, p in statuses:
            acc += p
            if r < acc:
                status = name
                break
        body.append((f"<{CKG.status}>", _i(STATUS[status])))
        if rng.random() < 0.75:
            start, y = self._date()
            body.append((f"<{CKG.startDate}>", start))
            if status == "ended":
                body.append((f"<{CKG.endDate}>", self._date(min(y + 1, 2025), 2025)[0]))

    def _label(self, iri: str) -> str:
        org = self.orgs.get(iri)
        return org.label if org else iri.rsplit("/", 1)[1]

    # one fact of each kind
    def fact(self, kind: str) -> Fact | None:
        rng = self.rng
        body: list[tuple[str, str]] = []
        places: list[str] = []
        pairs: list[tuple[str, str]] = []
        blanks: list[tuple[str, str, str]] = []
        if kind in ("partnership", "infrastructure_sharing"):
            n = 2 if rng.random() < 0.85 else rng.randint(3, 4)
            parties: list[str] = []
            while len(parties) < n:
                parties.append(self.actor(set(parties)))
            cls = CKG.Partnership if kind == "partnership" else CKG.InfrastructureSharingDeal
            iri = identity_iri(cls, {CKG.party: parties})
            body += [(f"<{CKG.party}>", _i(p)) for p in parties]
            if kind == "infrastructure_sharing":
                assets = rng.sample(sorted(SHARED_ASSET.terms - {"SharedAssetKinds"}), k=rng.randint(1, 3))
                body += [(f"<{CKG.sharedAsset}>", _i(SHARED_ASSET[a])) for a in assets]
                body.append((f"<{CKG.assetDescription}>", _s("shared " + ", ".join(assets))))
                title = f"{self._label(parties[0])} and {self._label(parties[1])} to share {assets[0]}"
            else:
                title = f"{self._label(parties[0])} partners with {self._label(parties[1])}"
                if rng.random() < 0.3:
                    body.append((f"<{CKG.note}>", _s(rng.choice(
                        ["roaming cooperation", "enterprise services", "5G research", "IoT platform",
                         "international wholesale", "content distribution"]))))
            if rng.random() < 0.4:
                c = self.orgs[parties[0]].country or rng.choice(self.country_list)
                places.append(c)
                body.append((f"<{CKG.jurisdiction}>", _i(c)))
            self._dates_status(body)
            orgs = parties
            pairs = list(itertools.combinations(parties, 2))
            return Fact(iri, kind, orgs, places, [(_TYPE, _i(cls)), *body], pairs, title=title)
        if kind == "joint_venture":
            parents: list[str] = []
            n = rng.choices([2, 3, 4], weights=[70, 20, 10])[0]
            while len(parents) < n:
                parents.append(self.actor(set(parents)))
            country = self.orgs[parents[0]].country or rng.choice(self.country_list)
            base, _ = self._new_name()
            venture = self._add_org(f"{base} {rng.choice(['Networks', 'Telecom', 'Towers', 'Digital'])} JV",
                                    CKG.JointVenture, country, [])
            if venture is None:
                return None
            self.companies.append(venture.iri)
            iri = identity_iri(CKG.JointVentureFormation, {CKG.parent: parents, CKG.venture: venture.iri})
            body += [(f"<{CKG.parent}>", _i(p)) for p in parents]
            body.append((f"<{CKG.venture}>", _i(venture.iri)))
            body.append((f"<{CKG.jurisdiction}>", _i(country)))
            places.append(country)
            if rng.random() < 0.6:
                shares = [rng.randint(10, 60) for _ in parents]
                total = sum(shares)
                h = iri.rsplit("-", 1)[1]
                for k, (p, s) in enumerate(zip(parents, shares, strict=True)):
                    pct = f"{100 * s / total * 0.99:.1f}"
                    b = f"_:stake{h}x{k}"
                    body.append((f"<{CKG.parentStake}>", b))
                    blanks += [(b, _TYPE, _i(CKG.Stake)), (b, f"<{CKG.stakeholder}>", _i(p)),
                               (b, f"<{CKG.stake}>", _t(pct, XSD.decimal))]
            self._dates_status(body, (("active", 0.8), ("planned", 0.1), ("ended", 0.1)))
            pairs = [(p, venture.iri) for p in parents]
            title = f"{self._label(parents[0])} and {self._label(parents[1])} form {venture.label}"
            return Fact(iri, kind, [*parents, venture.iri], places,
                        [(_TYPE, _i(CKG.JointVentureFormation)), *body], pairs, blanks, title)
        if kind == "consortium_membership":
            ventures = [c for c in self.companies[-200:] if self.orgs[c].cls == CKG.JointVenture]
            if not ventures:
                return None
            v = rng.choice(ventures)
            m = self.actor({v})
            iri = identity_iri(CKG.ConsortiumMembership, {CKG.member: m, CKG.venture: v})
            body += [(f"<{CKG.member}>", _i(m)), (f"<{CKG.venture}>", _i(v))]
            self._dates_status(body)
            return Fact(iri, kind, [m, v], places, [(_TYPE, _i(CKG.ConsortiumMembership)), *body], [(m, v)],
                        title=f"{self._label(m)} joins {self._label(v)}")
        if kind in ("licence_grant", "licence_application"):
            licensee = self.actor()
            zones = [z for z in self.zones if self.places[z].regulators]
            if rng.random() < 0.06 and zones:
                place = rng.choice(zones)
            else:
                home = self.orgs[licensee].country
                place = home if home in self.reg_country.values() and rng.random() < 0.6 \
                    else rng.choice(self.licensing_countries)
            issuer = rng.choice(self.places[place].regulators)
            lt = rng.choice(sorted(LICENCE_TYPE.terms - {"LicenceTypes"}))
            places.append(place)
            if kind == "licence_grant":
                cls, roles = CKG.Licence, (CKG.issuer, CKG.licensee)
            else:
                cls, roles = CKG.LicenceApplication, (CKG.addressee, CKG.applicant)
            iri = identity_iri(cls, {roles[0]: issuer, roles[1]: licensee, CKG.licenceType: LICENCE_TYPE[lt],
                                     CKG.jurisdiction: place})
            body += [(f"<{roles[0]}>", _i(issuer)), (f"<{roles[1]}>", _i(licensee)),
                     (f"<{CKG.licenceType}>", _i(LICENCE_TYPE[lt])), (f"<{CKG.jurisdiction}>", _i(place))]
            if kind == "licence_grant":
                body.append((f"<{CKG.licenceName}>", _s(f"{lt.replace('-', ' ')} licence")))
                if rng.random() < 0.5:
                    body.append((f"<{CKG.scope}>", _s(rng.choice(["nationwide", "regional", "metropolitan"]))))
                self._dates_status(body, (("active", 0.8), ("ended", 0.12), ("blocked", 0.04), ("denied", 0.04)))
                title = f"{self._label(licensee)} receives {lt} licence"
            else:
                body.append((f"<{CKG.status}>", _i(STATUS.applied)))
                if rng.random() < 0.6:
                    body.append((f"<{CKG.startDate}>", self._date()[0]))
                title = f"{self._label(licensee)} applies for {lt} licence"
            return Fact(iri, kind, [issuer, licensee], places, [(_TYPE, _i(cls)), *body], [(issuer, licensee)],
                        title=title)
        if kind == "acquisition":
            a = self.actor()
            t = self.actor({a}) if rng.random() < 0.5 else rng.choice(self.carriers + self.companies)
            if t == a:
                return None
            iri = identity_iri(CKG.Acquisition, {CKG.acquirer: a, CKG.target: t})
            k = rng.choices(["acquisition", "merger", "shareholding"], weights=[70, 10, 20])[0]
            body += [(f"<{CKG.acquirer}>", _i(a)), (f"<{CKG.target}>", _i(t)),
                     (f"<{CKG.acquisitionKind}>", _i(ACQUISITION_KIND[k]))]
            if rng.random() < 0.5:
                body += [(f"<{CKG.value}>", _t(str(rng.randint(1, 5000) * 1_000_000), XSD.decimal)),
                         (f"<{CKG.currency}>", _s(rng.choice(["USD", "EUR", "GBP", "CNY", "JPY", "INR"])))]
            self._dates_status(body, (("active", 0.7), ("planned", 0.15), ("blocked", 0.05), ("ended", 0.1)))
            return Fact(iri, kind, [a, t], places, [(_TYPE, _i(CKG.Acquisition)), *body], [(a, t)],
                        title=f"{self._label(a)} to acquire {self._label(t)}")
        if kind == "subsidiary":
            if self.ownership_seed:
                sub, owner = self.ownership_seed.pop()
            else:
                owner = self.actor()
                sub = rng.choice(self.carriers + self.companies)
                if sub == owner:
                    return None
            iri = identity_iri(CKG.Ownership, {CKG.subsidiary: sub, CKG.owner: owner})
            body += [(f"<{CKG.subsidiary}>", _i(sub)), (f"<{CKG.owner}>", _i(owner))]
            if rng.random() < 0.4:
                body.append((f"<{CKG.stake}>", _t(f"{rng.choice([51, 60, 75, 80, 100])}.0", XSD.decimal)))
            self._dates_status(body, (("active", 0.9), ("ended", 0.1)))
            return Fact(iri, kind, [sub, owner], places, [(_TYPE, _i(CKG.Ownership)), *body], [(sub, owner)],
                        title=f"{self._label(sub)} is owned by {self._label(owner)}")
        if kind in ("supplier", "supplier_removed"):
            s = self.vendor()
            c = self.actor()
            status = STATUS.active if kind == "supplier" else STATUS.removed
            iri = identity_iri(CKG.SupplyRelationship, {CKG.supplier: s, CKG.customer: c, CKG.status: status})
            body += [(f"<{CKG.supplier}>", _i(s)), (f"<{CKG.customer}>", _i(c)), (f"<{CKG.status}>", _i(status))]
            if rng.random() < 0.5:
                body.append((f"<{CKG.service}>", _s(rng.choice(["RAN equipment", "core network", "optical transport",
                                                                "managed services", "handsets"]))))
            if rng.random() < 0.6:
                body.append((f"<{CKG.startDate}>", self._date(2000)[0]))
            verb = "supplies" if kind == "supplier" else "removed from"
            return Fact(iri, kind, [s, c], places, [(_TYPE, _i(CKG.SupplyRelationship)), *body], [(s, c)],
                        title=f"{self._label(s)} {verb} {self._label(c)}")
        if kind == "operates_in":
            o = self.actor()
            m = rng.choice(self.zones) if rng.random() < 0.03 and self.zones else (
                self.orgs[o].country if self.orgs[o].country and rng.random() < 0.5 else rng.choice(self.country_list))
            iri = identity_iri(CKG.MarketPresence, {CKG.operator: o, CKG.market: m})
            body += [(f"<{CKG.operator}>", _i(o)), (f"<{CKG.market}>", _i(m))]
            places.append(m)
            if rng.random() < 0.5:
                body.append((f"<{CKG.startDate}>", self._date()[0]))
            return Fact(iri, kind, [o], places, [(_TYPE, _i(CKG.MarketPresence)), *body], [],
                        title=f"{self._label(o)} enters new market")
        if kind == "regulates":
            r = rng.choice(self.regulators)
            c = self.reg_country[r]
            iri = identity_iri(CKG.RegulatoryMandate, {CKG.regulator: r, CKG.jurisdiction: c})
            body += [(f"<{CKG.regulator}>", _i(r)), (f"<{CKG.jurisdiction}>", _i(c))]
            places.append(c)
            return Fact(iri, kind, [r], places, [(_TYPE, _i(CKG.RegulatoryMandate)), *body], [],
                        title=f"{self._label(r)} regulates telecoms")
        raise ValueError(kind)

    # one source graph
    def source(self, n: int, out: list[str]) -> int:
        rng = self.rng
        key = f"bench-{n:07d}"
        src = source_iri(key)
        g = f"{_i(src)} .\n"
        facts: list[Fact] = []
        kinds, weights = list(_KIND_WEIGHTS), list(_KIND_WEIGHTS.values())
        for _ in range(rng.choices([1, 2, 3, 4, 6], weights=[25, 30, 25, 12, 8])[0]):
            if self.restatable and rng.random() < 0.14:
                facts.append(_restated(rng.choice(self.restatable)))
                continue
            f = self.fact(rng.choices(kinds, weights=weights)[0])
            if f is None:
                continue
            if f.iri in self.by_iri:
                # the same relationship drawn again: a second source states the first one
                facts.append(_restated(self.by_iri[f.iri]))
                continue
            self.by_iri[f.iri] = f
            facts.append(f)
            self.facts.append(f)
            if rng.random() < 0.3:
                self.restatable.append(f)
        facts = list({f.iri: f for f in facts}.values())
        if not facts:
            return 0
        lines: list[str] = []
        s = _i(src)
        day = f"{rng.randint(2000, 2024):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines += [f"{s} {_TYPE} <{CKG.Source}> ", f"{s} <{DCTERMS['title']}> {_s(facts[0].title)} ",
                  f"{s} <{DCTERMS.date}> {_t(day, _XSD_DATE)} ",
                  f"{s} <{SCHEMA.url}> {_t('https://news.example.org/' + key, XSD.anyURI)} ",
                  f"{s} <{CKG.fileName}> {_s(key + '.txt')} ",
                  f"{s} <{CKG.contentHash}> {_s('sha256:' + hashlib.sha256(key.encode()).hexdigest())} ",
                  f"{s} <{CKG.extractionMethod}> {_s(rng.choice(['rules', 'rules', 'manual']))} ",
                  f"{s} <{CKG.confidence}> {_t(rng.choice(['1.0', '0.9', '0.8', '0.75']), XSD.decimal)} "]
        if rng.random() < 0.8:
            lines.append(f"{s} <{DCTERMS.publisher}> {_s(rng.choice(_PUBLISHERS))} ")
        orgs: dict[str, None] = {}
        places: dict[str, None] = {}
        pos = rng.randint(0, 200)
        for f in facts:
            r = _i(f.iri)
            lines += [f"{r} {p} {o} " for p, o in f.body]
            lines += [f"{a} {p} {o} " for a, p, o in f.blanks]
            lines.append(f"{r} <{CKG.source}> {s} ")
            start, end = pos, pos + rng.randint(60, 400)
            pos = end + rng.randint(0, 300)
            ev = _i(evidence_iri(src, f.iri, start, end))
            lines += [f"{r} <{CKG.evidence}> {ev} ", f"{ev} {_TYPE} <{CKG.Evidence}> ", f"{ev} <{CKG.source}> {s} ",
                      f"{ev} <{CKG.start}> {_t(str(start), XSD.integer)} ",
                      f"{ev} <{CKG.end}> {_t(str(end), XSD.integer)} "]
            for o in f.orgs:
                orgs[o] = None
            for p in f.places:
                places[p] = None
        for o in orgs:
            org = self.orgs[o]
            lines.append(org.lines)
            if org.country:
                places[org.country] = None
        for p in list(places):
            if self.places[p].part_of:
                places[self.places[p].part_of] = None
        for p in places:
            lines.append(self.places[p].lines)
        text = g.join("\n".join(lines).split("\n")) + g
        out.append(text)
        return text.count("\n")

    def run(self) -> tuple[str, dict]:
        out: list[str] = []
        total, n = 0, 0
        while total < self.target:
            total += self.source(n, out)
            n += 1
        return "".join(out), self._meta(total, n)

    # what the benchmarks need: who is busy, who is typical, a path, a map focus
    def _meta(self, triples: int, sources: int) -> dict:
        adj: dict[str, set[str]] = defaultdict(set)
        partners: dict[str, set[str]] = defaultdict(set)
        for f in self.facts:
            for a, b in f.pairs:
                adj[a].add(b)
                adj[b].add(a)
            if f.kind == "partnership":
                for a, b in f.pairs:
                    partners[a].add(b)
                    partners[b].add(a)
        carriers = [o for o in self.orgs.values() if o.cls == CKG.Carrier]
        by_partners = sorted((len(partners.get(o.iri, ())), o.label, o.iri) for o in carriers)
        busiest = by_partners[-1]
        with_partners = [x for x in by_partners if x[0] > 0]
        typical = with_partners[len(with_partners) // 2]
        degrees = sorted(len(v) for v in adj.values())

        def dist(a: str, b: str | None = None, limit: int = 8) -> dict[str, int]:
            seen = {a: 0}
            frontier = [a]
            d = 0
            while frontier and d < limit:
                d += 1
                nxt = []
                for u in frontier:
                    for v in adj[u]:
                        if v not in seen:
                            seen[v] = d
                            nxt.append(v)
                if b is not None and b in seen:
                    break
                frontier = nxt
            return seen

        # a path between two typical carriers at least three hops apart
        rng = random.Random(len(self.facts))
        reach = dist(typical[2])
        far = sorted((d, self.orgs[v].label, v) for v, d in reach.items()
                     if d >= 3 and self.orgs[v].cls == CKG.Carrier)
        path_b = far[len(far) // 2] if far else by_partners[0]
        # a map focus whose two-hop neighbourhood has about 2,000 organisations
        approx = {v: sum(len(adj[u]) for u in nb) for v, nb in adj.items()}
        candidates = sorted(adj, key=lambda v: abs(approx[v] - 2600))[:60]
        rng.shuffle(candidates)
        best = min(candidates, key=lambda v: (abs(len(dist(v, limit=2)) - 2000), v))
        return {
            "generator_version": GENERATOR_VERSION,
            "triples": triples,
            "sources": sources,
            "organisations": len(self.orgs),
            "relationships": len(self.facts),
            "max_degree": degrees[-1],
            "median_degree": degrees[len(degrees) // 2],
            "busiest": {"label": busiest[1], "iri": busiest[2], "partners": busiest[0]},
            "typical": {"label": typical[1], "iri": typical[2], "partners": typical[0]},
            "path": {"from": typical[1], "to": path_b[1], "hops": reach.get(path_b[2])},
            "map_focus": {"label": self.orgs[best].label, "iri": best, "nodes_depth_2": len(dist(best, limit=2))},
        }


def generate(size: int | str, *, seed: int = 42, output: str | Path) -> dict:
    """Write a synthetic carrier graph of about ``size`` triples as N-Quads; returns its description.

    The file is written atomically (a temporary file renamed into place), together with a
    JSON sidecar ``<output>.json`` holding the same description.
    """
    target = parse_size(size) if isinstance(size, str) else int(size)
    started = time.perf_counter()
    text, meta = _Generator(target, seed).run()
    meta.update(size=target, seed=seed, seconds=round(time.perf_counter() - started, 2))
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    for path, data in ((out, text), (out.with_name(out.name + ".json"), json.dumps(meta, indent=2) + "\n")):
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix="." + path.name, suffix=".tmp")
        try:
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return meta


def ensure(size: str | int, *, seed: int = 42, directory: Path | None = None) -> Generated:
    """The cached file for ``(size, seed, GENERATOR_VERSION)``, generated when missing."""
    target = parse_size(size) if isinstance(size, str) else int(size)
    directory = directory or cache_dir()
    name = f"carriers-{target}-s{seed}-v{GENERATOR_VERSION}.nq"
    path = directory / name
    sidecar = path.with_name(name + ".json")
    if not (path.exists() and sidecar.exists()):
        generate(target, seed=seed, output=path)
    return Generated(path, json.loads(sidecar.read_text()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="about how many triples: 10k, 100k, 1m (default 10k)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", "-o", help="write here instead of the cache")
    args = parser.parse_args(argv)
    if args.output:
        meta = generate(args.size, seed=args.seed, output=args.output)
        print(args.output)
    else:
        g = ensure(args.size, seed=args.seed)
        meta = g.meta
        print(g.path)
    print(json.dumps(meta, indent=2), file=sys.stderr)


if __name__ == "__main__":
    main()
