"""A knowledge graph held by a remote SPARQL 1.1 endpoint (Fuseki, GraphDB, Virtuoso, ...).

:class:`RemoteGraph` speaks the SPARQL 1.1 Protocol: queries are POSTed as
``application/sparql-query``, writes as one ``application/sparql-update`` request. Results
come back as the same pyoxigraph objects the embedded store returns (``QuerySolutions``,
``QueryBoolean``, ``QueryTriples``), so every command works unchanged.

The endpoint must answer queries over the union of its named graphs (carrierkg keeps one
named graph per source):

=================  ==========================================  =================================
server             query URL / update URL                      union default graph
=================  ==========================================  =================================
Oxigraph server    ``http://host:7878/query`` / ``.../update``  ``oxigraph serve --union-default-graph``
Apache Jena Fuseki ``http://host:3030/ds/query`` / ``/ds/update``  ``tdb2:unionDefaultGraph true``
GraphDB            ``http://host:7200/repositories/R`` /        default behaviour
                   ``.../repositories/R/statements``
Virtuoso           ``http://host:8890/sparql`` (both)            default behaviour
Amazon Neptune     ``https://host:8182/sparql`` (both)           default behaviour
=================  ==========================================  =================================

Credentials come only from the environment, never from the command line or the URL:
``CARRIERKG_ENDPOINT_USER`` and ``CARRIERKG_ENDPOINT_PASSWORD`` (HTTP basic auth) or
``CARRIERKG_ENDPOINT_TOKEN`` (a bearer token). ``CARRIERKG_HTTP_TIMEOUT`` sets the time
limit of one request in seconds (default 30).

A remote store is never filled from the bundled data behind the user's back (it belongs to
a team); ``carrierkg --store URL load --bundled`` does it on request.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version

import pyoxigraph as ox

from carrierkg.graph.errors import QueryError, QueryTimeoutError, RemoteError
from carrierkg.graph.store import _HEADER_LINES, _PREFIX_HEADER, KnowledgeGraph, bind

__all__ = ["DEFAULT_TIMEOUT", "RemoteGraph", "display_url"]

#: Seconds one HTTP request may take unless ``CARRIERKG_HTTP_TIMEOUT`` or ``timeout`` says otherwise.
DEFAULT_TIMEOUT = 30.0

_RESULTS_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples before it had a media type of its own
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
# Results of SELECT/ASK and of CONSTRUCT/DESCRIBE, in the order we like to parse them.
_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
           "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")


def display_url(url: str) -> str:
    """The URL without user info, query or fragment: safe to show in messages.

    >>> display_url("https://kg.example.org/ds/query?x=1")
    'https://kg.example.org/ds/query'
    """
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _timeout_from_env() -> float:
    raw = os.environ.get("CARRIERKG_HTTP_TIMEOUT")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise RemoteError(f"CARRIERKG_HTTP_TIMEOUT must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise RemoteError(f"CARRIERKG_HTTP_TIMEOUT must be more than 0 seconds, not {raw!r}")
    return value


def _user_agent() -> str:
    try:
        return f"carrierkg/{version('carrierkg')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "carrierkg"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are errors: following one could send our credentials to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class RemoteGraph(KnowledgeGraph):
    """A knowledge graph held by a SPARQL 1.1 endpoint.

    Parameters
    ----------
    url
        The query URL, e.g. ``http://localhost:7878/query``.
    update_url
        The SPARQL Update URL when it differs from the query URL (Oxigraph ``/update``,
        Fuseki ``/ds/update``, GraphDB ``/repositories/R/statements``).
    read_only
        Refuse writes.
    timeout
        Seconds one request may take (default ``$CARRIERKG_HTTP_TIMEOUT`` or 30).

    Examples
    --------
    >>> kg = RemoteGraph("http://localhost:7878/query", update_url="http://localhost:7878/update")
    >>> kg
    <RemoteGraph http://localhost:7878/query>
    """

    def __init__(self, url: str, *, update_url: str | None = None, read_only: bool = False,
                 timeout: float | None = None):
        self.url = self._check_url(url, "--store")
        self.update_url = self._check_url(update_url, "--update-url") if update_url else self.url
        self.location = display_url(self.url)
        self.read_only = read_only
        self.timeout = float(timeout) if timeout is not None else _timeout_from_env()
        self._opener = urllib.request.build_opener(_NoRedirect)

    @staticmethod
    def _check_url(url: str, option: str) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"{option} {display_url(url)!r} is not an http(s) URL of a SPARQL endpoint")
        if parts.username is not None or parts.password is not None:
            raise RemoteError(
                f"{option} must not hold credentials; set CARRIERKG_ENDPOINT_USER and "
                "CARRIERKG_ENDPOINT_PASSWORD (or CARRIERKG_ENDPOINT_TOKEN) in the environment instead")
        return url

    # -- HTTP ------------------------------------------------------------------------------
    def _auth_header(self) -> str | None:
        token = os.environ.get("CARRIERKG_ENDPOINT_TOKEN")
        if token:
            return f"Bearer {token}"
        user = os.environ.get("CARRIERKG_ENDPOINT_USER")
        if user:
            password = os.environ.get("CARRIERKG_ENDPOINT_PASSWORD", "")
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return None

    def _post(self, url: str, body: str, content_type: str, *, accept: str | None = None,
              what: str = "query") -> tuple[str, bytes]:
        """POST ``body``; returns (media type, content). Every failure is one RemoteError line."""
        headers = {"Content-Type": f"{content_type}; charset=utf-8", "User-Agent": _user_agent()}
        if accept:
            headers["Accept"] = accept
        auth = self._auth_header()
        if auth:
            headers["Authorization"] = auth
        request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
        where = display_url(url)
        try:
            deadline = time.monotonic() + self.timeout
            with self._opener.open(request, timeout=self.timeout) as response:
                media = response.headers.get_content_type()
                chunks = []
                while chunk := response.read1(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:  # the limit is for the whole answer, not each read
                        raise TimeoutError
                data = b"".join(chunks)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, where, what) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise self._timeout_error(where, what) from None
            raise RemoteError(f"cannot reach the SPARQL endpoint at {where}: {_reason(reason)}") from None
        except TimeoutError:
            raise self._timeout_error(where, what) from None
        except http.client.HTTPException as exc:  # e.g. an answer cut off mid-stream
            raise RemoteError(f"the SPARQL endpoint at {where} broke off its answer to the {what} "
                              f"({type(exc).__name__}); it may have stopped a long query") from None
        except (ConnectionError, OSError) as exc:  # reset while reading the answer, ...
            raise RemoteError(f"cannot reach the SPARQL endpoint at {where}: {_reason(exc)}") from None
        return media, data

    def _timeout_error(self, where: str, what: str) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"the SPARQL endpoint at {where} did not answer the {what} within {self.timeout:g} s "
            "(set CARRIERKG_HTTP_TIMEOUT to wait longer)")

    @staticmethod
    def _http_error(exc: urllib.error.HTTPError, where: str, what: str) -> Exception:
        try:
            raw = exc.read(4096)
        except (OSError, ValueError):
            raw = b""
        text = raw.decode("utf-8", errors="replace")
        message = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if message.lstrip().startswith("<"):  # an HTML error page: its first line says nothing
            message = ""
        status = f"HTTP {exc.code} {exc.reason}".strip()
        if exc.code in (301, 302, 303, 307, 308):
            target = exc.headers.get("Location", "")
            return RemoteError(f"the SPARQL endpoint at {where} redirects to {display_url(target) or 'elsewhere'}"
                               f" ({status}); use that URL instead")
        if exc.code in (401, 403):
            if exc.code == 401:
                hint = "; set CARRIERKG_ENDPOINT_USER and CARRIERKG_ENDPOINT_PASSWORD, or CARRIERKG_ENDPOINT_TOKEN"
            else:
                hint = "" if message else "; check the credentials in the environment and the server's rights"
            detail = f": {message}" if message else ""
            return RemoteError(f"the SPARQL endpoint at {where} refused the {what} ({status}){detail}{hint}")
        detail = f": {message}" if message else ""
        if exc.code == 400 and what == "query":
            detail = _user_lines(detail)
            return QueryError(f"the SPARQL endpoint at {where} rejected the query ({status}){detail}")
        lowered = message.lower()
        if exc.code in (500, 503, 504) and ("timeout" in lowered.replace(" ", "") or "time limit" in lowered
                                             or "timed out" in lowered):
            return QueryTimeoutError(f"the SPARQL endpoint at {where} stopped the {what} ({status}){detail}")
        return RemoteError(f"the SPARQL endpoint at {where} answered the {what} with {status}{detail}")

    # -- queries ---------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, object] | None):
        text = _PREFIX_HEADER + (bind(query, bindings) if bindings else query)
        media, data = self._post(self.url, text, "application/sparql-query", accept=_ACCEPT)
        where = display_url(self.url)
        try:
            if media in _RESULTS_TYPES:
                return ox.parse_query_results(data, format=_RESULTS_TYPES[media])
            if media in _GRAPH_TYPES:
                return _as_query_triples(ox.parse(data, format=_GRAPH_TYPES[media]))
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"the SPARQL endpoint at {where} sent results that cannot be read: "
                              f"{' '.join(str(exc).split())}") from None
        raise RemoteError(f"the server at {where} did not answer with SPARQL results (it sent {media}); "
                          "is this the URL of its SPARQL query endpoint?")

    # -- writes ----------------------------------------------------------------------------
    def _write(self, quads: Sequence[ox.Quad], drop_graphs: Sequence[str] = ()) -> None:
        """Drop graphs and insert quads in one SPARQL Update request (atomic where the server is)."""
        self._check_writable()
        if not quads and not drop_graphs:
            return
        self._post(self.update_url, update_text(quads, drop_graphs,
                                                [self._generation_quad(), self._schema_quad()]),
                   "application/sparql-update", what="update")

    # -- export ----------------------------------------------------------------------------
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad in a named graph (a union default graph leaves no separate default graph)."""
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return iter([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows])


def update_text(quads: Sequence[ox.Quad], drop_graphs: Sequence[str] = (),
                extra: Sequence[ox.Quad] = ()) -> str:
    """One SPARQL Update request: ``DROP SILENT GRAPH`` each graph, then one ``INSERT DATA``.

    Terms are serialized by pyoxigraph, so no text in the data can change the request.

    >>> q = ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal('a" }'),
    ...             ox.NamedNode("http://ex/g"))
    >>> print(update_text([q], ["http://ex/old"]))
    DROP SILENT GRAPH <http://ex/old> ;
    INSERT DATA {
    GRAPH <http://ex/g> {
    <http://ex/s> <http://ex/p> "a\\" }" .
    }
    }
    """
    ops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in drop_graphs]
    by_graph: dict[str, list[str]] = {}
    for q in [*quads, *extra] if quads or drop_graphs else []:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    if by_graph:
        blocks = []
        for graph, lines in by_graph.items():
            body = "\n".join(lines)
            blocks.append(f"GRAPH {graph} {{\n{body}\n}}" if graph else body)
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(ops)


def _as_query_triples(quads) -> ox.QueryTriples:
    """The triples of a CONSTRUCT answer as the ``QueryTriples`` the embedded store returns."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


_POSITION_RES = (re.compile(r"\bat (\d+):(\d+)"), re.compile(r"\b([Ll]ine) (\d+)(?=, column)"))


def _user_lines(message: str) -> str:
    """A server's error position, counted in the user's query rather than after our prefixes."""
    message = _POSITION_RES[0].sub(
        lambda m: f"at {max(1, int(m.group(1)) - _HEADER_LINES)}:{m.group(2)}", message)
    return _POSITION_RES[1].sub(lambda m: f"{m.group(1)} {max(1, int(m.group(2)) - _HEADER_LINES)}", message)


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the TLS certificate cannot be verified ({reason.verify_message})"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return " ".join(str(reason).split()) or type(reason).__name__
