"""Which factory_boy names forge_factories provides as drop-ins (checked on the live modules).

A dotted use such as ``factory.django.DjangoModelFactory`` may move to forge_factories when
the forge object is the same object, a subclass of the factory_boy class, or (top level only)
a public forge name standing in for factory_boy's (``DictFactory``, ``build_batch``...).
"""

from __future__ import annotations

import functools
import importlib
import types
from typing import Any

#: factory_boy modules that forge_factories mirrors, and their forge_factories counterparts.
MODULES = {
    "factory": "forge_factories",
    "factory.django": "forge_factories.django",
    "factory.alchemy": "forge_factories.alchemy",
}

_MISSING = object()


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - an adapter whose ORM is not installed provides nothing
        return _MISSING


def _get(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except Exception:  # noqa: BLE001 - lazy attributes may fail to import
        return _MISSING


def _stands_in(old: Any, new: Any, forge_module: Any, name: str) -> bool:
    """``new`` (``forge_module.name``) replaces ``old`` for every use of a public name."""
    if isinstance(old, type) and isinstance(new, type) and issubclass(new, old):
        return True
    if forge_module.__name__ != "forge_factories" or name not in getattr(forge_module, "__all__", ()):
        return False
    both_classes = isinstance(old, type) and isinstance(new, type)
    both_functions = isinstance(old, types.FunctionType) and isinstance(new, types.FunctionType)
    return both_classes or both_functions


@functools.lru_cache(maxsize=4096)
def provides(module: str, chain: tuple[str, ...]) -> bool:
    """Whether ``forge counterpart of module`` + ``chain`` replaces ``module`` + ``chain``.

    ``provides("factory", ("Faker",))`` is true; ``provides("factory", ("base", "Factory"))``
    is false (``forge_factories.core.base`` is forge's own module); an empty chain (the module
    itself used as a value) is true only for modules forge re-exports unchanged.
    """
    if module not in MODULES:
        return False
    old, new = _import(module), _import(MODULES[module])
    if old is _MISSING or new is _MISSING:
        return False
    for index, name in enumerate(chain):
        if old is new:
            return True
        if not isinstance(old, types.ModuleType) or not isinstance(new, types.ModuleType):
            # a drop-in class: its attributes are the factory_boy class's (inherited)
            return False
        parent_new = new
        old, new = _get(old, name), _get(new, name)
        if old is _MISSING or new is _MISSING:
            return False
        if old is new:
            return True
        if isinstance(old, types.ModuleType):
            continue
        if not _stands_in(old, new, parent_new, name):
            return False
        # a class standing in: further attributes (``Factory._meta``, ``.create``) are inherited
        return isinstance(new, type) or index == len(chain) - 1
    return old is new


@functools.lru_cache(maxsize=4096)
def same_object(module: str, chain: tuple[str, ...]) -> bool:
    """Whether ``module`` + ``chain`` is the very object its forge_factories counterpart gives
    (``factory.Faker`` is; assigning to its attributes changes the same class either way)."""
    if module not in MODULES or not chain:
        return False
    old, new = _import(module), _import(MODULES[module])
    for name in chain:
        if old is _MISSING or new is _MISSING:
            return False
        if old is new:
            return True
        old, new = _get(old, name), _get(new, name)
    return old is new and old is not _MISSING


@functools.lru_cache(maxsize=4096)
def top_level_same(module: str, name: str) -> bool:
    """Whether ``forge_factories.<name>`` is the very object ``<module>.<name>`` is, for a
    factory_boy submodule forge does not mirror (``factory.faker.Faker``, ``factory.declarations.LazyAttribute``)."""
    if not module.startswith("factory.") or module in MODULES:
        return False
    old, new = _import(module), _import("forge_factories")
    if old is _MISSING or new is _MISSING:
        return False
    value = _get(old, name)
    return value is not _MISSING and _get(new, name) is value and name in getattr(new, "__all__", ())
