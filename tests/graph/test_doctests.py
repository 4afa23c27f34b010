"""The docstring examples of the projection, names, question and analysis modules run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "carrierkg.graph.filters",
    "carrierkg.graph.fixtures",
    "carrierkg.graph.names",
    "carrierkg.graph.projection",
    "carrierkg.graph.paths",
    "carrierkg.graph.centrality",
    "carrierkg.graph.communities",
    "carrierkg.graph.answers",
    "carrierkg.graph.questions",
    "carrierkg.graph.maps",
]

#: Modules of the store layer whose examples run too (no rule that every function has one).
STORE_MODULES = [
    "carrierkg.ontology.namespaces",
    "carrierkg.graph.model",
    "carrierkg.graph.store",
    "carrierkg.graph.files",
    "carrierkg.graph.limits",
    "carrierkg.data",
]


@pytest.mark.parametrize("name", MODULES + STORE_MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    for attr in module.__all__:
        obj = getattr(module, attr)
        if callable(obj) and not isinstance(obj, type) and getattr(obj, "__module__", None) == name:
            assert obj.__doc__ and ">>>" in obj.__doc__, f"{name}.{attr} has no example"
