"""Sentences and mentions: where an article names organisations, places and people.

A blank spaCy English tokenizer splits each sentence into tokens; a ``PhraseMatcher``
finds the lexicon's names (countries, cities, regulators, vendors, carriers and the
caller's known names); regular expressions find regulator names ("Regulatory Authority
of Examplia", "Ministry of X") and zones; a chunker finds the other proper names and
types them by their heads ("X Telecom" is a carrier, "X Holdings Ltd" a company).
Parenthesised acronyms ("... Technology (MIIT)") become aliases, and short definite
descriptions ("the company", "the regulator") are kept for coreference.

Examples
--------
>>> sents = sentences("Northwind Telecom signed a deal. Then it grew.", 0, 46)
>>> [text for _, _, text in sents]
['Northwind Telecom signed a deal.', 'Then it grew.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from carrierkg.ingest.lexicon import Lexicon, load_lexicon

__all__ = ["Mention", "find_mentions", "pipeline", "sentences"]

_ABBREV = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "inc",
    "corp",
    "ltd",
    "co",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gen",
    "gov",
    "sen",
    "rep",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "u.s.a",
    "approx",
    "fig",
    "est",
    "dept",
    "mt",
    "ft",
    "s.a",
    "n.v",
    "b.v",
    "plc",
}
_COUNTRY_ABBREV = {"u.s", "u.k", "u.s.a", "e.u"}
_STARTERS = {
    "The",
    "In",
    "On",
    "At",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "But",
    "And",
    "However",
    "Last",
    "A",
    "An",
    "As",
    "For",
    "With",
    "Under",
    "After",
    "Before",
    "Since",
    "While",
    "When",
    "Meanwhile",
    "Earlier",
    "Later",
    "Separately",
    "Also",
    "According",
    "Both",
    "Currently",
    "Today",
    "Yesterday",
    "If",
    "There",
}

# Capitalised words that do not start a name (sentence openers, months, days, titles).
_COMMON = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "our",
    "their",
    "his",
    "her",
    "but",
    "and",
    "or",
    "however",
    "last",
    "next",
    "as",
    "for",
    "with",
    "under",
    "after",
    "before",
    "since",
    "while",
    "when",
    "meanwhile",
    "earlier",
    "later",
    "separately",
    "also",
    "according",
    "both",
    "currently",
    "today",
    "yesterday",
    "tomorrow",
    "if",
    "there",
    "here",
    "what",
    "why",
    "how",
    "who",
    "where",
    "which",
    "thanks",
    "being",
    "some",
    "many",
    "most",
    "all",
    "each",
    "every",
    "other",
    "another",
    "such",
    "no",
    "not",
    "one",
    "two",
    "three",
    "first",
    "second",
    "third",
    "new",
    "once",
    "now",
    "then",
    "so",
    "by",
    "from",
    "to",
    "of",
    "into",
    "over",
    "about",
    "between",
    "through",
    "during",
    "despite",
    "although",
    "though",
    "because",
    "whether",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sir",
    "ceo",
    "chief",
    "chairman",
    "chairwoman",
    "president",
    "minister",
    "secretary",
    "director",
    "mp",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "founder",
    "analyst",
    "executive",
    "vice",
    "managing",
    "senior",
    "general",
    "deputy",
    "head",
    "webinar",
    "sponsored",
    "learn",
    "read",
    "related",
    "suggested",
    "tags",
    "news",
    "update",
    "updated",
    "exclusive",
    "breaking",
    "photo",
    "image",
    "source",
    "sources",
    "editor",
    "note",
    "join",
    "sign",
    "share",
    "comments",
    "political",
    "side",
    "overall",
    "instead",
    "still",
    "even",
    "only",
    "just",
    "yet",
    "further",
    "finally",
    "additionally",
    "moreover",
    "furthermore",
    "together",
    "following",
    "rumours",
    "rumors",
    "reports",
    "speculation",
    "talks",
    "plans",
    "insiders",
    "experts",
    "elsewhere",
    "government",
    "officials",
    "analysts",
    "operators",
    "carriers",
    "regulators",
    "customers",
    "users",
}
_TITLES = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ceo",
    "chairman",
    "chairwoman",
    "president",
    "director",
    "founder",
    "minister",
    "secretary",
    "analyst",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "prof.",
    "dr",
    "mr",
    "mrs",
    "ms",
    "head",
    "chief",
    "officer",
    "executive",
    "cto",
    "cfo",
    "coo",
    "manager",
    "vp",
    "chair",
    "partner",
    "economist",
    "lawyer",
    "mp",
    "senator",
    "commissioner",
    "governor",
    "mayor",
    "premier",
    "king",
    "queen",
    "sheikh",
    "editor",
    "reporter",
}
_SPEECH = {"said", "says", "added", "told", "explained", "noted", "stated", "commented", "wrote", "argued", "believes"}
_ACRONYM_STOP = {
    "CEO",
    "CFO",
    "CTO",
    "COO",
    "CIO",
    "VPN",
    "ISP",
    "IP",
    "RAN",
    "LTE",
    "MVNO",
    "MNO",
    "MVNE",
    "IT",
    "AI",
    "IOT",
    "TDM",
    "MP",
    "GBP",
    "USD",
    "EUR",
    "CNY",
    "RMB",
    "INR",
    "JPY",
    "PR",
    "TV",
    "HQ",
    "SIM",
    "API",
    "SMS",
    "FTTH",
    "FTTP",
    "FTTX",
    "DSL",
    "WAN",
    "SDN",
    "NFV",
    "OTT",
    "ARPU",
    "EBITDA",
    "IPO",
    "M&A",
    "JV",
    "MOU",
    "NYSE",
    "NASDAQ",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "H1",
    "H2",
    "FY",
    "GDP",
    "ICT",
    "OK",
    "SME",
    "SMES",
    "B2B",
    "B2C",
    "AM",
    "PM",
    "GMT",
    "UTC",
    "STIR",
    "SHAKEN",
    "PDF",
    "FAQ",
    "R&D",
    "ESG",
    "II",
    "III",
    "IV",
    "GHZ",
    "MHZ",
    "5G",
    "4G",
    "3G",
    "2G",
    "6G",
    "NR",
    "SA",
    "NSA",
    "MIMO",
    "CPE",
    "ISPS",
    "VOIP",
    "VOLTE",
    "IMS",
    "BSS",
    "OSS",
    "CDN",
    "DNS",
    "LAN",
    "WLAN",
    "WIFI",
    "GSM",
    "UMTS",
    "CDMA",
    "EU",
    "UN",
    "WTO",
    "ITU",
    "GSMA",
    "OTC",
    "ETF",
    "PE",
    "VC",
    "MSO",
    "RF",
    "USA",
    "UAE",
    "US",
    "UK",
    "AT",
    "BY",
    "IN",
    "ON",
    "TO",
    "OF",
    "AND",
    "THE",
    "FOR",
    "A",
    "I",
    "NEWS",
    "PRC",
    "ASEAN",
    "APAC",
    "EMEA",
    "LATAM",
    "ID",
    "OR",
}
_TECH = {
    "Wi-Fi",
    "WiFi",
    "Internet",
    "IP-VPN",
    "Ethernet",
    "Bluetooth",
    "IoT",
    "Open RAN",
    "OpenRAN",
    "Cloud",
    "Machine Learning",
    "Artificial Intelligence",
    "Nationwide",
    "Domestic",
    "Internet Service Provider",
}
_FACILITY = {
    "Centre",
    "Center",
    "Hub",
    "Campus",
    "Park",
    "Building",
    "Forum",
    "Summit",
    "Conference",
    "Awards",
    "Expo",
    "Congress",
    "Report",
    "Programme",
    "Program",
    "Initiative",
    "Act",
    "Bill",
    "Strategy",
    "Plan",
    "Festival",
    "Week",
    "Day",
    "Show",
    "Fair",
    "Index",
    "Prize",
}
_CARRIER_NOUNS = r"(?:carrier|operator|telco|telecom operator|mobile operator|network operator|provider|isp)"


@dataclass
class Mention:
    """A name in a sentence: ``text == article[start:end]``.

    ``kind`` is ``"org"``, ``"place"``, ``"demonym"``, ``"person"`` or ``"coref"``;
    ``etype`` the entity type (Carrier, Regulator, Vendor, Company, JointVenture, Country,
    Zone, City); ``canonical`` a lexicon or caller name the mention stands for;
    ``country`` an ISO code for places and for regulators whose name says their country;
    ``strong`` whether the name's form alone says it is an organisation; ``alias`` a
    parenthesised acronym written right after the name.
    """

    start: int
    end: int
    text: str
    kind: str
    etype: str
    canonical: str | None = None
    country: str | None = None
    strong: bool = True
    alias: str | None = None
    key: str | None = None


@lru_cache(maxsize=1)
def pipeline():
    """The spaCy tokenizer and phrase matchers, built once (spaCy is imported here)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    lex = load_lexicon()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    orgs = list(lex.orgs)
    places = list(lex.places)
    matcher.add("ORG", [nlp.make_doc(f) for f in orgs])
    matcher.add("PLACE", [nlp.make_doc(f) for f in places])
    return nlp, matcher


def _known_matcher(nlp, names: tuple[str, ...]):
    from spacy.matcher import PhraseMatcher

    m = PhraseMatcher(nlp.vocab, attr="ORTH")
    m.add("KNOWN", [nlp.make_doc(n) for n in names if n.strip()])
    return m


_known_cache: dict[tuple[str, ...], object] = {}


def sentences(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The sentences of ``text[start:end]`` as ``(start, end, sentence)`` with absolute offsets.

    Splits after ``.``, ``!`` and ``?`` (and closing quotes) when an upper-case letter,
    digit or opening quote follows, except after abbreviations (Dr., Inc., U.S. ...; a
    country abbreviation does end a sentence when a usual sentence opener follows).
    """
    para = text[start:end]
    out: list[tuple[int, int, str]] = []
    cur = 0
    for m in re.finditer(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])", para):
        before = para[cur : m.start() + 1]
        word = re.search(r"([\w.&]+)\.$", before.rstrip("!?\"”’')]"))
        if word and m.group(0).startswith("."):
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREV or re.fullmatch(r"[a-z]", w):
                nxt = re.match(r"\s+[\"“‘'(\[]?(\w+)", para[m.end() :])
                if not (w in _COUNTRY_ABBREV and nxt and nxt.group(1) in _STARTERS):
                    continue
        out.append((cur, m.end()))
        cur = m.end()
        while cur < len(para) and para[cur].isspace():
            cur += 1
    if cur < len(para):
        out.append((cur, len(para)))
    result = []
    for s, e in out:
        chunk = para[s:e]
        stripped = chunk.rstrip()
        if stripped.strip():
            lead = len(chunk) - len(chunk.lstrip())
            result.append((start + s + lead, start + s + len(stripped), stripped.lstrip()))
    return result


_REG_HEADS = (
    r"(?:Ministry|Department|Office|Authority|Commission|Agency|Bureau|Directorate|Regulator|Council|"
    r"Secretariat|Inspectorate|Institute)"
)
_CAPWORD = r"[A-Z][\w-]*(?:\.[\w-]+)*"
_REGULATOR_RE = re.compile(
    rf"(?:(?:{_CAPWORD}|and|&) ){{0,6}}{_REG_HEADS}(?: (?:of|for|on) (?:the )?{_CAPWORD}"
    rf"(?:(?: (?:and|of|for|&|the|,))* {_CAPWORD})*)?"
)
_ZONE_RE = re.compile(
    rf"(?:{_CAPWORD} ){{1,4}}(?:Pilot )?(?:Free[- ]Trade Zone|Special Economic Zone|Economic Zone|"
    rf"Free Zone|Free Trade Area|Technology Park|Province|Territory)"
)
_COREF_RE = re.compile(
    r"\b[Tt]he (?:(?:[a-z][\w-]*|[A-Z][a-z]+) ){0,2}?(company|carrier|operator|telco|firm|group|giant|vendor|"
    r"supplier|regulator|ministry|watchdog|authority|commission|agency|venture|joint venture|consortium)\b"
    r"(?!'s? )(?! (?:of|that|which|who|whose|said|says)\b)"
)
_COREF_TYPES = {
    "company": "org",
    "firm": "org",
    "group": "org",
    "giant": "org",
    "carrier": "carrier",
    "operator": "carrier",
    "telco": "carrier",
    "vendor": "vendor",
    "supplier": "vendor",
    "regulator": "regulator",
    "ministry": "regulator",
    "watchdog": "regulator",
    "authority": "regulator",
    "commission": "regulator",
    "agency": "regulator",
    "venture": "venture",
    "joint venture": "venture",
    "consortium": "venture",
}


def _is_namey(tok) -> bool:
    t = tok.text
    if not t or not t[0].isalnum():
        return False
    if t[0].isupper():
        return True
    return (
        t[0].isdigit() and any(c.isalpha() for c in t) and not re.fullmatch(r"\d+(?:st|nd|rd|th|s|G|GHz|MHz|m|bn|k)", t)
    )


def _regulator_ok(words: list[str], lex: Lexicon) -> bool:
    content = [w.strip(",") for w in words]
    if any(w in lex.regulator_words for w in content):
        return True
    heads = [w for w in content if w in lex.regulator_heads]
    return (
        bool(heads) and heads[0] in {"Ministry", "Commission", "Authority", "Regulator", "Agency"} and len(content) > 1
    )


def find_mentions(
    sentence: str,
    offset: int,
    *,
    known: dict[str, str] | None = None,
    lowercase_vocab: frozenset[str] = frozenset(),
    title: bool = False,
) -> list[Mention]:
    """The mentions in one sentence, in text order, not overlapping.

    Parameters
    ----------
    sentence : str
        The sentence text.
    offset : int
        Where the sentence starts in the article (mention offsets are absolute).
    known : dict, optional
        Names the caller's graph knows, mapped to canonical names.
    lowercase_vocab : frozenset of str
        Words the article also writes in lower case: a capitalised sentence opener that
        is one of them is a common word, not a name.
    title : bool
        The sentence is a headline in title case: only lexicon and known names count.

    Returns
    -------
    list of Mention
    """
    nlp, matcher = pipeline()
    lex = load_lexicon()
    doc = nlp.make_doc(sentence)
    spans: list[tuple[int, int, str, dict]] = []  # token start, token end, label, info
    for match_id, s, e in matcher(doc):
        label = nlp.vocab.strings[match_id]
        spans.append((s, e, label, {}))
    if known:
        names = tuple(sorted(known))
        m = _known_cache.get(names)
        if m is None:
            _known_cache.clear()
            m = _known_cache[names] = _known_matcher(nlp, names)
        for _, s, e in m(doc):  # type: ignore[operator]
            spans.append((s, e, "KNOWN", {}))
    if not title:
        for rx, label in ((_REGULATOR_RE, "REG"), (_ZONE_RE, "ZONE")):
            for m in rx.finditer(sentence):
                text = m.group(0).rstrip(" ,.")
                words = text.split()
                while words and words[0].lower() in _COMMON:
                    words = words[1:]
                if not words:
                    continue
                if label == "REG" and (
                    not _regulator_ok(words, lex) or (words[0] in lex.regulator_heads and len(words) == 1)
                ):
                    continue
                begin = m.start() + text.find(" ".join(words)) if " ".join(words) in text else m.start()
                span = doc.char_span(begin, m.start() + len(text), alignment_mode="expand")
                if span is not None:
                    spans.append((span.start, span.end, label, {}))
        spans.extend(_chunks(doc, lex, lowercase_vocab))
    # longest first, then earliest; known names and lexicon entries win ties
    rank = {"KNOWN": 0, "REG": 1, "ORG": 2, "ZONE": 3, "PLACE": 4, "CHUNK": 5}
    spans.sort(key=lambda x: (-(x[1] - x[0]), rank.get(x[2], 9), x[0]))
    taken = [False] * len(doc)
    chosen = []
    for s, e, label, info in spans:
        if any(taken[s:e]):
            continue
        for i in range(s, e):
            taken[i] = True
        chosen.append((s, e, label, info))
    chosen.sort()
    mentions = []
    for s, e, label, info in chosen:
        m = _make_mention(doc, s, e, label, info, lex, known, offset)
        if m is not None:
            mentions.append(m)
    if not title:
        mentions.extend(_corefs(sentence, offset, mentions))
        mentions.sort(key=lambda m: m.start)
    return mentions


def _chunks(doc, lex: Lexicon, lowercase_vocab: frozenset[str]):
    """Runs of capitalised tokens: candidate names the lexicon does not know."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        if not _is_namey(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            t = doc[j]
            prev = doc[j - 1]
            if _is_namey(t):
                j += 1
            elif (t.text in {"&", "-", "+", "."} and not prev.whitespace_ and j + 1 < n and _is_namey(doc[j + 1])) or (
                t.text in {"&"} and j + 1 < n and _is_namey(doc[j + 1])
            ):
                j += 2
            elif t.text in {"of", "de", "du", "da", "do", "for"} and j + 1 < n and _is_namey(doc[j + 1]):
                # "Bank of X", "Telecomunicaciones de X": keep only if the longer name ends in a head
                k = j + 1
                while k < n and _is_namey(doc[k]):
                    k += 1
                last = doc[k - 1].text
                if last in lex.carrier_heads or last in lex.company_heads or last in lex.legal_suffixes:
                    j = k
                else:
                    break
            elif t.like_num and doc[j - 1].text.isupper() and len(doc[j - 1].text) > 1 and prev.whitespace_ != "":
                j += 1
                break
            else:
                break
        s, e = i, j
        # set aside sentence openers, months, titles at the front and the back
        while s < e and (
            doc[s].text.lower() in _COMMON
            or (s == 0 and doc[s].text.lower() in lowercase_vocab and not doc[s].text.isupper())
        ):
            s += 1
        while e > s and doc[e - 1].text.lower() in _COMMON and doc[e - 1].text.lower() not in {"group"}:
            e -= 1
        if e > s:
            out.append((s, e, "CHUNK", {}))
        i = j
    return out


def _make_mention(doc, s, e, label, info, lex: Lexicon, known, offset) -> Mention | None:
    span = doc[s:e]
    text = span.text
    start = offset + span.start_char
    end = offset + span.end_char
    toks = [t.text for t in span]
    if label == "KNOWN":
        canon = known[text] if known else text
        kind_type = lex.orgs.get(text, (None, None))[0] or _type_by_form(toks, lex) or "Company"
        return Mention(start, end, text, "org", kind_type, canonical=canon, country=lex.regulator_country.get(canon))
    if label == "PLACE":
        kind = lex.place_kind.get(text, "Country")
        if kind == "Demonym":
            return Mention(start, end, text, "demonym", "Country", country=lex.places[text])
        return Mention(
            start,
            end,
            text,
            "place",
            "Country" if kind == "Country" else "City",
            canonical=lex.country_names.get(lex.places[text], text) if kind == "Country" else text,
            country=lex.places[text],
        )
    if label == "ORG":
        etype, canon = lex.orgs[text]
        return Mention(start, end, text, "org", etype, canonical=canon, country=lex.regulator_country.get(canon or ""))
    if label == "ZONE":
        return Mention(start, end, text, "place", "Zone", canonical=text)
    if label == "REG":
        # "China Ministry of X": the country is not part of the name
        country = None
        words = text.split()
        for k in range(min(3, len(words) - 1), 0, -1):
            head = " ".join(words[:k]).rstrip("'’s")
            if (
                head in lex.places
                and lex.place_kind.get(head) in {"Country", "Demonym"}
                and words[k] in {"Ministry", "Department", "Office"}
            ):
                country = lex.places[head]
                text = text[len(" ".join(words[:k])) + 1 :]
                break
        lexentry = lex.orgs.get(text)
        canon = lexentry[1] if lexentry else None
        if country is None:
            for form, iso in lex.places.items():
                if lex.place_kind.get(form) in {"Country", "Demonym"} and re.search(
                    rf"(?:^| of (?:the )?){re.escape(form)}$|^{re.escape(form)} ", text
                ):
                    country = iso
                    break
        return Mention(
            start,
            end,
            text,
            "org",
            "Regulator",
            canonical=canon,
            country=country or lex.regulator_country.get(canon or ""),
        )
    # a chunk
    words = toks
    if all(w in lex.places or w in {"-", "&"} for w in words):
        return None
    if words[-1] in lex.places and lex.place_kind.get(words[-1]) == "Demonym":
        return None  # "Latin American": a descriptor
    if (
        text in _TECH
        or (all(w.upper() in _ACRONYM_STOP or w == "-" for w in words))
        or re.fullmatch(r"[A-Z]{3}\s?[\d.,]+", text)
        or words[-1] in _FACILITY
    ):
        return None
    etype = _type_by_form(words, lex)
    prev = doc[s - 1].text.lower() if s > 0 else ""
    nxt = doc[e].text.lower() if e < len(doc) else ""
    if len(words) in (2, 3) and (prev in _TITLES or nxt in _SPEECH) and words[-1] not in lex.legal_suffixes:
        return Mention(start, end, text, "person", "Person", strong=False)
    if etype is None:
        if (
            prev in _TITLES
            or nxt in _SPEECH
            or (
                len(words) in (2, 3)
                and all(w[:1].isupper() and w[1:].islower() for w in words)
                and nxt == ","
                and e + 1 < len(doc)
                and doc[e + 1].text.lower() in {"a", "the"}
                and any(t.text.lower() in _TITLES for t in doc[e + 1 : e + 6])
            )
        ):
            return Mention(start, end, text, "person", "Person", strong=False)
        if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
            if words[0].upper() in _ACRONYM_STOP or words[0] in lex.news_agencies:
                return None
            return Mention(start, end, text, "org", "Company", strong=True)
        if words[0].upper() in _ACRONYM_STOP and len(words) == 1:
            return None
        if len(words) == 1 and words[0].lower() in _COMMON:
            return None
        return Mention(start, end, text, "org", "Company", strong=False)
    return Mention(start, end, text, "org", etype, strong=True)


def _type_by_form(words: list[str], lex: Lexicon) -> str | None:
    """The organisation type a name's form says ("X Telecom": Carrier), or None."""
    core = list(words)
    while len(core) > 1 and (core[-1] in lex.legal_suffixes or core[-1] in {".", ","}):
        core.pop()
    has_suffix = len(core) < len(words)
    if len(core) >= 2 and core[-1] in lex.regulator_heads and any(w in lex.regulator_words for w in core):
        return "Regulator"
    if any(w in lex.carrier_heads for w in core[1:]) or (len(core) > 1 and core[-1] in lex.carrier_heads):
        return "Carrier"
    if (
        len(core) == 1
        and re.search(r"(?:Telecom|Telekom|tel|com|Mobile|cell|fone|phone)$", core[0])
        and core[0][:1].isupper()
        and len(core[0]) > 5
        and not core[0].islower()
    ):
        return None
    if has_suffix or (len(core) >= 2 and core[-1] in lex.company_heads):
        return "Company"
    return None


def _corefs(sentence: str, offset: int, mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in _COREF_RE.finditer(sentence):
        s, e = offset + m.start(), offset + m.end()
        before = sentence[: m.start()].rstrip()
        if re.search(r"(?:\b(?:is|was|are|were|be|been|being|became|becomes|remains|as|like)|,)$", before) or re.search(
            r"\b(?:\w+est|first|second|third|only|leading|main|top|same|other|new|own)\b", m.group(0)
        ):
            continue
        if any(x.start < e and s < x.end for x in mentions):
            continue
        out.append(Mention(s, e, m.group(0), "coref", _COREF_TYPES[m.group(1)], strong=False))
    return out
