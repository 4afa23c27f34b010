"""`carrierkg sparql` answers an ASK for every gold relation of the seed articles with true."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from carrierkg.graph.model import RELATION_KINDS

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "gold"

pytestmark = pytest.mark.skipif(not GOLD.is_dir(), reason=f"the seed gold annotations are not here: {GOLD}")

#: Gold relations the bundled data leaves out on purpose (see tests/data/test_gold.py).
EXCLUDED = {("partnership", "BT", "Google Cloud Platform")}


def cases():
    for path in sorted(GOLD.glob("*.gold.json")) if GOLD.is_dir() else []:
        gold = json.loads(path.read_text(encoding="utf-8"))
        names = {e["name"]: [e["name"], *e.get("aliases", [])] for e in gold["entities"]}
        for r in gold["relations"]:
            if (r["type"], r["subject"], r["object"]) in EXCLUDED:
                continue
            yield pytest.param(path.name.split(".")[0], r["type"], names[r["subject"]], names[r["object"]],
                               id=f"{path.name[:3]}-{r['type']}-{r['subject']}-{r['object']}")


def ask_query(source: str, kind_name: str, subject_names: list[str], object_names: list[str]) -> str:
    """An ASK for one gold relation: the kind's class, roles, status, names and source graph.

    Names are serialized as RDF literals by pyoxigraph (quotes escaped), not pasted as text.
    """
    kind = RELATION_KINDS[kind_name]
    subject_values = " ".join(str(ox.Literal(n)) for n in subject_names)
    object_values = " ".join(str(ox.Literal(n)) for n in object_names)
    status = f"?rel ckg:status <{kind.status}> ." if kind.status else ""
    src = ox.NamedNode(f"https://w3id.org/carrierkg/id/source/{source}")
    return f"""ASK {{
      VALUES ?sname {{ {subject_values} }} VALUES ?oname {{ {object_values} }}
      ?rel a <{kind.cls}> ; <{kind.subject_role}> ?s ; <{kind.object_role}> ?o ; ckg:source {src} .
      {status}
      FILTER (?s != ?o)
      ?s skos:prefLabel|skos:altLabel ?sl . FILTER (LCASE(STR(?sl)) = LCASE(STR(?sname)))
      ?o skos:prefLabel|skos:altLabel ?ol . FILTER (LCASE(STR(?ol)) = LCASE(STR(?oname)))
    }}"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("gold") / "store")


@pytest.mark.parametrize(("source", "kind", "subject", "object_"), list(cases()))
def test_sparql_ask_is_true_for_every_gold_relation(cli, store, source, kind, subject, object_):
    result = cli("--store", store, "sparql", ask_query(source, kind, subject, object_))
    assert result.exit_code == 0, result.output
    assert result.stdout == "true\n"


def test_the_ask_is_false_for_a_relation_the_data_does_not_state(cli, store):
    query = ask_query("004_110dc85f55a30326", "acquisition", ["AT&T"], ["China Telecom"])
    assert cli("--store", store, "sparql", query).stdout == "false\n"
    query = ask_query("002_85bc9096577c61bc", "acquisition", ["EE"], ["BT"])  # wrong direction
    assert cli("--store", store, "sparql", query).stdout == "false\n"
