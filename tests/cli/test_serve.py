"""``carrierkg serve``, checked with a plain HTTP client: formats, refusals, time limits, locks.

Each server is a real ``carrierkg serve`` subprocess on 127.0.0.1 (port 0: the OS picks one; the
URL is read from its stderr), always stopped by the fixture.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException

import pyoxigraph as ox
import pytest

pytestmark = pytest.mark.server

CARRIER_NAMES = ("PREFIX ckg: <https://w3id.org/carrierkg/ontology#> "
                 "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                 "SELECT DISTINCT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name")
RUNAWAY_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
RUNAWAY_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None, timeout: float = 20.0) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def get(served, query: str, accept: str = "application/sparql-results+json", **kw):
    return http(served.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}, **kw)


def post_form(served, query: str, accept: str = "application/sparql-results+json", key: str = "query"):
    return http(served.url, data=urllib.parse.urlencode({key: query}).encode(),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def post_direct(served, query: str, accept: str = "application/sparql-results+json"):
    return http(served.url, data=query.encode(),
                headers={"Accept": accept, "Content-Type": "application/sparql-query"})


@pytest.fixture(scope="module")
def served(tmp_path_factory, serve):
    """A read-only server over a new on-disk store (built from the bundled data), short time limit."""
    store = tmp_path_factory.mktemp("served") / "store"
    with serve(store, "--timeout", "2", "--max-request-bytes", "4096") as s:
        yield s


def names_from_json(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


# -- formats, methods -----------------------------------------------------------------------------
def test_select_in_every_results_format(served):
    status, media, body = get(served, CARRIER_NAMES)
    assert (status, media) == (200, "application/sparql-results+json")
    names = names_from_json(body)
    assert "China Telecom" in names and "AT&T" in names

    status, media, body = get(served, CARRIER_NAMES, "application/sparql-results+xml")
    assert (status, media) == (200, "application/sparql-results+xml")
    xml = ox.parse_query_results(body, ox.QueryResultsFormat.XML)
    assert [s["name"].value for s in xml] == names

    status, media, body = get(served, CARRIER_NAMES, "text/tab-separated-values")
    assert (status, media) == (200, "text/tab-separated-values")
    tsv = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
    assert [s["name"].value for s in tsv] == names

    status, media, body = get(served, CARRIER_NAMES, "text/csv")
    assert (status, media) == (200, "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["name"] and [r[0] for r in rows[1:]] == names


def test_get_form_post_and_direct_post_agree(served):
    answers = {names_from_json(f(served, CARRIER_NAMES)[2]).__repr__() for f in (get, post_form, post_direct)}
    assert len(answers) == 1


def test_ask(served):
    status, _, body = get(served, 'ASK { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> "China Telecom" }')
    assert status == 200 and json.loads(body)["boolean"] is True


def test_construct_as_turtle_and_json_ld(served):
    query = ("CONSTRUCT { ?c a <https://w3id.org/carrierkg/ontology#Carrier> } "
             "WHERE { ?c a <https://w3id.org/carrierkg/ontology#Carrier> }")
    status, media, body = post_form(served, query, "text/turtle")
    assert (status, media) == (200, "text/turtle")
    triples = {q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert len(triples) > 5
    status, media, body = post_form(served, query, "application/ld+json")
    assert (status, media) == (200, "application/ld+json")
    nodes = json.loads(body)
    assert {n["@id"] for n in nodes} == {t.subject.value for t in triples}


def test_queries_see_the_union_of_the_source_graphs(served):
    status, _, body = get(served, "ASK { ?rel <https://w3id.org/carrierkg/ontology#source> ?src }")
    assert status == 200 and json.loads(body)["boolean"] is True


# -- refusals ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["update endpoint", "form on /query", "direct on /query"])
def test_update_is_refused(served, how):
    update = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/b> <http://ex/c> } }"
    if how == "update endpoint":
        status, _, body = http(served.base + "/update", data=update.encode(),
                               headers={"Content-Type": "application/sparql-update"})
    elif how == "form on /query":
        status, _, body = post_form(served, update, key="update")
    else:
        status, _, body = http(served.url, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert body.decode() == ("SPARQL Update is not allowed: this server is read-only "
                             "(start carrierkg serve with --writable to allow writes)\n")
    assert json.loads(get(served, "ASK { <http://ex/a> ?p ?o }")[2])["boolean"] is False


def test_graph_store_writes_are_refused_and_reads_work(served):
    status, _, _ = http(served.base + "/store?default", data=b"<http://ex/a> <http://ex/b> <http://ex/c> .",
                        headers={"Content-Type": "application/n-triples"}, method="PUT")
    assert status == 403
    status, media, body = http(served.base + "/store?graph=" + urllib.parse.quote(
        "https://w3id.org/carrierkg/id/source/004_110dc85f55a30326", safe=""),
        headers={"Accept": "application/n-triples"})
    assert (status, media) == (200, "application/n-triples") and b"China Telecom" in body


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\n ?x ?y \"SERVICE\" . SeRvIcE<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_federated_service_is_refused(served, query):
    for send in (get, post_form, post_direct):
        status, _, body = send(served, query)
        assert status == 403, (send.__name__, body)
        assert body.decode().startswith("federated queries (SERVICE) are not allowed on this server")


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p \"SERVICE <http://x> { }\" } LIMIT 1",
    "SELECT * WHERE { ?s <http://example.org/service> ?o } LIMIT 1  # SERVICE <http://x> {}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o } LIMIT 1",
])
def test_the_word_service_elsewhere_is_fine(served, query):
    status, _, body = get(served, query)
    assert status == 200, body


def test_oversized_requests_are_refused(served):
    big = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 " + "#" * 10_000
    status, _, body = post_direct(served, big)
    assert status == 413
    assert body.decode().startswith("the request is 10036 bytes, more than the limit of 4096 bytes")
    status, _, _ = get(served, big)
    assert status == 414
    assert get(served, "ASK {}")[0] == 200


def test_requests_for_other_host_names_are_refused(served):
    """A web page on another site cannot reach the server through a DNS name bound to 127.0.0.1."""
    status, _, body = http(served.url + "?query=ASK%7B%7D", headers={"Host": "attacker.example:7878"})
    assert status == 403 and body.startswith(b"this server answers only requests addressed to localhost")
    assert http(served.url + "?query=ASK%7B%7D", headers={"Host": "localhost"})[0] == 200


def test_a_served_store_is_not_served_twice(served, cli):
    result = cli("--store", str(served.store), "serve", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: the store at {served.store} is already being served by carrierkg serve "
                             f"(pid {served.process.pid}) at {served.url}\n")


def test_unknown_paths_and_methods(served):
    assert http(served.base + "/admin")[0] == 404
    assert http(served.url, method="DELETE")[0] == 405


# -- time limits and slow clients ---------------------------------------------------------------------
def test_a_runaway_count_is_stopped_and_the_server_keeps_serving(served):
    started = time.monotonic()
    status, _, body = get(served, RUNAWAY_COUNT)
    assert time.monotonic() - started < 10
    assert status == 503
    assert body.decode() == "the query ran longer than the time limit of 2 s and was stopped\n"
    assert names_from_json(get(served, CARRIER_NAMES)[2])


def test_a_runaway_stream_is_cut_off_and_the_server_keeps_serving(served):
    started = time.monotonic()
    try:
        status, _, _ = get(served, RUNAWAY_ROWS, timeout=30)
    except (OSError, HTTPException):
        pass  # the answer was cut off mid-stream: the client cannot take it for a complete one
    else:
        assert status == 503
    assert time.monotonic() - started < 20
    assert names_from_json(get(served, CARRIER_NAMES)[2])


def test_the_cli_on_the_server_reports_a_stopped_query_in_one_line(served, cli):
    result = cli("--store", served.url, "sparql", RUNAWAY_COUNT)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: the SPARQL endpoint at {served.url} stopped the query (HTTP 503 Service "
                             "Unavailable): the query ran longer than the time limit of 2 s and was stopped\n")
    result = cli("--store", served.url, "sparql", RUNAWAY_ROWS)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: the SPARQL endpoint at {served.url} ")


def test_a_slow_client_does_not_block_others(served):
    port = int(served.base.rsplit(":", 1)[1])
    slow = []
    try:
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 500\r\n\r\nSELECT * WHERE {")
            slow.append(s)
        started = time.monotonic()
        status, _, body = get(served, CARRIER_NAMES, timeout=10)
        assert status == 200 and names_from_json(body)
        assert time.monotonic() - started < 5
    finally:
        for s in slow:
            s.close()


# -- the store's lock while serving -----------------------------------------------------------------
def test_the_cli_reads_the_store_while_it_is_served(served, cli):
    result = cli("--store", str(served.store), "sparql", 'ASK { ?c skos:prefLabel "China Telecom" }')
    assert (result.exit_code, result.stdout) == (0, "true\n")
    result = cli("--store", str(served.store), "stats", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["quads"] > 1000


def test_a_writer_is_told_the_store_is_being_served(served, cli, files):
    started = time.monotonic()
    result = cli("--store", str(served.store), "load", str(files / "northwind.trig"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the store at {served.store} is being served by carrierkg serve (pid {served.process.pid}); "
        f"stop it, or write through the server: restart it with --writable and use --store {served.url}\n")
    assert time.monotonic() - started < 5  # told at once, not after waiting for the lock


def test_writable_server_takes_writes_and_stops_cleanly(tmp_path, cli, files, serve):
    store = tmp_path / "store"
    with serve(store, "--writable") as s:
        result = cli("--store", s.url, "load", str(files / "northwind.trig"))
        assert result.exit_code == 0, result.output
        status, _, body = get(s, 'ASK { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> "Northwind Telecom" }')
        assert status == 200 and json.loads(body)["boolean"] is True
        result = cli("--store", str(store), "sources")
        assert result.exit_code == 1
        assert result.stderr == (f"Error: the store at {store} is being served read-write by carrierkg serve "
                                 f"(pid {s.process.pid}); stop it, or use it through the server with --store {s.url}\n")
        s.process.send_signal(signal.SIGTERM)
        assert s.process.wait(timeout=15) == 0
    assert "Stopped." in s.lines
    # the lock and the engine are gone: the store opens for writing, and holds what was written
    result = cli("--store", str(store), "sparql", 'ASK { ?c skos:prefLabel "Northwind Telecom" }')
    assert (result.exit_code, result.stdout) == (0, "true\n")
    result = cli("--store", str(store), "load", str(files / "northwind.trig"))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "store.serving").exists()


def test_serving_memory_serves_the_bundled_data(tmp_path, serve):
    with serve("memory") as s:
        assert "China Telecom" in names_from_json(get(s, CARRIER_NAMES)[2])
        s.process.send_signal(signal.SIGINT)
        assert s.process.wait(timeout=15) == 0


def test_serving_a_remote_store_is_a_clear_error(cli):
    result = cli("--store", "http://127.0.0.1:9/query", "serve")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: carrierkg serve serves a local store;")
