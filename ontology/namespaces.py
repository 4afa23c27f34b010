"""The one module that spells IRIs: ontology terms, vocabularies and individuals.

Ontology terms live in a closed namespace (``CKG``): a typo such as ``CKG.Carier`` fails
at attribute access. Individuals (organisations, places, relationships, sources) are
minted by the functions below from their content, so the same fact stated by two
sources gets the same IRI.

This module imports nothing heavy: it returns IRIs as plain ``str`` so that the fast
paths (pyoxigraph) and the rdflib paths can both use it. ``rdflib`` users wrap them in
``URIRef``; pyoxigraph users in ``NamedNode``.

Examples
--------
>>> CKG.Carrier
'https://w3id.org/carrierkg/ontology#Carrier'
>>> org_iri("AT&T Inc.")
'https://w3id.org/carrierkg/id/org/at-t'
>>> country_iri("cn")
'https://w3id.org/carrierkg/id/country/CN'
>>> relationship_iri(CKG.Partnership, {CKG.party: ["b", "a"]}) == relationship_iri(
...     CKG.Partnership, {CKG.party: ["a", "b"]})
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = [
    "BASE",
    "CKG",
    "DCTERMS",
    "GRAPH_META",
    "GRAPH_REFERENCE",
    "ID",
    "LICENCE_TYPE",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SHARED_ASSET",
    "SKOS",
    "STATUS",
    "STORE_META",
    "XSD",
    "concept_iri",
    "country_iri",
    "evidence_iri",
    "org_iri",
    "relationship_iri",
    "slug",
    "source_iri",
    "zone_iri",
]

BASE = "https://w3id.org/carrierkg/"
ONTOLOGY = BASE + "ontology#"
ID = BASE + "id/"


class _Namespace:
    """An open namespace: any attribute or item is an IRI (a ``str``) under it.

    Not a ``str`` itself, so term names that are also string methods (``DCTERMS.title``,
    ``SCHEMA.url``...) give IRIs, not methods. ``str(ns)`` is the namespace IRI.
    """

    __slots__ = ("_iri",)

    def __init__(self, iri: str):
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._iri + name

    def __getitem__(self, name: str) -> str:
        return self._iri + name

    def __str__(self) -> str:
        return self._iri

    def __repr__(self) -> str:
        return f"Namespace({self._iri!r})"

    def __fspath__(self) -> str:  # pragma: no cover - not a path; keeps os.fspath honest
        raise TypeError("a namespace is not a path")

    def __add__(self, other: str) -> str:
        return self._iri + other

    def __radd__(self, other: str) -> str:
        return other + self._iri

    def __format__(self, spec: str) -> str:
        return format(self._iri, spec)

    def __eq__(self, other) -> bool:
        return str(other) == self._iri if isinstance(other, str | _Namespace) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._iri)

    def __len__(self) -> int:
        return len(self._iri)


class _ClosedNamespace(_Namespace):
    """A closed namespace: only the declared terms exist; others fail at attribute access."""

    __slots__ = ("_terms",)

    def __init__(self, iri: str, terms: Iterable[str]):
        super().__init__(iri)
        self._terms = frozenset(terms)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._terms:
            raise AttributeError(f"{name!r} is not a term of {self._iri}")
        return self._iri + name

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)

    def __contains__(self, iri) -> bool:
        return isinstance(iri, str) and iri.startswith(self._iri) and iri[len(self._iri):] in self._terms

    def __repr__(self) -> str:
        return f"ClosedNamespace({self._iri!r}, {len(self._terms)} terms)"

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


# Our ontology (ckg:). Classes first, then properties. Keep in step with ontology/carrierkg.ttl:
# tests/ontology/test_ontology.py checks that both declare the same terms.
CKG_CLASSES = (
    # organisations
    "Organization", "Carrier", "Regulator", "Vendor", "Company", "JointVenture",
    # places
    "Place", "Country", "Zone",
    # relationship nodes
    "Relationship", "Licence", "LicenceApplication", "JointVentureFormation",
    "ConsortiumMembership", "InfrastructureSharingDeal", "Partnership", "Acquisition",
    "Ownership", "SupplyRelationship", "RegulatoryMandate", "MarketPresence",
    # provenance
    "Source", "Evidence",
    # a parent's share in a joint venture (ckg:parentStake of a JointVentureFormation)
    "Stake",
    # vocabularies
    "LicenceType", "SharedAssetKind", "Status", "AcquisitionKind",
)
CKG_PROPERTIES = (
    # organisation attributes
    "country", "wikidataId", "lei",
    # place attributes
    "isoCode", "partOf",
    # roles on relationship nodes
    "licensee", "issuer", "applicant", "addressee", "parent", "venture", "member",
    "party", "acquirer", "target", "subsidiary", "owner", "supplier", "customer",
    "regulator", "operator", "market", "stakeholder",
    # relationship attributes
    "licenceType", "licenceName", "jurisdiction", "scope", "category", "sharedAsset",
    "assetDescription", "status", "startDate", "endDate", "value", "currency",
    "acquisitionKind", "stake", "service", "note", "parentStake",
    # evidence and sources
    "evidence", "source", "start", "end", "fileName", "contentHash", "extractionMethod",
    "confidence", "involves",
    # derived convenience properties (never written by hand: see graph/derive.rq)
    "partnerOf", "sharesInfrastructureWith", "jointVentureParentOf", "subsidiaryOf",
    "licensedBy", "acquired", "supplies", "regulates", "operatesIn",
    # store bookkeeping
    "schemaVersion", "generation", "bundleDigest",
)
CKG = _ClosedNamespace(ONTOLOGY, CKG_CLASSES + CKG_PROPERTIES)

# Vocabularies (SKOS concept schemes, ontology/vocabularies.ttl).
LICENCE_TYPE = _ClosedNamespace(BASE + "vocab/licence-type/", (
    "LicenceTypes", "ip-vpn", "isp", "value-added", "basic-telecom", "mobile", "fixed",
    "spectrum", "unified", "international-gateway", "mvno", "broadcasting", "other",
))
SHARED_ASSET = _ClosedNamespace(BASE + "vocab/shared-asset/", (
    "SharedAssetKinds", "towers", "ran", "spectrum", "core-network", "fibre", "wifi-hotspots",
    "network-capacity", "vpn-services", "mvno-hosting", "roaming", "sites", "subsea-cable",
    "data-centres", "other",
))
STATUS = _ClosedNamespace(BASE + "vocab/status/", (
    "Statuses", "planned", "applied", "active", "blocked", "ended", "removed", "denied",
))
ACQUISITION_KIND = _ClosedNamespace(BASE + "vocab/acquisition-kind/", (
    "AcquisitionKinds", "acquisition", "merger", "shareholding",
))

# Vocabularies we reuse (open).
RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = _Namespace("http://www.w3.org/ns/org#")
SCHEMA = _Namespace("https://schema.org/")
PROV = _Namespace("http://www.w3.org/ns/prov#")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
OA = _Namespace("http://www.w3.org/ns/oa#")
SH = _Namespace("http://www.w3.org/ns/shacl#")
FIBO_BE = _Namespace("https://spec.edmcouncil.org/fibo/ontology/BE/LegalEntities/LegalPersons/")

PREFIXES: dict[str, str] = {
    "ckg": ONTOLOGY,
    "id": ID,
    "orgid": ID + "org/",
    "country": ID + "country/",
    "zone": ID + "zone/",
    "source": ID + "source/",
    "rel": ID + "rel/",
    "ev": ID + "evidence/",
    "graph": ID + "graph/",
    "lt": str(LICENCE_TYPE),
    "asset": str(SHARED_ASSET),
    "status": str(STATUS),
    "acqkind": str(ACQUISITION_KIND),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "sh": str(SH),
}

#: The named graph that holds reference data (countries, well-known regulators).
GRAPH_REFERENCE = ID + "graph/reference"
#: The named graph where a store keeps its own bookkeeping (schema version, generation).
GRAPH_META = ID + "graph/meta"
#: The subject of the store's bookkeeping triples.
STORE_META = ID + "store"

_SUFFIXES = {"limited", "ltd", "plc", "inc", "corp", "corporation", "co", "llc", "sa", "ag", "nv", "bv"}


def _sha256(text: str) -> str:
    """The SHA-256 of a text, in hex (hashlib imported here: most runs never make an IRI)."""
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def slug(name: str) -> str:
    """A stable, readable IRI segment for a name.

    Accents, case, punctuation, a leading "the" and company suffixes (Ltd, plc, Inc, ...)
    are set aside, so "The AT&T Inc." and "AT&T" give the same slug.

    >>> slug("América Movil S.A.")
    'america-movil'
    >>> slug("  ")
    Traceback (most recent call last):
    ...
    ValueError: cannot make an identifier from an empty name
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"(?<=\w)\.(?=\w)|(?<=\b\w)\.", "", ascii_)).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    if not words:
        # Non-Latin names keep an identity: hash the original text.
        stripped = name.strip()
        if not stripped:
            raise ValueError("cannot make an identifier from an empty name")
        return "n-" + _sha256(stripped.casefold())[:16]
    return "-".join(words)


def org_iri(name: str) -> str:
    """The IRI of an organisation from its canonical name."""
    return ID + "org/" + slug(name)


def country_iri(iso_code: str) -> str:
    """The IRI of a country from its ISO 3166-1 alpha-2 code."""
    code = iso_code.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {iso_code!r}")
    return ID + "country/" + code


def zone_iri(name: str) -> str:
    """The IRI of a sub-national zone (a province, a free-trade zone) from its name."""
    return ID + "zone/" + slug(name)


def concept_iri(scheme: _ClosedNamespace, key: str) -> str:
    """The IRI of a concept in one of our SKOS schemes; unknown keys fail."""
    return scheme[key]


def source_iri(key: str) -> str:
    """The IRI (and named-graph name) of a source.

    ``key`` is the file stem for bundled sources, or ``sha256-<hex prefix>`` of the text
    for ingested articles, so ingesting the same text twice gives the same graph.
    """
    key = key.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", key):
        raise ValueError(f"not a source key: {key!r}")
    return ID + "source/" + key


def _canonical(roles: Mapping[str, object]) -> str:
    parts = []
    for prop in sorted(roles):
        value = roles[prop]
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            values = sorted(str(v) for v in value)
        else:
            values = [str(value)]
        parts.append(prop + "=" + "|".join(values))
    return "\n".join(parts)


_KIND_SLUGS = {
    "Licence": "licence", "LicenceApplication": "licence-application",
    "JointVentureFormation": "jv", "ConsortiumMembership": "consortium-membership",
    "InfrastructureSharingDeal": "sharing", "Partnership": "partnership",
    "Acquisition": "acquisition", "Ownership": "ownership",
    "SupplyRelationship": "supply", "RegulatoryMandate": "mandate",
    "MarketPresence": "presence",
}


def relationship_iri(cls: str, identity: Mapping[str, object]) -> str:
    """The IRI of a relationship node, derived from its class and identifying content.

    ``identity`` maps property IRIs to a value or a collection of values (order does not
    matter). Use the roles (licensee, issuer, parties, ...) and the attributes that tell
    two such relationships apart (licence type, jurisdiction, shared assets); leave out
    what a second source may add or phrase differently (dates, notes, values).
    """
    if cls not in CKG or not cls.startswith(ONTOLOGY):
        raise ValueError(f"not a relationship class: {cls!r}")
    local = cls[len(ONTOLOGY):]
    if local not in _KIND_SLUGS:
        raise ValueError(f"not a relationship class: {cls!r}")
    digest = _sha256(cls + "\n" + _canonical(identity))[:20]
    return ID + "rel/" + _KIND_SLUGS[local] + "-" + digest


def evidence_iri(source: str, relationship: str, start: int, end: int) -> str:
    """The IRI of an evidence span: a character range of a source that states a relationship."""
    digest = _sha256(f"{source}\n{relationship}\n{start}\n{end}")[:20]
    return ID + "evidence/" + digest
