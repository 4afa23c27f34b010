"""Names: exact labels and aliases, normalised forms, fuzzy suggestions, ambiguity, places."""

from __future__ import annotations

import pytest

from carrierkg.graph.errors import AmbiguousNameError, UnknownNameError
from carrierkg.graph.names import PLACE_TYPES, normalise, resolve, resolve_place
from carrierkg.ontology.namespaces import ID


@pytest.mark.parametrize("name", ["Aurora Telecom", "Aurora", "aurora telecom", "AURORA TELEKOM AS",
                                  "the Aurora Telecom Ltd.", "  Aurora   Telecom ", '"Aurora Telecom"',
                                  ID + "org/aurora-telecom"])
def test_resolves_labels_aliases_and_variants(example_kg, name):
    org = resolve(example_kg, name)
    assert (org.iri, org.label, org.type) == (ID + "org/aurora-telecom", "Aurora Telecom", "Carrier")


def test_accents_and_ampersands(bundled_kg):
    assert resolve(bundled_kg, "america movil").label == "América Movil"
    assert resolve(bundled_kg, "América Móvil").label == "América Movil"
    assert resolve(bundled_kg, "at&t").label == "AT&T"
    assert resolve(bundled_kg, "AT and T").label == "AT&T"
    assert resolve(bundled_kg, "British Telecom").label == "BT"
    assert resolve(bundled_kg, "MIIT").type == "Regulator"


def test_unknown_name_suggests(bundled_kg):
    with pytest.raises(UnknownNameError) as err:
        resolve(bundled_kg, "Chna Telecom")
    assert str(err.value) == "no organisation named 'Chna Telecom'. Did you mean: China Telecom?"
    assert err.value.suggestions == ["China Telecom"]


def test_unknown_name_without_suggestions(example_kg):
    with pytest.raises(UnknownNameError) as err:
        resolve(example_kg, "Zzyzx Holdings")
    assert str(err.value) == "no organisation named 'Zzyzx Holdings'."


def test_ambiguous_name_lists_candidates(example_kg):
    with pytest.raises(AmbiguousNameError) as err:
        resolve(example_kg, "Nova")
    assert err.value.candidates == ["Nova Telecom Finland (Carrier, Finland)",
                                    "Nova Telecom Sweden (Carrier, Sweden)"]
    assert str(err.value).startswith("'Nova' could be more than one organisation: ")


def test_types_restrict_the_search(example_kg):
    assert resolve(example_kg, "NTA", types=("Regulator",)).type == "Regulator"
    with pytest.raises(UnknownNameError, match="no regulator named 'Aurora'"):
        resolve(example_kg, "Aurora", types=("Regulator",))


def test_places(bundled_kg):
    assert resolve_place(bundled_kg, "China").iri == ID + "country/CN"
    assert resolve_place(bundled_kg, "PRC").iri == ID + "country/CN"
    assert resolve_place(bundled_kg, "CN").iri == ID + "country/CN"
    assert resolve_place(bundled_kg, "the united kingdom").iri == ID + "country/GB"
    assert resolve(bundled_kg, "Shanghai Free Trade Zone", types=PLACE_TYPES).type == "Zone"
    with pytest.raises(UnknownNameError, match=r"no place named 'Chinaa'\. Did you mean: China"):
        resolve_place(bundled_kg, "Chinaa")


def test_organisations_are_not_places(bundled_kg):
    with pytest.raises(UnknownNameError):
        resolve_place(bundled_kg, "Huawei")
    # "BT" is Bhutan's ISO code: a place when a place is wanted, the carrier otherwise
    assert resolve_place(bundled_kg, "BT").label == "Bhutan"
    assert resolve(bundled_kg, "BT", types=("Carrier", *PLACE_TYPES)).label == "BT"


def test_names_with_quotes_stay_values(example_kg):
    with pytest.raises(UnknownNameError):
        resolve(example_kg, 'x" } . ?s ?p ?o . { "')


def test_normalise():
    assert normalise("The BT Group plc") == "bt group"
    assert normalise("Procter & Gamble") == normalise("procter and gamble")
