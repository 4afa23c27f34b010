"""Shared by answers and the projection: relation names, as-of dates, phrases, query files.

Relation types are the annotation type names of :mod:`carrierkg.graph.model`
(``partnership``, ``licence_grant``, ...); people may also say ``partners``, ``sharing``,
``licence`` and the like, and :func:`relation_names` maps those onto the type names.

A relationship is *in force* on an as-of date when it started on or before that date and
did not end before it; a relationship without a start date is in force as far as we know.
Dates may be ``xsd:date`` (``2012-03-01``), ``xsd:gYearMonth`` (``2012-03``) or
``xsd:gYear`` (``2012``), and so may the as-of date. A partial date is a period: ``2000``
runs from 2000-01-01 to 2000-12-31. A relationship is in force on an as-of period when the
two periods overlap: it started before the period's end and had not ended before the
period's start.

This module imports nothing heavy (no rdflib, no networkx).

Examples
--------
>>> relation_names(["partnership", "sharing"])
('partnership', 'infrastructure_sharing')
>>> in_force("2012-06-01", start="2000", end=None)
True
>>> in_force("2012", start="2013-01-05", end=None)
False
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from datetime import date

from carrierkg.graph.errors import InputError
from carrierkg.graph.model import RELATION_KINDS

__all__ = [
    "INVERSE_LABELS",
    "RELATION_ALIASES",
    "date_period",
    "in_force",
    "parse_as_of",
    "phrase",
    "query_text",
    "relation_names",
]

#: Friendly names people use for relation types, mapped onto the annotation type names.
RELATION_ALIASES: dict[str, tuple[str, ...]] = {
    "partner": ("partnership",),
    "partners": ("partnership", "infrastructure_sharing", "joint_venture", "consortium_membership"),
    "partnerships": ("partnership",),
    "sharing": ("infrastructure_sharing",),
    "share": ("infrastructure_sharing",),
    "infrastructure": ("infrastructure_sharing",),
    "infrastructure-sharing": ("infrastructure_sharing",),
    "licence": ("licence_grant",),
    "licences": ("licence_grant",),
    "license": ("licence_grant",),
    "licenses": ("licence_grant",),
    "licensing": ("licence_grant",),
    "licence-application": ("licence_application",),
    "application": ("licence_application",),
    "jv": ("joint_venture",),
    "joint-venture": ("joint_venture",),
    "joint-ventures": ("joint_venture",),
    "consortium": ("consortium_membership",),
    "ownership": ("subsidiary",),
    "owner": ("subsidiary",),
    "subsidiaries": ("subsidiary",),
    "acquisitions": ("acquisition",),
    "supply": ("supplier",),
    "suppliers": ("supplier",),
    "vendor": ("supplier",),
    "vendors": ("supplier",),
    "removed": ("supplier_removed",),
    "regulation": ("regulates",),
    "regulator": ("regulates",),
    "mandate": ("regulates",),
    "presence": ("operates_in",),
    "market": ("operates_in",),
    "operates": ("operates_in",),
}

#: How a relationship reads from its object's side (``BT is licensed by MIIT``).
INVERSE_LABELS: dict[str, str] = {
    "licence_grant": "licensed by",
    "licence_application": "received a licence application from",
    "joint_venture": "was formed by",
    "consortium_membership": "has the member",
    "infrastructure_sharing": "shares infrastructure with",
    "partnership": "partners with",
    "acquisition": "was acquired by",
    "subsidiary": "owns",
    "supplier": "is supplied by",
    "supplier_removed": "removed the supplier",
    "regulates": "is regulated by",
    "operates_in": "is a market of",
}


def relation_names(names: Iterable[str] | None) -> tuple[str, ...] | None:
    """The annotation type names for relation names people give (``None`` means all).

    Parameters
    ----------
    names : iterable of str or None
        Type names (``partnership``) or friendly aliases (``partners``, ``sharing``,
        ``licence``); case, spaces and hyphens do not matter; commas separate several.

    Returns
    -------
    tuple of str or None
        The type names, in the order given, without repeats; ``None`` when no names are given.

    Raises
    ------
    InputError
        A name is neither a type name nor an alias.

    Examples
    --------
    >>> relation_names(["Joint venture", "licence"])
    ('joint_venture', 'licence_grant')
    >>> relation_names(None) is None
    True
    >>> relation_names(["friendship"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: unknown relation type 'friendship'; use one of: ...
    """
    if names is None:
        return None
    out: list[str] = []
    for raw in names:
        for part in str(raw).split(","):
            key = part.strip().casefold()
            if not key:
                continue
            snake = re.sub(r"[\s-]+", "_", key)
            if snake in RELATION_KINDS:
                out.append(snake)
            elif re.sub(r"[\s_]+", "-", key) in RELATION_ALIASES:
                out.extend(RELATION_ALIASES[re.sub(r"[\s_]+", "-", key)])
            else:
                known = ", ".join([*RELATION_KINDS, *sorted(RELATION_ALIASES)])
                raise InputError(f"unknown relation type {part.strip()!r}; use one of: {known}")
    return tuple(dict.fromkeys(out)) if out else None


_DATE_RE = re.compile(r"^\s*(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*|Z|[+-]\d{2}:\d{2})?\s*$")


def date_period(value: str | date | None) -> tuple[date, date] | None:
    """The first and last day a (possibly partial) date stands for; ``None`` if not a date.

    Examples
    --------
    >>> date_period("2000")
    (datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))
    >>> date_period("2016-02")
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    >>> date_period("someday") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value, value
    m = _DATE_RE.match(str(value))
    if not m:
        return None
    year = int(m.group(1))
    if year < 1:
        return None
    try:
        if m.group(3):
            d = date(year, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None
    return date(year, 1, 1), date(year, 12, 31)


def parse_as_of(value: str | date | None) -> tuple[date, date] | None:
    """An as-of date given by a person: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or ``None``).

    Raises
    ------
    InputError
        The text is not such a date.

    Examples
    --------
    >>> parse_as_of("2012-03")
    (datetime.date(2012, 3, 1), datetime.date(2012, 3, 31))
    >>> parse_as_of("last year")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: not a date: 'last year' (use YYYY, YYYY-MM or YYYY-MM-DD)
    """
    if value is None or value == "":
        return None
    period = date_period(value)
    if period is None:
        raise InputError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return period


def in_force(as_of, *, start: str | None, end: str | None) -> bool:
    """Whether a relationship with these start and end dates is in force on ``as_of``.

    ``as_of`` is a date text, a :class:`datetime.date`, a period from :func:`parse_as_of`,
    or ``None`` (always in force). A start or end that is not a date is ignored.

    Examples
    --------
    >>> in_force("2015", start="2015-12", end=None)
    True
    >>> in_force("2021-01-01", start="2010", end="2020")
    False
    >>> in_force(None, start="2999", end=None)
    True
    """
    if as_of is None:
        return True
    period = as_of if isinstance(as_of, tuple) else parse_as_of(as_of)
    if period is None:
        return True
    first, last = period
    s = date_period(start)
    if s is not None and s[0] > last:
        return False
    e = date_period(end)
    return not (e is not None and e[1] < first)


def phrase(relation: str, *, subject_side: bool = True) -> str:
    """How a relation reads from one side: ``licensed`` / ``licensed by``.

    Examples
    --------
    >>> phrase("subsidiary"), phrase("subsidiary", subject_side=False)
    ('is owned by', 'owns')
    """
    if relation == "co_venturer":
        return "formed a joint venture with"
    kind = RELATION_KINDS.get(relation)
    if kind is None:
        return relation.replace("_", " ")
    return kind.label if subject_side else INVERSE_LABELS.get(relation, kind.label)


@functools.cache
def query_text(name: str) -> str:
    """The text of one of our SPARQL queries (``graph/queries/<name>.rq``).

    Examples
    --------
    >>> "?source" in query_text("sources")
    True
    """
    from importlib.resources import files

    return (files("carrierkg.graph") / "queries" / f"{name}.rq").read_text(encoding="utf-8")
