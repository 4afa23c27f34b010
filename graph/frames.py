"""Frames: query rows, answers and candidate facts as pandas DataFrames (for notebooks).

:func:`to_dataframe` takes what the library returns and gives a table an analyst can sort,
filter and export, with the sources of each row kept as a column to cite:

* ``kg.select(...)`` rows (pyoxigraph terms become plain Python values: IRIs and strings
  as ``str``, numbers as numbers, unbound variables as ``None``);
* an :class:`~carrierkg.graph.questions.Answer` (its table columns, then ``sources``);
* answer rows (:class:`~carrierkg.graph.answers.Rows`), centrality rows, path hops: any
  list of dicts;
* dataclasses such as the candidate facts of :func:`carrierkg.ingest.extract` (nested
  dataclasses and dicts become ``parent_child`` columns: ``evidence_text``).

Lists of sources (dicts with ``iri``, ``title``, ``url``) become one text cell, the titles
joined by ``"; "``; other lists of plain values are joined by ``", "``.

pandas is not a dependency of carrierkg itself: install the ``notebooks`` extra
(``pip install 'carrierkg[notebooks]'``).

Examples
--------
>>> from carrierkg.graph.store import open_store
>>> kg = open_store("memory")
>>> df = to_dataframe(kg.select(
...     "SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name LIMIT 2"))
>>> list(df.columns), len(df)
(['name'], 2)
>>> from carrierkg.graph.questions import answer
>>> df = to_dataframe(answer(kg, "who regulates China"))
>>> df.loc[0, "regulator"], df.columns[-1]
('Ministry of Industry and Information Technology', 'sources')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from carrierkg.graph.errors import InputError

__all__ = ["to_dataframe"]


def _is_source(value: object) -> bool:
    return isinstance(value, Mapping) and "iri" in value and "title" in value


def _cell(value: object):
    """One table cell: plain Python values; lists joined into text."""
    from carrierkg.graph.store import python_value

    if value is None or isinstance(value, str | int | float | bool):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if items and all(_is_source(s) for s in items):
            return "; ".join(str(s.get("title") or s["iri"]) for s in items)
        if all(v is None or isinstance(v, str | int | float | bool) for v in items):
            return ", ".join(str(v) for v in items if v is not None)
        return value
    if isinstance(value, Mapping):
        return value
    return python_value(value)  # a pyoxigraph term


def _flat(record: Mapping, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if isinstance(value, Mapping) and not _is_source(value):
            out.update(_flat(value, name + "_"))
        else:
            out[name] = _cell(value)
    return out


def to_dataframe(data, *, columns: Sequence[str] | None = None):
    """A pandas DataFrame of query rows, an answer, answer rows or dataclasses.

    Parameters
    ----------
    data : Answer, list of dict, or list of dataclass instances
        ``kg.select(...)`` rows, an :class:`~carrierkg.graph.questions.Answer`, the rows of
        an answer function, centrality rows, or candidate facts from
        :func:`carrierkg.ingest.extract` (``extraction.relations``).
    columns : sequence of str, optional
        Keep these columns, in this order. An ``Answer`` defaults to its table columns
        followed by ``sources``; everything else to all columns, in the order first seen.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        ``data`` is not one of these, or a column asked for is not there.
    ImportError
        pandas is not installed.

    Examples
    --------
    >>> df = to_dataframe([{"partner": "AT&T", "sources": [{"iri": "ex:s", "title": "A deal", "url": None}]}])
    >>> df.to_dict("records")
    [{'partner': 'AT&T', 'sources': 'A deal'}]
    >>> to_dataframe([], columns=["partner"]).shape
    (0, 1)
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_dataframe needs pandas: pip install 'carrierkg[notebooks]'") from None

    rows = data
    if hasattr(data, "rows") and hasattr(data, "columns") and hasattr(data, "form"):  # an Answer
        rows = data.rows
        if columns is None and data.columns:
            columns = [*data.columns, *(["sources"] if any("sources" in r for r in rows) else [])]
    if isinstance(rows, Mapping | str | bytes) or not isinstance(rows, Iterable):
        raise InputError(f"cannot make a table of {type(data).__name__}: give rows (a list of dicts), "
                         "an Answer, or a list of dataclasses")
    records = []
    for row in rows:
        if dataclasses.is_dataclass(row) and not isinstance(row, type):
            row = dataclasses.asdict(row)
        if not isinstance(row, Mapping):
            raise InputError(f"cannot make a table row of {type(row).__name__}: rows are dicts or dataclasses")
        records.append(_flat(row))
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    if columns is not None:
        missing = [c for c in columns if c not in seen and records]
        if missing:
            raise InputError(f"no column {missing[0]!r}; the columns are: {', '.join(seen)}")
        order = list(columns)
    else:
        order = list(seen)
    return pd.DataFrame.from_records([[r.get(c) for c in order] for r in records], columns=order)
