"""Unique fields of auto factories: values never repeated in the scope, the registry or the table."""

from __future__ import annotations

import typing
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from forge_factories.auto.context import AutoFactoryError
from forge_factories.auto.fields import FieldInfo
from forge_factories.core import registry as _registry
from forge_factories.core.unique_values import _scope, _unique_seen

__all__ = ["stored_values", "unique_values", "value_of"]


def _current_scope() -> Any:
    from forge_factories.core.engine import active_engine

    return active_engine() or _scope.get()


def value_of(obj: Any, name: str) -> Any:
    """The ``name`` value of a mapping or an object (``None`` when it has none)."""
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def stored_values(model: Any, name: str, kind: str, session: Any = None) -> set[Any]:
    """Values of column ``name`` already in the database (Django, or SQLAlchemy with a session)."""
    try:
        if kind == "django":
            return set(model._default_manager.values_list(name, flat=True))
        if kind == "sqlalchemy" and session is not None:
            from sqlalchemy import select

            return set(session.scalars(select(getattr(model, name))))
    except Exception:  # noqa: BLE001 - no table or no database: the registry is all we know
        return set()
    return set()


def unique_values(gen: Callable[[], Any], model: Any, field: FieldInfo, kind: str = "", session: Any = None
                  ) -> Callable[[], Any]:
    """Wrap ``gen`` so its values are unique in the scope: registered instances and stored rows included."""
    key = (model, field.name)
    max_length = field.constraints.max_length

    name = getattr(model, "__name__", str(model))

    def seen_set() -> set[Any]:
        # The memory lives for one batch (an engine run or a fast-path call) on top of what is
        # registered and stored; outside a batch, a registry that shrank (seed(),
        # clear_registry()) starts over. So values never depend on earlier scopes or test order.
        scope = _current_scope()
        count = _registry.counts().get(name, 0)
        entry = _unique_seen.get(key)
        stale = entry is None or (entry[2]() if entry[2] is not None else None) is not scope
        if stale and scope is None and entry is not None and entry[2] is None:
            stale = count < entry[1]
        if stale:
            seen = {value_of(o, field.name) for o in _registry.instances(model)}
            seen |= stored_values(model, field.name, kind, session)
            entry = _unique_seen[key] = [seen, count, weakref.ref(scope) if scope is not None else None]
        assert entry is not None
        entry[1] = count
        return typing.cast(set[Any], entry[0])

    def unique() -> Any:
        seen = seen_set()
        value = gen()
        for _ in range(200):
            if value not in seen:
                break
            value = gen()
        else:
            if isinstance(value, str):
                suffix = str(len(seen))
                base = value if max_length is None else value[: max(0, max_length - len(suffix))]
                value = base + suffix
            if value in seen:
                raise AutoFactoryError(
                    f"{getattr(model, '__name__', model)}.{field.name}: ran out of unique values after "
                    f"{len(seen)}; widen the field's constraints or supply a generator"
                )
        seen.add(value)
        return value

    return unique
