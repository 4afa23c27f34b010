"""Questions: every form in several wordings, robust parsing, answers with sources."""

from __future__ import annotations

import pytest

from carrierkg.graph.errors import AmbiguousNameError, NoAnswerError, UnknownNameError
from carrierkg.graph.questions import FORMS, Question, answer, parse_question

WORDINGS = [
    # partners
    ("who partners with China Telecom", "partners", {"org": "China Telecom"}),
    ("Who partners with China Telecom?", "partners", {"org": "China Telecom"}),
    ("WHO PARTNERS WITH 'China Telecom'", "partners", {"org": "China Telecom"}),
    ("China Telecom's partners", "partners", {"org": "China Telecom"}),
    ("China Telecom’s partners?", "partners", {"org": "China Telecom"}),
    ("partners of China Telecom", "partners", {"org": "China Telecom"}),
    ("who are the partners of China Telecom", "partners", {"org": "China Telecom"}),
    ("who are China Telecom's partners", "partners", {"org": "China Telecom"}),
    ("who does China Telecom partner with", "partners", {"org": "China Telecom"}),
    ("which companies work with China Telecom", "partners", {"org": "China Telecom"}),
    ('"who partners with China Telecom?"', "partners", {"org": "China Telecom"}),
    # sharing
    ("who does AT&T share infrastructure with", "sharing", {"org": "AT&T"}),
    ("who does AT&T share towers with?", "sharing", {"org": "AT&T"}),
    ("who does AT&T share its network with", "sharing", {"org": "AT&T"}),
    ("who shares infrastructure with China Telecom", "sharing", {"org": "China Telecom"}),
    ("which carriers share towers with AT&T", "sharing", {"org": "AT&T"}),
    ("infrastructure sharing partners of AT&T", "sharing", {"org": "AT&T"}),
    ("AT&T's infrastructure-sharing deals", "sharing", {"org": "AT&T"}),
    # licences held
    ("which licences does BT hold", "licences", {"org": "BT"}),
    ("Which licenses does BT hold?", "licences", {"org": "BT"}),
    ("what licences does BT have", "licences", {"org": "BT"}),
    ("what licences has BT got", "licences", {"org": "BT"}),
    ("what licenses has BT received", "licences", {"org": "BT"}),
    ("who licensed BT", "licences", {"org": "BT"}),
    ("which regulator licensed BT", "licences", {"org": "BT"}),
    ("BT's licences", "licences", {"org": "BT"}),
    ("licences held by BT", "licences", {"org": "BT"}),
    ("licences of the BT Group", "licences", {"org": "the BT Group"}),
    # licences granted
    ("what has MIIT licensed", "licensed_by", {"org": "MIIT"}),
    ("who has MIIT licensed?", "licensed_by", {"org": "MIIT"}),
    ("which carriers has MIIT licensed", "licensed_by", {"org": "MIIT"}),
    ("which licences has MIIT granted", "licensed_by", {"org": "MIIT"}),
    ("what licences has the MIIT issued", "licensed_by", {"org": "the MIIT"}),
    ("licences issued by MIIT", "licensed_by", {"org": "MIIT"}),
    ("who has been licensed by MIIT", "licensed_by", {"org": "MIIT"}),
    # regulators
    ("who regulates BT", "regulators", {"org": "BT"}),
    ("which regulator oversees China", "regulators", {"org": "China"}),
    ("Which regulator oversees the PRC?", "regulators", {"org": "the PRC"}),
    ("what authority regulates China", "regulators", {"org": "China"}),
    ("who is BT's regulator", "regulators", {"org": "BT"}),
    ("who is the regulator of China", "regulators", {"org": "China"}),
    ("the telecom regulator in China", "regulators", {"org": "China"}),
    ("China's regulators", "regulators", {"org": "China"}),
    # owners
    ("who owns EE", "owners", {"org": "EE"}),
    ("who owns BT China Communications Limited?", "owners", {"org": "BT China Communications Limited"}),
    ("who is the parent of BT China Communications", "owners", {"org": "BT China Communications"}),
    ("parent of BT China Communications", "owners", {"org": "BT China Communications"}),
    ("BT China Communications' parent company", "owners", {"org": "BT China Communications"}),
    ("who acquired EE", "owners", {"org": "EE"}),
    ("who is EE owned by", "owners", {"org": "EE"}),
    # holdings
    ("what does BT own", "holdings", {"org": "BT"}),
    ("subsidiaries of BT", "holdings", {"org": "BT"}),
    ("what are the subsidiaries of BT", "holdings", {"org": "BT"}),
    ("what are BT's subsidiaries", "holdings", {"org": "BT"}),
    ("BT's subsidiaries", "holdings", {"org": "BT"}),
    ("which companies does BT own", "holdings", {"org": "BT"}),
    ("what has BT acquired", "holdings", {"org": "BT"}),
    # joint ventures
    ("which joint ventures is AT&T in", "joint_ventures", {"org": "AT&T"}),
    ("which joint ventures is AT&T part of?", "joint_ventures", {"org": "AT&T"}),
    ("what joint ventures does China Telecom have", "joint_ventures", {"org": "China Telecom"}),
    ("which JVs has AT&T formed", "joint_ventures", {"org": "AT&T"}),
    ("joint ventures of China Telecom", "joint_ventures", {"org": "China Telecom"}),
    ("China Telecom's joint ventures", "joint_ventures", {"org": "China Telecom"}),
    # suppliers
    ("who supplies BT", "suppliers", {"org": "BT"}),
    ("which vendors supply BT", "suppliers", {"org": "BT"}),
    ("who are BT's suppliers", "suppliers", {"org": "BT"}),
    ("BT's vendors", "suppliers", {"org": "BT"}),
    ("suppliers of BT", "suppliers", {"org": "BT"}),
    ("who does BT buy equipment from", "suppliers", {"org": "BT"}),
    # removed vendors
    ("which vendors were removed from BT", "removed_vendors", {"org": "BT"}),
    ("which vendors were removed from BT's network?", "removed_vendors", {"org": "BT"}),
    ("who was banned from BT's network", "removed_vendors", {"org": "BT"}),
    ("which suppliers did BT remove", "removed_vendors", {"org": "BT"}),
    ("who did BT ban", "removed_vendors", {"org": "BT"}),
    ("removed vendors of BT", "removed_vendors", {"org": "BT"}),
    # connection
    ("how is BT connected to China Telecom", "connection", {"a": "BT", "b": "China Telecom"}),
    ("How is BT linked to China Telecom?", "connection", {"a": "BT", "b": "China Telecom"}),
    ("how are BT and China Telecom connected", "connection", {"pair": "BT and China Telecom"}),
    ("path from BT to China Telecom", "connection", {"a": "BT", "b": "China Telecom"}),
    ("what is the shortest path from BT to AT&T", "connection", {"a": "BT", "b": "AT&T"}),
    ("connection between BT and AT&T", "connection", {"pair": "BT and AT&T"}),
    ("what links BT and AT&T", "connection", {"pair": "BT and AT&T"}),
    # central
    ("which carriers are most central", "central", {"measure": "pagerank", "top": 10, "types": ["Carrier"]}),
    ("Which carriers are the most connected?", "central", {"measure": "degree", "top": 10, "types": ["Carrier"]}),
    ("most connected carriers", "central", {"measure": "degree", "top": 10, "types": ["Carrier"]}),
    ("most central organisations", "central", {"measure": "pagerank", "top": 10}),
    ("top carriers", "central", {"measure": "degree", "top": 10, "types": ["Carrier"]}),
    ("top 5 carriers", "central", {"measure": "degree", "top": 5, "types": ["Carrier"]}),
    ("who are the most influential companies", "central", {"measure": "pagerank", "top": 10}),
    ("top 3 carriers by betweenness", "central", {"measure": "betweenness", "top": 3, "types": ["Carrier"]}),
    # operating in
    ("which carriers operate in China", "operating_in", {"place": "China"}),
    ("Which carriers operate in China?", "operating_in", {"place": "China"}),
    ("who operates in the United Kingdom", "operating_in", {"place": "the United Kingdom"}),
    ("which companies are active in China", "operating_in", {"place": "China"}),
    ("carriers in China", "operating_in", {"place": "China"}),
    ("operators operating in China", "operating_in", {"place": "China"}),
    # profile
    ("what do we know about BT", "profile", {"org": "BT"}),
    ("tell me about China Telecom", "profile", {"org": "China Telecom"}),
    ("Tell me everything about China Telecom!", "profile", {"org": "China Telecom"}),
    ("who is AT&T", "profile", {"org": "AT&T"}),
    ("what is Shanghai Symphony Telecommunications", "profile",
     {"org": "Shanghai Symphony Telecommunications"}),
    ("profile of BT", "profile", {"org": "BT"}),
    ("show BT", "profile", {"org": "BT"}),
]


@pytest.mark.parametrize(("text", "form", "args"), WORDINGS, ids=[w[0] for w in WORDINGS])
def test_wordings(text, form, args):
    assert parse_question(text) == Question(form, args)


def test_every_form_has_wordings_and_examples_that_parse():
    tested = {form for _, form, _ in WORDINGS}
    assert tested == {f.name for f in FORMS}
    for f in FORMS:
        for example in f.examples:
            assert parse_question(example).form == f.name, example


@pytest.mark.parametrize("text", ["", "   ", "?", "why is the sky blue", "hello", "carriers"])
def test_unmappable_questions(text):
    with pytest.raises(NoAnswerError) as err:
        parse_question(text)
    assert "\n" not in str(err.value)
    assert len(err.value.forms) == len(FORMS)


# -- answers on the bundled data --------------------------------------------------------------

def titles(row):
    return sorted(s["title"] for s in row["sources"])


def test_partners_of_china_telecom(bundled_kg):
    a = answer(bundled_kg, "who partners with China Telecom")
    att = [r for r in a.rows if r["partner"] == "AT&T"]
    assert {r["relation"] for r in att} >= {"infrastructure_sharing", "joint_venture"}
    jv = next(r for r in att if r["relation"] == "joint_venture")
    assert jv["via"] == "Shanghai Symphony Telecommunications"
    assert all(r["sources"] and r["partner_iri"].endswith("/org/at-t") for r in att)
    assert "VALUES ?org { <https://w3id.org/carrierkg/id/org/china-telecom> }" in a.sparql


def test_licences_of_bt(bundled_kg):
    a = answer(bundled_kg, "which licences does BT hold")
    assert [r["licence_type"] for r in a.rows] == ["ip-vpn", "isp"]
    for r in a.rows:
        assert r["issuer"] == "Ministry of Industry and Information Technology"
        assert r["scope"] == "nationwide" and r["jurisdiction"] == ["China"]
        holders = {h["holder"]: h["held_through"] for h in r["holders"]}
        assert holders == {"BT": None, "BT China Communications Limited": "subsidiary of BT"}
        assert len(r["sources"]) == 2


def test_other_forms_on_bundled_data(bundled_kg):
    def ask(q):
        return answer(bundled_kg, q)

    assert [r["regulator"] for r in ask("which regulator oversees China").rows] == [
        "Ministry of Industry and Information Technology"]
    assert "Ministry of Industry and Information Technology" in [r["regulator"] for r in ask("who regulates BT").rows]
    assert {r["licensee"] for r in ask("what has MIIT licensed").rows} == {"BT", "BT China Communications Limited"}
    assert [r["owner"] for r in ask("who owns EE").rows] == ["BT"]
    assert {r["holding"] for r in ask("what does BT own").rows} == {"BT China Communications Limited", "EE"}
    jv = ask("which joint ventures is AT&T in").rows
    assert [(r["venture"], r["partners"]) for r in jv] == [("Shanghai Symphony Telecommunications", ["China Telecom"])]
    assert [r["supplier"] for r in ask("who was banned from BT's network").rows] == ["Huawei"]
    assert [r["supplier"] for r in ask("who supplies BT").rows] == ["Huawei"]
    operators = {r["organisation"] for r in ask("which carriers operate in China").rows}
    assert {"China Telecom", "China Unicom", "BT"} <= operators
    assert ask("how is BT connected to China Telecom").rows[-1]["to"] == "China Telecom"
    assert ask("how are AT&T and China Telecom connected").rows[0]["to"] == "China Telecom"
    assert ask("which carriers are most central").rows[0]["type"] == "Carrier"
    profile = ask("what do we know about BT")
    assert profile.info["organisation"]["aliases"] == ["BT Group", "British Telecom"]
    assert {"acquired", "licensed by", "owns"} <= {r["relationship"] for r in profile.rows}
    assert [r["partner"] for r in ask("who does AT&T share infrastructure with").rows] == ["China Telecom"]


def test_pair_with_and_inside_a_name(bundled_kg):
    a = answer(bundled_kg, "how are Ministry of Industry and Information Technology and BT connected")
    assert a.rows[0]["from"] == "Ministry of Industry and Information Technology"


def test_as_of_in_answers(example_kg):
    assert [r["partner"] for r in answer(example_kg, "who partners with Delta Wireless").rows] == [
        "Cobalt Networks"]
    assert answer(example_kg, "who partners with Delta Wireless", as_of="2022").rows == []
    assert [r["partner"] for r in answer(example_kg, "who partners with Aurora", as_of="2013").rows] == [
        "Borealis Mobile"]


def test_relations_in_answers(example_kg):
    rows = answer(example_kg, "who partners with Aurora", relations=["sharing"]).rows
    assert [r["partner"] for r in rows] == ["Cobalt Networks"]


def test_names_in_answers(bundled_kg, example_kg):
    with pytest.raises(UnknownNameError, match="Did you mean: China Telecom"):
        answer(bundled_kg, "who partners with Chna Telecom")
    with pytest.raises(AmbiguousNameError):
        answer(example_kg, "who partners with Nova")
    with pytest.raises(UnknownNameError, match="no place named"):
        answer(bundled_kg, "which carriers operate in Atlantis")


def test_every_row_has_sources_and_iris(bundled_kg):
    for q in ["who partners with China Telecom", "which licences does BT hold", "who regulates China",
              "who owns EE", "what does BT own", "which joint ventures is AT&T in", "who supplies BT",
              "which carriers operate in China", "tell me about BT", "what has MIIT licensed",
              "how is BT connected to China Telecom"]:
        a = answer(bundled_kg, q)
        assert a.rows, q
        for r in a.rows:
            assert r["sources"], (q, r)
            assert all(set(s) == {"iri", "title", "url"} for s in r["sources"])
            assert any(k.endswith("_iri") for k in r), (q, r)
