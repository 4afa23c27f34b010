"""Page clutter: split an article into paragraphs and set aside what is not the article.

Web pages pasted as text carry ads, sponsored webinars, "RELATED:" and "Suggested
Articles" teasers, newsletter boxes, photo credits, tag lists, author bios and comment
boxes. :func:`paragraphs` returns the paragraphs of the text with a flag saying whether
each belongs to the article body; facts are only read from body paragraphs.

Examples
--------
>>> text = "Acme Telecom buys Foo.\\n\\nRELATED: Bar signs deal\\n\\nSuggested Articles\\n\\nBaz news"
>>> [(p.text, p.clutter) for p in paragraphs(text)]
[('Acme Telecom buys Foo.', None), ('RELATED: Bar signs deal', 'teaser'), ('Suggested Articles', 'end'), \
('Baz news', 'end')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "paragraphs"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the text: ``text == source[start:end]``; ``clutter`` names why it is dropped."""

    start: int
    end: int
    text: str
    clutter: str | None = None


# A line that ends the article: what follows is page furniture.
_END = re.compile(
    r"^\W*(?:suggested (?:articles|stories|reading)|related (?:articles|stories|posts|content|news|coverage|reading)"
    r"|recommended(?: for you| stories| articles| reading)?|more (?:from|stories|news|on this topic|like this)"
    r"|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|read next|most (?:popular|read|viewed)"
    r"|trending(?: now| stories)?|latest (?:news|stories|articles)|further reading|see also"
    r"|popular (?:articles|posts|stories)"
    r"|from around the web|leave a (?:reply|comment)|post a comment|add a comment|join the (?:conversation|discussion)"
    r"|(?:show|view|read|load) (?:all )?comments?|comments?(?: \(\d+\))?|\d+ comments?|share this(?: article| story)?"
    r"|about the author|exit mobile version|tags?\b.*|topics?:.*|filed under\b.*|more about\b.*|categories:.*"
    r"|related:?|related topics:?|this site uses akismet.*|sponsored content|partner content"
    r"|promoted (?:stories|content))\W*$",
    re.IGNORECASE,
)
# A single line that is a teaser, an ad marker, a credit or a share bar.
_LINE = re.compile(
    r"^\W*(?:related|read more|read also|also read|see also|more|recommended|editor'?s pick|watch|listen|"
    r"advertisement|advert|ad|sponsored|promoted|partner content|photo|image|picture|pictured|caption|credit|"
    r"photo credit|image credit|source|click here|subscribe|sign up|follow us|share|download)\b\s*(?:by\b|[:|>»\-–—])",
    re.IGNORECASE,
)
_AD_MARKER = re.compile(
    r"^\W*(?:advertisement|advert|ad|sponsored(?: by\b.*)?|promoted(?: by\b.*)?|"
    r"partner content|paid (?:post|content)|presented by\b.*)\W*$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(?:webinar|whitepaper|white paper|e-?book|register (?:now|today|here)|download (?:now|the|our|your)|"
    r"learn (?:more|about|how)|sign(?:ing)? up|subscribe|subscription|newsletter|inbox|free (?:copy|trial|report|demo)|"
    r"privacy policy|email address|e-mail address|membership is free|terms of (?:use|service)|cookie|"
    r"unsubscribe|exclusive access|giveaways|on-demand|sponsored|™|®)",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"\b(?:newsletter|sign up|subscribe|get the [\w\s]{0,30} (?:daily|weekly)|join (?:the|our) "
    r"(?:newsletter|mailing list))\b",
    re.IGNORECASE,
)
_CREDIT_ONLY = re.compile(
    r"^\W*(?:\((?:photo|image|credit|source)?[:\s]*[\w .,&/-]{1,40}\)|"
    r"(?:photo|image|picture)(?: credit)?:.*|(?:getty images|shutterstock|pixabay|istock|"
    r"unsplash|reuters/.*|ap photo.*|afp.*))\W*$",
    re.IGNORECASE,
)
_CAPTION_CREDIT = re.compile(
    r"\((?:photo:?\s*|image:?\s*|credit:?\s*)?(?:pixabay|getty images|shutterstock|istock|"
    r"unsplash|reuters|ap|afp|getty|file photo|[\w ]{1,25}/(?:getty|reuters|afp|ap))\)\s*$",
    re.IGNORECASE,
)
_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+ ){1,3}(?:is|was|has been|writes|covers)\b.{0,60}\b(?:editor|journalist|reporter|writer|"
    r"correspondent|contributor|columnist|freelance|editor-at-large)\b",
    re.IGNORECASE,
)
_BIO_MORE = re.compile(
    r"\b(?:alum|alumnus|alumna|graduated|degree in|university of|follow (?:him|her|them) on|"
    r"lives in|before joining|his career|her career|award-winning journalist)\b",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*[-–—•*·|]+\s*$")
_TEASER_KIND = re.compile(
    r"^(?:News|Opinion|Analysis|Feature|Features|Review|Reviews|Podcast|Video|Webinar|Whitepaper|"
    r"whitepaper|news|opinion|In depth|In-depth|Interview|Case study|Sponsored|Guide|How to|"
    r"Explainer|Blog|Event|Events|Report|Research) [A-Z‘'\"“]"
)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")


def _lines(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: lines, with hard-wrapped lines joined, blank lines dropped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start = pos + (len(body) - len(body.lstrip()))
        end = pos + len(body.rstrip())
        pos += len(line)
        if end <= start:
            spans.append((-1, -1))
            continue
        if spans and spans[-1][0] >= 0:
            prev_s, prev_e = spans[-1]
            prev = text[prev_s:prev_e]
            cur = text[start:end]
            # a hard-wrapped sentence: the previous line runs on, this one starts in lower case
            if not _SENTENCE_END.search(prev) and cur[:1].islower() and len(prev) > 50:
                spans[-1] = (prev_s, end)
                continue
        spans.append((start, end))
    return [s for s in spans if s[0] >= 0]


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of ``text``, each flagged as article body (``clutter is None``) or not.

    Parameters
    ----------
    text : str
        The article as plain text.

    Returns
    -------
    list of Paragraph
        In text order; ``clutter`` is ``None`` for the body, else a short reason
        (``"end"``, ``"teaser"``, ``"ad"``, ``"newsletter"``, ``"credit"``, ``"bio"``,
        ``"teaser-list"``, ``"boilerplate"``).
    """
    spans = _lines(text)
    out: list[Paragraph] = []
    ended = False
    promo = 0  # how many following paragraphs may still belong to an ad or newsletter box
    separators = sum(1 for s, e in spans if _SEPARATOR.match(text[s:e]))
    for i, (s, e) in enumerate(spans):
        para = text[s:e]
        reason: str | None = None
        words = len(para.split())
        if ended:
            reason = "end"
        elif _SEPARATOR.match(para) and separators >= 2:
            ended, reason = True, "teaser-list"
        elif words <= 12 and _END.match(para) and i > 0:
            ended, reason = True, "end"
        elif _BIO.match(para) and s > len(text) * 0.4:
            ended, reason = True, "bio"
        elif _AD_MARKER.match(para):
            reason, promo = "ad", 3
        elif _LINE.match(para):
            reason = "teaser"
            if re.match(r"^\W*(?:sponsored|promoted|advertisement|subscribe|sign up)", para, re.IGNORECASE):
                promo = 3
        elif _CREDIT_ONLY.match(para):
            reason = "credit"
        elif words <= 25 and _NEWSLETTER.search(para):
            reason, promo = "newsletter", 4
        elif promo and (_PROMO.search(para) or words <= 3):
            reason = "ad"
        elif _TEASER_KIND.match(para):
            reason = "teaser"
        elif _CAPTION_CREDIT.search(para):
            reason = "credit"
        elif _BIO_MORE.search(para) and out and out[-1].clutter == "bio":
            reason = "bio"
        elif _PROMO.search(para) and len(_PROMO.findall(para)) >= 2:
            reason = "boilerplate"
        if reason is None:
            promo = 0
        elif reason != "ad" and reason != "newsletter":
            promo = max(promo - 1, 0)
        out.append(Paragraph(s, e, para, reason))
    return out
