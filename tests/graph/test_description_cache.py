"""The descriptions cache beside an on-disk store: the answers it gives are the answers the
store's queries give, and a change to the store makes a new one.

Answers with many counterparts and sources to describe (``answers.CACHE_FROM``) read their
names, classes, titles and URLs from ``<store>.cache/descriptions-<key>.pickle`` instead of
looking each up in the store; the tests set ``CACHE_FROM`` to 0 to use it on small stores.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from carrierkg.graph import answers
from carrierkg.graph.store import open_store
from carrierkg.ontology.namespaces import ID, SKOS

ORG = ID + "org/"
FUNCTIONS = [answers.partners_of, answers.licences_of, answers.owners_of, answers.holdings_of,
             answers.joint_ventures_of, answers.suppliers_of, answers.profile, answers.regulators_of]
#: organisations, places, regulators
EXAMPLE = (["Aurora Telecom", "Borealis Mobile", "Cobalt Networks", "Delta Wireless", "Aurora Baltic",
            "Fjord Connect", "Nordic Telecom Authority", "Helix Equipment"], ["Norway", "Finland"], ["NTA"])
BUNDLED = (["BT", "China Telecom", "AT&T", "China Unicom"], ["China", "United Kingdom"], ["MIIT"])


@pytest.fixture(autouse=True)
def _forget_held_caches():
    answers._CACHES.clear()
    yield
    answers._CACHES.clear()


@pytest.fixture
def disk_example(tmp_path, example_kg):
    """The fixture graph in an on-disk store."""
    kg = open_store(tmp_path / "store", build=False)
    kg.add(list(example_kg.store.quads_for_pattern(None, None, None, None)), validate=False)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def disk_bundled(tmp_path_factory):
    """The bundled data in an on-disk store (read only)."""
    kg = open_store(tmp_path_factory.mktemp("bundled") / "store")
    yield kg
    kg.close()


def _answers(kg, which) -> dict:
    names, places, regulators = which
    calls = [(f, name) for f in FUNCTIONS for name in names]
    calls += [(f, place) for f in (answers.operating_in, answers.regulators_of) for place in places]
    calls += [(answers.licensed_by, regulator) for regulator in regulators]
    out = {}
    for f, name in calls:
        rows = f(kg, name)
        out[(f.__name__, name)] = (list(rows), rows.sparql)
    return out


def _cache_files(kg) -> list[str]:
    folder = answers.description_cache_path(kg).parent
    return sorted(p.name for p in folder.glob("descriptions-*.pickle")) if folder.exists() else []


def test_the_cache_holds_what_the_queries_give(disk_example):
    kg = disk_example
    cache = answers._build_cache(kg)
    every = sorted({t.value for q in kg.store.quads_for_pattern(None, None, None, None)
                    for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)})
    assert answers._descriptions(kg, every, cache=cache) == answers._descriptions(kg, every)
    assert answers._descriptions(kg, every)  # not trivially equal
    plain = answers._source_descriptions(kg, every, answers.Rows())
    assert answers._source_descriptions(kg, every, answers.Rows(), cache=cache) == plain
    assert any(s["title"] for s in plain.values()) and any(s["url"] for s in plain.values())


@pytest.mark.parametrize("which", ["example", "bundled"])
def test_answers_from_the_cache_equal_answers_from_the_store(which, disk_example, disk_bundled, monkeypatch):
    kg, names = (disk_example, EXAMPLE) if which == "example" else (disk_bundled, BUNDLED)
    monkeypatch.setattr(answers, "CACHE_FROM", 10**9)
    plain = _answers(kg, names)
    assert _cache_files(kg) == []
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    cached = _answers(kg, names)
    assert _cache_files(kg) == [answers.description_cache_path(kg).name]
    assert cached == plain
    # a new process reads the file rather than building it again
    answers._CACHES.clear()
    monkeypatch.setattr(answers, "_build_cache", lambda kg: pytest.fail("built again"))
    assert _answers(kg, names) == plain


def test_small_answers_leave_the_cache_alone(disk_example):
    rows = answers.partners_of(disk_example, "Aurora Telecom")
    assert len(rows) == 3 and answers.CACHE_FROM > 10
    assert _cache_files(disk_example) == []


def test_a_change_to_the_store_makes_a_new_cache(disk_example, monkeypatch):
    kg = disk_example
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    before = {r["partner"] for r in answers.partners_of(kg, "Aurora Telecom")}
    assert before == {"Borealis Mobile", "Cobalt Networks"}
    first = answers.description_cache_path(kg)
    assert first.exists()

    graph = ox.NamedNode(ID + "source/test-cache")
    kg.add([ox.Quad(ox.NamedNode(ORG + "borealis-mobile"), ox.NamedNode(SKOS.prefLabel),
                    ox.Literal("Borealis AAA"), graph)], validate=False)
    after = {r["partner"] for r in answers.partners_of(kg, "Aurora Telecom")}
    assert after == {"Borealis AAA", "Cobalt Networks"}
    assert answers.description_cache_path(kg) != first
    assert _cache_files(kg) == [answers.description_cache_path(kg).name]  # the old one is gone

    # a process that held the old cache notices the change too
    answers._CACHES[kg] = ("an older generation", answers._CACHES[kg][1])
    assert {r["partner"] for r in answers.partners_of(kg, "Aurora Telecom")} == after


def test_a_damaged_cache_file_is_built_again(disk_example, monkeypatch):
    kg = disk_example
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    target = answers.description_cache_path(kg)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a pickle")
    rows = answers.partners_of(kg, "Aurora Telecom")
    assert {r["partner"] for r in rows} == {"Borealis Mobile", "Cobalt Networks"}
    assert answers._read_cache(target) is not None


def test_no_cache_where_it_cannot_be_written(disk_example, monkeypatch):
    kg = disk_example
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    monkeypatch.setattr(answers.os, "access", lambda *a: False)
    monkeypatch.setattr(answers, "_build_cache", lambda kg: pytest.fail("built where it cannot be kept"))
    rows = answers.partners_of(kg, "Aurora Telecom")
    assert {r["partner"] for r in rows} == {"Borealis Mobile", "Cobalt Networks"}
    assert _cache_files(kg) == []


def test_stores_not_on_disk_have_no_cache(example_kg, monkeypatch):
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    assert answers.description_cache_path(example_kg) is None
    assert answers._description_cache(example_kg, 10**6) is None
    assert [r["partner"] for r in answers.partners_of(example_kg, "Aurora Telecom")] == [
        "Borealis Mobile", "Borealis Mobile", "Cobalt Networks"]


def test_the_cli_answers_the_same_with_the_cache(tmp_path, cli, monkeypatch):
    store = tmp_path / "store"
    open_store(store).close()
    args = ("--store", str(store), "ask", "who partners with AT&T", "--sparql")
    monkeypatch.setattr(answers, "CACHE_FROM", 10**9)
    plain = [cli(*args, "-f", fmt) for fmt in ("table", "json", "csv")]
    assert all(r.exit_code == 0 and "China Telecom" in r.stdout for r in plain)
    assert not list(tmp_path.glob("store.cache/descriptions-*"))
    monkeypatch.setattr(answers, "CACHE_FROM", 0)
    assert [cli(*args, "-f", fmt).stdout for fmt in ("table", "json", "csv")] == [r.stdout for r in plain]
    assert len(list(tmp_path.glob("store.cache/descriptions-*.pickle"))) == 1


def test_the_attribute_query_lists_every_attribute_answers_read():
    """relationship_attributes.rq filters ?p to the properties answers read (each answer narrows
    the list to its own): a property missing from the file would never be read."""
    import re

    from carrierkg.graph.filters import query_text
    from carrierkg.ontology.namespaces import ONTOLOGY

    text = query_text("relationship_attributes")
    (listed,) = answers._IN_RE.findall(text)
    assert {ONTOLOGY + name for name in re.findall(r"ckg:(\w+)", listed)} == set(answers._REL_ATTRIBUTES.values())
    narrowed = answers._IN_RE.sub("X", text)
    assert "X" in narrowed and "FILTER(?p IN" not in narrowed
