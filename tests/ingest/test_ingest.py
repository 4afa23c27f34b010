"""Ingest and retract: facts written as one source graph, matched, idempotent, atomic, retractable."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from carrierkg.graph.errors import InputError, StoreError, UnknownNameError, ValidationError
from carrierkg.graph.store import iri, literal, open_store
from carrierkg.ingest.extract import Entity, Evidence, Extraction, Relation, SourceInfo
from carrierkg.ingest.facts import build_source, known_names, parse_money, source_iri_for
from carrierkg.ingest.ingest import commit, find_source, ingest, prepare, read_article, retract
from carrierkg.ontology.namespaces import CKG, GRAPH_META, GRAPH_REFERENCE, org_iri, source_iri

ARTICLES = Path(__file__).parent / "articles"

SHARING_WITH_BUNDLED = (
    "Carriers widen their roaming ties\n\n"
    "AT&T and China Telecom agreed to share Wi-Fi hotspots in the United States and China.\n\n"
    "Harbor Telecom and China Telecom Corporation signed a partnership agreement on Monday.\n"
)
# the bundled source 004 states this sharing deal: its IRI is the same from any source
BUNDLED_SHARING = "https://w3id.org/carrierkg/id/rel/sharing-1ef6a2b85aed6e0cea07"
BUNDLED_SOURCE = source_iri("004_110dc85f55a30326")


def snapshot(kg) -> set:
    """Every quad but the store's bookkeeping (whose generation token changes on each write)."""
    return {q for q in kg.quads() if q.graph_name != ox.NamedNode(GRAPH_META)}


def labels_of(kg, cls: str) -> set[str]:
    rows = kg.select("SELECT ?l WHERE { ?o a ?c ; skos:prefLabel ?l }", {"c": iri(cls)})
    return {r["l"].value for r in rows}


@pytest.fixture
def kg():
    return open_store("memory")


# -- ingest -----------------------------------------------------------------------------------


def test_ingested_facts_are_queryable(kg):
    report = ingest(kg, ARTICLES / "spectrum_award.txt", date="2024-03-01", url="https://example.org/n/1")
    assert report.written and not report.already_ingested
    assert report.source == source_iri_for(report.content_hash)
    assert report.source.rsplit("/", 1)[-1].startswith("sha256-")
    assert report.accepted == 3 and report.facts == 3 and report.skipped == []
    rows = kg.select("""
        SELECT ?issuer ?licensee ?type WHERE {
          ?l a ckg:Licence ; ckg:issuer/skos:prefLabel ?issuer ; ckg:licensee/skos:prefLabel ?licensee ;
             ckg:licenceType ?type ; ckg:source ?src ; ckg:evidence ?ev .
          ?ev ckg:start ?s ; ckg:end ?e ; ckg:source ?src .
        } ORDER BY ?licensee""", {"src": iri(report.source)})
    assert [(r["issuer"].value, r["licensee"].value) for r in rows] == [
        ("Regulatory Authority of Examplia", "Eastgate Mobile"),
        ("Regulatory Authority of Examplia", "Northwind Telecom"),
    ]
    assert {r["type"].value.rsplit("/", 1)[-1] for r in rows} == {"spectrum"}
    # the source is described like the bundled ones
    desc = kg.select("""
        SELECT ?title ?date ?url ?file ?hash ?method ?conf WHERE { GRAPH ?g {
          ?g a ckg:Source ; dcterms:title ?title ; dcterms:date ?date ; schema:url ?url ; ckg:fileName ?file ;
             ckg:contentHash ?hash ; ckg:extractionMethod ?method ; ckg:confidence ?conf } }""",
                     {"g": iri(report.source)})[0]
    assert desc["title"].value == "Examplia regulator awards 5G spectrum"
    assert desc["date"].datatype.value.endswith("#date") and desc["date"].value == "2024-03-01"
    assert desc["url"].value == "https://example.org/n/1"
    assert (desc["file"].value, desc["method"].value) == ("spectrum_award.txt", "rules")
    assert desc["hash"].value == report.content_hash
    assert 0 < float(desc["conf"].value) <= 1
    # the whole store still conforms
    kg.validate_quads(list(kg.quads()), what="the store")


def test_answers_work_on_ingested_facts(kg):
    questions = pytest.importorskip("carrierkg.graph.questions")
    ingest(kg, ARTICLES / "merger_mvno.txt")
    a = questions.answer(kg, "who partners with Greenleaf Connect")
    assert "Southwind Mobile" in {r["partner"] for r in a.rows}


def test_new_organisations_have_their_type(kg):
    report = ingest(kg, ARTICLES / "subsea_vendor.txt")
    assert {"Coral Link", "Ericsson", "Zenotek", "Harbor Telecom"} <= set(report.new_organisations)
    assert "Ericsson" in labels_of(kg, CKG.Vendor)
    assert "Coral Link" in labels_of(kg, CKG.JointVenture)
    assert "Harbor Telecom" in labels_of(kg, CKG.Carrier)
    # three parents of one venture: one formation node with all of them
    rows = kg.select("SELECT ?f (COUNT(?p) AS ?n) WHERE { ?f a ckg:JointVentureFormation ; ckg:parent ?p ; "
                     "ckg:source ?s } GROUP BY ?f", {"s": iri(report.source)})
    assert [int(r["n"].value) for r in rows] == [3]
    # the removed vendor: a supply relationship with status removed
    assert kg.ask("ASK { ?s a ckg:SupplyRelationship ; ckg:supplier ?v ; ckg:status status:removed . "
                  "?v skos:prefLabel ?name }", {"name": literal("Zenotek")})


def test_known_organisations_are_matched_by_alias(kg):
    before = labels_of(kg, CKG.Carrier)
    report = ingest(kg, SHARING_WITH_BUNDLED)
    assert "China Telecom" in report.known_organisations and "AT&T" in report.known_organisations
    assert "China Telecom Corporation" not in labels_of(kg, CKG.Carrier)
    assert labels_of(kg, CKG.Carrier) - before == {"Harbor Telecom"}
    # the alias the article used is kept, on the existing IRI
    assert kg.ask("ASK { ?o skos:altLabel ?a }", {"o": iri(org_iri("China Telecom")),
                                                  "a": literal("China Telecom Corporation")})
    # the same fact as the bundled data: one node, two sources
    sources = {r["s"].value for r in kg.select("SELECT ?s WHERE { ?r ckg:source ?s }", {"r": iri(BUNDLED_SHARING)})}
    assert sources == {BUNDLED_SOURCE, report.source}
    kg.validate_quads(list(kg.quads()), what="the store")


def test_a_known_organisation_with_a_country_is_described_with_it(kg):
    # BT is known with its country (GB): the new source graph must describe GB too, or it
    # would not validate on its own
    text = "Northwind Telecom signed a partnership agreement with BT on Tuesday, the companies said.\n"
    report = ingest(kg, text)
    assert report.facts == 1
    rows = kg.select("SELECT ?label WHERE { GRAPH ?g { ?bt ckg:country ?c . ?c skos:prefLabel ?label } }",
                     {"g": iri(report.source), "bt": iri(org_iri("BT"))})
    assert [r["label"].value for r in rows] == ["United Kingdom"]


def test_same_text_twice_changes_nothing(kg):
    first = ingest(kg, ARTICLES / "tower_jv.txt")
    before = snapshot(kg)
    generation = kg.generation()
    again = ingest(kg, (ARTICLES / "tower_jv.txt").read_text(encoding="utf-8"))
    assert again.already_ingested and not again.written and again.source == first.source
    assert snapshot(kg) == before and kg.generation() == generation


def test_retract_round_trip(kg):
    before = snapshot(kg)
    report = ingest(kg, ARTICLES / "merger_mvno.txt")
    assert snapshot(kg) != before
    r = retract(kg, ARTICLES / "merger_mvno.txt")
    assert r.source == report.source and r.quads == report.quads and r.facts == report.facts
    assert snapshot(kg) == before


def test_a_fact_another_source_states_survives(kg):
    before = snapshot(kg)
    report = ingest(kg, SHARING_WITH_BUNDLED)
    r = retract(kg, report.source.rsplit("/", 1)[-1])
    assert r.facts_kept == 1
    assert snapshot(kg) == before
    assert kg.ask("ASK { ?r a ckg:InfrastructureSharingDeal ; ckg:source ?s }",
                  {"r": iri(BUNDLED_SHARING), "s": iri(BUNDLED_SOURCE)})


def test_min_confidence_and_accept_filter(kg):
    report = ingest(kg, ARTICLES / "denied_application.txt", min_confidence=0.8)
    assert report.below_threshold == 2 and report.accepted == 1
    assert not kg.ask("ASK { ?a a ckg:LicenceApplication ; ckg:source ?s }", {"s": iri(report.source)})
    retract(kg, report.source)
    report = ingest(kg, ARTICLES / "denied_application.txt", accept=lambda r: r.type == "licence_application")
    assert (report.accepted, report.rejected) == (1, 2)
    row = kg.select("SELECT ?st WHERE { ?a a ckg:LicenceApplication ; ckg:status ?st ; ckg:source ?s }",
                    {"s": iri(report.source)})
    assert [r["st"].value.rsplit("/", 1)[-1] for r in row] == ["denied"]


def test_nothing_accepted_writes_nothing(kg):
    before = snapshot(kg)
    report = ingest(kg, ARTICLES / "tower_jv.txt", accept=lambda r: False)
    assert (report.accepted, report.rejected, report.written) == (0, 2, False)
    assert snapshot(kg) == before


def test_a_failed_validation_writes_nothing(kg, monkeypatch):
    from carrierkg.graph.store import KnowledgeGraph

    def refuse(self, quads, *, what="the data"):
        raise ValidationError(f"{what} does not conform (injected)")

    before = snapshot(kg)
    monkeypatch.setattr(KnowledgeGraph, "validate_quads", refuse)
    with pytest.raises(ValidationError):
        ingest(kg, ARTICLES / "subsea_vendor.txt")
    assert snapshot(kg) == before


def test_a_write_that_fails_half_way_writes_nothing(kg, monkeypatch):
    before = snapshot(kg)
    real = kg.store

    class Failing:
        def __getattr__(self, name):
            return getattr(real, name)

        def extend(self, quads):
            def some():
                for i, q in enumerate(quads):
                    if i == 10:
                        raise OSError("disk on fire")
                    yield q
            real.extend(some())

    monkeypatch.setattr(kg, "store", Failing())
    with pytest.raises(StoreError):
        ingest(kg, ARTICLES / "subsea_vendor.txt")
    monkeypatch.setattr(kg, "store", real)
    assert snapshot(kg) == before


def test_invalid_relations_are_skipped_with_a_reason(kg):
    text = "A note\n\nNorthwind Telecom acquired Southwind Mobile in 2021."
    extraction = _extraction(text, [("Northwind Telecom", "Carrier"), ("Southwind Mobile", "Carrier")], [
        ("acquisition", "Northwind Telecom", "Southwind Mobile", {"kind": "acquisition", "date": "2021"}),
        # a licence needs a regulator as its issuer
        ("licence_grant", "Northwind Telecom", "Southwind Mobile", {"licence_type": "mobile"}),
        ("regulates", "Northwind Telecom", "Atlantis", {}),
    ])
    built = build_source(kg, extraction)
    assert [f.kind for f in built.facts] == ["Acquisition"]
    reasons = {s.relation.type: s.reason for s in built.skipped}
    assert "regulator" in reasons["licence_grant"]
    assert "Atlantis" in reasons["regulates"]


# -- hostile names ----------------------------------------------------------------------------

HOSTILE = [
    'Quote "Telecom" Ltd',
    "Brace } Mobile { Networks",
    "Back\\slash Communications",
    "Line\nBreak Telecom",
    "DROP ALL Telecom",
    '"} ; DROP ALL ; INSERT DATA { <x> <y> <z> } #',
    "中国电信",
    "Мегафон",
]


def _extraction(text: str, entities, relations) -> Extraction:
    import hashlib

    ents = [Entity(n, t) for n, t in entities]
    rels = [Relation(t, s, o, d, Evidence(0, len(text), text), 0.9) for t, s, o, d in relations]
    h = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return Extraction(SourceInfo("A test article", None, None, h, len(text)), ents, rels)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_ingest_and_query(kg, name):
    text = f"Northwind Telecom partners with {name}."
    extraction = _extraction(text, [("Northwind Telecom", "Carrier"), (name, "Carrier")],
                             [("partnership", "Northwind Telecom", name, {})])
    built = build_source(kg, extraction)
    assert built.skipped == [] and len(built.facts) == 1
    n_before = kg.count_quads()
    kg.add(built.quads)
    assert kg.count_quads() == n_before + len(built.quads)
    shown = " ".join(name.split())
    rows = kg.select("SELECT ?p WHERE { ?r a ckg:Partnership ; ckg:party ?o, ?p . ?o skos:prefLabel ?name . "
                     "?p skos:prefLabel ?pn FILTER(?p != ?o) }", {"name": literal(shown)})
    assert [r["p"].value for r in rows] == [org_iri("Northwind Telecom")]
    names = pytest.importorskip("carrierkg.graph.names")
    assert names.resolve(kg, name).label == shown
    # and retracting it leaves the store as it was
    retract(kg, built.source)
    assert kg.count_quads() == n_before


def test_hostile_article_text_and_metadata(kg):
    text = ("Northwind Telecom has acquired Southwind Mobile for $2 billion.\n\n"
            '"} ; DROP ALL ; 中国电信 and Мегафон were not mentioned { } \\ here.')
    report = ingest(kg, text, title='Title "with" } braces\nand DROP ALL', publisher="Pub\\lisher")
    assert report.written
    rows = kg.select("SELECT ?t ?p WHERE { GRAPH ?g { ?g dcterms:title ?t ; dcterms:publisher ?p } }",
                     {"g": iri(report.source)})
    assert rows[0]["t"].value == 'Title "with" } braces\nand DROP ALL'
    assert rows[0]["p"].value == "Pub\\lisher"
    assert kg.count_quads(GRAPH_REFERENCE) > 100  # nothing dropped


# -- input errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"   \n\n  ", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is binary, not text"),
    (b"caf\xe9 au lait", "not UTF-8 text"),
])
def test_bad_files_fail_before_anything_is_written(kg, tmp_path, content, message):
    f = tmp_path / "article.txt"
    f.write_bytes(content)
    before = snapshot(kg)
    with pytest.raises(InputError) as exc:
        ingest(kg, f)
    assert str(exc.value) == f"{f}: {message}"
    assert snapshot(kg) == before


def test_a_huge_file_fails_fast_without_being_read(kg, tmp_path, monkeypatch):
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(100 * 1024 * 1024)  # sparse: 100 MB
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(InputError, match="more than the limit of 5242880"):
        ingest(kg, f)
    assert f not in opened
    with pytest.raises(InputError, match="more than the limit of 100"):
        read_article("x" * 200, max_bytes=100)


def test_bad_metadata(kg):
    with pytest.raises(InputError, match="YYYY"):
        ingest(kg, ARTICLES / "tower_jv.txt", date="last week")
    with pytest.raises(InputError, match="http"):
        ingest(kg, ARTICLES / "tower_jv.txt", url="javascript:alert(1)")


# -- retract ----------------------------------------------------------------------------------


def test_find_source_by_iri_key_prefix_stem_and_file(kg):
    report = ingest(kg, ARTICLES / "tower_jv.txt")
    key = report.source.rsplit("/", 1)[-1]
    assert find_source(kg, report.source) == report.source
    assert find_source(kg, key) == report.source
    assert find_source(kg, key[:14]) == report.source
    assert find_source(kg, report.content_hash) == report.source
    assert find_source(kg, ARTICLES / "tower_jv.txt") == report.source
    assert find_source(kg, str(ARTICLES / "tower_jv.txt")) == report.source
    assert find_source(kg, "004_110dc85f55a30326") == BUNDLED_SOURCE
    assert find_source(kg, "reference") == GRAPH_REFERENCE


def test_unknown_source_lists_close_matches(kg):
    with pytest.raises(UnknownNameError) as exc:
        find_source(kg, "004_110dc85f55a3032x")
    assert "004_110dc85f55a30326" in str(exc.value)
    with pytest.raises(InputError, match="no source in the store has the text"):
        retract(kg, ARTICLES / "tower_jv.txt")


def test_retracting_the_reference_data_needs_force(kg):
    before = snapshot(kg)
    with pytest.raises(InputError, match="force"):
        retract(kg, "reference")
    assert snapshot(kg) == before
    assert retract(kg, GRAPH_REFERENCE, force=True).quads > 100


def test_retract_a_bundled_source(kg):
    r = retract(kg, "004_110dc85f55a30326")
    assert r.facts == 5 and r.quads > 0
    assert kg.count_quads(BUNDLED_SOURCE) == 0


# -- the parts --------------------------------------------------------------------------------


def test_prepare_then_commit(kg):
    prepared = prepare(kg, ARTICLES / "spectrum_award.txt")
    assert not prepared.already_ingested and len(prepared.candidates) == 3
    report = commit(kg, prepared, prepared.candidates[:1])
    assert (report.accepted, report.rejected, report.facts) == (1, 2, 1)
    assert prepare(kg, ARTICLES / "spectrum_award.txt").already_ingested


def test_known_names_are_canonical(kg):
    names = known_names(kg)
    assert names["China Telecom"] == "China Telecom"
    assert names["MIIT"] == "Ministry of Industry and Information Technology"


def test_money():
    assert parse_money("EUR 1.2 billion") == (pytest.approx(1.2e9), "EUR")
    assert parse_money("£500m")[1] == "GBP"
    assert parse_money("a lot") is None


@pytest.mark.parametrize("name", ["carrierkg.ingest.facts", "carrierkg.ingest.ingest"])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
