"""carrierkg.graph.frames: query rows, answers and candidate facts as DataFrames."""

from __future__ import annotations

import dataclasses
import doctest
import importlib

import pytest

from carrierkg.graph.errors import InputError
from carrierkg.graph.frames import to_dataframe
from carrierkg.graph.questions import answer
from carrierkg.graph.store import iri

pd = pytest.importorskip("pandas")


def test_select_rows_become_plain_values(bundled_kg):
    rows = bundled_kg.select("""
        SELECT DISTINCT ?org ?name ?n ?missing WHERE { ?org skos:prefLabel ?name . BIND(STRLEN(?name) AS ?n)
          OPTIONAL { ?org ckg:noSuchProperty ?missing } }""",
                             {"org": iri("https://w3id.org/carrierkg/id/org/bt")})
    df = to_dataframe(rows)
    assert df[["org", "name", "n"]].to_dict("records") == [
        {"org": "https://w3id.org/carrierkg/id/org/bt", "name": "BT", "n": 2}]
    assert df["missing"].isna().all()


def test_an_answer_keeps_its_columns_and_its_sources(bundled_kg):
    a = answer(bundled_kg, "which vendors were removed from BT")
    df = to_dataframe(a)
    assert list(df.columns) == [*a.columns, "sources"]
    assert df.loc[0, "supplier"] == "Huawei"
    assert df.loc[0, "sources"] == "BT scores telecommunications licenses in China"


def test_lists_of_values_are_joined_and_untitled_sources_show_their_iri():
    df = to_dataframe([{"jurisdiction": ["China", "Hong Kong"], "sources": [{"iri": "ex:s", "title": None}]}])
    assert df.to_dict("records") == [{"jurisdiction": "China, Hong Kong", "sources": "ex:s"}]


def test_dataclasses_are_flattened():
    @dataclasses.dataclass
    class Span:
        start: int
        text: str

    @dataclasses.dataclass
    class Fact:
        type: str
        evidence: Span
        details: dict

    df = to_dataframe([Fact("partnership", Span(3, "A and B partner."), {"status": "planned"})])
    assert list(df.columns) == ["type", "evidence_start", "evidence_text", "details_status"]


def test_columns_choose_and_order():
    df = to_dataframe([{"a": "1", "b": "2"}, {"b": "3", "c": "4"}], columns=["c", "a"])
    assert list(df.columns) == ["c", "a"]
    assert df["a"].tolist()[0] == "1" and df["c"].tolist()[1] == "4"
    assert df["a"].isna().tolist() == [False, True]
    with pytest.raises(InputError, match="no column 'z'; the columns are: a, b, c"):
        to_dataframe([{"a": 1, "b": 2}, {"b": 3, "c": 4}], columns=["z"])


@pytest.mark.parametrize("bad", [{"a": 1}, "rows", 3, [1, 2]])
def test_what_is_not_rows_is_refused(bad):
    with pytest.raises(InputError, match="cannot make a table"):
        to_dataframe(bad)


def test_doctests():
    result = doctest.testmod(importlib.import_module("carrierkg.graph.frames"), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
