"""The server's SERVICE check: keywords count, comments, strings, IRIs, variables and names do not."""

from __future__ import annotations

import pytest

from carrierkg.graph.server import find_oxigraph, uses_keywords


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { } }",
    "SELECT * { SeRvIcE?endpoint{ } }",
    "SELECT * { ?s ?p ?o.SERVICE <http://x/> { } }",
    "SELECT * { ?s ?p 1.SERVICE <http://x/> { } }",
    "SELECT * { \\u0053ERVICE <http://x/> { } }",
    "SELECT * { \\U00000053ervice <http://x/> { } }",
    "SELECT * { ?s ?p 'it''s' . SERVICE <http://x/> { } }",
    "SELECT * { ?s ?p '''a ' b''' . SERVICE <http://x/> { } }",
    "SELECT * { ?s ?p \"a\\\" SERVICE\" . SERVICE <http://x/> { } }",
    "SELECT * { FILTER(?a<?b) SERVICE <http://x/> { } }",
    "SELECT * { ?s ex:a\\'b ?o . SERVICE <http://x/> { } ?s ex:c\\'d ?o }",
    "SELECT * { ?s <http://x/#frag> ?o\nSERVICE <http://x/> { } }",
    "SELECT * { ?s ?p \"unterminated\n SERVICE <http://x/> { } }",
])
def test_service_is_found(query):
    assert uses_keywords(query, {"service"}) == {"service"}


@pytest.mark.parametrize("query", [
    "SELECT ?service { ?service ?p $SERVICE }",
    "SELECT * { ?s <http://example.org/service> ?o }",
    "SELECT * { ?s ex:service ?o . ?s service:x ?o . ?s ex:a\\#SERVICE ?o . _:service ?p ?o }",
    "SELECT * { ?s ?p \"SERVICE <http://x/> { }\" }  # SERVICE <http://x/> { }",
    "SELECT * { ?s ?p '''\nSERVICE <http://x/> { }\n''' }",
    "SELECT * { ?s ex:my-service ?o . ?s ex:service_area ?o }",
])
def test_service_elsewhere_is_not_a_keyword(query):
    assert uses_keywords(query, {"service"}) == set()


def test_load_is_found_in_updates():
    assert uses_keywords("LOAD <http://x/data.ttl> INTO GRAPH <http://g>", {"service", "load"}) == {"load"}
    assert uses_keywords("INSERT DATA { <http://a> ex:load 1 }", {"service", "load"}) == set()


def test_the_engine_is_installed():
    assert find_oxigraph().endswith("oxigraph")
