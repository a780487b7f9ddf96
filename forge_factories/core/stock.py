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

from forge_factories.common.errors import ForgeWarning

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


def _is_forge(factory_cls: Any) -> bool:
    return getattr(factory_cls, "_forge_generate_many", None) is not None


def stock_builder(factory_cls: Any, step: Any = None) -> Any:
    """The outermost plain factory_boy factory building this object (``factory_cls`` itself,
    or the stock parent a forge factory is a SubFactory of), walking ``step.parent_step``."""
    found = None if _is_forge(factory_cls) else factory_cls
    while step is not None:
        cls = getattr(getattr(getattr(step, "builder", None), "factory_meta", None), "factory", None)
        if cls is not None and not _is_forge(cls):
            found = cls
        step = getattr(step, "parent_step", None)
    return found if found is not None else factory_cls


def warn_stock_factory(factory_cls: Any, step: Any = None) -> None:
    """Warn, once per stock factory class, that the semantic fields it builds are asked one
    object at a time (``step``: the build step, to find a stock parent of a forge factory)."""
    stock = stock_builder(factory_cls, step)
    if not isinstance(stock, type) or _is_forge(stock):
        return
    with _LOCK:
        if stock in _WARNED:
            return
        _WARNED.add(stock)
    forge = forge_base_for(stock)
    child = "" if stock is factory_cls else f" (here for {factory_cls.__qualname__}, one of its SubFactory children)"
    warnings.warn(
        f"{stock.__module__}.{stock.__qualname__} is a plain factory_boy factory: the "
        f"SemanticAttribute fields it builds{child} are asked one object at a time (one provider request "
        f"per object). Derive it from {forge} to resolve a whole batch in one request.",
        ForgeWarning,
        stacklevel=4,
    )
