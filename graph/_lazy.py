"""Lazy package namespaces: public names that import their module on first use.

``carrierkg.graph`` and ``carrierkg.ingest`` export the functions an analyst uses without
importing networkx, rdflib or pyvis until one of them is used, so ``import carrierkg.graph``
(and ``carrierkg --help``) stay fast.

A public function may share its name with the module that defines it (``validate`` in
``validate.py``). As with an eager ``from .validate import validate`` in ``__init__.py``, the
package attribute is then the function, whichever is imported first; the module stays
reachable as ``importlib.import_module("carrierkg.graph.validate")`` and through
``from carrierkg.graph.validate import ...``.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping

__all__ = ["attach"]


class _LazyPackage(types.ModuleType):
    """A package whose public names win over its submodules of the same name."""

    _exports: Mapping[str, tuple[str, str]] = {}

    def __setattr__(self, name: str, value: object) -> None:
        # The import system binds a loaded submodule as an attribute of its package; for a
        # public name that is a function of the same name, keep the function.
        if isinstance(value, types.ModuleType) and name in type(self)._exports:
            return
        super().__setattr__(name, value)


def attach(package: str, exports: Mapping[str, tuple[str, str]]):
    """Make ``package`` export ``exports`` lazily; returns ``(__getattr__, __dir__, __all__)``.

    ``exports`` maps a public name to ``(submodule, attribute)``. Call it from the
    package's ``__init__.py``::

        __getattr__, __dir__, __all__ = attach(__name__, {"open_store": ("store", "open_store")})
    """
    exports = dict(exports)
    module = sys.modules[package]
    if isinstance(module, types.ModuleType) and type(module) is types.ModuleType:
        module.__class__ = type("_LazyPackage", (_LazyPackage,), {"_exports": exports})

    def __getattr__(name: str):
        try:
            submodule, attribute = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{submodule}"), attribute)
        vars(module)[name] = value  # later lookups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(module)) | set(exports))

    return __getattr__, __dir__, sorted(exports)
