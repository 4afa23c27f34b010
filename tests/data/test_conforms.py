"""The bundled data conforms to the shapes, as a whole and file by file."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store

from carrierkg.data import bundled_files, reference_file, source_files
from carrierkg.graph.validate import validate


def _store(*paths) -> Store:
    store = Store()
    for path in paths:
        store.load(path=str(path), format=RdfFormat.TRIG)
    return store


def test_bundled_data_conforms():
    report = validate(_store(*bundled_files()))
    assert report.conforms, report.text()


@pytest.mark.parametrize("path", [reference_file(), *source_files()], ids=lambda p: p.name)
def test_each_file_conforms_on_its_own(path):
    """Each source graph is self-contained: it describes everything its facts mention."""
    report = validate(_store(path))
    assert report.conforms, report.text()


def test_bundled_files_are_the_reference_then_the_sources():
    files = bundled_files()
    assert files[0].name == "reference.trig"
    assert [f.name for f in files[1:]] == sorted(f.name for f in files[1:])
    assert len(files) == 6
