"""Ingest and retract articles: candidate facts reviewed, then written as one source graph.

:func:`ingest` reads an article, extracts its candidate facts with the graph's canonical
names, keeps the ones ``accept`` approves (all by default) at or above ``min_confidence``,
builds the source graph (:func:`carrierkg.ingest.facts.build_source`) and writes it in one
validated transaction (:meth:`KnowledgeGraph.add`): a failure or a kill leaves the store
with all of the source or none of it. The source's IRI comes from the hash of the text, so
ingesting the same text again finds it there and writes nothing.

:func:`retract` drops a source's graph, and with it every fact only that source states;
facts other sources also state stay, since each source graph is self-contained.

For a command-line review, :func:`prepare` extracts and :func:`commit` writes, so that the
candidates can be shown and decided on in between.

Examples
--------
>>> from carrierkg.graph.store import open_store
>>> kg = open_store("memory")
>>> text = "Northwind Telecom has acquired Southwind Mobile for $2 billion."
>>> report = ingest(kg, text, title="Northwind buys Southwind")
>>> report.accepted, report.facts, report.new_organisations
(1, 1, ['Northwind Telecom', 'Southwind Mobile'])
>>> ingest(kg, text).already_ingested
True
>>> retract(kg, report.source).quads == report.quads
True
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from carrierkg.graph.errors import AmbiguousNameError, InputError, UnknownNameError
from carrierkg.graph.store import iri, literal, python_value
from carrierkg.ingest.extract import DEFAULT_MAX_BYTES, Extraction, Relation, extract
from carrierkg.ingest.facts import build_source, clean_date, clean_url, known_names, source_iri_for
from carrierkg.ontology.namespaces import GRAPH_META, GRAPH_REFERENCE, ID

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "IngestReport",
    "Prepared",
    "RetractReport",
    "commit",
    "find_source",
    "ingest",
    "prepare",
    "read_article",
    "retract",
]

_SOURCE_NS = ID + "source/"


# ------------------------------------------------------------------------------------------
# reading the article


@dataclass
class Article:
    """An article's text, and the file it came from (if any)."""

    text: str
    file_name: str | None = None
    path: str | None = None

    @property
    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_path(value: str) -> bool:
    return len(value) < 4096 and "\n" not in value and "\x00" not in value and os.path.isfile(value)


def read_article(source: str | bytes | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """The text of an article given as a path, as bytes or as text.

    A ``str`` is a path when it names an existing file (and has no newline), else it is the
    text itself. A file larger than ``max_bytes`` is refused from its size alone, without
    reading it.

    Raises
    ------
    InputError
        The file is missing, a directory, unreadable, empty, binary, not UTF-8 or too large.

    Examples
    --------
    >>> read_article("Northwind Telecom has acquired Southwind Mobile.").file_name is None
    True
    >>> read_article(b"\\x00\\x01\\x02")
    Traceback (most recent call last):
    ...
    carrierkg.graph.errors.InputError: the input is binary, not text
    """
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _is_path(source)):
        p = Path(source)
        name = str(source)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read it: {exc.strerror or exc}") from None
        if p.is_dir():
            raise InputError(f"{name}: is a directory, not a file")
        if st.st_size == 0:
            raise InputError(f"{name}: the file is empty")
        if st.st_size > max_bytes:
            raise InputError(f"{name}: the file is {st.st_size} bytes, more than the limit of {max_bytes} "
                             "(an article is plain text of a few kB)")
        try:
            with p.open("rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read it: {exc.strerror or exc}") from None
        return Article(_decode(data, name, max_bytes), p.name, str(p))
    if isinstance(source, bytes):
        return Article(_decode(source, "the input", max_bytes))
    if isinstance(source, str):
        return Article(_check_text(source, "the input", max_bytes))
    raise InputError(f"an article must be text, bytes or a path, not {type(source).__name__}")


def _decode(data: bytes, name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise InputError(f"{name}: more than the limit of {max_bytes} bytes")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name} is binary, not text" if name == "the input" else f"{name}: the file is binary, "
                         "not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None
    return _check_text(text, name, max_bytes)


def _check_text(text: str, name: str, max_bytes: int) -> str:
    what = "the file" if name != "the input" else "the input"
    prefix = f"{name}: " if name != "the input" else ""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError(f"{prefix}{what} is more than the limit of {max_bytes} bytes")
    if "\x00" in text:
        raise InputError(f"{prefix}{what} is binary, not text")
    if not text.strip():
        raise InputError(f"{prefix}{what} is empty")
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{prefix}{what} is binary, not text")
    return text


# ------------------------------------------------------------------------------------------
# reports


@dataclass
class IngestReport:
    """What ingesting one article did."""

    source: str
    content_hash: str
    title: str | None = None
    file_name: str | None = None
    already_ingested: bool = False
    candidates: int = 0
    accepted: int = 0
    rejected: int = 0
    below_threshold: int = 0
    skipped: list[dict] = field(default_factory=list)
    facts: int = 0
    relationships: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    known_organisations: list[str] = field(default_factory=list)
    quads: int = 0

    @property
    def written(self) -> bool:
        return self.quads > 0

    def as_dict(self) -> dict:
        """A JSON-ready dict with stable snake_case keys."""
        return {**asdict(self), "written": self.written}

    def summary(self) -> str:
        """One line for a person.

        >>> IngestReport("s", "h", file_name="a.txt", already_ingested=True).summary()
        'a.txt: already ingested as s; nothing written'
        """
        who = self.file_name or self.title or self.source
        if self.already_ingested:
            return f"{who}: already ingested as {self.source}; nothing written"
        parts = [f"{self.accepted} of {self.candidates} candidate(s) accepted"]
        if self.below_threshold:
            parts.append(f"{self.below_threshold} below the confidence threshold")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if not self.written:
            return f"{who}: " + ", ".join(parts) + "; nothing written"
        orgs = len(self.new_organisations)
        return (f"{who}: " + ", ".join(parts) + f"; wrote {self.facts} fact(s), {orgs} new organisation(s), "
                f"{self.quads} quads into {self.source}")


@dataclass
class RetractReport:
    """What retracting a source removed."""

    source: str
    title: str | None
    quads: int
    facts: int
    facts_kept: int

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        kept = f"; {self.facts_kept} of them stay, stated by other sources" if self.facts_kept else ""
        title = f" ({self.title})" if self.title else ""
        return f"Retracted {self.source}{title}: {self.quads} quads, {self.facts} fact(s){kept}."


# ------------------------------------------------------------------------------------------
# ingest


@dataclass
class Prepared:
    """An article read and extracted, before anything is written."""

    article: Article
    extraction: Extraction
    source: str
    already_ingested: bool
    candidates: list[Relation]
    below_threshold: list[Relation]
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


_HAS_HASH = "ASK { GRAPH ?g { ?g ckg:contentHash ?h } }"


def prepare(kg, source: str | bytes | os.PathLike, *, min_confidence: float = 0.0, title: str | None = None,
            publisher: str | None = None, date: str | None = None, url: str | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES) -> Prepared:
    """Read an article and extract its candidate facts, with the store's canonical names.

    Raises
    ------
    InputError
        The article cannot be read (see :func:`read_article`), or a date or URL is malformed.
    ExtractionError
        The text has no words to read.
    """
    article = read_article(source, max_bytes=max_bytes)
    clean_date(date)
    url = clean_url(url)
    if not 0.0 <= float(min_confidence) <= 1.0:
        raise InputError(f"the minimum confidence must be between 0 and 1, not {min_confidence}")
    extraction = extract(article.text, known_names=known_names(kg), max_bytes=max_bytes, title=title,
                         publisher=publisher, date=date, url=url, file_name=article.file_name)
    content_hash = extraction.source.content_hash
    source_iri = source_iri_for(content_hash)
    already = kg.ask(_HAS_HASH, {"g": iri(source_iri), "h": literal(content_hash)})
    candidates = [r for r in extraction.relations if r.confidence >= min_confidence]
    below = [r for r in extraction.relations if r.confidence < min_confidence]
    return Prepared(article, extraction, source_iri, already, candidates, below, title, publisher, date, url)


def commit(kg, prepared: Prepared, accepted: list[Relation] | None = None) -> IngestReport:
    """Write the accepted candidates of a prepared article as its source graph, in one transaction.

    ``accepted`` defaults to every candidate. Nothing is written when the source is already
    in the store or no fact remains.
    """
    ex = prepared.extraction
    report = IngestReport(prepared.source, ex.source.content_hash, title=ex.source.title,
                          file_name=prepared.article.file_name, candidates=len(prepared.candidates),
                          below_threshold=len(prepared.below_threshold))
    if prepared.already_ingested or kg.count_quads(prepared.source) > 0:
        report.already_ingested = True
        report.title = _title_of(kg, prepared.source) or report.title
        return report
    accepted = list(prepared.candidates if accepted is None else accepted)
    report.accepted = len(accepted)
    report.rejected = len(prepared.candidates) - len(accepted)
    if not accepted:
        return report
    built = build_source(kg, ex, accepted, title=prepared.title, publisher=prepared.publisher,
                         date=prepared.date, url=prepared.url, file_name=prepared.article.file_name)
    report.title = built.title
    report.skipped = [s.as_dict() for s in built.skipped]
    report.new_organisations = built.new_organisations
    report.known_organisations = built.known_organisations
    if not built.facts:
        return report
    kg.add(built.quads, validate=True)
    report.facts = len(built.facts)
    report.relationships = [f.iri for f in built.facts]
    report.quads = len(built.quads)
    return report


def ingest(kg, source: str | bytes | os.PathLike, *, accept: Callable[[Relation], bool] | None = None,
           min_confidence: float = 0.0, title: str | None = None, publisher: str | None = None,
           date: str | None = None, url: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    """Read an article into the store as a new source.

    Parameters
    ----------
    kg : KnowledgeGraph
        The store to write to.
    source : str, bytes or path
        The article: a path, its bytes, or its text (see :func:`read_article`).
    accept : callable, optional
        Called with each candidate :class:`~carrierkg.ingest.extract.Relation` (at or above
        ``min_confidence``); the ones it returns true for are written. Default: all.
    min_confidence : float
        Leave out candidates with a lower confidence.
    title, publisher, date, url : str, optional
        Source metadata; by default what the article shows (title, publisher, date).
    max_bytes : int
        Refuse larger input.

    Returns
    -------
    IngestReport
        The source IRI, counts of accepted, rejected and skipped candidates, the new
        organisations, and whether the text was already there.

    Raises
    ------
    InputError
        The input is missing, empty, binary, too large; a date or URL is malformed.
    ExtractionError
        The text has no words to read.
    ValidationError, StoreError
        The source graph does not conform, or the store cannot be written; nothing is written.
    """
    prepared = prepare(kg, source, min_confidence=min_confidence, title=title, publisher=publisher, date=date,
                       url=url, max_bytes=max_bytes)
    if prepared.already_ingested:
        return commit(kg, prepared, [])
    accepted = [r for r in prepared.candidates if accept is None or accept(r)]
    return commit(kg, prepared, accepted)


# ------------------------------------------------------------------------------------------
# retract

_SOURCES = """
SELECT ?g ?title ?hash WHERE {
  GRAPH ?g { ?g a ckg:Source OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g ckg:contentHash ?hash } }
}"""


def _sources(kg) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in kg.select(_SOURCES):
        out.setdefault(r["g"].value, {"title": python_value(r["title"]), "hash": python_value(r["hash"])})
    return out


def _title_of(kg, source: str) -> str | None:
    rows = kg.select("SELECT ?t WHERE { GRAPH ?g { ?g dcterms:title ?t } }", {"g": iri(source)})
    return python_value(rows[0]["t"]) if rows else None


def _key(source: str) -> str:
    for ns in (_SOURCE_NS, ID + "graph/"):
        if source.startswith(ns):
            return source[len(ns):]
    return source


def find_source(kg, spec: str | os.PathLike) -> str:
    """The IRI of the source a person means.

    ``spec`` may be the source IRI, its key (the ``sha256-...`` key of an ingested article,
    a prefix of it, or the file stem of a bundled source), ``reference`` for the reference
    data, or the path of the article file (its text's hash finds the source).

    Raises
    ------
    UnknownNameError
        No source matches; the error lists close matches.
    InputError
        ``spec`` is a file whose text no source has.
    AmbiguousNameError
        A key prefix matches several sources.

    Examples
    --------
    >>> from carrierkg.graph.store import open_store
    >>> find_source(open_store("memory"), "004_110dc85f55a30326")
    'https://w3id.org/carrierkg/id/source/004_110dc85f55a30326'
    """
    sources = _sources(kg)
    sources.pop(GRAPH_META, None)
    text = str(spec).strip()
    if not text:
        raise UnknownNameError(text, what="source")
    if text in sources:
        return text
    if isinstance(spec, os.PathLike) or _is_path(text):
        path = Path(text)
        content_hash = read_article(path, max_bytes=max(1, path.stat().st_size)).content_hash
        for g, d in sources.items():
            if d["hash"] == content_hash:
                return g
        raise InputError(f"{text}: no source in the store has the text of this file "
                         f"({source_iri_for(content_hash).rsplit('/', 1)[-1]})")
    by_key = {_key(g): g for g in sources}
    if text in by_key:
        return by_key[text]
    low = text.lower()
    if re.fullmatch(r"sha256:[0-9a-f]{64}", low):
        for g, d in sources.items():
            if d["hash"] == low:
                return g
    bare = low.removeprefix("sha256-").removeprefix("sha256:")
    if re.fullmatch(r"[0-9a-f]{6,64}", bare):
        hits = sorted(g for g, d in sources.items()
                      if (d["hash"] or "").removeprefix("sha256:").startswith(bare))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousNameError(text, [_key(g) for g in hits], what="source")
    hits = sorted(k for k in by_key if k.startswith(text) and len(text) >= 3)
    if len(hits) == 1:
        return by_key[hits[0]]
    if len(hits) > 1:
        raise AmbiguousNameError(text, hits, what="source")
    names = {**{k: k for k in by_key}, **{(d["title"] or ""): _key(g) for g, d in sources.items()}}
    close = difflib.get_close_matches(text, [n for n in names if n], n=5, cutoff=0.5)
    close_keys = list(dict.fromkeys(names[c] for c in close))
    if not close_keys:
        close_keys = [k for k in by_key if low in k.lower() or low in (sources[by_key[k]]["title"] or "").lower()][:5]
    raise UnknownNameError(text, close_keys, what="source")


def retract(kg, source: str | os.PathLike, *, force: bool = False) -> RetractReport:
    """Remove a source: its graph, and so every fact that only it states.

    Facts other sources also state remain (each source graph describes them on its own).

    Parameters
    ----------
    kg : KnowledgeGraph
        The store.
    source : str or path
        What :func:`find_source` accepts: an IRI, a key, a bundled stem or the article's file.
    force : bool
        Needed to retract the reference data (countries and regulators).

    Raises
    ------
    UnknownNameError, AmbiguousNameError
        No source (or several) matches ``source``.
    InputError
        The reference data without ``force``.
    """
    g = find_source(kg, source)
    if g == GRAPH_REFERENCE and not force:
        raise InputError("the reference data (countries and regulators) is what other sources build on; "
                         "retract it only with force (carrierkg retract --force)")
    title = _title_of(kg, g)
    rows = kg.select("""
        SELECT (COUNT(DISTINCT ?r) AS ?n) (COUNT(DISTINCT ?kept) AS ?k) WHERE {
          GRAPH ?g { ?r ckg:source ?g . FILTER NOT EXISTS { ?r a ckg:Evidence } }
          OPTIONAL { GRAPH ?other { ?kept ckg:source ?other } FILTER(?other != ?g && ?kept = ?r) }
        }""", {"g": iri(g)})
    facts = int(python_value(rows[0]["n"]) or 0) if rows else 0
    kept = int(python_value(rows[0]["k"]) or 0) if rows else 0
    quads = kg.drop_source(g)
    return RetractReport(g, title, quads, facts, kept)
