"""The domain lexicon of the extractor: countries, cities, regulators, vendors, carriers.

Countries and national regulators come from the bundled reference data
(``carrierkg.data``'s ``reference.trig``) when it is there; ``resources/lexicon.json``
adds cities, demonyms, well-known vendors, carriers and tower companies, and the word
lists that the name patterns use (carrier-name heads, corporate suffixes, regulator
heads). Loaded once per process.

Examples
--------
>>> lex = load_lexicon()
>>> lex.places["Beijing"]
'CN'
>>> lex.orgs["Huawei Technologies"]
('Vendor', 'Huawei')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

__all__ = ["Lexicon", "load_lexicon", "norm"]

_SUFFIXES = {
    "limited",
    "ltd",
    "plc",
    "inc",
    "corp",
    "corporation",
    "co",
    "llc",
    "sa",
    "ag",
    "nv",
    "bv",
    "gmbh",
    "pte",
    "pty",
    "bhd",
    "berhad",
    "tbk",
    "spa",
    "ab",
    "asa",
    "oyj",
    "company",
}


def norm(name: str) -> str:
    """A case-, accent- and punctuation-insensitive key for a name.

    A leading "the" and trailing corporate suffixes are set aside, like the scorer and
    :func:`carrierkg.ontology.namespaces.slug` do.

    >>> norm("The AT&T Inc.")
    'at&t'
    >>> norm("Huawei Technologies’")
    'huawei technologies'
    """
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9&+]+", " ", s.replace("'s ", " ")).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


@dataclass
class Lexicon:
    """Surface forms the extractor knows, and the word lists of its name patterns.

    ``orgs`` maps a surface form (exact case) to ``(type, canonical name)``; the canonical
    name is ``None`` when the form is ambiguous (an acronym two regulators share).
    ``places`` maps a place name, alias, city or demonym to its ISO 3166-1 alpha-2 code,
    and ``country_names`` an ISO code to the country's English name. ``regulator_country``
    maps a regulator's canonical name to its country code.
    """

    orgs: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    place_kind: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    regulator_country: dict[str, str] = field(default_factory=dict)
    news_agencies: frozenset[str] = frozenset()
    carrier_heads: frozenset[str] = frozenset()
    company_heads: frozenset[str] = frozenset()
    legal_suffixes: frozenset[str] = frozenset()
    regulator_heads: frozenset[str] = frozenset()
    regulator_words: frozenset[str] = frozenset()

    def add_org(self, form: str, kind: str, canonical: str) -> None:
        """Register a surface form; a form two different organisations share becomes ambiguous."""
        form = form.strip()
        if not form:
            return
        old = self.orgs.get(form)
        if old is not None and old[1] != canonical:
            self.orgs[form] = (old[0], None)
        else:
            self.orgs[form] = (kind, canonical)


def _reference_data():
    """Countries and regulators from the bundled reference data, or empty lists."""
    try:
        from carrierkg.data import reference_file

        ref = reference_file()
        data = ref.read_bytes()
    except Exception:  # the reference data is optional
        return [], []
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        return [], []
    ckg = "https://w3id.org/carrierkg/ontology#"
    skos = "http://www.w3.org/2004/02/skos/core#"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    subjects: dict[str, dict[str, list[str]]] = {}
    try:
        quads = ox.parse(data, format=ox.RdfFormat.TRIG)
        for q in quads:
            s = str(q.subject.value) if hasattr(q.subject, "value") else str(q.subject)
            p = q.predicate.value
            o = q.object.value
            subjects.setdefault(s, {}).setdefault(p, []).append(o)
    except Exception:  # a broken reference file must not break extraction
        return [], []
    countries, regulators = [], []
    for props in subjects.values():
        types = props.get(rdf_type, [])
        labels = props.get(skos + "prefLabel", [])
        if not labels:
            continue
        alts = props.get(skos + "altLabel", [])
        if ckg + "Country" in types:
            iso = (props.get(ckg + "isoCode") or [""])[0]
            if iso:
                countries.append((iso, labels[0], alts))
        elif ckg + "Regulator" in types:
            country = (props.get(ckg + "country") or [""])[0].rsplit("/", 1)[-1]
            regulators.append((labels[0], alts, country))
    return countries, regulators


_FALLBACK_COUNTRIES = {
    "US": ("United States", ["US", "U.S.", "USA", "U.S.A.", "United States of America"]),
    "GB": ("United Kingdom", ["UK", "U.K.", "Britain", "Great Britain"]),
    "CN": ("China", ["PRC", "People's Republic of China"]),
}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon, loaded once.

    Returns
    -------
    Lexicon
    """
    raw = json.loads((files("carrierkg.ingest") / "resources" / "lexicon.json").read_text(encoding="utf-8"))
    lex = Lexicon(
        news_agencies=frozenset(raw["news_agencies"]),
        carrier_heads=frozenset(raw["carrier_heads"]),
        company_heads=frozenset(raw["company_heads"]),
        legal_suffixes=frozenset(raw["legal_suffixes"]),
        regulator_heads=frozenset(raw["regulator_heads"]),
        regulator_words=frozenset(raw["regulator_words"]),
    )
    countries, regulators = _reference_data()
    if not countries:
        countries = [(iso, name, alts) for iso, (name, alts) in _FALLBACK_COUNTRIES.items()]
    for iso, name, alts in countries:
        lex.country_names[iso] = name
        for form in [name, *alts]:
            if "," in form:  # "Korea, Republic of": a catalogue form, not prose
                continue
            lex.places[form] = iso
            lex.place_kind[form] = "Country"
            lex.places[form.replace("'", "’")] = iso
            lex.place_kind[form.replace("'", "’")] = "Country"
    for name, alts, iso in regulators:
        lex.add_org(name, "Regulator", name)
        if iso:
            lex.regulator_country[name] = iso
        for alt in alts:
            lex.add_org(alt, "Regulator", name)
            # "NCC Nigeria", "CRA Qatar": the bare acronym is how articles write it
            m = re.fullmatch(r"([A-Z][A-Za-z&]{1,7}) [A-Z][a-z]+(?: [A-Z][a-z]+)?", alt)
            if m and m.group(1).isupper():
                lex.add_org(m.group(1), "Regulator", name)
                if lex.orgs[m.group(1)][1] is None:
                    continue
    for iso, cities in raw["cities"].items():
        for city in cities:
            lex.places.setdefault(city, iso)
            lex.place_kind.setdefault(city, "City")
    for iso, demonyms in raw["demonyms"].items():
        for d in demonyms:
            lex.places.setdefault(d, iso)
            lex.place_kind.setdefault(d, "Demonym")
    for section, kind in (("vendors", "Vendor"), ("carriers", "Carrier"), ("companies", "Company")):
        for name, alts in raw[section].items():
            lex.add_org(name, kind, name)
            for alt in alts:
                lex.add_org(alt, kind, name)
    return lex
