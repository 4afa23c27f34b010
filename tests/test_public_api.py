"""The public API: carrierkg.graph and carrierkg.ingest export what an analyst uses, lazily."""

from __future__ import annotations

import doctest
import importlib
import inspect
import subprocess
import sys

import pytest

PACKAGES = ["carrierkg.graph", "carrierkg.ingest"]
HEAVY = ("networkx", "rdflib", "pyvis", "pyshacl", "spacy", "IPython", "pandas")


def _exports():
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            yield package, name


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(("package", "name"), list(_exports()))
def test_every_name_resolves(package, name):
    module = importlib.import_module(package)
    assert getattr(module, name) is not None
    assert name in dir(module)


@pytest.mark.parametrize(("package", "name"), list(_exports()))
def test_every_function_and_class_has_a_docstring(package, name):
    obj = getattr(importlib.import_module(package), name)
    if callable(obj):
        assert (obj.__doc__ or "").strip(), f"{package}.{name} has no docstring"


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_the_package_is_cheap(package):
    heavy = _run(f"import sys, {package}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    assert heavy == "", f"import {package} imports {heavy}"


def test_the_headline_functions_are_there():
    import carrierkg.graph as g
    import carrierkg.ingest as i

    for name in ("open_store", "project", "answer", "ask", "partners_of", "licences_of", "regulators_of",
                 "removed_vendors_of", "shortest_path", "connection", "centrality", "most_central",
                 "communities", "build_map", "validate", "to_dataframe"):
        assert name in g.__all__
    for name in ("extract", "ingest", "retract"):
        assert name in i.__all__
    assert g.ask is g.answer


def test_unknown_names_raise_attribute_error():
    import carrierkg.graph

    with pytest.raises(AttributeError, match="has no attribute 'no_such_function'"):
        carrierkg.graph.no_such_function  # noqa: B018


@pytest.mark.parametrize(("package", "name"), [("carrierkg.graph", "validate"), ("carrierkg.graph", "centrality"),
                                                ("carrierkg.graph", "communities"), ("carrierkg.ingest", "ingest"),
                                                ("carrierkg.ingest", "extract")])
def test_a_function_wins_over_its_module_whatever_is_imported_first(package, name):
    # as with an eager `from .validate import validate` in __init__.py
    code = (f"import inspect, {package}.{name} as first; from {package} import {name};"
            f"import {package} as p; print(inspect.isfunction({name}), inspect.isfunction(p.{name}))")
    assert _run(code) == "True True"
    code = f"from {package} import {name}; import importlib, inspect; print(inspect.isfunction({name}))"
    assert _run(code) == "True"


@pytest.mark.parametrize("package", PACKAGES)
def test_doctests(package):
    result = doctest.testmod(importlib.import_module(package), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_exports_are_the_library_objects():
    from carrierkg.graph import open_store, partners_of
    from carrierkg.graph.answers import partners_of as original
    from carrierkg.graph.store import open_store as original_open

    assert partners_of is original and open_store is original_open
    assert inspect.signature(partners_of).parameters["org"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
