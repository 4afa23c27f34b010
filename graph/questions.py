"""Questions: plain English mapped onto question forms, and answered from the store.

:func:`parse_question` maps a question onto one of :data:`FORMS` (several wordings each;
case, punctuation, a trailing "?", quotes, "the" and possessives do not matter) and pulls
out the names in it. :func:`answer` resolves the names and runs the library function of
the form (:mod:`carrierkg.graph.answers`), returning the rows, the SPARQL it ran and a
one-line summary. Only the connection and centrality forms use networkx.

Examples
--------
>>> parse_question("Who partners with 'China Telecom'?")
Question(form='partners', args={'org': 'China Telecom'})
>>> parse_question("How is BT connected to China Telecom")
Question(form='connection', args={'a': 'BT', 'b': 'China Telecom'})
>>> from carrierkg.graph.fixtures import example_kg
>>> a = answer(example_kg(), "who does Aurora share towers with?")
>>> a.form, [r["partner"] for r in a.rows]
('sharing', ['Cobalt Networks'])
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from carrierkg.graph.errors import AmbiguousNameError, NoAnswerError, UnknownNameError

__all__ = ["FORMS", "Answer", "Question", "answer", "forms_help", "parse_question"]


@dataclass(frozen=True)
class Form:
    """A question form: its name, what it answers, and example wordings."""

    name: str
    summary: str
    examples: tuple[str, ...]


#: The question forms, with example wordings (shown when a question cannot be mapped).
FORMS: tuple[Form, ...] = (
    Form("partners", "organisations linked by partnerships, joint ventures or sharing deals",
         ("who partners with China Telecom", "China Telecom's partners", "partners of AT&T")),
    Form("sharing", "infrastructure-sharing partners",
         ("who does AT&T share infrastructure with", "who shares towers with China Telecom")),
    Form("licences", "licences an organisation (or its subsidiaries) holds",
         ("which licences does BT hold", "who licensed BT", "what licences has BT got")),
    Form("licensed_by", "licences a regulator has granted",
         ("what has MIIT licensed", "which licences has MIIT granted")),
    Form("regulators", "regulators of an organisation or a country",
         ("who regulates BT", "which regulator oversees China")),
    Form("owners", "owners, acquirers and joint-venture parents",
         ("who owns EE", "parent of BT China Communications")),
    Form("holdings", "subsidiaries, acquisitions and joint ventures an organisation owns",
         ("what does BT own", "subsidiaries of BT")),
    Form("joint_ventures", "joint ventures an organisation is in",
         ("which joint ventures is AT&T in", "China Telecom's joint ventures")),
    Form("suppliers", "suppliers of an organisation",
         ("who supplies BT", "BT's vendors")),
    Form("removed_vendors", "suppliers removed or banned from a network",
         ("which vendors were removed from BT", "who was banned from BT's network")),
    Form("connection", "how two organisations are connected, hop by hop",
         ("how is BT connected to China Telecom", "path from BT to AT&T")),
    Form("central", "the most central organisations",
         ("which carriers are most central", "most connected carriers", "top 5 carriers")),
    Form("operating_in", "organisations operating in a country",
         ("which carriers operate in China", "carriers in the United Kingdom")),
    Form("profile", "everything known about an organisation",
         ("what do we know about BT", "tell me about China Telecom")),
)

_FORM_NAMES = {f.name for f in FORMS}


@dataclass(frozen=True)
class Question:
    """A question mapped onto a form, with its arguments (names as the person wrote them)."""

    form: str
    args: dict = field(default_factory=dict)


@dataclass
class Answer:
    """The answer to a question: form, rows, the SPARQL that ran, and a one-line summary.

    ``columns`` are the row keys a table shows; ``title`` heads the table; ``info`` holds
    extra facts (the organisation of a profile, the resolved names).
    """

    form: str
    rows: list
    sparql: str
    text: str
    columns: list = field(default_factory=list)
    title: str = ""
    info: dict = field(default_factory=dict)

    def document(self) -> dict:
        """The answer as one JSON-ready dict."""
        return {"form": self.form, "question": self.info.get("question"), "answer": self.text,
                **({"organisation": self.info["organisation"]} if "organisation" in self.info else {}),
                "rows": self.rows}


# -- parsing --------------------------------------------------------------------------------

_WHO = r"(?:who|which|what)"
_ORGS = r"(?:carriers|operators|companies|organi[sz]ations|firms|telcos|businesses|players)"
_ASSETS = (r"(?:its |their )?(?:infrastructure|towers?|networks?|sites?|masts?|spectrum|fib(?:re|er)|ran|"
           r"assets?|wi-?fi(?: hotspots)?|hotspots|capacity|cables?)")
_LIC = r"licen[cs]es?"
_POS = r"(?:'s|')"
_X = r"(?P<org>.+?)"

_PATTERNS: list[tuple[str, str]] = [
    # connection (two names)
    ("connection", r"^how (?:is|are) (?P<a>.+?) (?:connected|linked|related|tied) (?:to|with) (?P<b>.+)$"),
    ("connection", r"^how (?:is|are) (?P<pair>.+?) (?:connected|linked|related|tied)(?: to each other| together)?$"),
    ("connection", r"^(?:(?:what|which) is |show(?: me)? |find )?(?:the )?(?:shortest )?"
                   r"(?:path|connection|link|route|chain) from (?P<a>.+?) to (?P<b>.+)$"),
    ("connection", r"^(?:(?:what|which) is |show(?: me)? |find )?(?:the )?(?:shortest )?"
                   r"(?:path|connection|link|route|chain)s? between (?P<pair>.+)$"),
    ("connection", r"^what (?:links|connects) (?P<pair>.+)$"),
    ("connection", r"^(?:is|are) (?P<a>.+?) (?:connected|linked) to (?P<b>.+)$"),
    # sharing (before partners)
    ("sharing", rf"^{_WHO} (?:does|do|did) {_X} share {_ASSETS}(?: \w+)? with$"),
    ("sharing", rf"^(?:who|which {_ORGS}) (?:shares?|is sharing|are sharing|shared) {_ASSETS}(?: \w+)? with {_X}$"),
    ("sharing", rf"^(?:(?:list|show|what are) )?(?:infrastructure[- ]sharing|network[- ]sharing|sharing) "
                rf"(?:partners|deals|agreements) (?:of|for|with|by) {_X}$"),
    ("sharing", rf"^{_X}{_POS} (?:infrastructure[- ]sharing|network[- ]sharing|sharing) "
                rf"(?:partners|deals|agreements)$"),
    # partners
    ("partners", rf"^(?:who|which {_ORGS}) (?:partners?|is partnering|are partnering|works?|has partnered|"
                 rf"have partnered|is partnered|are partnered|cooperates?|collaborates?|teams? up|teamed up) "
                 rf"with {_X}$"),
    ("partners", rf"^who (?:does|do|did) {_X} (?:partner|work|cooperate|collaborate|team up) with$"),
    ("partners", rf"^(?:who|what|which) (?:are|is) {_X}{_POS} partners?$"),
    ("partners", rf"^(?:(?:who|what) (?:are|is) |list |show(?: me)? |find )?(?:all )?(?:the )?"
                 rf"(?:partners|partnerships) (?:of|for|with) {_X}$"),
    ("partners", rf"^{_X}{_POS} (?:partners|partnerships)$"),
    # licences granted by a regulator (before licences held)
    ("licensed_by", rf"^(?:what|who|which {_ORGS}) (?:has|have|did) {_X} (?:licensed|licenced|license|licence)$"),
    ("licensed_by", rf"^(?:what|which) {_LIC} (?:has|have|did) {_X} (?:issued?|granted?|awarded?|given|give)$"),
    ("licensed_by", rf"^(?:(?:list|show) )?{_LIC} (?:issued|granted|awarded|given) by {_X}$"),
    ("licensed_by", rf"^(?:who|which {_ORGS}) (?:has|have) been (?:licensed|licenced) by {_X}$"),
    # licences held
    ("licences", rf"^(?:which|what) {_LIC} (?:does|do|did) {_X} (?:hold|have|own|possess|get|receive)$"),
    ("licences", rf"^(?:which|what) {_LIC} (?:has|have) {_X} (?:got|gotten|received|been granted|been given|"
                 rf"obtained|won|secured)$"),
    ("licences", rf"^(?:which|what) {_LIC} (?:is|are) (?:held|owned) by {_X}$"),
    ("licences", rf"^(?:who|which regulators?) (?:licensed|licenced|has licensed|granted {_LIC} to|"
                 rf"gave {_LIC} to) {_X}$"),
    ("licences", rf"^(?:(?:list|show) )?(?:the )?{_LIC} (?:of|held by|for) {_X}$"),
    ("licences", rf"^{_X}{_POS} {_LIC}$"),
    # regulators
    ("regulators", rf"^who (?:regulates|oversees|supervises|polices) {_X}$"),
    ("regulators", rf"^(?:which|what) (?:regulators?|authority|authorities|agency|agencies) (?:regulates?|oversees?|"
                   rf"supervises?|is responsible for|are responsible for|covers?) {_X}$"),
    ("regulators", rf"^(?:who|what) (?:is|are) {_X}{_POS} (?:telecoms? )?regulators?$"),
    ("regulators", rf"^(?:(?:who|what) (?:is|are) |list |show )?(?:the )?(?:telecoms? )?regulators? "
                   rf"(?:of|for|in) {_X}$"),
    ("regulators", rf"^{_X}{_POS} (?:telecoms? )?regulators?$"),
    # removed vendors (before suppliers)
    ("removed_vendors", rf"^(?:which|what) (?:vendors?|suppliers?|equipment makers?|companies) (?:were|was|have been|"
                        rf"has been|got) (?:removed|banned|dropped|ripped out|stripped out|excluded|kicked out) "
                        rf"(?:from|of|by) {_X}{_POS}?(?: (?:mobile )?(?:networks?|core))?$"),
    ("removed_vendors", rf"^who (?:was|were|has been|have been|got) (?:removed|banned|dropped|excluded|kicked out) "
                        rf"(?:from|by) {_X}{_POS}?(?: (?:mobile )?(?:networks?|core))?$"),
    ("removed_vendors", rf"^(?:which|what|who) (?:vendors?|suppliers? )?(?:did|has|have) {_X} (?:remove|removed|ban|"
                        rf"banned|drop|dropped|rip out|ripped out|exclude|excluded)$"),
    ("removed_vendors", rf"^who did {_X} (?:remove|ban|drop|exclude)$"),
    ("removed_vendors", rf"^(?:removed|banned) (?:vendors|suppliers) (?:of|from|at) {_X}$"),
    # suppliers
    ("suppliers", rf"^who (?:supplies|supplied|equips|provides equipment (?:to|for)|sells (?:equipment )?to) {_X}$"),
    ("suppliers", rf"^(?:which|what) (?:vendors?|suppliers?|companies) "
                  rf"(?:supply|supplies|supplied|equip|sell to) {_X}$"),
    ("suppliers", rf"^(?:who|what|which) (?:are|is) {_X}{_POS} (?:suppliers?|vendors?)$"),
    ("suppliers", rf"^(?:(?:who|what) (?:are|is) |list |show )?(?:the )?(?:suppliers?|vendors?) "
                  rf"(?:of|to|for) {_X}$"),
    ("suppliers", rf"^{_X}{_POS} (?:suppliers?|vendors?)$"),
    ("suppliers", rf"^who (?:does|do) {_X} buy (?:equipment |gear |kit )?from$"),
    # owners
    ("owners", rf"^who (?:owns|controls|acquired|bought) {_X}$"),
    ("owners", rf"^(?:who|what) (?:is|are) (?:the )?(?:owners?|parents?|parent compan(?:y|ies)) of {_X}$"),
    ("owners", rf"^(?:who|what) (?:is|are) {_X}{_POS} (?:owners?|parents?|parent compan(?:y|ies))$"),
    ("owners", rf"^(?:(?:list|show) )?(?:the )?(?:owners?|parents?|parent compan(?:y|ies)) of {_X}$"),
    ("owners", rf"^{_X}{_POS} (?:owners?|parents?|parent compan(?:y|ies))$"),
    ("owners", rf"^who (?:is|are) {_X} owned by$"),
    # holdings
    ("holdings", rf"^what (?:does|do) {_X} own$"),
    ("holdings", rf"^(?:what|which) (?:companies|carriers|firms|businesses|subsidiaries) (?:does|do) {_X} "
                 rf"(?:own|control)$"),
    ("holdings", rf"^(?:what|which|who) (?:has|have|did) {_X} (?:acquired|bought|acquire|buy)$"),
    ("holdings", rf"^(?:(?:what|who|which) (?:are|is) |list |show )?(?:the )?subsidiar(?:y|ies) of {_X}$"),
    ("holdings", rf"^(?:what|who|which) (?:are|is) {_X}{_POS} subsidiar(?:y|ies)$"),
    ("holdings", rf"^{_X}{_POS} (?:subsidiar(?:y|ies)|holdings|acquisitions)$"),
    ("holdings", rf"^(?:(?:list|show) )?(?:the )?(?:holdings|acquisitions) of {_X}$"),
    # joint ventures
    ("joint_ventures", rf"^(?:which|what) (?:joint ventures?|jvs?) (?:is|are) {_X} (?:in|part of|a part of|"
                       rf"involved in|a partner in|a parent of|a member of)$"),
    ("joint_ventures", rf"^(?:which|what) (?:joint ventures?|jvs?) (?:does|do|did|has|have) {_X} (?:have|form|formed|"
                       rf"set up|create|created|own|belong to|got|join|joined)$"),
    ("joint_ventures", rf"^(?:which|what) (?:joint ventures?|jvs?) (?:involve|include|includes|involves) {_X}$"),
    ("joint_ventures", rf"^(?:(?:list|show) )?(?:the )?(?:joint ventures?|jvs?) (?:of|with|involving|by|for) {_X}$"),
    ("joint_ventures", rf"^{_X}{_POS} (?:joint ventures?|jvs?)$"),
    # operating in
    ("operating_in", rf"^(?:which|what|who)(?: {_ORGS}| vendors)? (?:operates?|is active|are active|is present|"
                     rf"are present|does business|do business|works?|offers? services|sells? services) in "
                     rf"(?P<place>.+)$"),
    ("operating_in", rf"^(?:(?:list|show) )?(?:the |all )?{_ORGS} (?:operating |active |present |working )?in "
                     rf"(?P<place>.+)$"),
    # profile (last: "who is X" would swallow the others)
    ("profile", rf"^what (?:do|does) (?:we|you|the graph|carrierkg) know about {_X}$"),
    ("profile", rf"^tell me (?:everything |more |all )?about {_X}$"),
    ("profile", rf"^(?:the )?(?:profile|information|info|details|everything) (?:of|on|about|for) {_X}$"),
    ("profile", rf"^(?:show|describe|profile)(?: me)? {_X}$"),
    ("profile", rf"^(?:who|what) (?:is|are|was) {_X}$"),
]


@functools.cache
def _pattern(i: int) -> re.Pattern:
    """The ``i``-th question pattern, compiled when first tried: compiling all hundred at
    import took a fifth of a quick ``carrierkg ask``."""
    return re.compile(_PATTERNS[i][1], re.IGNORECASE)

_CENTRAL_WORDS = {
    "central": "pagerank", "important": "pagerank", "influential": "pagerank", "powerful": "pagerank",
    "connected": "degree", "well-connected": "degree", "linked": "degree",
    "betweenness": "betweenness", "pagerank": "pagerank", "degree": "degree",
    "eigenvector": "eigenvector", "closeness": "closeness",
}
_CENTRAL_TYPES = {
    "carriers": "Carrier", "operators": "Carrier", "telcos": "Carrier", "carrier": "Carrier",
    "vendors": "Vendor", "suppliers": "Vendor", "regulators": "Regulator",
    "joint ventures": "JointVenture",
}
@functools.cache
def _central_pattern() -> re.Pattern:
    """The pattern of questions about the most central organisations (compiled when first needed)."""
    return re.compile(
        r"^(?:(?:which|what|who) (?:(?P<what1>[a-z ]+?) )?(?:are|is) )?(?:the )?"
        r"(?:(?:top|most|best)(?: (?P<n1>\d+))?(?: most| best)?)(?:[ -](?P<adj>central|connected|important|influential|"
        r"powerful|linked))?(?: (?P<what2>[a-z ]+?))?(?: by (?P<measure>degree|betweenness|pagerank|eigenvector|"
        r"closeness))?$", re.IGNORECASE)


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = " ".join(text.split())
    text = text.strip().rstrip("?!. ").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip().rstrip("?!. ")
    return text


def _name(text: str) -> str:
    """A name as written in a question: quotes, possessives and stray punctuation set aside."""
    text = text.strip().strip(",;:")
    text = re.sub(r"(?:'s|s')$", lambda m: "" if m.group(0) == "'s" else "s", text)
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


def _central(text: str) -> Question | None:
    m = _central_pattern().match(text)
    if not m:
        return None
    what = (m.group("what1") or m.group("what2") or "").strip().lower()
    adj = (m.group("adj") or "").lower()
    if not adj and not text.lower().startswith(("top", "which", "what", "who", "the top", "most", "best")):
        return None
    if what and what not in _CENTRAL_TYPES and what.rstrip("s") + "s" not in _CENTRAL_TYPES \
            and not re.fullmatch(_ORGS + r"|nodes|organisations|organizations|ones", what):
        return None
    if not adj and not what and not m.group("n1"):
        return None
    measure = (m.group("measure") or "").lower() or _CENTRAL_WORDS.get(adj, "degree")
    args: dict = {"measure": measure, "top": int(m.group("n1")) if m.group("n1") else 10}
    t = _CENTRAL_TYPES.get(what) or _CENTRAL_TYPES.get(what.rstrip("s") + "s")
    if t:
        args["types"] = [t]
    return Question("central", args)


def forms_help() -> list[str]:
    """One line per question form with example wordings (for people).

    Examples
    --------
    >>> forms_help()[0]
    'partners: organisations linked by partnerships, joint ventures or sharing deals -- e.g. "who partners \
with China Telecom", "China Telecom\\'s partners", "partners of AT&T"'
    """
    return [f"{f.name}: {f.summary} -- e.g. " + ", ".join(f'"{e}"' for e in f.examples) for f in FORMS]


def parse_question(text: str) -> Question:
    """Map a plain-English question onto a question form.

    Parameters
    ----------
    text : str
        The question, for example ``"who partners with China Telecom?"``.

    Returns
    -------
    Question
        ``form`` (one of :data:`FORMS`) and ``args``: ``org`` (a name), ``place``, ``a`` and
        ``b`` (or ``pair``, "X and Y", for the connection form), or ``measure``, ``top``,
        ``types`` for the centrality form.

    Raises
    ------
    NoAnswerError
        The question matches no form; ``error.forms`` lists the forms with examples.

    Examples
    --------
    >>> parse_question("BT's licences?")
    Question(form='licences', args={'org': 'BT'})
    >>> parse_question("which regulator oversees the PRC").args
    {'org': 'the PRC'}
    >>> parse_question("top 5 carriers")
    Question(form='central', args={'measure': 'degree', 'top': 5, 'types': ['Carrier']})
    >>> parse_question("why is the sky blue")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.NoAnswerError: cannot map 'why is the sky blue' onto a question I know; \
try one of the forms listed above (carrierkg ask --help)
    """
    cleaned = _clean(str(text))
    if not cleaned:
        raise _no_answer(str(text))
    central = _central(cleaned)
    if central is not None:
        return central
    for i, (form, _) in enumerate(_PATTERNS):
        m = _pattern(i).match(cleaned)
        if not m:
            continue
        args = {k: _name(v) for k, v in m.groupdict().items() if v is not None}
        if any(not v for v in args.values()):
            continue
        if form == "operating_in" and args.get("place", "").lower() in ("it", "there"):
            continue
        return Question(form, args)
    raise _no_answer(cleaned)


def _no_answer(text: str) -> NoAnswerError:
    error = NoAnswerError(f"cannot map {text!r} onto a question I know; try one of the forms listed above "
                          "(carrierkg ask --help)")
    error.forms = forms_help()
    return error


# -- answering ------------------------------------------------------------------------------

_COLUMNS = {
    "partners": ["partner", "partner_type", "relationship", "via", "details", "start", "end", "status"],
    "sharing": ["partner", "partner_type", "relationship", "details", "start", "end", "status"],
    "licences": ["licence", "issuer", "jurisdiction", "scope", "held_by", "start", "end", "status"],
    "licensed_by": ["licensee", "licence", "jurisdiction", "scope", "start", "end", "status"],
    "regulators": ["regulator", "basis", "jurisdiction"],
    "owners": ["owner", "owner_type", "relationship", "stake", "start", "end", "status"],
    "holdings": ["holding", "holding_type", "relationship", "stake", "value", "currency", "start", "end"],
    "joint_ventures": ["venture", "role", "partners", "jurisdiction", "start", "end", "status"],
    "suppliers": ["supplier", "supplier_type", "relationship", "status", "note", "start", "end"],
    "removed_vendors": ["supplier", "supplier_type", "status", "note", "start", "end"],
    "connection": ["path", "hop", "from", "relationship", "to", "date"],
    "central": ["rank", "label", "type", "score", "connections"],
    "operating_in": ["organisation", "type", "basis", "where", "details"],
    "profile": ["relationship", "counterpart", "counterpart_type", "details", "start", "end", "status"],
}


def _split_pair(kg, pair: str):
    """Resolve "X and Y" where either name may itself contain "and"."""
    from carrierkg.graph.names import resolve

    parts = re.split(r"\s+(?:and|&|to)\s+", pair)
    if len(parts) < 2:
        raise NoAnswerError(f"cannot tell the two organisations apart in {pair!r}; "
                            "ask: how is X connected to Y")
    first_error = None
    for i in range(1, len(parts)):
        joiners = re.findall(r"\s+(?:and|&|to)\s+", pair)
        left = parts[0] + "".join(j + p for j, p in zip(joiners[: i - 1], parts[1:i], strict=False))
        right = parts[i] + "".join(j + p for j, p in zip(joiners[i:], parts[i + 1:], strict=False))
        try:
            return resolve(kg, _name(left)), resolve(kg, _name(right))
        except (UnknownNameError, AmbiguousNameError) as exc:
            first_error = first_error or exc
    raise first_error  # type: ignore[misc]


def answer(kg, question: str | Question, *, as_of=None, relations=None) -> Answer:
    """Answer a plain-English question (or a parsed :class:`Question`) from the store.

    Parameters
    ----------
    kg : KnowledgeGraph
    question : str or Question
    as_of : str, optional
        Only relationships in force on this date.
    relations : iterable of str, optional
        Only these relation types.

    Returns
    -------
    Answer
        ``form``, ``rows`` (dicts with labels, IRIs, dates and ``sources``), ``sparql``
        (the queries that ran, with their bound values), ``text`` (a one-line summary).

    Raises
    ------
    NoAnswerError
        The question matches no form.
    UnknownNameError, AmbiguousNameError
        A name in it cannot be resolved.

    Examples
    --------
    >>> from carrierkg.graph.fixtures import example_kg
    >>> a = answer(example_kg(), "which licences does Aurora Telecom hold?", as_of="2012")
    >>> a.text
    'Aurora Telecom holds 2 licences (directly or through subsidiaries).'
    >>> "?org (^ckg:owner/ckg:subsidiary)* ?holder" in a.sparql
    True
    """
    from carrierkg.graph import answers as A
    from carrierkg.graph.names import ORGANISATION_TYPES, PLACE_TYPES, resolve

    q = question if isinstance(question, Question) else parse_question(question)
    form, args = q.form, q.args
    opts = {"as_of": as_of, "relations": relations}
    info: dict = {"question": question if isinstance(question, str) else None}
    if form == "connection":
        if "pair" in args:
            a, b = _split_pair(kg, args["pair"])
        else:
            a, b = resolve(kg, args["a"]), resolve(kg, args["b"])
        rows = A.connection(kg, a, b, **opts)
        if rows:
            hops = len(rows)
            via = " (through a place both are tied to)" if getattr(rows, "through_places", False) else ""
            text = f"{a.label} and {b.label} are connected in {hops} hop{'s' if hops != 1 else ''}{via}."
        else:
            text = f"No connection between {a.label} and {b.label} in the graph" + (
                f" as of {as_of}." if as_of else ".")
        title = f"How {a.label} is connected to {b.label}"
        info.update(a={"label": a.label, "iri": a.iri}, b={"label": b.label, "iri": b.iri})
    elif form == "central":
        rows = A.most_central(kg, measure=args.get("measure", "degree"), top=args.get("top", 10),
                              types=args.get("types"), **opts)
        kind = (args.get("types") or ["organisation"])[0]
        text = f"The {len(rows)} most central {kind.lower()}s by {args.get('measure', 'degree')}."
        title = f"Most central by {args.get('measure', 'degree')}"
    elif form == "operating_in":
        place = resolve(kg, args["place"], types=PLACE_TYPES)
        rows = A.operating_in(kg, place, **opts)
        text = f"{len(rows)} organisation{'s' if len(rows) != 1 else ''} operate in {place.label}."
        title = f"Operating in {place.label}"
        info["place"] = {"label": place.label, "iri": place.iri}
    elif form == "regulators":
        target = resolve(kg, args["org"], types=ORGANISATION_TYPES + PLACE_TYPES)
        rows = A.regulators_of(kg, target, **opts)
        text = f"{len(rows)} regulator{'s' if len(rows) != 1 else ''} of {target.label}."
        title = f"Regulators of {target.label}"
    elif form == "licensed_by":
        reg = resolve(kg, args["org"], types=("Regulator",))
        rows = A.licensed_by(kg, reg, **opts)
        text = f"{reg.label} has granted {len(rows)} licence{'s' if len(rows) != 1 else ''}."
        title = f"Licences granted by {reg.label}"
    else:
        org = resolve(kg, args["org"])
        func, what = {
            "partners": (A.partners_of, "partner relationship"),
            "sharing": (A.sharing_partners_of, "infrastructure-sharing relationship"),
            "licences": (A.licences_of, "licence"),
            "owners": (A.owners_of, "owner"),
            "holdings": (A.holdings_of, "holding"),
            "joint_ventures": (A.joint_ventures_of, "joint venture"),
            "suppliers": (A.suppliers_of, "supplier"),
            "removed_vendors": (A.removed_vendors_of, "removed supplier"),
            "profile": (A.profile, "relationship"),
        }[form]
        rows = func(kg, org, **opts)
        n = len(rows)
        plural = what + ("s" if n != 1 else "")
        if form == "licences":
            text = f"{org.label} holds {n} {plural} (directly or through subsidiaries)."
        elif form == "partners":
            count = len({r["partner_iri"] for r in rows})
            text = f"{org.label}: {n} {plural} with {count} organisation{'s' if count != 1 else ''}."
        else:
            text = f"{org.label}: {n} {plural}."
        title = {"partners": "Partners of", "sharing": "Infrastructure sharing of", "licences": "Licences of",
                 "owners": "Owners of", "holdings": "Holdings of", "joint_ventures": "Joint ventures of",
                 "suppliers": "Suppliers of", "removed_vendors": "Suppliers removed from",
                 "profile": "Profile of"}[form] + f" {org.label}"
        if form == "profile":
            info["organisation"] = getattr(rows, "info", {})
    sparql = "\n\n".join(getattr(rows, "sparql", []))
    return Answer(form, list(rows), sparql, text, list(_COLUMNS[form]), title, info)
