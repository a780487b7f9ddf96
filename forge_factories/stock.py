"""A ``SemanticAttribute`` on a stock factory_boy factory: one warning per factory, with the fix.

factory_boy builds a batch one object at a time, so on its own factories each object's
semantic fields are one provider request (10 requests for ``build_batch(10)``). Forge's
base classes resolve the whole batch together; the warning names the one to derive from.
"""

from __future__ import annotations

import threading
import warnings
import weakref
from typing import Any

from .errors import ForgeWarning

#: factory_boy base class (module, name) -> the forge class that replaces it.
_FORGE_BASES = (
    ("factory.django", "DjangoModelFactory", "forge_factories.django.DjangoModelFactory"),
    ("factory.alchemy", "SQLAlchemyModelFactory", "forge_factories.alchemy.SQLAlchemyModelFactory"),
    ("factory.base", "DictFactory", "forge_factories.DictFactory"),
    ("factory.base", "ListFactory", "forge_factories.ListFactory"),
    ("factory.base", "StubFactory", "forge_factories.StubFactory"),
    ("factory.base", "Factory", "forge_factories.Factory"),
)

_WARNED: weakref.WeakSet[type] = weakref.WeakSet()
_LOCK = threading.Lock()


def forge_base_for(factory_cls: type) -> str:
    """The dotted name of the forge base class that replaces ``factory_cls``'s factory_boy base."""
    for klass in factory_cls.__mro__:
        for module, name, forge in _FORGE_BASES:
            if klass.__module__ == module and klass.__name__ == name:
                return forge
    return "forge_factories.Factory"


def warn_stock_factory(factory_cls: Any) -> None:
    """Warn, once per factory class, that its semantic fields are asked one object at a time."""
    if not isinstance(factory_cls, type):
        return
    with _LOCK:
        if factory_cls in _WARNED:
            return
        _WARNED.add(factory_cls)
    forge = forge_base_for(factory_cls)
    warnings.warn(
        f"{factory_cls.__module__}.{factory_cls.__qualname__} is a plain factory_boy factory: its "
        f"SemanticAttribute fields are asked one object at a time (one provider request per object). "
        f"Derive it from {forge} to resolve a whole batch in one request.",
        ForgeWarning,
        stacklevel=4,
    )
