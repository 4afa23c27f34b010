"""carrierkg.graph.validate: the named-graph rules, context, inputs and the report."""

from __future__ import annotations

import doctest
import importlib

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from carrierkg.graph.errors import InputError
from carrierkg.graph.validate import (
    ValidationReport,
    Violation,
    ontology_graph,
    relationship_classes,
    shapes_graph,
    validate,
)
from carrierkg.ontology.namespaces import CKG, ID

# the package exports the function validate under the module's name
validate_module = importlib.import_module("carrierkg.graph.validate")

PREFIXES = """
@prefix ckg: <https://w3id.org/carrierkg/ontology#> .
@prefix source: <https://w3id.org/carrierkg/id/source/> .
@prefix orgid: <https://w3id.org/carrierkg/id/org/> .
@prefix country: <https://w3id.org/carrierkg/id/country/> .
@prefix rel: <https://w3id.org/carrierkg/id/rel/> .
@prefix lt: <https://w3id.org/carrierkg/vocab/licence-type/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

SOURCE = 'source:t a ckg:Source ; dcterms:title "Northwind Telecom gets a licence" .'
ORGS = """
orgid:northwind-telecom a ckg:Carrier ; skos:prefLabel "Northwind Telecom" .
orgid:ruritania-authority a ckg:Regulator ; skos:prefLabel "Ruritania Communications Authority" .
"""
LICENCE = """
rel:licence-t a ckg:Licence ;
    ckg:licensee orgid:northwind-telecom ;
    ckg:issuer orgid:ruritania-authority ;
    ckg:licenceType lt:isp ;
    ckg:source source:t .
"""
GOOD = PREFIXES + "source:t {" + SOURCE + ORGS + LICENCE + "}"

SRC_T = ID + "source/t"
REL = ID + "rel/licence-t"


def dataset(trig: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    return ds


def quads(trig: str) -> list[ox.Quad]:
    return list(ox.parse(trig, format=ox.RdfFormat.TRIG))


def messages(report: ValidationReport) -> list[str]:
    return [v.message for v in report.violations]


# -- inputs --------------------------------------------------------------------------------

def test_rdflib_dataset_and_oxigraph_quads_give_the_same_report():
    assert validate(dataset(GOOD)).conforms
    assert validate(quads(GOOD)).conforms
    bad = GOOD.replace("ckg:issuer orgid:ruritania-authority ;", "")
    assert validate(dataset(bad)).text() == validate(quads(bad)).text()


def test_subclass_typing_is_respected():
    # The licensee is only typed ckg:Carrier; the shape asks for a ckg:Organization.
    report = validate(quads(GOOD))
    assert report.conforms, report.text()


def test_a_plain_graph_is_the_default_graph():
    g = Graph()
    g.parse(data=PREFIXES + SOURCE + ORGS + LICENCE, format="turtle")
    report = validate(g)
    assert not report.conforms
    assert any("not in the default graph" in m for m in messages(report))


def test_a_graph_with_an_iri_identifier_is_that_named_graph():
    ds = dataset(GOOD)
    report = validate(ds.graph(URIRef(SRC_T)))
    assert report.conforms, report.text()


def test_rdflib_quad_tuples_are_accepted():
    ds = dataset(GOOD)
    assert validate(list(ds.quads((None, None, None, None)))).conforms


def test_oxigraph_triples_count_as_the_default_graph():
    triples = [q.triple for q in quads(GOOD)]
    report = validate(triples)
    assert any("not in the default graph" in m for m in messages(report))


def test_oxigraph_literals_keep_datatype_and_language():
    data = quads(GOOD.replace('"Northwind Telecom"', '"Northwind Telecom"@en'))
    report = validate(data)
    assert not report.conforms
    assert "non-empty plain string" in report.text()


@pytest.mark.parametrize("bad", ["source:t a ckg:Source .", b"bytes", 42, [object()]])
def test_unusable_input_raises_input_error(bad):
    with pytest.raises(InputError):
        validate(bad)


def test_empty_data_conforms():
    assert validate([]).conforms
    assert validate(Dataset()).conforms


# -- the named-graph rules ---------------------------------------------------------------

def test_relationship_in_the_default_graph():
    trig = PREFIXES + "source:t {" + SOURCE + ORGS + "}" + LICENCE
    report = validate(quads(trig))
    assert not report.conforms
    assert len(report.violations) == 1
    v = report.violations[0]
    assert v.focus == REL
    assert v.graph is None
    assert "not in the default graph" in v.message


def test_a_stray_triple_about_a_relationship_in_the_default_graph():
    trig = GOOD + PREFIXES + 'rel:licence-t ckg:scope "nationwide" .'
    report = validate(quads(trig))
    assert [v.focus for v in report.violations] == [REL]
    assert "not in the default graph" in report.violations[0].message


def test_relationship_typed_only_in_the_context_still_counts():
    extra = PREFIXES + 'rel:licence-t ckg:scope "nationwide" .'
    context = [q for q in quads(GOOD)]
    report = validate(quads(extra), context=context)
    assert "not in the default graph" in report.text()


def test_relationship_naming_another_graph_as_its_source():
    trig = GOOD.replace("ckg:source source:t .", "ckg:source source:other .") + (
        PREFIXES + 'source:other { source:other a ckg:Source ; dcterms:title "Another" . }')
    report = validate(quads(trig))
    assert not report.conforms
    assert len(report.violations) == 1
    v = report.violations[0]
    assert (v.focus, v.path, v.graph, v.value) == (REL, CKG.source, SRC_T, SRC_T)
    assert "must name the graph it lives in as its source (ckg:source source:t)" in v.message


def test_extra_sources_are_fine_when_the_own_graph_is_one_of_them():
    trig = GOOD.replace("ckg:source source:t .", "ckg:source source:t, source:other .") + (
        PREFIXES + 'source:other { source:other a ckg:Source ; dcterms:title "Another" . }')
    assert validate(quads(trig)).conforms


def test_graph_with_relationships_but_no_source_description():
    trig = PREFIXES + SOURCE + "source:t {" + ORGS + LICENCE + "}"
    report = validate(quads(trig))
    assert not report.conforms
    assert len(report.violations) == 1
    v = report.violations[0]
    assert v.focus == SRC_T and v.graph == SRC_T
    assert "must describe its source" in v.message


def test_missing_source_breaks_the_shape_and_the_graph_rule():
    trig = GOOD.replace("    ckg:source source:t .", "    ckg:scope \"nationwide\" .")
    report = validate(quads(trig))
    text = report.text()
    assert "at least one source" in text
    assert "must name the graph it lives in" in text


def test_the_shipped_relationship_classes_come_from_the_ontology():
    classes = relationship_classes()
    assert CKG.Relationship in classes and CKG.MarketPresence in classes
    assert CKG.Carrier not in classes


# -- context ---------------------------------------------------------------------------------

def test_context_supplies_types_of_what_the_data_refers_to():
    data = PREFIXES + "source:t {" + SOURCE + LICENCE + "}"
    assert not validate(quads(data)).conforms
    report = validate(quads(data), context=quads(PREFIXES + ORGS))
    assert report.conforms, report.text()


def test_context_is_not_reported_on():
    # The store's copy of an organisation lacks a name; new data does not mention it.
    context = quads(PREFIXES + "orgid:nameless a ckg:Carrier .")
    report = validate(quads(GOOD), context=context)
    assert report.conforms, report.text()


def test_context_can_reveal_a_conflict_with_the_data():
    context = quads(PREFIXES + 'orgid:northwind-telecom skos:prefLabel "Northwind Telecom Group" .')
    report = validate(quads(GOOD), context=context)
    assert not report.conforms
    assert "exactly one name" in report.text()


def test_context_is_not_changed_and_data_is_not_changed():
    ds = dataset(GOOD)
    before = len(ds)
    context = Graph()
    validate(ds, context=context)
    assert len(ds) == before
    assert len(context) == 0


# -- the report ----------------------------------------------------------------------------

def test_violation_fields():
    trig = GOOD.replace("ckg:issuer orgid:ruritania-authority", "ckg:issuer orgid:northwind-telecom")
    report = validate(quads(trig))
    assert not report.conforms
    [v] = report.violations
    assert v.focus == REL
    assert v.path == CKG.issuer
    assert v.value == ID + "org/northwind-telecom"
    assert v.severity == "Violation"
    assert v.shape == "https://w3id.org/carrierkg/shapes#Licence"
    assert v.graph == SRC_T
    assert v.message == "A licence needs exactly one issuer (ckg:issuer), and it must be a regulator"


def test_text_uses_labels_and_prefixed_names():
    trig = GOOD.replace('skos:prefLabel "Northwind Telecom" .',
                        'skos:prefLabel "Northwind Telecom" ; ckg:wikidataId "not a qid" .')
    report = validate(quads(trig))
    assert report.text() == (
        'Northwind Telecom: A Wikidata ID (ckg:wikidataId) must be one string like "Q42" (ckg:wikidataId)')


def test_text_has_one_line_per_violation_and_summary_counts_them():
    trig = (GOOD.replace("ckg:issuer orgid:ruritania-authority ;", "")
            .replace("ckg:licensee orgid:northwind-telecom ;", ""))
    report = validate(quads(trig))
    lines = report.text().splitlines()
    assert len(lines) == len(report.violations) == 2
    assert all(line.startswith("rel:licence-t: A licence needs exactly one") for line in lines)
    assert report.summary() == "2 violations: " + lines[0]
    assert not report


def test_summary_and_text_when_conforming():
    report = validate(quads(GOOD))
    assert report
    assert report.summary() == "conforms: no violations"
    assert report.text() == "The data conforms to the shapes."


def test_warnings_do_not_fail_the_data():
    warning = Violation("_:b1", "Looks odd", severity="Warning")
    report = ValidationReport(True, [warning])
    assert report.summary() == "conforms, with 1 warning: warning: _:b1: Looks odd"
    assert report.text() == "warning: _:b1: Looks odd"


def test_one_violation_is_singular():
    report = ValidationReport(False, [Violation(REL, "Bad", path=CKG.issuer)])
    assert report.summary() == "1 violation: rel:licence-t: Bad (ckg:issuer)"


# -- the shared graphs -----------------------------------------------------------------------

def test_graphs_are_loaded_once():
    assert ontology_graph() is ontology_graph()
    assert shapes_graph() is shapes_graph()
    assert len(shapes_graph()) > 100


def test_validate_does_not_touch_the_shared_graphs():
    sizes = len(ontology_graph()), len(shapes_graph())
    validate(quads(GOOD))
    assert (len(ontology_graph()), len(shapes_graph())) == sizes


def test_labels_are_read_from_literals_only():
    trig = GOOD.replace('skos:prefLabel "Northwind Telecom" .', "skos:prefLabel orgid:x .")
    report = validate(quads(trig))
    assert not report.conforms
    assert all(v.label is None for v in report.violations)


def test_doctests():
    result = doctest.testmod(validate_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
