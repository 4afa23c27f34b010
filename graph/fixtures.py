"""A tiny fictional knowledge graph for doctests, tests and notebooks.

Nine fictional organisations in the Nordic countries (no real company is meant), three
fictional sources, and one of every kind of relationship, some with dates so that as-of
filters have something to do:

* Aurora Telecom and Borealis Mobile partner (from 2012-03-01) and formed the joint venture
  Fjord Connect (2015); Aurora shares towers with Cobalt Networks (from 2018-06; two
  sources say so).
* Aurora Baltic, Aurora's subsidiary, holds a mobile licence from the Nordic Telecom
  Authority (NTA); Aurora held a spectrum licence from it from 2005 to 2019.
* Borealis acquired Delta Wireless (2021-09-01); Cobalt and Delta partner from 2023.
* Helix Equipment supplies Aurora; Gridline Systems was removed from Aurora's network (2020).
* "Nova" is an alias of two carriers (Nova Telecom Sweden and Nova Telecom Finland), for
  ambiguous-name tests.

Organisations and places are described in the reference graph; the facts live in the
graphs of the sources that state them.

Examples
--------
>>> kg = example_kg()
>>> kg.ask("ASK { ?o skos:prefLabel 'Aurora Telecom' }")
True
>>> G = example_graph()
>>> G.number_of_nodes() > 5
True
"""

from __future__ import annotations

__all__ = ["EXAMPLE_TRIG", "example_graph", "example_kg"]

EXAMPLE_TRIG = """\
@prefix ckg: <https://w3id.org/carrierkg/ontology#> .
@prefix lt: <https://w3id.org/carrierkg/vocab/licence-type/> .
@prefix asset: <https://w3id.org/carrierkg/vocab/shared-asset/> .
@prefix status: <https://w3id.org/carrierkg/vocab/status/> .
@prefix acqkind: <https://w3id.org/carrierkg/vocab/acquisition-kind/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix graph: <https://w3id.org/carrierkg/id/graph/> .
@prefix source: <https://w3id.org/carrierkg/id/source/> .
@prefix orgid: <https://w3id.org/carrierkg/id/org/> .
@prefix country: <https://w3id.org/carrierkg/id/country/> .
@prefix rel: <https://w3id.org/carrierkg/id/rel/> .

graph:reference {
    graph:reference a ckg:Source ;
        dcterms:title "Fixture reference data" ;
        ckg:extractionMethod "curated" .

    country:NO a ckg:Country ; skos:prefLabel "Norway" ; ckg:isoCode "NO" .
    country:SE a ckg:Country ; skos:prefLabel "Sweden" ; ckg:isoCode "SE" .
    country:FI a ckg:Country ; skos:prefLabel "Finland" ; ckg:isoCode "FI" .
    country:DK a ckg:Country ; skos:prefLabel "Denmark" ; ckg:isoCode "DK" .
    country:EE a ckg:Country ; skos:prefLabel "Estonia" ; ckg:isoCode "EE" .

    orgid:aurora-telecom a ckg:Carrier ; skos:prefLabel "Aurora Telecom" ;
        skos:altLabel "Aurora", "Aurora Telekom AS" ; ckg:country country:NO .
    orgid:aurora-baltic a ckg:Carrier ; skos:prefLabel "Aurora Baltic" ; ckg:country country:EE .
    orgid:borealis-mobile a ckg:Carrier ; skos:prefLabel "Borealis Mobile" ;
        skos:altLabel "Borealis" ; ckg:country country:SE .
    orgid:cobalt-networks a ckg:Carrier ; skos:prefLabel "Cobalt Networks" ; ckg:country country:FI .
    orgid:delta-wireless a ckg:Carrier ; skos:prefLabel "Delta Wireless" ; ckg:country country:DK .
    orgid:fjord-connect a ckg:JointVenture ; skos:prefLabel "Fjord Connect" ; ckg:country country:NO .
    orgid:nordic-telecom-authority a ckg:Regulator ; skos:prefLabel "Nordic Telecom Authority" ;
        skos:altLabel "NTA" ; ckg:country country:NO .
    orgid:gridline-systems a ckg:Vendor ; skos:prefLabel "Gridline Systems" .
    orgid:helix-equipment a ckg:Vendor ; skos:prefLabel "Helix Equipment" .
    orgid:nova-telecom-sweden a ckg:Carrier ; skos:prefLabel "Nova Telecom Sweden" ;
        skos:altLabel "Nova" ; ckg:country country:SE .
    orgid:nova-telecom-finland a ckg:Carrier ; skos:prefLabel "Nova Telecom Finland" ;
        skos:altLabel "Nova" ; ckg:country country:FI .

    rel:mandate-09171852ef7906789be9 a ckg:RegulatoryMandate ;
        ckg:regulator orgid:nordic-telecom-authority ; ckg:jurisdiction country:NO ;
        ckg:source graph:reference .
}

source:fixture-a {
    source:fixture-a a ckg:Source ;
        dcterms:title "Aurora and Borealis join forces (fixture)" ;
        dcterms:date "2015-05-04"^^xsd:date ;
        schema:url "https://example.org/news/aurora-borealis"^^xsd:anyURI ;
        ckg:extractionMethod "manual" .

    rel:partnership-446ab7e570c11ed6d2ba a ckg:Partnership ;
        ckg:party orgid:aurora-telecom, orgid:borealis-mobile ;
        ckg:startDate "2012-03-01"^^xsd:date ; ckg:status status:active ;
        ckg:source source:fixture-a .
    rel:jv-da8f00fcf9065d60d7ff a ckg:JointVentureFormation ;
        ckg:parent orgid:aurora-telecom, orgid:borealis-mobile ;
        ckg:venture orgid:fjord-connect ; ckg:jurisdiction country:NO ;
        ckg:startDate "2015"^^xsd:gYear ; ckg:status status:active ;
        ckg:source source:fixture-a .
    rel:presence-98565d47e1c8284792fd a ckg:MarketPresence ;
        ckg:operator orgid:aurora-telecom ; ckg:market country:NO ; ckg:source source:fixture-a .
    rel:presence-6f0e62bd0701cf82403a a ckg:MarketPresence ;
        ckg:operator orgid:borealis-mobile ; ckg:market country:NO ;
        ckg:startDate "2019"^^xsd:gYear ; ckg:source source:fixture-a .
    rel:licence-a3dd21aec8c880e38119 a ckg:Licence ;
        ckg:issuer orgid:nordic-telecom-authority ; ckg:licensee orgid:aurora-baltic ;
        ckg:licenceType lt:mobile ; ckg:licenceName "National mobile licence" ;
        ckg:scope "nationwide" ; ckg:jurisdiction country:NO ;
        ckg:startDate "2010"^^xsd:gYear ; ckg:status status:active ; ckg:source source:fixture-a .
    rel:licence-cb524612f02e696c3ae4 a ckg:Licence ;
        ckg:issuer orgid:nordic-telecom-authority ; ckg:licensee orgid:aurora-telecom ;
        ckg:licenceType lt:spectrum ; ckg:licenceName "3.5 GHz spectrum licence" ;
        ckg:scope "regional" ; ckg:jurisdiction country:NO ;
        ckg:startDate "2005"^^xsd:gYear ; ckg:endDate "2019-12-31"^^xsd:date ;
        ckg:status status:ended ; ckg:source source:fixture-a .
    rel:ownership-d0e2d27077551b9659ee a ckg:Ownership ;
        ckg:subsidiary orgid:aurora-baltic ; ckg:owner orgid:aurora-telecom ;
        ckg:stake 100.0 ; ckg:source source:fixture-a .
}

source:fixture-b {
    source:fixture-b a ckg:Source ;
        dcterms:title "Aurora and Cobalt to share towers (fixture)" ;
        schema:url "https://example.org/news/aurora-cobalt"^^xsd:anyURI ;
        ckg:extractionMethod "manual" .

    rel:sharing-a08614f4d78a8eb0cffd a ckg:InfrastructureSharingDeal ;
        ckg:party orgid:aurora-telecom, orgid:cobalt-networks ;
        ckg:sharedAsset asset:towers ; ckg:jurisdiction country:NO, country:FI ;
        ckg:startDate "2018-06"^^xsd:gYearMonth ; ckg:status status:active ;
        ckg:source source:fixture-b .
    rel:supply-be0e7d981bddfef13837 a ckg:SupplyRelationship ;
        ckg:supplier orgid:gridline-systems ; ckg:customer orgid:aurora-telecom ;
        ckg:status status:removed ; ckg:endDate "2020"^^xsd:gYear ;
        ckg:note "removed from the mobile core" ; ckg:source source:fixture-b .
    rel:supply-24f1766d8dfb6d84cfc9 a ckg:SupplyRelationship ;
        ckg:supplier orgid:helix-equipment ; ckg:customer orgid:aurora-telecom ;
        ckg:status status:active ; ckg:startDate "2020"^^xsd:gYear ; ckg:source source:fixture-b .
    rel:presence-b330dd9538e88fb993cf a ckg:MarketPresence ;
        ckg:operator orgid:cobalt-networks ; ckg:market country:FI ; ckg:source source:fixture-b .
}

source:fixture-c {
    source:fixture-c a ckg:Source ;
        dcterms:title "Nordic deals roundup (fixture)" ;
        dcterms:publisher "Example Wire" ;
        ckg:extractionMethod "manual" .

    rel:sharing-a08614f4d78a8eb0cffd a ckg:InfrastructureSharingDeal ;
        ckg:party orgid:aurora-telecom, orgid:cobalt-networks ;
        ckg:sharedAsset asset:towers ; ckg:source source:fixture-c .
    rel:acquisition-6018123641f9c28dddf8 a ckg:Acquisition ;
        ckg:acquirer orgid:borealis-mobile ; ckg:target orgid:delta-wireless ;
        ckg:acquisitionKind acqkind:acquisition ; ckg:startDate "2021-09-01"^^xsd:date ;
        ckg:value 450000000.0 ; ckg:currency "EUR" ; ckg:source source:fixture-c .
    rel:partnership-27652f0cbaab6cac2752 a ckg:Partnership ;
        ckg:party orgid:cobalt-networks, orgid:delta-wireless ;
        ckg:startDate "2023"^^xsd:gYear ; ckg:status status:active ; ckg:source source:fixture-c .
    rel:presence-3fa54f31a55d8bd56335 a ckg:MarketPresence ;
        ckg:operator orgid:nova-telecom-sweden ; ckg:market country:SE ; ckg:source source:fixture-c .
    rel:presence-37b4f73f8ec3b811f8c0 a ckg:MarketPresence ;
        ckg:operator orgid:nova-telecom-finland ; ckg:market country:FI ; ckg:source source:fixture-c .
}
"""


def example_kg():
    """An in-memory knowledge graph holding the fixture data (and nothing else).

    Returns
    -------
    carrierkg.graph.store.OxigraphGraph

    Examples
    --------
    >>> kg = example_kg()
    >>> len(kg.sources())
    4
    """
    import pyoxigraph as ox

    from carrierkg.graph.store import open_store

    kg = open_store("memory", build=False)
    quads = list(ox.parse(EXAMPLE_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG))
    kg.add([*quads, kg._schema_quad()], validate=False)
    return kg


def example_graph(**options):
    """The projection of :func:`example_kg` to networkx (options as for ``project``).

    Examples
    --------
    >>> G = example_graph()
    >>> G.nodes["https://w3id.org/carrierkg/id/org/aurora-telecom"]["label"]
    'Aurora Telecom'
    """
    from carrierkg.graph.projection import project

    return project(example_kg(), **options)
