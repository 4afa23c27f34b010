"""Relation rules: deal vocabulary over a sentence skeleton.

A sentence is rewritten as a *skeleton*: its words, separated by single spaces, with
each mention replaced by a tag (``<O3>`` an organisation, ``<R1>`` a regulator, ``<P2>`` a
country, city or zone, ``<D4>`` a demonym, ``<H0>`` a person). Each rule is a regular
expression over skeletons ("``<O1> and <O2> signed an agreement to share ...``") that
names the relation type, which groups hold the subject and the object, and how strong the
wording is. The words between the subject and the verb decide the modality: hedged
("could", "in talks", "rumoured") and negated ("did not") statements yield nothing,
planned ones ("plans to", "will", "agreed to") get ``status: planned`` and less confidence.

Examples
--------
>>> [(c.type, c.subject, c.object) for c in apply_rules("<O0> completed its acquisition of <O1> .")]
[('acquisition', '<O0>', '<O1>')]
>>> apply_rules("<O0> could acquire <O1> .")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Candidate", "apply_rules", "modality", "tags_in"]

WORD = r"(?![,;:().!?](?:\s|$))[^<>\s]+"
AUXW = r"(?![,;:()\".!?'](?:\s|$))[^<>\s]+"


def _w(n: int, m: int = 0, places: bool = False, orgs: bool = False) -> str:
    tok = rf"(?:{WORD}|<[PD]\d+>)" if places else WORD
    if orgs:
        tok = rf"(?:{WORD}|<[PDO]\d+>)"
    return rf"(?:{tok} ){{{m},{n}}}?"


def LIST(name: str) -> str:
    return rf"(?P<{name}>(?:(?:both|either) )?<O\d+>(?: , <O\d+>)*(?: ,)? (?:and|&) <O\d+>|<O\d+>)"


def ORG(name: str) -> str:
    return rf"(?P<{name}><O\d+>)"


_PO = {"places": True, "orgs": True}
AUX = rf"(?P<aux>(?:{AUXW} ){{0,5}}?)"
AUXJ = rf"(?P<aux>(?:(?:{AUXW}|,) ){{0,9}}?)"
REGX = r"(?:the )?(?:<P\d+> 's |<P\d+> |<D\d+> )?(?P<r><R\d+>)"
REGS = REGX + r"(?: (?:in|of) (?:the )?<P\d+>)?(?: ,)?"
PLC = r"(?:the )?(?P<p><P\d+>)"
DESC = (
    rf"(?:(?:{WORD}|<[PD]\d+>) ){{0,4}}?(?:firm|operator|carrier|company|provider|vendor|group|giant|telco|"
    rf"maker|player|rival|peer|unit|subsidiary|venture|start-?up|isp|supplier|manufacturer|specialist|outfit|"
    rf"owner|business|conglomerate|incumbent|challenger|newcomer|entrant|mvno|tower ?co|towerco) "
)
LICW = (
    r"(?:[\w-]*licen[cs]es?|permits?|spectrum|frequenc(?:y|ies)|concessions?|authori[sz]ations?|airwaves|"
    r"[\d.]+ ?(?:mhz|ghz))"
)
ASSET = (
    r"(?:infrastructure|towers?|tower sites|sites|masts?|networks?|radio access networks?|ran|active equipment|"
    r"passive infrastructure|spectrum|fib(?:re|er)|backhaul|wi-fi hotspots|hotspots|ducts|poles|"
    r"base stations|equipment|capacity|data cent(?:re|er)s|grids?|assets|rollout|5g|4g|lte)"
)
SHARE = r"(?:share|sharing|shares|shared|pool|pooling|pooled)"
SIGN = (
    r"(?:signed|signs|sign|inked|inks|ink|struck|strikes|sealed|seals|reached|reaches|entered into|enters into|"
    r"agreed|agree|agrees|announced|announces|finali[sz]ed|finali[sz]es|concluded|concludes|unveiled|penned|"
    r"renewed|extended|forged|clinched)"
)
DEAL = r"(?:agreement|agreements|deal|pact|memorandum|mou|accord|framework|contract|arrangement)"
PARTNER_DEAL = (
    r"(?:agreement|deal|pact|memorandum of understanding|memorandum|mou|partnership|alliance|accord|"
    r"framework agreement|collaboration|tie-up)"
)

_HEDGE = re.compile(
    r"\b(?:could|might|may|in talks|talks|rumou?r\w*|speculat\w*|consider\w*|mull\w*|weigh\w*|explor\w*|eye\w*|"
    r"seek\w* to|looking to|look to|hopes? to|hoping to|potential\w*|possibl\w*|tipped|said to|would consider|"
    r"wants? to|"
    r"denied|denies|deny|reject\w* reports|unconfirmed|if|whether|discuss\w*|negotiat\w*|proposal to|bid to|bidding)\b",
    re.IGNORECASE,
)
_NEG = re.compile(
    r"(?:\b(?:not|never|no longer|failed to|fail\w* to|refused to|declined to|unable to|yet to|cannot)\b"
    r"|n't\b)",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:plans?|planning|planned|intends?|intended|aims?|set to|will|would|agreed to|agrees to|agree to|"
    r"to|expected|propos\w*|prepar\w*|shall|going to|about to|seeks)\b",
    re.IGNORECASE,
)
_BLOCKED = re.compile(
    r"\b(?:blocked|blocks|block|rejected|rejects|prohibited|vetoed|vetoes|struck down|barred|"
    r"refused to (?:approve|clear|allow)|did not approve|halted|called off|abandoned|scrapped|"
    r"collapsed|terminated|denied|turned down|thrown out)\b",
    re.IGNORECASE,
)


def modality(pre: str, aux: str) -> str:
    """How a rule's statement is made: ``asserted``, ``planned``, ``hedged`` or ``negated``.

    ``pre`` is the skeleton before the subject (same sentence), ``aux`` the words between
    the subject and the verb.

    >>> modality("", "has ")
    'asserted'
    >>> modality("", "plans to ")
    'planned'
    >>> modality("rumours that ", "")
    'hedged'
    >>> modality("", "did not ")
    'negated'
    """
    pre_tail = " ".join(pre.split()[-6:])
    if _HEDGE.search(aux) or _HEDGE.search(pre_tail) or re.match(r"\s*(?:if|whether|should)\b", pre, re.I):
        return "hedged"
    if _NEG.search(aux):
        return "negated"
    if _PLAN.search(aux):
        return "planned"
    return "asserted"


@dataclass
class Candidate:
    """A relation a rule found: subject and object are tags (``<O3>``) or ``"its"``/``"@issuer"``."""

    type: str
    subject: str
    object: str
    confidence: float
    rule: str
    details: dict = field(default_factory=dict)
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class _Rule:
    name: str
    type: str
    pattern: re.Pattern
    subj: str
    obj: str
    conf: float
    mode: str = "pair"  # pair: subj x obj; among: pairs within subj; rev: obj->subj
    check: str | None = None  # "its" handling, "issuer" (regulator from the document), ...


def tags_in(text: str) -> list[str]:
    """The mention tags in a piece of skeleton, in order."""
    return re.findall(r"<[A-Z]\d+>", text)


def _r(name, type_, pattern, subj, obj, conf, mode="pair", check=None) -> _Rule:
    return _Rule(name, type_, re.compile(pattern, re.IGNORECASE), subj, obj, conf, mode, check)


_RULES: list[_Rule] = [
    # --- licences granted -------------------------------------------------------------
    _r(
        "grant-to",
        "licence_grant",
        rf"{REGS} {AUX}(?:granted|grants|grant|awarded|awards|award|issued|issues|issue|allocated|allocates|assigned|"
        rf"assigns|gave|gives|renewed|renews|handed|hands|approved|approves) {_w(10, **_PO)}{LICW} "
        rf"{_w(6, **_PO)}to (?:{DESC})?{LIST('o')}",
        "r",
        "o",
        0.9,
    ),
    _r(
        "grant-dative",
        "licence_grant",
        rf"{REGS} {AUX}(?:granted|grants|grant|awarded|awards|award|issued|issues|gave|gives|allocated|assigned|"
        rf"handed) (?:{DESC})?{LIST('o')} (?:'s )?{_w(8, **_PO)}{LICW}",
        "r",
        "o",
        0.9,
    ),
    _r(
        "received-from",
        "licence_grant",
        rf"{LIST('o')} {AUX}(?:received|receives|receive|won|wins|win|secured|secures|secure|obtained|obtains|"
        rf"garnered|garners|scored|scores|bagged|got|gets|picked up|landed|clinched|granted|awarded|issued|given) "
        rf"{_w(10, **_PO)}{LICW}(?: {_w(8, **_PO)})?(?:from|by) {REGX}",
        "r",
        "o",
        0.9,
    ),
    _r(
        "approved-application",
        "licence_grant",
        rf"{REGS} {AUX}(?:approved|approves|granted|grants|accepted|accepts|cleared|clears) (?:(?P<its>its|their)|"
        rf"{ORG('o')} 's) {_w(3)}(?:applications?|requests?|bids?|petitions?) {_w(14, **_PO)}{LICW}",
        "r",
        "o",
        0.85,
        check="its",
    ),
    _r(
        "received-no-issuer",
        "licence_grant",
        rf"{LIST('o')} {AUX}(?:received|receives|won|wins|secured|secures|obtained|obtains|garnered|scored|bagged|"
        rf"clinched|was granted|were granted|was awarded|were awarded|been granted|been awarded|been issued|"
        rf"was issued|were issued) {_w(10, **_PO)}{LICW}",
        "@issuer",
        "o",
        0.7,
        check="issuer",
    ),
    _r(
        "licence-went-to",
        "licence_grant",
        rf"{LICW} {_w(6, **_PO)}(?:was |were |have been |has been |had been )?(?:went|awarded|granted|issued|"
        rf"given|allocated|assigned) to {LIST('o')}",
        "@issuer",
        "o",
        0.65,
        check="issuer",
    ),
    # --- licence applications ----------------------------------------------------------
    _r(
        "applied-to",
        "licence_application",
        rf"{LIST('s')} {AUX}(?:submitted|submits|filed|files|lodged|lodges|made|makes|sent|tabled) (?:an? |its |their "
        rf"|the )?{_w(3)}(?:application|applications|request|bid|petition) {_w(4, **_PO)}(?:to|with) {REGX}",
        "s",
        "r",
        0.85,
    ),
    _r(
        "applied-with",
        "licence_application",
        rf"{LIST('s')} {AUX}(?:applied|applies|apply|applying) {_w(10, **_PO)}(?:to|with|from) {REGX}",
        "s",
        "r",
        0.85,
    ),
    _r(
        "applied-no-issuer",
        "licence_application",
        rf"{LIST('s')} {AUX}(?:applied|applies|applying|has filed|filed|submitted) (?:an application )?"
        rf"{_w(3, **_PO)}for {_w(10, **_PO)}{LICW}",
        "s",
        "@issuer",
        0.65,
        check="issuer",
    ),
    _r(
        "application-denied",
        "licence_application",
        rf"{REGS} {AUX}(?:rejected|rejects|denied|denies|refused|refuses|turned down|dismissed|declined) "
        rf"(?:(?P<its>its|their)|{ORG('s')} 's|the) {_w(3)}(?:applications?|requests?|bids?|petitions?)",
        "s",
        "r",
        0.55,
        check="its-denied",
    ),
    # --- infrastructure sharing --------------------------------------------------------
    _r(
        "signed-to-share",
        "infrastructure_sharing",
        rf"{LIST('s')} {AUX}{SIGN} {_w(5)}{DEAL}(?: with (?:{DESC})?{LIST('o')})? {_w(4, places=True)}"
        rf"(?:to|for|on) {_w(2)}{SHARE}",
        "s",
        "o",
        0.9,
        mode="pair-or-among",
    ),
    _r(
        "signed-sharing-deal",
        "infrastructure_sharing",
        rf"{LIST('s')} {AUX}{SIGN} (?:an? |the |their )?{_w(3, places=True)}(?:[\w-]*sharing|roaming|mvno|"
        rf"wholesale(?: access)?|hosting) {_w(2)}(?:agreement|deal|pact|contract|partnership|mou|arrangement|"
        rf"accord)(?: with (?:{DESC})?{LIST('o')})?",
        "s",
        "o",
        0.85,
        mode="pair-or-among",
    ),
    _r(
        "share-assets",
        "infrastructure_sharing",
        rf"{LIST('s')} {AUX}{SHARE} (?:their |each other 's |some of their |part of their |the |its |some )?"
        rf"{_w(3)}{ASSET}(?: {_w(4, places=True)})?(?: with (?:{DESC})?{LIST('o')})?",
        "s",
        "o",
        0.8,
        mode="pair-or-among",
    ),
    _r(
        "sharing-deal-between",
        "infrastructure_sharing",
        rf"(?:[\w-]*sharing|roaming|mvno|hosting) (?:agreement|deal|pact|partnership|arrangement|contract|"
        rf"joint venture|venture) (?:between|of|with) {LIST('s')}",
        "s",
        "o",
        0.75,
        mode="among",
    ),
    _r(
        "possessive-sharing-deal",
        "infrastructure_sharing",
        rf"{LIST('s')} 's {_w(3)}(?:[\w-]*sharing|roaming) (?:agreement|deal|pact|arrangement|plan|venture|"
        rf"joint venture|partnership)",
        "s",
        "o",
        0.75,
        mode="among",
    ),
    _r(
        "mvno-on-network",
        "infrastructure_sharing",
        rf"{LIST('s')} {AUX}(?:launched|launches|launch|will launch|operates|operate|runs|run|began operating|"
        rf"started|starts|is|will be|became) {_w(5)}(?:mvno|mobile virtual network operator)s? {_w(4)}"
        rf"(?:on|using|over|via) {ORG('o')} 's",
        "s",
        "o",
        0.8,
    ),
    _r(
        "host-mvno",
        "infrastructure_sharing",
        rf"{ORG('s')} {AUX}(?:host|hosts|hosting|will host|to host) {ORG('o')}",
        "s",
        "o",
        0.75,
    ),
    # --- joint ventures and consortia ------------------------------------------------------
    _r(
        "formed-jv-called",
        "joint_venture",
        rf"{LIST('s')} {AUXJ}(?:started|start|starts|formed|form|forms|set up|sets up|established|establish|"
        rf"establishes|created|create|creates|launched|launch|launches|founded|found|announced|unveiled|"
        rf"completed|signed) (?:an? |the |their |a new )?{_w(4, places=True)}(?:joint venture|jv|joint-venture|"
        rf"consortium|venture) {_w(4, places=True)}(?:called|named|dubbed|known as|,) (?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.9,
    ),
    _r(
        "jv-appositive",
        "joint_venture",
        rf"{ORG('o')} , (?:a|the|an) {_w(3)}(?:joint venture|jv|consortium|venture) (?:between|of|by|formed by|"
        rf"owned by|set up by|comprising|backed by) {LIST('s')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "jv-copula",
        "joint_venture",
        rf"{ORG('o')} (?:is|was|, which is|will be) (?:a |an |the )?{_w(3)}(?:joint venture|jv) (?:between|of|by|"
        rf"formed by|owned by) {LIST('s')}",
        "s",
        "o",
        0.85,
    ),
    _r("jv-possessive", "joint_venture", rf"{LIST('s')} 's {_w(3)}(?:joint venture|jv) ,? {ORG('o')}", "s", "o", 0.8),
    _r(
        "joined-consortium",
        "joint_venture",
        rf"{LIST('s')} {AUX}(?:joined|joins|join|became members? of|become members? of|are members of|is a member of|"
        rf"is part of|are part of|signed up to) (?:the )?{ORG('o')} (?:(?:subsea |submarine |undersea )?(?:cable )?"
        rf"(?:consortium|cable|system|alliance|project|venture))",
        "s",
        "o",
        0.85,
    ),
    _r(
        "consortium-members",
        "joint_venture",
        rf"(?:the )?{ORG('o')} (?:(?:subsea|submarine|undersea) )?(?:cable )?(?:consortium|cable|system|project|"
        rf"venture) ,? (?:which )?(?:includes|including|comprising|comprises|made up of|whose members include|"
        rf"members include|members including|is backed by|backed by|led by|is owned by|owned by|built by|"
        rf"is being built by|being built by|funded by|developed by) (?:a consortium (?:of|including|comprising) )?"
        rf"{LIST('s')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "consortium-building",
        "joint_venture",
        rf"consortium (?:of|including|comprising|made up of|led by|that includes|which includes) {LIST('s')} "
        rf"{_w(8, places=True)}(?:build|builds|building|built|lay|lays|laying|deploy|deploying|construct|"
        rf"constructing|develop|developing|operate|operating) (?:the |a |an )?{_w(3)}{ORG('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "members-of",
        "joint_venture",
        rf"{LIST('s')} (?:are|were|is|was) (?:among |one of )?(?:the )?(?:members|partners|investors|parties|"
        rf"shareholders|member|partner|investor) (?:of|in) the {ORG('o')}",
        "s",
        "o",
        0.75,
    ),
    _r(
        "unnamed-jv",
        "@jv",
        rf"{LIST('s')} {AUX}(?:formed|form|forms|set up|sets up|established|establish|create|created|creates|launch|"
        rf"launched|signed|formalised|formalized|agreed to form|will form|to form|to set up) (?:an? |the |a new )?"
        rf"{_w(4)}(?:joint venture|jv)\b(?P<rest>[^.]*)",
        "s",
        "o",
        0.6,
        mode="among",
    ),
    # --- partnerships ------------------------------------------------------------------
    _r(
        "signed-with",
        "partnership",
        rf"{LIST('s')} {AUX}{SIGN} (?:an? |the |a new |their )?{_w(4)}{PARTNER_DEAL} {_w(3)}with (?:{DESC})?"
        rf"{LIST('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "signed-among",
        "partnership",
        rf"{LIST('s')} {AUX}{SIGN} (?:an? |the |a new |their )?{_w(4)}{PARTNER_DEAL}",
        "s",
        "o",
        0.7,
        mode="among",
    ),
    _r(
        "are-partners",
        "partnership",
        rf"{LIST('s')} (?:are|were|have been|had been|became|become) (?:already |long-standing |longtime |"
        rf"strategic |close |existing |long-time )*partners\b",
        "s",
        "o",
        0.6,
        mode="among",
    ),
    _r(
        "partnered-with",
        "partnership",
        rf"{LIST('s')} {AUX}(?:partnered|partners|partner|teamed up|teams up|team up|joined forces|joins forces|allied|"
        rf"tied up|ties up|collaborat(?:e|es|ed|ing)|cooperat(?:e|es|ed|ing)|co-operat(?:e|es|ed|ing)) {_w(2)}with "
        rf"(?:{DESC})?{LIST('o')}",
        "s",
        "o",
        0.8,
    ),
    _r(
        "formed-partnership",
        "partnership",
        rf"{LIST('s')} {AUX}(?:formed|forged|announced|launched|created|established|unveiled) (?:an? |the )?{_w(2)}"
        rf"(?:partnership|alliance|collaboration)(?: with (?:{DESC})?{LIST('o')})?",
        "s",
        "o",
        0.75,
        mode="pair-or-among",
    ),
    # --- acquisitions and mergers ------------------------------------------------------------
    _r(
        "completed-acquisition",
        "acquisition",
        rf"{ORG('s')} {AUX}(?:completed|completes|closed|closes|finali[sz]ed|announced|announces|agreed|sealed|"
        rf"wrapped up|concluded) (?:its|their|the|a|an) {_w(4)}(?P<noun>acquisition|purchase|takeover|buyout|"
        rf"merger) (?:of|with) (?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.9,
    ),
    _r(
        "acquired",
        "acquisition",
        rf"{ORG('s')} {AUX}(?:acquired|acquires|acquire|acquiring|bought|buys|buy|buying|purchased|purchases|"
        rf"purchase|took over|takes over|take over|snapped up|snaps up|swallowed) (?:(?P<stake>an? (?:[\d.]+ ?"
        rf"(?:%|per ?cent|percent) |majority |minority |controlling |significant |further |additional )?"
        rf"(?:stake|interest|shareholding) in|[\d.]+ ?(?:%|per ?cent|percent) (?:of|in)) )?(?:{DESC})?"
        rf"{ORG('o')}",
        "s",
        "o",
        0.9,
    ),
    _r(
        "acquired-by",
        "acquisition",
        rf"{ORG('o')} {AUX}(?:was|has been|had been|is being|will be|is to be|were|have been|be) (?:{WORD} )?"
        rf"(?:acquired|bought|purchased|taken over) by (?:{DESC})?{ORG('s')}",
        "s",
        "o",
        0.9,
    ),
    _r(
        "took-stake",
        "acquisition",
        rf"{ORG('s')} {AUX}(?:took|takes|take|taking|holds|hold|owns|own|bought|acquired|acquires|increased|"
        rf"raised|raises|lifted) (?:its |a |an )?(?P<stake>(?:[\d.]+ ?(?:%|per ?cent|percent) |majority |"
        rf"minority |controlling )(?:stake|interest|shareholding)) in (?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "merge-with",
        "acquisition",
        rf"{ORG('s')} {AUX}(?P<noun>merged|merges|merge|merging) with (?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "and-merge",
        "acquisition",
        rf"{ORG('s')} and {ORG('o')} {AUX}(?P<noun>merged|merge|merging|completed (?:their|the) merger|"
        rf"announced (?:their|a) merger)",
        "s",
        "o",
        0.85,
    ),
    _r(
        "possessive-acquisition",
        "acquisition",
        rf"{ORG('s')} 's (?P<pre>(?:{WORD} ){{0,3}}?)(?P<noun>acquisition|purchase|takeover|buyout) of "
        rf"(?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.75,
        check="np",
    ),
    _r(
        "merger-of",
        "acquisition",
        rf"(?P<pre>(?:{WORD} ){{0,2}}?)(?P<noun>merger|tie-up|combination) (?:of|between) {ORG('s')} "
        rf"(?:and|with) {ORG('o')}",
        "s",
        "o",
        0.75,
        check="np",
    ),
    _r(
        "possessive-merger",
        "acquisition",
        rf"{ORG('s')} 's (?P<pre>(?:{WORD} ){{0,3}}?)(?P<noun>merger|tie-up) with {ORG('o')}",
        "s",
        "o",
        0.75,
        check="np",
    ),
    # --- ownership -----------------------------------------------------------------------
    _r(
        "subsidiary-appositive",
        "subsidiary",
        rf"{ORG('s')} , (?:a|an|the) (?:(?:wholly|fully|majority)[- ]owned |{WORD} ){{0,3}}?(?:subsidiary|unit|arm|"
        rf"division) of {ORG('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "subsidiary-possessive",
        "subsidiary",
        rf"{ORG('o')} 's (?:(?:wholly|fully|majority)[- ]owned |{WORD} ){{0,2}}?(?:subsidiary|unit|arm) ,? "
        rf"{ORG('s')}",
        "s",
        "o",
        0.8,
    ),
    _r(
        "subsidiary-copula",
        "subsidiary",
        rf"{ORG('s')} (?:is|was|became|becomes|will become|has become) (?:now )?(?:a |an |the )?(?:(?:wholly|fully|"
        rf"majority)[- ]owned )?(?:local )?(?:subsidiary|unit|arm) of {ORG('o')}",
        "s",
        "o",
        0.85,
    ),
    _r(
        "owned-by",
        "subsidiary",
        rf"{ORG('s')} (?:, which is |is |, )(?:wholly |fully |majority[- ]|majority |)owned by {ORG('o')}",
        "s",
        "o",
        0.8,
    ),
    # --- supply ---------------------------------------------------------------------------
    _r(
        "won-contract",
        "@supply",
        rf"{ORG('s')} {AUX}(?:won|wins|secured|secures|signed|signs|landed|bagged|clinched|inked|was awarded|"
        rf"has been awarded|been awarded) (?:an? |the )?{_w(6)}(?:contract|order|tender|supply deal|"
        rf"supply agreement|equipment deal) "
        rf"{_w(6, places=True)}(?:with|from|by) (?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.8,
    ),
    _r(
        "selected-vendor",
        "supplier",
        rf"{ORG('o')} {AUX}(?:selected|selects|chose|chosen|picked|picks|tapped|taps|appointed|appoints|named) "
        rf"(?:{DESC})?{ORG('s')} (?:as|to supply|to provide|to deploy|to build|for)",
        "s",
        "o",
        0.8,
        check="vendor",
    ),
    _r(
        "supplies-to",
        "supplier",
        rf"{ORG('s')} {AUX}(?:supply|supplies|supplied|supplying|provide|provides|provided|providing|deliver|"
        rf"delivers|delivered|delivering|deploy|deploys|deployed|deploying) {_w(8, places=True)}(?:to|for) "
        rf"(?:{DESC})?{ORG('o')}",
        "s",
        "o",
        0.75,
        check="vendor",
    ),
    _r(
        "supplies-with",
        "supplier",
        rf"{ORG('s')} {AUX}(?:supply|supplies|supplied|supplying|equip|equips|equipped|equipping) (?:{DESC})?"
        rf"{ORG('o')} with",
        "s",
        "o",
        0.8,
        check="vendor",
    ),
    _r(
        "remove-vendor",
        "supplier_removed",
        rf"{ORG('o')} {AUX}(?:removing|remove|removes|removed|rip out|rips out|ripping out|ripped out|strip out|"
        rf"strips out|stripping out|stripped out|strip|stripping|stripped|phase out|phases out|phasing out|"
        rf"phased out|replace|replacing|replaced|replaces|swap out|swapping out|swapped out|ditch|ditching|ditched|"
        rf"drop|dropping|dropped|stop using|stopped using|stops using|cease using|ceased using|exclude|excluding|"
        rf"excluded|purge|purging|purged|not use|no longer use) (?:all |the |its |their |some |existing |any |of )*"
        rf"(?:{DESC})?{ORG('s')}(?: 's)?(?P<what> {_w(4)}(?:equipment|gear|kit|products|components|technology|"
        rf"hardware|base stations|antennas|radios|network|infrastructure|systems))?",
        "s",
        "o",
        0.85,
        check="removal",
    ),
    _r(
        "vendor-gear-removed",
        "supplier_removed",
        rf"{ORG('s')} (?:'s )?{_w(2)}(?:equipment|gear|kit|products|components|technology|hardware) {_w(3)}"
        rf"(?:will be|is being|was|were|has been|have been|are being|to be|are) {_w(1)}(?:removed|stripped out|"
        rf"ripped out|replaced|phased out|purged|stripped) {_w(3, places=True)}(?:from|in|by) {ORG('o')}",
        "s",
        "o",
        0.8,
    ),
    _r(
        "ordered-removal",
        "supplier_removed",
        rf"{REGS} {AUX}(?:ordered|orders|required|requires|forced|forces|told|tells|instructed|compelled|asked) "
        rf"{LIST('o')} to (?:remove|rip out|strip out|replace|stop using|phase out|swap out) (?:all |the |their |its "
        rf")?(?:{DESC})?{ORG('s')}",
        "s",
        "o",
        0.8,
    ),
    # --- regulators and countries ----------------------------------------------------------
    _r(
        "regulator-in",
        "regulates",
        r"(?P<r><R\d+>) (?:in|of|for) (?:the )?(?P<p><P\d+>)(?! 's)",
        "r",
        "p",
        0.75,
        check="country",
    ),
    _r(
        "regulator-is-agency-of",
        "regulates",
        rf"(?P<r><R\d+>) (?:,|is|was|, which is) (?:the |a |an |its )?{_w(4)}(?:regulator|watchdog|agency|authority|"
        rf"ministry|body|department|commission|administration|office) {_w(6)}(?:of|for|in) (?:the )?"
        rf"(?P<p><P\d+>)",
        "r",
        "p",
        0.85,
        check="country",
    ),
    _r(
        "country-regulator",
        "regulates",
        rf"(?P<p><P\d+>) 's {_w(3)}(?:regulator|watchdog|regulatory authority|regulatory body|telecoms? "
        rf"regulator|communications regulator|media regulator) ,? (?P<r><R\d+>)",
        "r",
        "p",
        0.85,
        check="country",
    ),
    _r(
        "demonym-regulator",
        "regulates",
        rf"(?P<p><D\d+>) {_w(2)}(?:regulator|watchdog|regulatory authority) ,? (?P<r><R\d+>)",
        "r",
        "p",
        0.8,
        check="country",
    ),
    _r(
        "regulates-in",
        "regulates",
        rf"(?P<r><R\d+>) ,? (?:which )?(?:regulates|oversees|supervises|licenses|polices) {_w(6)}in (?:the )?"
        rf"(?P<p><P\d+>)",
        "r",
        "p",
        0.8,
        check="country",
    ),
    # --- market presence -----------------------------------------------------------------
    _r(
        "opened-in",
        "operates_in",
        rf"{ORG('s')} {AUX}(?:established|establishes|opened|opens|launched|launches|set up|sets up|built|builds|"
        rf"inaugurated|unveiled|operates|runs|has|maintains) (?:an? |its |the |their |a new )?{_w(5)}"
        rf"(?:cent(?:re|er)s?|"
        rf"office|offices|headquarters|hub|facility|facilities|data cent(?:re|er)s?|branch|branches|subsidiary|"
        rf"operations|network|store|stores|lab|campus|plant|factory|presence|services?) {_w(2)}in {PLC}",
        "s",
        "p",
        0.75,
    ),
    _r(
        "operates-in",
        "operates_in",
        rf"{LIST('s')} (?:, (?:which|that|who) )?{AUX}(?:operates|operated|operate|serves|served|serve|"
        rf"is present|are present|has operations|"
        rf"have operations|does business|do business) {_w(4)}in {PLC}",
        "s",
        "p",
        0.75,
    ),
    _r(
        "largest-operator-in",
        "operates_in",
        rf"{ORG('s')} (?:,|is|was|has been|, which is|became|remains) (?:reportedly |now |currently |still )?"
        rf"(?:the |a |an |one of the )(?:{WORD} ){{0,3}}?(?:largest|biggest|leading|second-largest|"
        rf"third-largest|incumbent|dominant|main|major|top|smallest|newest|fourth-largest|national|state-owned|"
        rf"state-run|only|first|second|third|fourth)\b(?: {WORD}){{0,3}}? (?:operator|operators|carrier|carriers|"
        rf"provider|providers|telco|telcos|player|isp) (?:{WORD} )?in {PLC}",
        "s",
        "p",
        0.65,
    ),
    _r(
        "country-operator",
        "operates_in",
        rf"{ORG('s')} , (?P<p><P\d+>) 's {_w(3)}(?:operator|carrier|provider|telco|isp|incumbent|player)",
        "s",
        "p",
        0.7,
    ),
    _r(
        "providers-including",
        "operates_in",
        rf"(?:companies|firms|operators|carriers|providers|players) (?:who|that|which) (?:already |currently )?"
        rf"(?:provide|offer|sell|operate|run) {_w(6)}in {PLC} , (?:including|such as|like|among them) {LIST('s')}",
        "s",
        "p",
        0.4,
    ),
    _r(
        "jv-in-country",
        "operates_in",
        rf"(?:joint venture|jv|venture) {_w(2)}in {PLC} (?:called|named|dubbed|known as) {ORG('s')}",
        "s",
        "p",
        0.5,
    ),
    _r(
        "entered-market",
        "operates_in",
        rf"{ORG('s')} {AUX}(?:entered|enters|entering|expanded into|expands into|launched in|launches in|"
        rf"began operating in|started operating in) (?:the )?(?P<p><P\d+>)(?: 's)?(?: {WORD})? market",
        "s",
        "p",
        0.7,
    ),
]


def _members(group: str | None) -> list[str]:
    return tags_in(group) if group else []


def apply_rules(skeleton: str) -> list[Candidate]:
    """Every rule's matches in one sentence skeleton.

    Parameters
    ----------
    skeleton : str
        The sentence with mentions replaced by tags.

    Returns
    -------
    list of Candidate
        Subjects and objects are tags; ``"its"`` stands for a possessive pronoun to be
        resolved by the caller, ``"@issuer"`` for the document's regulator.
    """
    out: list[Candidate] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(skeleton):
            gd = m.groupdict()
            aux = gd.get("aux") or ""
            subj_start = min((m.start(g) for g in ("s", "o", "r") if gd.get(g)), default=m.start())
            pre = skeleton[:subj_start]
            mood = modality(pre, aux)
            text = m.group(0)
            details: dict = {}
            conf = rule.conf
            status = None
            if rule.check == "np":
                # a noun phrase ("X's proposed takeover of Y"): the sentence tells the status
                sentence_mood = modality(skeleton[: m.start()], gd.get("pre") or "")
                if _BLOCKED.search(skeleton):
                    status = "blocked"
                elif re.search(
                    r"\b(?:proposed|planned|mooted|potential|possible|pending)\b", gd.get("pre") or "", re.I
                ):
                    status = "planned"
                if sentence_mood == "hedged" or _HEDGE.search(skeleton[: m.start()]):
                    continue
                mood = "asserted"
            if mood == "hedged" or (mood == "negated" and rule.check != "its-denied"):
                continue
            if mood == "planned":
                status = status or "planned"
                conf *= 0.8
            if rule.check == "its-denied":
                status = "denied"
            if status:
                details["status"] = status
            for key in ("stake", "noun", "what"):
                if gd.get(key):
                    details[key] = gd[key].strip()
            subjects = _members(gd.get(rule.subj)) if not rule.subj.startswith("@") else [rule.subj]
            objects = _members(gd.get(rule.obj)) if not rule.obj.startswith("@") else [rule.obj]
            if rule.check in {"its", "its-denied"} and gd.get("its"):
                if rule.subj == "its" or rule.type == "licence_application":
                    subjects = ["its"]
                else:
                    objects = ["its"]
            rtype = rule.type
            if rtype == "@jv":
                rest = gd.get("rest") or ""
                rtype = (
                    "infrastructure_sharing"
                    if re.search(
                        r"\b(?:tower|towers|infrastructure|network|fib(?:re|er)|sites|masts|ran|sharing)\b",
                        text + rest,
                        re.I,
                    )
                    else "partnership"
                )
                details["joint_venture"] = "unnamed"
            span = (m.start(), m.end())
            pairs: list[tuple[str, str]] = []
            mode = rule.mode
            if mode == "pair-or-among":
                mode = "pair" if objects else "among"
            if mode == "among":
                members = list(dict.fromkeys(subjects))
                pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
            else:
                pairs = [(s, o) for s in subjects for o in objects if s != o]
            for s, o in pairs:
                out.append(Candidate(rtype, s, o, round(conf, 3), rule.name, dict(details), span))
    return out
