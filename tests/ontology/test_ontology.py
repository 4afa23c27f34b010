"""The ontology and vocabularies: documented terms, in step with namespaces.py, aligned."""

from __future__ import annotations

import doctest
from importlib import resources

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

import carrierkg.graph.model as model_module
import carrierkg.ontology.namespaces as namespaces_module
from carrierkg.graph.validate import ontology_graph, shapes_graph, validate, vocabularies_graph
from carrierkg.ontology.namespaces import (
    ACQUISITION_KIND,
    CKG,
    CKG_CLASSES,
    CKG_PROPERTIES,
    FIBO_BE,
    LICENCE_TYPE,
    ORG,
    PROV,
    SCHEMA,
    SHARED_ASSET,
    STATUS,
)

ONTOLOGY = str(CKG)
SCHEMES = {
    "LicenceTypes": (LICENCE_TYPE, CKG.LicenceType),
    "SharedAssetKinds": (SHARED_ASSET, CKG.SharedAssetKind),
    "Statuses": (STATUS, CKG.Status),
    "AcquisitionKinds": (ACQUISITION_KIND, CKG.AcquisitionKind),
}
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def declared_terms(graph: Graph) -> set[str]:
    return {str(s) for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY)}


def test_the_files_ship_as_package_data():
    names = {p.name for p in resources.files("carrierkg.ontology").iterdir()}
    assert {"carrierkg.ttl", "vocabularies.ttl", "shapes.ttl"} <= names


def test_ontology_declares_exactly_the_terms_of_namespaces():
    declared = declared_terms(ontology_graph())
    expected = {ONTOLOGY + t for t in CKG_CLASSES + CKG_PROPERTIES}
    assert sorted(expected - declared) == [], "in namespaces.py but not declared in carrierkg.ttl"
    assert sorted(declared - expected) == [], "declared in carrierkg.ttl but missing from namespaces.py"


def test_no_ckg_term_is_used_without_being_declared():
    used = {str(t) for triple in (*ontology_graph(), *vocabularies_graph(), *shapes_graph())
            for t in triple if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY)}
    assert sorted(used - {ONTOLOGY + t for t in CKG_CLASSES + CKG_PROPERTIES}) == []


@pytest.mark.parametrize("name", CKG_CLASSES)
def test_classes_are_owl_classes(name):
    assert (URIRef(CKG[name]), RDF.type, OWL.Class) in ontology_graph()


@pytest.mark.parametrize("name", CKG_PROPERTIES)
def test_properties_are_properties(name):
    types = set(ontology_graph().objects(URIRef(CKG[name]), RDF.type))
    assert types & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.mark.parametrize("term", sorted(declared_terms(ontology_graph())))
def test_every_term_has_an_english_label_and_definition(term):
    g = ontology_graph()
    for prop in (RDFS.label, SKOS.definition):
        values = [v for v in g.objects(URIRef(term), prop) if isinstance(v, Literal)]
        assert values, f"{term} has no {prop}"
        assert all(v.language == "en" and str(v).strip() for v in values)


def test_ontology_header():
    g = ontology_graph()
    header = URIRef("https://w3id.org/carrierkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in g
    assert g.value(header, OWL.versionInfo) is not None
    assert g.value(header, URIRef("http://purl.org/dc/terms/title")) is not None
    assert g.value(header, URIRef("http://purl.org/dc/terms/license")) is not None


@pytest.mark.parametrize(("sub", "sup"), [
    (CKG.Carrier, ORG.FormalOrganization),
    (CKG.Carrier, SCHEMA.Corporation),
    (CKG.Carrier, CKG.Organization),
    (CKG.Carrier, FIBO_BE.LegalPerson),
    (CKG.Regulator, SCHEMA.GovernmentOrganization),
    (CKG.Regulator, ORG.FormalOrganization),
    (CKG.Organization, ORG.Organization),
    (CKG.Organization, SCHEMA.Organization),
    (CKG.Organization, PROV.Agent),
    (CKG.Country, SCHEMA.Country),
    (CKG.Zone, SCHEMA.AdministrativeArea),
    (CKG.Source, PROV.Entity),
    (CKG.Source, SCHEMA.CreativeWork),
    (CKG.Evidence, "http://www.w3.org/ns/oa#TextPositionSelector"),
    (CKG.Licence, CKG.Relationship),
    (CKG.Stake, None),
])
def test_class_alignments(sub, sup):
    g = ontology_graph()
    if sup is None:
        assert (URIRef(sub), RDF.type, OWL.Class) in g
    else:
        assert (URIRef(sub), RDFS.subClassOf, URIRef(sup)) in g


@pytest.mark.parametrize(("sub", "sup"), [
    (CKG.startDate, SCHEMA.startDate),
    (CKG.endDate, SCHEMA.endDate),
    (CKG.source, PROV.wasDerivedFrom),
    (CKG.start, "http://www.w3.org/ns/oa#start"),
    (CKG.end, "http://www.w3.org/ns/oa#end"),
    (CKG.subsidiaryOf, ORG.subOrganizationOf),
    (CKG.partnerOf, ORG.linkedTo),
])
def test_property_alignments(sub, sup):
    assert (URIRef(sub), RDFS.subPropertyOf, URIRef(sup)) in ontology_graph()


def test_every_role_property_is_under_involves():
    g = ontology_graph()
    for role in model_module.ROLE_PROPERTIES:
        assert (URIRef(role), RDFS.subPropertyOf, URIRef(CKG.involves)) in g, role


def test_every_relationship_class_of_the_model_is_a_relationship():
    g = ontology_graph()
    for cls in model_module.RELATIONSHIP_CLASSES:
        assert URIRef(CKG.Relationship) in set(g.transitive_objects(URIRef(cls), RDFS.subClassOf)), cls


def test_external_vocabularies_are_referenced_not_imported():
    assert not list(ontology_graph().objects(None, OWL.imports))


@pytest.mark.parametrize("scheme_name", sorted(SCHEMES))
def test_vocabulary_matches_namespaces(scheme_name):
    ns, concept_type = SCHEMES[scheme_name]
    g = vocabularies_graph()
    scheme = URIRef(ns[scheme_name])
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    in_ttl = {str(c) for c in g.subjects(SKOS.inScheme, scheme)}
    in_py = {ns[t] for t in ns.terms if t != scheme_name}
    assert sorted(in_py - in_ttl) == [], "in namespaces.py but not in vocabularies.ttl"
    assert sorted(in_ttl - in_py) == [], "in vocabularies.ttl but not in namespaces.py"
    # and nothing under the scheme's namespace that namespaces.py does not know
    under = {str(s) for s in g.subjects() if str(s).startswith(str(ns))}
    assert under <= in_py | {str(scheme)}
    for concept in in_ttl:
        c = URIRef(concept)
        assert {SKOS.Concept, URIRef(concept_type)} <= set(g.objects(c, RDF.type)), concept
        assert (c, SKOS.topConceptOf, scheme) in g
        assert (scheme, SKOS.hasTopConcept, c) in g
        labels = list(g.objects(c, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en"
        assert g.value(c, SKOS.definition) is not None, concept


@pytest.mark.parametrize(("concept", "alt"), [
    (LICENCE_TYPE["ip-vpn"], "IP-VPN"),
    (LICENCE_TYPE.isp, "internet service provider"),
    (SHARED_ASSET.towers, "cell towers"),
    (SHARED_ASSET["wifi-hotspots"], "Wi-Fi"),
    (STATUS.removed, "replaced"),
    (ACQUISITION_KIND.merger, "merge"),
])
def test_useful_alt_labels(concept, alt):
    assert Literal(alt, lang="en") in set(vocabularies_graph().objects(URIRef(concept), SKOS.altLabel))


def test_alt_labels_are_unique_within_a_scheme():
    g = vocabularies_graph()
    for scheme_name, (ns, _) in SCHEMES.items():
        seen: dict[str, str] = {}
        for c in g.subjects(SKOS.inScheme, URIRef(ns[scheme_name])):
            for label in (*g.objects(c, SKOS.prefLabel), *g.objects(c, SKOS.altLabel)):
                key = str(label).casefold()
                assert seen.setdefault(key, str(c)) == str(c), f"{label!r} names two concepts"


def test_the_vocabularies_conform_to_the_shapes():
    report = validate(vocabularies_graph())
    assert report.conforms, report.text()


@pytest.mark.parametrize("cls", CKG_CLASSES)
def test_every_class_has_a_shape(cls):
    targets = set(shapes_graph().objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert URIRef(CKG[cls]) in targets


@pytest.mark.parametrize("module", [namespaces_module, model_module], ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
