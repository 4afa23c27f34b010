"""Names: find the organisation (or place) a person means by a name.

Three steps, each only when the one before finds nothing:

1. the exact label or alias (``skos:prefLabel``/``skos:altLabel``, or an ISO code for a
   country), looked up in the store with the name as a bound literal;
2. the name with case, accents, punctuation, a leading "the" and company suffixes (Ltd,
   plc, Inc, ...) set aside, so "the bt group plc" finds "BT Group";
3. fuzzy matching (rapidfuzz), which never guesses: it only suggests close names in the
   error, ``no organisation named 'Chna Telecom'. Did you mean: China Telecom?``.

A name two organisations share at the same step raises :class:`AmbiguousNameError`
listing both, with type and country so a person can choose.

Examples
--------
>>> from carrierkg.graph.fixtures import example_kg
>>> kg = example_kg()
>>> resolve(kg, "aurora telekom as").label
'Aurora Telecom'
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from carrierkg.graph.errors import AmbiguousNameError, UnknownNameError
from carrierkg.graph.store import iri, literal
from carrierkg.ontology.namespaces import CKG

__all__ = [
    "ORGANISATION_TYPES",
    "PLACE_TYPES",
    "Org",
    "normalise",
    "resolve",
    "resolve_place",
    "suggestions",
]

#: Organisation classes, most specific first (a joint venture that is also a carrier is a
#: joint venture).
ORGANISATION_TYPES = ("JointVenture", "Regulator", "Vendor", "Carrier", "Company", "Organization")
#: Place classes.
PLACE_TYPES = ("Country", "Zone", "Place")

_SUFFIXES = {"limited", "ltd", "plc", "inc", "corp", "corporation", "co", "llc", "sa", "ag", "nv", "bv"}

# Every source graph repeats the descriptions of what it mentions, and the union default graph
# returns a triple once per graph that holds it: so each query below has one multi-valued
# pattern per entity and DISTINCT, and descriptions are looked up for the set of IRIs found.
_EXACT = """
SELECT DISTINCT ?o ?kind WHERE {
  { ?o skos:prefLabel ?name BIND("pref" AS ?kind) }
  UNION { ?o skos:altLabel ?name BIND("alt" AS ?kind) }
  UNION { ?o ckg:isoCode ?name BIND("code" AS ?kind) }
}"""

_DESCRIBE = """
SELECT DISTINCT ?o ?p ?v WHERE {
  { ?o a ?v BIND("type" AS ?p) }
  UNION { ?o skos:prefLabel ?v BIND("label" AS ?p) }
}"""

_TYPED = """
SELECT DISTINCT ?o ?type WHERE { ?o a ?type }"""

_NAMES = """
SELECT DISTINCT ?o ?name ?kind WHERE {
  { ?o skos:prefLabel ?name BIND("pref" AS ?kind) }
  UNION { ?o skos:altLabel ?name BIND("alt" AS ?kind) }
  UNION { ?o ckg:isoCode ?name BIND("code" AS ?kind) }
}"""

_COUNTRY_OF = """
SELECT DISTINCT ?o ?country WHERE { ?o ckg:country ?country }"""

_LABEL_OF = """
SELECT DISTINCT ?o ?label WHERE { ?o skos:prefLabel ?label }"""


def _descriptions(kg, iris: Iterable[str]) -> dict[str, dict[str, set]]:
    """iri -> {"type": set of class IRIs, "label": set of preferred labels}."""
    iris = sorted(set(iris))
    out: dict[str, dict[str, set]] = {}
    for i in range(0, len(iris), 2000):
        for sol in kg.query(_DESCRIBE, {"o": [iri(x) for x in iris[i:i + 2000]]}):
            out.setdefault(sol[0].value, {"type": set(), "label": set()})[sol[1].value].add(sol[2].value)
    return out


@dataclass(frozen=True)
class Org:
    """An organisation (or place) a name resolved to: IRI, preferred label, class name."""

    iri: str
    label: str
    type: str

    def __str__(self) -> str:
        return self.label

    @property
    def is_place(self) -> bool:
        return self.type in PLACE_TYPES


def normalise(name: str) -> str:
    """A case-, accent- and punctuation-insensitive form of a name.

    Examples
    --------
    >>> normalise("The América Móvil, S.A.")
    'america movil'
    >>> normalise("AT&T Inc."), normalise("AT and T")
    ('at&t', 'at&t')
    """
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    s = re.sub(r"(?<=\w)\.(?=\w)|(?<=\b\w)\.", "", s.replace("’", "'"))
    s = re.sub(r"\s+and\s+|\s*&\s*", "&", s)
    words = re.sub(r"[^a-z0-9&]+", " ", s).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def _type_iris(types: Iterable[str]) -> list:
    return [iri(t if t.startswith("http") else CKG[t]) for t in types]


def _local(type_iri: str) -> str:
    return type_iri.rsplit("#", 1)[-1]


def _best_type(types: Iterable[str], order: tuple[str, ...]) -> str:
    present = {_local(t) for t in types}
    for t in order:
        if t in present:
            return t
    return sorted(present)[0] if present else "Organization"


def _what(types: tuple[str, ...]) -> str:
    if set(types) <= set(PLACE_TYPES):
        return "place"
    if set(types) <= set(ORGANISATION_TYPES):
        return "regulator" if types == ("Regulator",) else "organisation"
    return "organisation or place"


# Names of every organisation and place, per store and store generation (for steps 2 and 3).
_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(kg, types: tuple[str, ...]) -> dict[str, dict]:
    """iri -> {"types": set, "label": str, "names": set} for things of ``types``."""
    generation = kg.generation()
    cached = _INDEXES.get(kg)
    if cached is None or cached[0] != generation:
        cached = (generation, {})
        _INDEXES[kg] = cached
    key = tuple(sorted(types))
    if key in cached[1]:
        return cached[1][key]
    things: dict[str, dict] = {}
    for sol in kg.query(_TYPED, {"type": _type_iris(types)}):
        things.setdefault(sol[0].value, {"types": set(), "label": None, "names": set()})["types"].add(sol[1].value)
    for sol in kg.query(_NAMES):
        entry = things.get(sol[0].value)
        if entry is None:
            continue
        name = sol[1].value
        entry["names"].add(name)
        if sol[2].value == "pref" and (entry["label"] is None or name < entry["label"]):
            entry["label"] = name
    things = {o: e for o, e in things.items() if e["names"]}
    for entry in things.values():
        if entry["label"] is None:
            entry["label"] = min(entry["names"])
    cached[1][key] = things
    return things


def _describe(kg, iris: Iterable[str], things: dict[str, dict], order) -> list[str]:
    iris = sorted(set(iris), key=lambda i: (things[i]["label"].casefold(), i))
    country_of: dict[str, set] = {}
    for r in kg.select(_COUNTRY_OF, {"o": [iri(i) for i in iris]}):
        country_of.setdefault(r["o"].value, set()).add(r["country"].value)
    labels: dict[str, set] = {}
    wanted = sorted({c for cs in country_of.values() for c in cs})
    if wanted:
        for r in kg.select(_LABEL_OF, {"o": [iri(c) for c in wanted]}):
            labels.setdefault(r["o"].value, set()).add(r["label"].value)
    countries = {o: min(x for c in cs for x in labels.get(c, ())) for o, cs in country_of.items()
                 if any(labels.get(c) for c in cs)}
    out = []
    for i in iris:
        extra = _best_type(things[i]["types"], order)
        if i in countries:
            extra += ", " + countries[i]
        out.append(f"{things[i]['label']} ({extra})")
    return out


def suggestions(kg, name: str, *, types: Iterable[str] | None = None, limit: int = 3) -> list[str]:
    """Labels close to ``name`` (fuzzy matching), best first; empty when nothing is close.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> suggestions(example_kg(), "Cobolt Netwrks")
    ['Cobalt Networks']
    """
    from rapidfuzz import fuzz, process

    types = tuple(types or ORGANISATION_TYPES)
    things = _index(kg, types)
    query = normalise(name) or name.casefold()
    choices = {}
    for o, entry in things.items():
        for n in entry["names"]:
            choices[(o, n)] = normalise(n) or n.casefold()
    def score(a: str, b: str, **_kwargs) -> float:
        # plain similarity, or all words of the shorter name in the longer one
        return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b))

    found = process.extract(query, choices, scorer=score, limit=20, score_cutoff=75)
    if not found:
        return []
    best = found[0][1]
    out: list[str] = []
    for _, score, (o, _n) in found:
        label = things[o]["label"]
        if score >= best - 6 and label not in out:
            out.append(label)
    return out[:limit]


def resolve(kg, name: str, *, types: Iterable[str] | None = None) -> Org:
    """The organisation (or place) a name stands for.

    Parameters
    ----------
    kg : KnowledgeGraph
        The store.
    name : str
        A label, an alias, or either with other case, accents or punctuation; an IRI is
        taken as it is if the store knows it.
    types : iterable of str, optional
        Class names (``"Carrier"``, ``"Regulator"``, ``"Country"`` ...) to look among;
        default: every organisation class.

    Returns
    -------
    Org
        IRI, preferred label and most specific class name.

    Raises
    ------
    UnknownNameError
        Nothing has this name; the error suggests close names.
    AmbiguousNameError
        Several things have this name equally well.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> kg = example_kg()
    >>> resolve(kg, "Borealis")
    Org(iri='https://w3id.org/carrierkg/id/org/borealis-mobile', label='Borealis Mobile', type='Carrier')
    >>> resolve(kg, "Aurora Telecm")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.UnknownNameError: no organisation named 'Aurora Telecm'. Did you mean: Aurora Telecom?
    >>> resolve(kg, "nova")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.AmbiguousNameError: 'nova' could be more than one organisation: Nova Telecom \
Finland (Carrier, Finland), Nova Telecom Sweden (Carrier, Sweden). Be more specific.
    >>> resolve(kg, "NO", types=PLACE_TYPES).label
    'Norway'
    """
    types = tuple(types or ORGANISATION_TYPES)
    order = ORGANISATION_TYPES + PLACE_TYPES
    what = _what(types)
    text = " ".join(str(name).split()).strip("\"'“”‘’")
    if not text or not _is_unicode(text):  # nothing, or bytes that are not UTF-8 (no label has them)
        raise UnknownNameError(str(name), what=what)
    type_iris = _type_iris(types)
    wanted = {t.value for t in type_iris}

    # 1. exact label or alias, or an IRI (text that is not a valid IRI is only a name)
    if text.startswith(("http://", "https://")) and (o := _valid_iri(text)) is not None:
        d = _descriptions(kg, [o.value]).get(o.value)
        found_types = d["type"] & wanted if d else set()
        if found_types:
            return Org(text, min(d["label"], default=text), _best_type(found_types, order))
    kinds: dict[str, set] = {}
    for sol in kg.query(_EXACT, {"name": literal(text)}):
        kinds.setdefault(sol[0].value, set()).add(sol[1].value)
    desc = _descriptions(kg, kinds) if kinds else {}
    by_kind: dict[str, dict[str, dict]] = {}
    for o, ks in kinds.items():
        d = desc.get(o)
        found_types = d["type"] & wanted if d else set()
        if not found_types:
            continue
        for k in ks:
            by_kind.setdefault(k, {})[o] = {"types": set(found_types), "label": min(d["label"], default=None),
                                            "names": {text}}
    if by_kind:
        for kind in ("pref", "code", "alt"):
            found = by_kind.get(kind)
            if not found:
                continue
            for entry in found.values():
                entry["label"] = entry["label"] or text
            if len(found) == 1:
                (o, entry), = found.items()
                return Org(o, entry["label"], _best_type(entry["types"], order))
            raise AmbiguousNameError(text, _describe(kg, found, found, order), what=what)

    # 2. normalised
    things = _index(kg, types)
    key = normalise(text)
    if key:
        hits = [o for o, entry in things.items()
                if entry["types"] & wanted and any(normalise(n) == key for n in entry["names"])]
        if len(hits) == 1:
            entry = things[hits[0]]
            return Org(hits[0], entry["label"], _best_type(entry["types"], order))
        if len(hits) > 1:
            raise AmbiguousNameError(text, _describe(kg, hits, things, order), what=what)

    # 3. fuzzy: suggestions only
    raise UnknownNameError(text, suggestions(kg, text, types=types), what=what)


def _is_unicode(text: str) -> bool:
    """Whether ``text`` is real Unicode (command-line bytes that are not UTF-8 arrive as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_iri(text: str):
    """``text`` as a bound IRI, or None when it is not a valid IRI (spaces, ``<>"{}|\\^```...)."""
    try:
        return iri(text)
    except ValueError:
        return None


def resolve_place(kg, name: str) -> Org:
    """The country or zone a name stands for (label, alias or ISO code).

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> resolve_place(example_kg(), "finland").iri
    'https://w3id.org/carrierkg/id/country/FI'
    """
    return resolve(kg, name, types=PLACE_TYPES)
