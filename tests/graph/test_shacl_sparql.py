"""The shapes compiled to SPARQL give pyshacl's verdict and violations (golden files, bundled and generated data)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest

from carrierkg.graph.shacl_sparql import validate_fast
from carrierkg.graph.validate import validate
from carrierkg.ontology.namespaces import CKG, SKOS, XSD

REPO = Path(__file__).resolve().parents[2]
GOLDEN = sorted(p for p in (REPO / "tests" / "ontology" / "shapes").iterdir() if p.suffix in {".ttl", ".trig"})


def _value(text: str | None):
    """Reported values compare as numbers where they are numbers (Oxigraph gives canonical forms)."""
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def assert_same(quads: list[ox.Quad]) -> None:
    slow, fast = validate(quads), validate_fast(quads)
    assert fast.conforms == slow.conforms
    key = [(v.focus, v.message, v.path, v.severity, v.shape, v.graph, v.label) for v in slow.violations]
    assert [(v.focus, v.message, v.path, v.severity, v.shape, v.graph, v.label) for v in fast.violations] == key
    assert [_value(v.value) for v in fast.violations] == [_value(v.value) for v in slow.violations]
    assert fast.text() == slow.text()
    assert fast.summary() == slow.summary()


def test_there_are_golden_files():
    assert len(GOLDEN) > 100


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_file_gets_the_same_report(path):
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
    assert_same(list(ox.parse(path=str(path), format=fmt)))


def test_bundled_data_conforms_alike():
    from carrierkg.graph.store import _bundled_quads

    quads = _bundled_quads()
    assert validate_fast(quads).conforms
    assert_same(quads)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[ox.Quad]:
    out = tmp_path_factory.mktemp("gen") / "g.nq"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--size", "10k", "--seed", "3", "--output", str(out)],
                   cwd=REPO, check=True, capture_output=True, timeout=120)
    return list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))


def test_generated_data_conforms_alike(generated):
    assert_same(generated)
    assert validate_fast(generated).conforms


def _break(quads: list[ox.Quad], seed: int) -> list[ox.Quad]:
    """Break a handful of rules at random: drop names and sources, bad stakes and dates, default graph."""
    rng = random.Random(seed)
    out = []
    for q in quads:
        p, r = q.predicate.value, rng.random()
        if p == SKOS.prefLabel and r < 0.02:
            continue
        if p == CKG.source and r < 0.02:
            continue
        if p == CKG.stake and r < 0.2:
            q = ox.Quad(q.subject, q.predicate, ox.Literal("150.0", datatype=ox.NamedNode(XSD.decimal)), q.graph_name)
        elif p == CKG.startDate and r < 0.05:
            q = ox.Quad(q.subject, q.predicate, ox.Literal("2020-13-45", datatype=ox.NamedNode(XSD.date)), q.graph_name)
        elif p == CKG.party and r < 0.02:
            q = ox.Quad(q.subject, q.predicate, ox.Literal("not an organisation"), q.graph_name)
        elif r < 0.003:
            q = ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        out.append(q)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_broken_generated_data_gets_the_same_report(generated, seed):
    broken = _break(generated, seed)
    report = validate_fast(broken)
    assert not report.conforms
    assert len(report.violations) > 10
    assert_same(broken)


def test_messages_are_the_shapes_messages():
    path = REPO / "tests" / "ontology" / "shapes" / "Licence-invalid-01.trig"
    text = path.read_text(encoding="utf-8")
    fragment = re.search(r"^# expect: (.+)$", text, re.MULTILINE).group(1).strip()
    report = validate_fast(list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG)))
    assert fragment in report.summary()


def _tangle(quads: list[ox.Quad], seed: int) -> list[ox.Quad]:
    """Break rules the way merged sources do: repeat quads in other graphs, add second values,
    give a value of one node to another, put blank nodes where text or IRIs should be, end text
    with a newline (which a pattern's ``$`` lets through)."""
    rng = random.Random(seed)
    graphs = sorted({q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}, key=str)
    subjects = sorted({q.subject for q in quads}, key=str)
    # (pyshacl cannot compare a blank node with sh:lessThan: not on ckg:start)
    blank_ok = {SKOS.prefLabel, SKOS.altLabel, CKG.contentHash, CKG.isoCode, CKG.party, CKG.country}
    # (a quad in two graphs is there twice in Oxigraph's union of the graphs, once in rdflib's:
    # the stakes that the shapes' SPARQL constraint adds up are not repeated)
    summed = {CKG.stake, CKG.parentStake}
    out = []
    for q in quads:
        out.append(q)
        r = rng.random()
        if q.predicate.value in summed:
            continue
        if r < 0.05:
            out.append(ox.Quad(q.subject, q.predicate, q.object, rng.choice(graphs)))
        elif r < 0.06:
            out.append(ox.Quad(rng.choice(subjects), q.predicate, q.object, q.graph_name))
        elif r < 0.08 and q.predicate.value in blank_ok:
            out.append(ox.Quad(q.subject, q.predicate, ox.BlankNode(), q.graph_name))
        elif r < 0.09 and isinstance(q.object, ox.Literal) and q.object.datatype.value == XSD.string:
            out.append(ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value + "\n"), q.graph_name))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_tangled_generated_data_gets_the_same_report(generated, seed):
    tangled = _tangle(generated, seed)
    assert not validate_fast(tangled).conforms
    assert_same(tangled)
