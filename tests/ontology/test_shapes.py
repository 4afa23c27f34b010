"""The SHACL shapes against the golden files in tests/ontology/shapes/.

Each ``<Shape>-valid.*`` file conforms. Each ``<Shape>-invalid-NN.*`` file breaks one
rule: it does not conform, and every violation reported carries the fragment given in
its ``# expect: ...`` comment (so the file breaks that rule and no other).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from carrierkg.graph.validate import shapes_graph, validate

HERE = Path(__file__).parent / "shapes"
FILES = sorted(p for p in HERE.iterdir() if p.suffix in {".ttl", ".trig"})
VALID = [p for p in FILES if re.fullmatch(r"[A-Za-z]+-valid", p.stem)]
INVALID = [p for p in FILES if re.fullmatch(r"[A-Za-z]+-invalid-\d\d", p.stem)]
SHAPES_NS = "https://w3id.org/carrierkg/shapes#"
PYTHON_RULES = {"NamedGraphs"}


def load(path: Path) -> list[ox.Quad]:
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
    return list(ox.parse(path=str(path), format=fmt))


def shape_of(path: Path) -> str:
    return path.stem.split("-", 1)[0]


def test_every_golden_file_is_named_by_the_convention():
    assert FILES
    assert sorted(VALID + INVALID) == FILES


def test_every_shape_with_constraints_has_golden_files():
    shapes = shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    constrained = {str(s)[len(SHAPES_NS):] for s in shapes.subjects()
                   if str(s).startswith(SHAPES_NS)
                   and any(True for p in shapes.predicates(s) if str(p).startswith(sh)
                           and str(p) not in {sh + "targetClass", sh + "targetSubjectsOf"})}
    with_valid = {shape_of(p) for p in VALID}
    with_invalid = {shape_of(p) for p in INVALID}
    assert sorted(constrained - with_valid) == []
    assert sorted(constrained - with_invalid) == []


def test_golden_files_name_real_shapes():
    names = {str(s)[len(SHAPES_NS):] for s in shapes_graph().subjects() if str(s).startswith(SHAPES_NS)}
    assert sorted({shape_of(p) for p in FILES} - names - PYTHON_RULES) == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_conforms(path):
    report = validate(load(path))
    assert report.conforms, report.text()
    assert report.violations == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_reports_what_is_expected(path):
    text = path.read_text(encoding="utf-8")
    expected = re.search(r"^# expect: (.+)$", text, re.MULTILINE)
    assert expected, f"{path.name} has no '# expect: ...' comment"
    assert re.search(r"^# Breaks one rule: .+$", text, re.MULTILINE), f"{path.name} does not say what it breaks"
    fragment = expected.group(1).strip()

    report = validate(load(path))

    assert not report.conforms
    assert fragment in report.text()
    assert all(fragment in v.message for v in report.violations), report.text()
    if shape_of(path) not in PYTHON_RULES:
        shapes = {v.shape for v in report.violations}
        assert all(s and s.startswith(SHAPES_NS) for s in shapes), shapes


def test_invalid_file_names_the_shape_it_breaks():
    # Spot check: the shape of the first invalid Licence file is shapes:Licence.
    report = validate(load(HERE / "Licence-invalid-01.trig"))
    assert {v.shape for v in report.violations} == {SHAPES_NS + "Licence"}
    assert URIRef(SHAPES_NS + "Licence") in set(shapes_graph().subjects())
