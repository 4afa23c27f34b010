"""Read a news article for candidate facts: organisations, places and relations with evidence.

The extractor is rule-based: page clutter is set aside (:mod:`carrierkg.ingest.clutter`),
sentences and names are found with a blank spaCy tokenizer, a phrase matcher over a domain
lexicon and name patterns (:mod:`carrierkg.ingest.mentions`), and deal vocabulary over a
sentence skeleton yields the relations (:mod:`carrierkg.ingest.rules`). Every relation
carries its evidence (a character span of the text and the sentence it covers) and a
confidence that reflects how strongly the text states it.

Run ``python -m carrierkg.ingest.extract FILE --format json|table`` to print the candidates.

Examples
--------
>>> result = extract("Northwind Telecom has acquired Southwind Mobile for $2 billion.")
>>> [(r.type, r.subject, r.object) for r in result.relations]
[('acquisition', 'Northwind Telecom', 'Southwind Mobile')]
>>> ev = result.relations[0].evidence
>>> ev.text == "Northwind Telecom has acquired Southwind Mobile for $2 billion."
True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from carrierkg.graph.errors import CarrierKGError, ExtractionError, InputError
from carrierkg.ingest.clutter import paragraphs
from carrierkg.ingest.lexicon import load_lexicon, norm
from carrierkg.ingest.mentions import Mention, find_mentions, pipeline, sentences
from carrierkg.ingest.rules import Candidate, apply_rules

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTRACTOR_VERSION",
    "Entity",
    "Evidence",
    "Extraction",
    "Relation",
    "SourceInfo",
    "extract",
    "extract_file",
    "format_table",
    "main",
    "warm_up",
]

#: Input larger than this (in bytes of UTF-8) is refused.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
EXTRACTOR_VERSION = "rules-1"

_TYPE_RANK = {"Regulator": 5, "Vendor": 4, "JointVenture": 3, "Carrier": 2, "Company": 1}


@dataclass
class Evidence:
    """Where the text states a relation: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """An organisation or place the article names."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    known: bool = False


@dataclass
class Relation:
    """A candidate fact: ``type`` and direction as in the annotation conventions."""

    type: str
    subject: str
    object: str
    details: dict
    evidence: Evidence
    confidence: float
    rule: str = ""


@dataclass
class SourceInfo:
    """What the article says about itself, and the hash of its text."""

    title: str | None
    publisher: str | None
    date: str | None
    content_hash: str
    length: int
    url: str | None = None
    file_name: str | None = None
    extraction_method: str = "rules"
    extractor_version: str = EXTRACTOR_VERSION
    dropped_blocks: int = 0


@dataclass
class Extraction:
    """The result of :func:`extract`: the source, its entities and candidate relations."""

    source: SourceInfo
    entities: list[Entity]
    relations: list[Relation]

    def to_dict(self) -> dict:
        """A JSON-ready ``dict`` in the shape ``{"source", "entities", "relations"}``."""
        return {
            "source": asdict(self.source),
            "entities": [asdict(e) for e in self.entities],
            "relations": [asdict(r) for r in self.relations],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The extraction as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# --------------------------------------------------------------------------------------
# input checks


def _as_text(data: str | bytes, *, max_bytes: int) -> str:
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise InputError(f"input is too large ({len(data)} bytes; the limit is {max_bytes}).")
        if b"\x00" in data[:65536]:
            raise InputError("input is binary, not text.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("input is not UTF-8 text.") from None
    elif isinstance(data, str):
        text = data
        if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
            raise InputError(f"input is too large (the limit is {max_bytes} bytes).")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8, decoded leniently
            raise InputError("input is not UTF-8 text.") from None
    else:
        raise InputError(f"input must be text, not {type(data).__name__}.")
    if "\x00" in text:
        raise InputError("input is binary, not text.")
    if not text.strip():
        raise InputError("input is empty.")
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > max(8, len(sample) // 100):
        raise InputError("input is binary, not text.")
    if not re.search(r"[^\W\d_]", sample):
        raise ExtractionError("input has no words to read.")
    return text


def warm_up() -> None:
    """Load the lexicon and the spaCy pipeline now (they are cached for the process)."""
    load_lexicon()
    pipeline()


# --------------------------------------------------------------------------------------
# the document model

_DATE_RE = re.compile(
    r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}|\d{4}-\d{2}-\d{2})\b"
)
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}


def _iso_date(s: str) -> str | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return s
    m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", s) or re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", s)
    if not m:
        return None
    a, b, year = m.groups()
    month_name, day = (a, b) if a[0].isalpha() else (b, a)
    month = _MONTHS.get(month_name[:3].lower())
    if not month:
        return None
    return f"{year}-{month:02d}-{int(day):02d}"


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    text: str
    mentions: list[Mention]
    skeleton: str = ""
    tags: dict[str, Mention] = field(default_factory=dict)


class _Registry:
    """The article's entities: keys for mentions, aliases, names to print."""

    def __init__(self, known: Mapping[str, str] | None):
        self.key_of: dict[str, str] = {}  # normalised form -> key
        self.forms: dict[str, list[str]] = {}  # key -> surface forms in order
        self.types: dict[str, str] = {}
        self.country: dict[str, str | None] = {}
        self.canonical: dict[str, str] = {}
        self.known = {norm(k): v for k, v in (known or {}).items()}
        self.mention_count: dict[str, int] = {}
        self.place_name: dict[str, str] = {}

    def key(self, m: Mention) -> str:
        forms = [m.text]
        if m.canonical:
            forms.insert(0, m.canonical)
        for f in forms:
            k = self.key_of.get(norm(f))
            if k:
                break
        else:
            k = "e:" + norm(forms[0])
        for f in [*forms, *([m.alias] if m.alias else [])]:
            self.key_of.setdefault(norm(f), k)
        self.forms.setdefault(k, [])
        if m.text not in self.forms[k]:
            self.forms[k].append(m.text)
        if m.alias and m.alias not in self.forms[k]:
            self.forms[k].append(m.alias)
        old = self.types.get(k)
        if m.kind == "org" and (old is None or _TYPE_RANK.get(m.etype, 0) > _TYPE_RANK.get(old, 0)):
            self.types[k] = m.etype
        elif m.kind == "place" and old is None:
            self.types[k] = "Zone" if m.etype == "Zone" else "Country"
            if m.etype == "Country" and m.canonical:
                self.place_name[k] = m.canonical
        if m.country and not self.country.get(k):
            self.country[k] = m.country
        if m.canonical and m.kind == "org" and norm(m.canonical) in self.known:
            self.canonical[k] = self.known[norm(m.canonical)]
        elif norm(m.text) in self.known:
            self.canonical[k] = self.known[norm(m.text)]
        self.mention_count[k] = self.mention_count.get(k, 0) + 1
        return k

    def name(self, key: str) -> str:
        if key in self.canonical:
            return self.canonical[key]
        if key in self.place_name:
            return self.place_name[key]
        forms = self.forms.get(key) or [key[2:]]
        full = [f for f in forms if not (f.isupper() and len(f) <= 6)]
        pool = full or forms
        # the most complete form the article writes (first of the longest)
        return max(pool, key=lambda f: (len(f.split()), len(f), -pool.index(f)))


_LICENCE_TYPES = [
    ("ip-vpn", r"\bip-?vpn\b|\bvpn\b"),
    ("isp", r"\binternet service provider\b|\bisp\b"),
    ("mvno", r"\bmvno\b|\bvirtual network operator\b"),
    ("international-gateway", r"\binternational gateway\b"),
    ("unified", r"\bunified licen[cs]e\b"),
    ("spectrum", r"\bspectrum\b|\bmhz\b|\bghz\b|\bfrequenc"),
    ("mobile", r"\bmobile\b|\b[2-6]g\b|\bcellular\b"),
    ("fixed", r"\bfixed\b|\bfibre\b|\bfiber\b"),
    ("basic-telecom", r"\bbasic telecom"),
    ("broadcasting", r"\bbroadcast"),
]
_ASSETS = [
    ("towers", r"\btowers?\b|\bmasts?\b|\bpassive infrastructure\b"),
    ("ran", r"\bran\b|\bradio access\b|\bactive (?:equipment|infrastructure)\b|\bbase stations\b"),
    ("spectrum", r"\bspectrum\b"),
    ("wifi-hotspots", r"\bwi-?fi\b|\bhotspots?\b"),
    ("fibre", r"\bfib(?:re|er)\b|\bducts?\b|\bbackhaul\b"),
    ("core-network", r"\bcore network\b"),
    ("network-capacity", r"\bnetwork capacity\b|\bcapacity\b"),
    ("vpn-services", r"\bvpn\b"),
    ("mvno-hosting", r"\bmvno\b|\bhost\b|\bhosting\b"),
    ("roaming", r"\broaming\b"),
    ("sites", r"\bsites\b"),
    ("subsea-cable", r"\bsubsea\b|\bsubmarine\b|\bundersea\b"),
    ("data-centres", r"\bdata cent(?:re|er)s?\b"),
]


def _details(
    rtype: str, sent: _Sentence, cand: Candidate, registry: _Registry, jurisdiction: list[str], key_of_tag
) -> dict:
    details = dict(cand.details)
    text = sent.text
    low = text.lower()
    if rtype in {"licence_grant", "licence_application"}:
        kinds = [k for k, rx in _LICENCE_TYPES if re.search(rx, low)]
        if re.search(r"value[- ]added", low):
            details["category"] = "value-added"
        if kinds:
            details["licence_type"] = kinds[0]
            if len(kinds) > 1:
                details["licence_types"] = kinds
        m = re.search(r"[^.;:\"“”]{0,60}?\blicen[cs]es?\b", text)
        if m:
            details["licence"] = " ".join(m.group(0).split()[-8:])
        if "nationwide" in low:
            details["scope"] = "nationwide"
        if jurisdiction:
            details["jurisdiction"] = jurisdiction[0] if len(jurisdiction) == 1 else jurisdiction
    elif rtype == "infrastructure_sharing":
        assets = [k for k, rx in _ASSETS if re.search(rx, low)]
        if assets:
            details["assets"] = assets
        if jurisdiction:
            details["jurisdiction"] = jurisdiction
    elif rtype == "acquisition":
        noun = (details.pop("noun", "") or "").lower()
        if "merg" in noun or "tie-up" in noun or "combination" in noun:
            details["kind"] = "merger"
        elif details.get("stake"):
            details["kind"] = "shareholding"
            pct = re.search(r"([\d.]+) ?(?:%|per ?cent|percent)", details["stake"])
            if pct:
                details["stake_percent"] = float(pct.group(1))
        else:
            details["kind"] = "acquisition"
        money = re.search(
            r"(?:for|worth|valued at|in a deal worth)\s+(?:about |around |roughly |some |nearly |"
            r"approximately )?((?:[A-Z]{3}\s?|[$€£¥])\s?[\d.,]+\s?(?:billion|million|bn|m)?)",
            text,
        )
        if money:
            details["value"] = money.group(1).strip()
    elif rtype in {"joint_venture", "operates_in"} and jurisdiction:
        details["jurisdiction"] = jurisdiction[0] if len(jurisdiction) == 1 else jurisdiction
    date = _DATE_RE.search(text)
    if date and _iso_date(date.group(0)):
        details["date"] = _iso_date(date.group(0))
    elif rtype in {"joint_venture", "acquisition"}:
        year = re.search(r"\bin ((?:19|20)\d{2})\b", text)
        if year:
            details["date"] = year.group(1)
    return details


def _skeleton(sent: _Sentence) -> None:
    parts = []
    pos = sent.start
    tags: dict[str, Mention] = {}
    for i, m in enumerate(sent.mentions):
        if m.start < pos:
            continue
        parts.append(_words(sent.text[pos - sent.start : m.start - sent.start]))
        letter = {"org": "O", "place": "P", "demonym": "D", "person": "H"}.get(m.kind)
        if m.kind == "org" and m.etype == "Regulator":
            letter = "R"
        if letter is None:  # an unresolved coreference stays words
            parts.append(_words(m.text))
        else:
            tag = f"<{letter}{i}>"
            tags[tag] = m
            parts.append(tag)
        pos = m.end
    parts.append(_words(sent.text[pos - sent.start :]))
    sent.skeleton = " ".join(p for p in parts if p)
    sent.tags = tags


def _words(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = re.sub(r"'s\b", " 's", s)
    s = re.sub(r"([,;:()\"!?])", r" \1 ", s)
    s = re.sub(r"\.(\s|$)", r" .\1", s)
    return " ".join(s.split())


def _acronyms(text: str, sent: _Sentence) -> None:
    """Merge "Long Name (ACR)" into one mention whose alias is ACR."""
    keep: list[Mention] = []
    skip: set[int] = set()
    ms = sent.mentions
    for i, m in enumerate(ms):
        if i in skip:
            continue
        if m.kind == "org":
            tail = text[m.end : m.end + 20]
            a = re.match(r"\s*\(\s*([A-Z][A-Za-z0-9&.+-]{1,11})\s*\)", tail)
            if a and not (m.text.isupper() and len(m.text) <= 6):
                m.alias = a.group(1)
                end = m.end + a.end()
                for j in range(i + 1, len(ms)):
                    if ms[j].start < end:
                        skip.add(j)
                m.end = end
                m.text = text[m.start : m.end]
                m.text = re.sub(r"\s*\([^()]*\)$", "", m.text)
        keep.append(m)
    sent.mentions = keep


_COREF_OK = {
    "org": {"Carrier", "Company", "Vendor", "JointVenture"},
    "carrier": {"Carrier", "Company"},
    "vendor": {"Vendor"},
    "regulator": {"Regulator"},
    "venture": {"JointVenture"},
}


def extract(
    text: str | bytes,
    *,
    known_names: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    url: str | None = None,
    file_name: str | None = None,
) -> Extraction:
    """Candidate facts stated by an article.

    Parameters
    ----------
    text : str or bytes
        The article as plain text (bytes are decoded as UTF-8).
    known_names : mapping of str to str, optional
        Names and aliases of organisations the graph knows, mapped to their canonical
        names: subjects and objects use the canonical name where one matches.
    max_bytes : int
        Refuse input larger than this.
    title, publisher, date, url, file_name : str, optional
        Source metadata; the title, publisher and date default to what the text shows.

    Returns
    -------
    Extraction

    Raises
    ------
    carrierkg.graph.errors.InputError
        The input is empty, binary, not UTF-8 or too large.
    carrierkg.graph.errors.ExtractionError
        The input has no words to read.

    Examples
    --------
    >>> r = extract("The Regulatory Authority of Examplia awarded a 5G spectrum licence to Northwind Telecom.")
    >>> [(x.type, x.subject, x.object) for x in r.relations]
    [('licence_grant', 'Regulatory Authority of Examplia', 'Northwind Telecom')]
    """
    text = _as_text(text, max_bytes=max_bytes)
    warm_up()
    lex = load_lexicon()
    known = dict(known_names or {})
    paras = paragraphs(text)
    body = [p for p in paras if p.clutter is None]
    # the headline: the first paragraph, unless that is a bare site name over a longer line
    head_idx = 0
    found_publisher = None
    if (
        len(body) > 1
        and len(body[0].text.split()) <= 2
        and not re.search(r"[.!?]$", body[0].text)
        and len(body[1].text.split()) >= 4
    ):
        found_publisher = body[0].text.strip()
        head_idx = 1
    found_title = None
    if len(body) > head_idx + 1:
        first = body[head_idx].text.strip()
        if len(first.split()) <= 25 and not first.endswith("."):
            found_title = first
    content = body[head_idx + 1 :] if found_title else body
    found_date = None
    for p in paras[:8]:
        d = _DATE_RE.search(p.text)
        if d and len(p.text) < 120:
            found_date = _iso_date(d.group(0))
            break

    lowercase_vocab = frozenset(w for w in re.findall(r"\b[a-z][a-z-]+\b", text))
    sents: list[_Sentence] = []
    for p in content:
        for s, e, stext in sentences(text, p.start, p.end):
            ms = find_mentions(stext, s, known=known or None, lowercase_vocab=lowercase_vocab)
            sent = _Sentence(len(sents), s, e, stext, ms)
            _acronyms(text, sent)
            sents.append(sent)

    registry = _Registry(known)
    for sent in sents:
        for m in sent.mentions:
            if m.kind in {"org", "place"}:
                m.key = registry.key(m)
    _short_forms(registry, sents)
    # resolve acronyms written alone to their long form, short forms to their full name
    for sent in sents:
        for m in sent.mentions:
            if m.kind in {"org", "place"}:
                m.key = registry.key_of.get(norm(m.text), m.key)
                if m.kind == "org":
                    t = registry.types.get(m.key or "")
                    if t == "Regulator":
                        m.etype = "Regulator"
    _resolve_corefs(sents, registry)
    regulators = {m.key for s in sents for m in s.mentions if m.kind == "org" and m.etype == "Regulator" and m.key}

    relations: dict[tuple, Relation] = {}
    for sent in sents:
        _skeleton(sent)
        cands = apply_rules(sent.skeleton)
        collapsed = _collapse(sent.skeleton)
        if collapsed != sent.skeleton:
            cands += apply_rules(collapsed)
        cands = _suppress(cands)
        for cand in cands:
            rel = _to_relation(cand, sent, sents, registry, regulators, lex)
            if rel is None:
                continue
            k = (rel.type, rel.subject, rel.object, rel.details.get("licence_type"))
            if rel.type in {"partnership", "infrastructure_sharing"}:
                k = (rel.type, *sorted((rel.subject, rel.object)), None)
            old = relations.get(k)
            if old is None or rel.confidence > old.confidence:
                relations[k] = rel
    # "X China Communications Limited" beside "X": a local subsidiary, weakly stated
    for rel in _subsidiaries_by_name(registry, sents, text):
        k = (rel.type, rel.subject, rel.object, None)
        relations.setdefault(k, rel)

    used = {r.subject for r in relations.values()} | {r.object for r in relations.values()}
    entities = []
    seen = set()
    for key, forms in registry.forms.items():
        name = registry.name(key)
        etype = registry.types.get(key, "Company")
        strong = any(m.strong for s in sents for m in s.mentions if m.key == key)
        if name not in used and not strong:
            continue
        if name in seen:
            continue
        seen.add(name)
        aliases = [f for f in dict.fromkeys(forms) if f != name]
        entities.append(Entity(name, etype, aliases, registry.country.get(key), key in registry.canonical))
    # relation objects of a joint venture are ventures
    ventures = {r.object for r in relations.values() if r.type == "joint_venture"}
    for e in entities:
        if e.name in ventures and e.type in {"Company", "Carrier"}:
            e.type = "JointVenture"

    source = SourceInfo(
        title=title or found_title,
        publisher=publisher or found_publisher,
        date=date or found_date,
        content_hash="sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        length=len(text),
        url=url,
        file_name=file_name,
        dropped_blocks=sum(1 for p in paras if p.clutter),
    )
    # a licence fact with no licence type adds nothing when a typed one states the same pair
    typed = {(r.type, r.subject, r.object) for r in relations.values() if r.details.get("licence_type")}
    for k in [
        k
        for k, r in relations.items()
        if r.type.startswith("licence") and not r.details.get("licence_type") and (r.type, r.subject, r.object) in typed
    ]:
        del relations[k]
    ordered = sorted(relations.values(), key=lambda r: (r.evidence.start, r.type, r.subject, r.object))
    return Extraction(source, entities, ordered)


def _collapse(skel: str) -> str:
    """The skeleton with appositions, relative clauses and parentheses set aside."""
    out = re.sub(
        r"(<[ORH]\d+>) , (?:the|a|an|which|who|whose|one of|its|part of) (?:[^<>]|<[PD]\d+>){0,90}? , ", r"\1 ", skel
    )
    out = re.sub(r" \( [^()<>]{0,80} \)", "", out)
    out = re.sub(r"(<[OR]\d+>) , (?:<P\d+> 's )?[^<>,]{0,60}? , ", r"\1 ", out)
    return out


def _suppress(cands: list[Candidate]) -> list[Candidate]:
    """Drop weaker readings: a partnership where the same pair shares infrastructure, and so on."""
    strong_pairs = {
        frozenset((c.subject, c.object))
        for c in cands
        if c.type in {"infrastructure_sharing", "joint_venture", "acquisition", "supplier", "supplier_removed"}
    }
    out = []
    for c in cands:
        if c.type == "partnership" and frozenset((c.subject, c.object)) in strong_pairs:
            continue
        if c.rule == "signed-among" and any(x.rule == "signed-with" for x in cands):
            continue
        if c.rule == "unnamed-jv" and any(x.type == "joint_venture" for x in cands):
            continue
        out.append(c)
    return out


def _short_forms(registry: _Registry, sents: list[_Sentence]) -> None:
    """ "Northwind" after "Northwind Telecom": the same organisation."""
    lex = load_lexicon()
    heads = lex.carrier_heads | lex.company_heads | lex.legal_suffixes
    orgs = [k for k, t in registry.types.items() if t in _TYPE_RANK]
    for k in orgs:
        forms = registry.forms[k]
        for other in orgs:
            if other == k:
                continue
            for f in registry.forms[other]:
                for g in forms:
                    if (
                        f != g
                        and f.startswith(g + " ")
                        and all(w in heads for w in f[len(g) + 1 :].split())
                        and g not in lex.orgs
                    ):
                        registry.key_of[norm(g)] = other


def _resolve_corefs(sents: list[_Sentence], registry: _Registry) -> None:
    history: list[tuple[int, int, str, str]] = []  # sentence index, position, key, type
    for sent in sents:
        for m in sent.mentions:
            if m.kind == "coref":
                window = [h for h in history if h[0] >= sent.index - 2 and (h[0] < sent.index or h[1] < m.start)]
                ok = _COREF_OK[m.etype]
                keys = list(dict.fromkeys(h[2] for h in window if h[3] in ok))
                if len(keys) == 1:
                    m.key = keys[0]
                    m.kind = "org"
                    m.etype = registry.types.get(keys[0], "Company")
                    m.strong = False
                    m.canonical = "@coref"
            elif m.kind == "org" and m.key:
                history.append((sent.index, m.start, m.key, registry.types.get(m.key, m.etype)))


def _doc_issuer(sent: _Sentence, sents: list[_Sentence], regulators: set[str]) -> str | None:
    if len(regulators) == 1:
        return next(iter(regulators))
    # the nearest regulator before this sentence
    for s in reversed(sents[max(0, sent.index - 3) : sent.index + 1]):
        regs = [m.key for m in s.mentions if m.kind == "org" and m.etype == "Regulator" and m.key]
        if len(set(regs)) == 1:
            return regs[0]
    return None


def _antecedent(sent: _Sentence, sents: list[_Sentence], span_start_char: int | None) -> str | None:
    for s in reversed(sents[max(0, sent.index - 2) : sent.index + 1]):
        for m in reversed(s.mentions):
            if s is sent and span_start_char is not None and m.start >= span_start_char:
                continue
            if m.kind == "org" and m.etype != "Regulator" and m.key:
                return m.key
    return None


def _to_relation(
    cand: Candidate, sent: _Sentence, sents: list[_Sentence], registry: _Registry, regulators: set[str], lex
) -> Relation | None:
    conf = cand.confidence
    rtype = cand.type

    def resolve(x: str) -> tuple[str | None, Mention | None]:
        nonlocal conf
        if x == "@issuer":
            conf *= 0.9
            return _doc_issuer(sent, sents, regulators), None
        if x == "its":
            regs = [m for m in sent.tags.values() if m.etype == "Regulator"]
            first = regs[0].start if regs else None
            conf *= 0.9
            return _antecedent(sent, sents, first), None
        m = sent.tags.get(x)
        if m is None:
            return None, None
        if m.canonical == "@coref":
            conf *= 0.85
        return m.key, m

    skey, sm = resolve(cand.subject)
    okey, om = resolve(cand.object)
    if not skey or not okey or skey == okey:
        return None
    stype = registry.types.get(skey, "Company")
    otype = registry.types.get(okey, "Company")
    places = {"Country", "Zone"}
    if rtype == "@supply":
        if stype == "Vendor" and otype != "Vendor":
            rtype = "supplier"
        elif otype == "Vendor" and stype != "Vendor":
            rtype, skey, okey, stype, otype = "supplier", okey, skey, otype, stype
        else:
            return None
    # type constraints
    if rtype == "licence_grant" and (stype != "Regulator" or otype in places | {"Regulator"}):
        return None
    if rtype == "licence_application" and (otype != "Regulator" or stype in places | {"Regulator"}):
        return None
    if rtype in {"regulates"}:
        if stype != "Regulator":
            return None
        pm = om
        if pm is None or pm.kind not in {"place", "demonym"} or (pm.kind == "place" and pm.etype == "City"):
            return None
    if rtype == "operates_in":
        if stype in places or stype == "Regulator":
            return None
    elif rtype not in {"regulates"} and (stype in places or otype in places):
        return None
    if rtype in {
        "partnership",
        "infrastructure_sharing",
        "acquisition",
        "subsidiary",
        "joint_venture",
    } and "Regulator" in {stype, otype}:
        return None
    if rtype in {"supplier", "supplier_removed"}:
        if (
            stype != "Vendor"
            and cand.rule not in {"vendor-gear-removed", "won-contract"}
            and not (cand.details.get("what") and stype in {"Company"})
        ):
            return None
        if otype == "Vendor" or otype == "Regulator":
            return None
    for m in (sm, om):
        if m is not None and m.kind == "person":
            return None
    # the place object: a country for cities, the zone or country itself otherwise
    obj_name = None
    if rtype in {"regulates", "operates_in"}:
        if om is None:
            return None
        if om.kind == "demonym" or om.etype == "City":
            iso = om.country
            obj_name = lex.country_names.get(iso or "", None)
            if not obj_name:
                return None
            conf *= 0.9
        else:
            obj_name = registry.name(okey)
    jurisdiction = []
    for m in sent.mentions:
        if m.kind == "place" and m.etype in {"Country", "Zone"} and m.key:
            n = registry.name(m.key)
            if n not in jurisdiction:
                jurisdiction.append(n)
    details = _details(rtype, sent, cand, registry, jurisdiction, None)
    subject = registry.name(skey)
    obj = obj_name or registry.name(okey)
    if subject == obj:
        return None
    return Relation(
        rtype, subject, obj, details, Evidence(sent.start, sent.end, sent.text), round(min(conf, 1.0), 2), cand.rule
    )


def _subsidiaries_by_name(registry: _Registry, sents: list[_Sentence], text: str) -> list[Relation]:
    lex = load_lexicon()
    out = []
    names = {k: registry.name(k) for k, t in registry.types.items() if t in _TYPE_RANK and t != "Regulator"}
    for k, name in names.items():
        words = name.split()
        if len(words) < 3 or words[-1] not in lex.legal_suffixes:
            continue
        for pk, pname in names.items():
            if pk == k:
                continue
            forms = registry.forms.get(pk, [])
            if any(name.startswith(f + " ") for f in forms if len(f) >= 2):
                first = next((s for s in sents for m in s.mentions if m.key == k), None)
                if first is None:
                    continue
                out.append(
                    Relation(
                        "subsidiary",
                        name,
                        pname,
                        {"note": "implied by the name"},
                        Evidence(first.start, first.end, first.text),
                        0.4,
                        "name-containment",
                    )
                )
                break
    return out


def extract_file(
    path: str | Path, *, known_names: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Extraction:
    """:func:`extract` on a file, with its name as the source's file name.

    Raises
    ------
    carrierkg.graph.errors.InputError
        The file is missing, unreadable, empty, binary or too large.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None
    if not p.is_file():
        raise InputError(f"{str(path)!r} is not a file.")
    if size > max_bytes:
        raise InputError(f"{p.name} is too large ({size} bytes; the limit is {max_bytes}).")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None
    try:
        return extract(data, known_names=known_names, max_bytes=max_bytes, file_name=p.name)
    except CarrierKGError as exc:
        raise type(exc)(f"{p.name}: {exc}") from None


def format_table(result: Extraction) -> str:
    """The relations as a plain-text table, one line each."""
    rows = [("type", "subject", "object", "conf", "evidence")]
    for r in result.relations:
        ev = r.evidence.text if len(r.evidence.text) <= 70 else r.evidence.text[:67] + "..."
        rows.append((r.type, r.subject, r.object, f"{r.confidence:.2f}", ev))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row[:4])) + "  " + row[4])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The ``python -m carrierkg.ingest.extract`` entry: print the candidates of one article."""
    ap = argparse.ArgumentParser(
        prog="python -m carrierkg.ingest.extract", description="Print the candidate facts a news article states."
    )
    ap.add_argument("file", help="the article, a UTF-8 text file")
    ap.add_argument("--format", choices=["json", "table"], default="json")
    ap.add_argument("--min-confidence", type=float, default=0.0, help="leave out weaker candidates")
    ap.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    args = ap.parse_args(argv)
    try:
        result = extract_file(args.file, max_bytes=args.max_bytes)
    except CarrierKGError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if args.min_confidence:
        result.relations = [r for r in result.relations if r.confidence >= args.min_confidence]
    print(result.to_json() if args.format == "json" else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
