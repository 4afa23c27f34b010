"""The bundled dataset: reference data and one TriG file per source article.

``reference/reference.trig`` holds the named graph ``id:graph/reference`` (ISO 3166-1
countries and national telecom regulators). ``sources/<stem>.trig`` holds the named graph
``id:source/<stem>`` of one seed article: the source's description, the organisations and
places its facts mention, and the facts, each with evidence as a character span of the
article. The files ship in the wheel; read them through the functions below, not by path
arithmetic.

Examples
--------
>>> [f.name for f in bundled_files()][:2]
['reference.trig', '000_5e627c189d1c98f4.trig']
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from carrierkg.ontology.namespaces import ID

__all__ = ["bundled_files", "reference_file", "seed_stem_of", "source_files"]

_SOURCE_PREFIX = ID + "source/"


def _root() -> Traversable:
    return files(__name__)


def reference_file() -> Traversable:
    """The reference data file (countries and telecom regulators).

    Returns
    -------
    importlib.resources.abc.Traversable
        A path-like object (a :class:`pathlib.Path` for an installed package).

    Examples
    --------
    >>> reference_file().name
    'reference.trig'
    """
    return _root() / "reference" / "reference.trig"


def source_files() -> list[Traversable]:
    """The bundled source files, one TriG file per source article, sorted by name.

    Returns
    -------
    list of importlib.resources.abc.Traversable

    Examples
    --------
    >>> [f.name for f in source_files()][-1]
    '004_110dc85f55a30326.trig'
    """
    folder = _root() / "sources"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".trig")), key=lambda f: f.name)


def bundled_files() -> list[Traversable]:
    """Every bundled data file: the reference data first, then the sources sorted by name.

    Load them in this order; each file holds its own named graph, so the order does not
    change the dataset, only what a partial load would contain.

    Returns
    -------
    list of importlib.resources.abc.Traversable

    Examples
    --------
    >>> files_ = bundled_files()
    >>> files_[0] == reference_file(), files_[1:] == source_files()
    (True, True)
    """
    return [reference_file(), *source_files()]


def seed_stem_of(source_iri: str) -> str | None:
    """The file stem of a bundled source from its IRI, or ``None`` if it is not one.

    Parameters
    ----------
    source_iri : str
        The IRI (named-graph name) of a source.

    Returns
    -------
    str or None
        The stem, such as ``"004_110dc85f55a30326"``, when a bundled source file of that
        name exists; otherwise ``None`` (ingested sources, the reference graph).

    Examples
    --------
    >>> seed_stem_of("https://w3id.org/carrierkg/id/source/004_110dc85f55a30326")
    '004_110dc85f55a30326'
    >>> seed_stem_of("https://w3id.org/carrierkg/id/graph/reference") is None
    True
    """
    if not source_iri.startswith(_SOURCE_PREFIX):
        return None
    stem = source_iri[len(_SOURCE_PREFIX):]
    return stem if any(f.name == stem + ".trig" for f in source_files()) else None
