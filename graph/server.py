"""Serve a store over the SPARQL 1.1 Protocol: Oxigraph's server behind a small filtering proxy.

The engine is Oxigraph's own HTTP server (the ``oxigraph`` executable of the pip package
``oxigraph``), started on a private loopback port. It parses and evaluates the queries,
negotiates the result formats (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML and
JSON-LD for CONSTRUCT and DESCRIBE) and refuses updates when read-only.

In front of it, a thin proxy adds what the engine cannot be told to do:

* federated ``SERVICE`` calls (and ``LOAD <url>`` in updates) are refused with 403, because
  they make the server fetch any URL a caller names; ``allow_service=True`` lets them through;
* SPARQL Update is refused with 403 unless the server is writable;
* requests larger than ``max_request_bytes`` are refused with 413;
* every client has its own thread and a socket time limit, so a slow client blocks no one;
* a query that runs longer than ``timeout`` seconds is stopped and answered with 503 (Oxigraph's
  own time limit covers only part of a query's life, and reports a stop inside a 200 answer).

The proxy forwards exactly the query it checked, re-encoded, so what Oxigraph runs is what the
checks saw.

Examples
--------
>>> uses_keywords('SELECT * { ?s ?p ?o }', {"service"})
set()
>>> uses_keywords('SELECT * { # SERVICE <x> {}\\n ?s ?p "SERVICE <x>" . SeRvIcE <http://e/> { } }', {"service"})
{'service'}
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from carrierkg.graph.errors import StoreError

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "SparqlServer",
    "find_oxigraph",
    "serving",
    "uses_keywords",
]

#: Largest request body (or URL) accepted: read-only servers (queries) and writable ones (data).
DEFAULT_MAX_REQUEST_BYTES = {False: 1 << 20, True: 100 << 20}

_CANCELLED = b"operation has been cancelled"  # what Oxigraph writes into an answer it stops
_HOLD_BACK = 128  # bytes of a streamed answer kept back until we know it ended well
_STATIC = {"/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg", "/favicon.ico"}


# -- the SERVICE check -------------------------------------------------------------------------
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_STRING = {"'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S),
                '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S)}
_SHORT_STRING = {"'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'"), '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"')}


def _unescape_codepoints(text: str) -> str:
    """SPARQL's ``\\uXXXX`` escapes, which apply to the whole query before it is parsed."""

    def repl(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return m.group(0)
        return chr(code)

    return _UNICODE_ESCAPE.sub(repl, text)


def _code_only(text: str) -> str:
    """The query with comments, strings and IRIs blanked out, so only keywords and names remain.

    Where the text is not valid SPARQL (an unterminated string), the rest is kept as code: a
    check that sees too much refuses a broken query, one that sees too little lets SERVICE by.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = min((j for j in (text.find("\n", i), text.find("\r", i)) if j != -1), default=n)
            out.append(" ")
            i = end
        elif c in "'\"":
            m = None
            if text.startswith(c * 3, i):
                m = _LONG_STRING[c * 3].match(text, i)
            if m is None:
                m = _SHORT_STRING[c].match(text, i)
            if m is None:
                out.append(" ")
                i += 1
            else:
                out.append(" ")
                i = m.end()
        elif c == "<":
            m = _IRIREF.match(text, i)
            out.append(" ")
            i = m.end() if m else i + 1
        elif c == "\\":  # a local-name escape such as ex:a\#b: part of the name
            out.append("__")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def uses_keywords(text: str, keywords: set[str]) -> set[str]:
    """Which of ``keywords`` (lower case) the SPARQL text uses as keywords.

    Comments, strings, IRIs, variables (``?service``) and prefixed names (``ex:service``) do not
    count. Conservative where the text is not valid SPARQL.
    """
    code = _code_only(_unescape_codepoints(text))
    words = "|".join(re.escape(k) for k in sorted(keywords))
    found = re.findall(rf"(?<![\w:?$\\%-])({words})(?![\w:-])", code, re.IGNORECASE)
    return {w.lower() for w in found}


# -- finding and running Oxigraph ---------------------------------------------------------------
def find_oxigraph() -> str:
    """The path of the ``oxigraph`` server executable (``$CARRIERKG_OXIGRAPH`` overrides).

    Raises
    ------
    StoreError
        It is not installed.
    """
    env = os.environ.get("CARRIERKG_OXIGRAPH")
    if env:
        if not (Path(env).is_file() and os.access(env, os.X_OK)):
            raise StoreError(f"CARRIERKG_OXIGRAPH={env} is not an executable file")
        return env
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the Oxigraph server is not installed; install it with: pip install 'carrierkg[server]'")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: have the engine terminated if carrierkg dies without stopping it (kill -9)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _Engine:
    """The Oxigraph server process, on 127.0.0.1 and a private port."""

    def __init__(self, location: Path, *, writable: bool, timeout: float):
        self.location, self.writable, self.timeout = location, writable, timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.output: deque[str] = deque(maxlen=20)

    def start(self, *, attempts: int = 3, wait: float = 20.0) -> None:
        exe = find_oxigraph()
        last = ""
        for _ in range(attempts):
            self.port = _free_port()
            command = [exe, "serve" if self.writable else "serve-read-only", "--location", str(self.location),
                       "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
                       "--timeout-s", str(max(1, round(self.timeout)))]
            self.output.clear()
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches carrierkg, which stops the engine in order
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
            threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
            if self._wait_ready(wait):
                return
            last = self.last_words()
            self.stop()
            if "address" not in last.lower():  # not a port taken in the meantime: trying again won't help
                break
        raise StoreError(f"the Oxigraph server did not start{': ' + last if last else ''}")

    def _drain(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace").strip()
            if line:
                self.output.append(line)

    def _wait_ready(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                time.sleep(0.05)  # let the drain thread catch the last words
                return False
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
            time.sleep(0.05)
        return False

    def last_words(self) -> str:
        lines = [line for line in self.output if not line.startswith("Listening")]
        return lines[-1] if lines else ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if process.stdout is not None:
            with contextlib.suppress(OSError):
                process.stdout.close()


# -- the proxy ----------------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, handler, proxy: SparqlServer):
        self.proxy = proxy
        self._slots = threading.BoundedSemaphore(proxy.max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            body = b"too many connections; try again in a moment\n"
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _IPv6HTTPServer(_HTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "carrierkg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        self.timeout = self.server.proxy.client_timeout  # a slow client gives up its thread
        super().setup()

    def log_message(self, format, *args):  # the library never prints
        pass

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_HEAD(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    def do_OPTIONS(self):
        self._handle()

    # -- dispatch ----------------------------------------------------------------------------
    def _handle(self) -> None:
        self.close_connection = True
        proxy = self.server.proxy
        try:
            if proxy.loopback_only and not _is_local_host(self.headers.get("Host", "")):
                # A web page the user visits cannot reach this server by a DNS name pointing at 127.0.0.1.
                raise _Refused(403, "this server answers only requests addressed to localhost or 127.0.0.1")
            if len(self.path) > proxy.max_request_bytes:
                raise _Refused(414, f"the request URL is longer than the limit of {proxy.max_request_bytes} bytes")
            path, _, query_string = self.path.partition("?")
            if path in ("/query", "/sparql"):
                self._sparql(query_string)
            elif path == "/update":
                self._sparql(query_string, update_only=True)
            elif path == "/store":
                self._store(query_string)
            elif path in _STATIC and self.command in ("GET", "HEAD"):
                self._forward(self.command, path, b"", {})
            else:
                raise _Refused(404, f"{self.command} {path} is not served here; send SPARQL queries to /query")
        except _Refused as exc:
            self._reply(exc.status, exc.message)
            if exc.status in (411, 413):
                self._discard_rest()
        except (OSError, http.client.HTTPException):
            pass  # the client went away or was too slow; nothing left to tell it

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send the request with a Content-Length, not chunked")
        raw = self.headers.get("Content-Length")
        if raw is None:
            if self.command in ("POST", "PUT", "PATCH"):
                raise _Refused(411, "a Content-Length header is required")
            return b""
        try:
            length = int(raw)
        except ValueError:
            raise _Refused(400, "the Content-Length header is not a number") from None
        limit = self.server.proxy.max_request_bytes
        if length < 0:
            raise _Refused(400, "the Content-Length header is negative")
        if length > limit:
            raise _Refused(413, f"the request is {length} bytes, more than the limit of {limit} bytes")
        data = self.rfile.read(length)
        if len(data) < length:
            raise OSError("the client sent less than its Content-Length")
        return data

    def _sparql(self, query_string: str, *, update_only: bool = False) -> None:
        proxy = self.server.proxy
        if self.command not in ("GET", "POST"):
            raise _Refused(405, f"{self.command} is not allowed here; use GET or POST")
        params = _params(query_string)
        body = self._body() if self.command == "POST" else b""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        text: str | None = None
        is_update = update_only
        if self.command == "POST" and media == "application/x-www-form-urlencoded":
            params += _params(_text(body))
        elif self.command == "POST" and media in ("application/sparql-query", "application/sparql-update"):
            text = _text(body)
            is_update = is_update or media == "application/sparql-update"
        elif self.command == "POST":
            raise _Refused(415, "send the query as application/sparql-query, application/sparql-update "
                                "or a form (application/x-www-form-urlencoded)")
        queries = [v for k, v in params if k == "query"]
        updates = [v for k, v in params if k == "update"]
        if text is None:
            if len(queries) + len(updates) != 1:
                raise _Refused(400, "send exactly one query (or update) parameter")
            is_update = is_update or bool(updates)
            text = (updates or queries)[0]
        elif queries or updates:
            raise _Refused(400, "send the query either in the body or as a parameter, not both")
        if is_update and not proxy.writable:
            raise _Refused(403, "SPARQL Update is not allowed: this server is read-only "
                                "(start carrierkg serve with --writable to allow writes)")
        if not proxy.allow_service:
            keywords = uses_keywords(text, {"service", "load"} if is_update else {"service"})
            if "service" in keywords:
                raise _Refused(403, "federated queries (SERVICE) are not allowed on this server "
                                    "(start carrierkg serve with --allow-service to allow them)")
            if "load" in keywords:
                raise _Refused(403, "LOAD is not allowed on this server: it fetches a URL "
                                    "(start carrierkg serve with --allow-service to allow it)")
        graph_params = ("using-graph-uri", "using-named-graph-uri") if is_update else \
            ("default-graph-uri", "named-graph-uri")
        forwarded = urllib.parse.urlencode([(k, v) for k, v in params if k in graph_params])
        target = ("/update" if is_update else "/query") + (f"?{forwarded}" if forwarded else "")
        media_out = "application/sparql-update" if is_update else "application/sparql-query"
        self._forward("POST", target, text.encode("utf-8"), {"Content-Type": f"{media_out}; charset=utf-8"},
                      is_query=not is_update)

    def _store(self, query_string: str) -> None:
        proxy = self.server.proxy
        if self.command not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            raise _Refused(405, f"{self.command} is not allowed on /store")
        if self.command not in ("GET", "HEAD") and not proxy.writable:
            raise _Refused(403, "writing is not allowed: this server is read-only "
                                "(start carrierkg serve with --writable to allow writes)")
        params = [(k, v) for k, v in _params(query_string) if k in ("graph", "default")]
        body = self._body()
        headers = {}
        if self.headers.get("Content-Type"):
            headers["Content-Type"] = self.headers["Content-Type"]
        target = "/store" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        self._forward(self.command, target, body, headers, is_query=self.command == "GET")

    # -- talking to the engine -------------------------------------------------------------------
    def _forward(self, method: str, target: str, body: bytes, headers: dict[str, str], *,
                 is_query: bool = False) -> None:
        proxy = self.server.proxy
        headers = {**headers, "Accept": self.headers.get("Accept") or "*/*", "Connection": "close"}
        if body or method in ("POST", "PUT"):
            headers["Content-Length"] = str(len(body))
        deadline = time.monotonic() + proxy.timeout + 0.5
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.engine.port, timeout=proxy.timeout + 1)
        try:
            try:
                upstream.request(method, target, body=body or None, headers=headers)
                upstream.sock.settimeout(max(0.05, deadline - time.monotonic()))
                response = upstream.getresponse()
            except TimeoutError:
                raise _Refused(503, self._stopped()) from None
            except (OSError, http.client.HTTPException):
                raise _Refused(502, "the SPARQL engine is not answering") from None
            self._relay(response, deadline, upstream, is_query=is_query)
        finally:
            upstream.close()

    def _stopped(self) -> str:
        return f"the query ran longer than the time limit of {self.server.proxy.timeout:g} s and was stopped"

    def _relay(self, response: http.client.HTTPResponse, deadline: float, upstream, *, is_query: bool) -> None:
        """Pass the engine's answer on; buffered while small, so a stop can still become a 503."""
        buffer_limit = self.server.proxy.buffer_bytes
        buffered = bytearray()
        streaming = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                upstream.sock.settimeout(remaining)
                chunk = response.read1(65536) if self.command != "HEAD" else b""
                if not chunk:
                    break
                buffered += chunk
                if not streaming and len(buffered) > buffer_limit:
                    self._start(response.status, response.reason, response.getheader("Content-Type"), None)
                    streaming = True
                if streaming and len(buffered) > _HOLD_BACK:
                    self._chunk(bytes(buffered[:-_HOLD_BACK]))
                    del buffered[:-_HOLD_BACK]
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            if streaming:
                raise OSError("stopped mid-answer") from exc  # no final chunk: the client sees a cut answer
            if isinstance(exc, TimeoutError):
                raise _Refused(503, self._stopped()) from None
            raise _Refused(502, "the SPARQL engine broke off its answer") from None
        if is_query and _CANCELLED in bytes(buffered[-200:]):
            if streaming:
                raise OSError("the engine stopped the query mid-answer")
            raise _Refused(503, self._stopped())
        if streaming:
            self._chunk(bytes(buffered))
            self.wfile.write(b"0\r\n\r\n")
            return
        self._start(response.status, response.reason, response.getheader("Content-Type"), len(buffered))
        if self.command != "HEAD":
            self.wfile.write(bytes(buffered))

    def _start(self, status: int, reason: str, content_type: str | None, length: int | None) -> None:
        self.send_response(status, reason)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Vary", "Accept")
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _discard_rest(self, limit: int = 1 << 20) -> None:
        """Read (a bounded part of) a refused body, so closing does not reset the connection
        before the client has read why it was refused."""
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(1.0)
            while limit > 0:
                chunk = self.connection.recv(min(65536, limit))
                if not chunk:
                    break
                limit -= len(chunk)

    def _reply(self, status: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)


def _is_local_host(host_header: str) -> bool:
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "the request is not UTF-8 text") from None


def _params(query_string: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(query_string, keep_blank_values=True, strict_parsing=False,
                                      encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _Refused(400, "the request parameters are not valid UTF-8") from None


class SparqlServer:
    """Oxigraph's server for a store directory, behind the filtering proxy.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`); :meth:`wait` blocks
    until :meth:`stop` is called or the engine dies.
    """

    def __init__(self, location: str | Path, *, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = 30.0, allow_service: bool = False, writable: bool = False,
                 max_request_bytes: int | None = None, max_connections: int = 64,
                 client_timeout: float = 30.0, buffer_bytes: int = 4 << 20):
        if timeout <= 0:
            raise StoreError("the time limit must be more than 0 seconds")
        self.location = Path(location)
        self.host, self.port = host, port
        self.timeout = float(timeout)
        self.allow_service, self.writable = allow_service, writable
        self.max_request_bytes = max_request_bytes or DEFAULT_MAX_REQUEST_BYTES[writable]
        self.max_connections, self.client_timeout, self.buffer_bytes = max_connections, client_timeout, buffer_bytes
        self.engine = _Engine(self.location, writable=writable, timeout=self.timeout)
        self.loopback_only = _is_local_host(host)
        self.failure: str | None = None
        self._httpd: _HTTPServer | None = None
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The query URL (SPARQL Update goes to the same URL, or ``/update``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    def start(self) -> SparqlServer:
        try:
            cls = _IPv6HTTPServer if ":" in self.host else _HTTPServer
            self._httpd = cls((self.host, self.port), _Handler, self)
        except OSError as exc:
            reason = "the port is in use" if exc.errno in (98, 48) else (exc.strerror or str(exc)).lower()
            raise StoreError(f"cannot serve on {self.host}:{self.port}: {reason}") from None
        self.port = self._httpd.server_address[1]
        try:
            self.engine.start()
        except BaseException:
            self._httpd.server_close()
            raise
        for target in (self._httpd.serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _watch(self) -> None:
        while not self._stopped.wait(0.5):
            if not self.engine.alive():
                words = self.engine.last_words()
                self.failure = "the Oxigraph server stopped unexpectedly" + (f": {words}" if words else "")
                self._stopped.set()

    def wait(self) -> None:
        """Block until the server is stopped (interruptible by signals)."""
        while not self._stopped.wait(0.5):
            pass

    def stop(self) -> None:
        self._stopped.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        self.engine.stop()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def serving(spec: str | Path | None, **options) -> Iterator[SparqlServer]:
    """Serve a local store (a directory, ``None`` for the default, or ``"memory"``) while in the block.

    The store is built first if new. A read-only server holds the store's lock shared, like any
    reader, so the CLI can keep answering questions from it while writers are told why they wait;
    a writable server holds it alone. ``"memory"`` serves the bundled data from a temporary store
    that is deleted afterwards. ``options`` are those of :class:`SparqlServer`.
    """
    from carrierkg.graph.store import _lock_path, _serving_path, default_store_path, open_store

    writable = bool(options.get("writable"))
    if spec is None:
        spec = default_store_path()
    spec_s = str(spec)
    if spec_s.startswith(("http://", "https://")):
        raise StoreError("carrierkg serve serves a local store; the store you named is already a SPARQL "
                         "endpoint (query it with --store URL)")
    with contextlib.ExitStack() as stack:
        if spec_s == "memory":
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="carrierkg-serve-")))
            path = folder / "store"
        else:
            path = Path(spec_s).expanduser()
        note = _serving_path(_lock_path(path))
        _check_not_served(note, path)
        kg = open_store(path, read_only=not writable)
        lock, kg._lock = kg._lock, None  # keep the lock; let the engine open the store
        kg.close()
        del kg
        if lock is not None:
            stack.callback(lock.release)
        server = stack.enter_context(SparqlServer(path, **options))
        if spec_s != "memory":
            with contextlib.suppress(OSError):
                note.write_text(f"{os.getpid()} {int(writable)} {server.url}")
                stack.callback(_remove_note, note)
        yield server


def _check_not_served(note: Path, path: Path) -> None:
    try:
        pid_s, _, url = note.read_text().split(" ", 2)
        os.kill(int(pid_s), 0)
    except (OSError, ValueError):
        return
    if int(pid_s) != os.getpid():
        raise StoreError(f"the store at {path} is already being served by carrierkg serve "
                         f"(pid {pid_s}) at {url.strip()}")


def _remove_note(note: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        if int(note.read_text().split(" ", 1)[0]) == os.getpid():
            note.unlink()
