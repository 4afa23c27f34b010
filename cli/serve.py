"""Sharing the graph over HTTP: ``serve`` the store as a SPARQL endpoint."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from carrierkg.cli.common import fail, info, state

__all__ = ["register"]


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address makes the graph readable by others on the network.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port).")]
    = 7878,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, metavar="SECONDS",
                                           help="Stop a query that runs (or streams its answer) longer than this.")]
    = 30.0,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow federated SERVICE queries "
                                                "(and LOAD), which make the server fetch URLs callers name.")]
    = False,
    max_request_bytes: Annotated[int | None, typer.Option(
        "--max-request-bytes", min=1, metavar="N",
        help="Refuse larger requests with 413 [default: 1 MiB, or 100 MiB with --writable].")] = None,
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL Update and Graph Store writes. "
                                           "The CLI then reads and writes the store through the server.")]
    = False,
) -> None:
    """Serve the store over the SPARQL 1.1 Protocol, with Oxigraph's server as the engine.

    Queries go to /query (GET or POST); results come as SPARQL JSON, XML, CSV or TSV, and
    CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD, by content negotiation
    (Accept header). Queries see the union of all sources' named graphs. The server is
    read-only unless --writable; federated SERVICE calls are refused unless --allow-service.

    While a read-only server runs, ask, sparql and the other reading commands keep working on
    the store directory; load and other writers are refused with a message (write through a
    --writable server with --store URL instead). --store memory serves the bundled data from a
    temporary store. Stop with Ctrl-C.

    \b
    Examples:
      carrierkg serve
      carrierkg serve --port 8080 --timeout 10
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 5' http://127.0.0.1:7878/query
      carrierkg serve --writable &  carrierkg --store http://127.0.0.1:7878/query load deals.trig
    """
    from carrierkg.graph.server import serving

    def stop(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    failure = None
    try:
        with serving(state.store, host=host, port=port, timeout=timeout, allow_service=allow_service,
                     max_request_bytes=max_request_bytes, writable=writable) as server:
            mode = "read-write" if writable else "read-only"
            what = "the bundled data (in memory)" if state.store == "memory" else f"the store {server.location}"
            info(f"Serving {what} ({mode}) at {server.url}")
            if writable:
                info(f"SPARQL Update: {server.url} (or .../update); use it with: carrierkg --store {server.url} ...")
            if not _is_loopback(host):
                info(f"Warning: listening on {host}: anyone who can reach this machine can query the graph.")
            info("Press Ctrl-C to stop.")
            server.wait()
            failure = server.failure
    except KeyboardInterrupt:
        info("Stopped.")
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if failure:
        fail(failure)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
