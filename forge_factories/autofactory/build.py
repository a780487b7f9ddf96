"""The auto factories' public entry points: ``factory_for`` (cached), ``classify``, ``describe``.

The walk over a model's fields is :class:`~forge_factories.autofactory.builder.Builder`; unique
values are :mod:`forge_factories.autofactory.unique`. Auto factory classes name this module as
theirs (their lock-file path).
"""

from __future__ import annotations

import threading
import typing
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from forge_factories.auto.context import AutoFactoryError
from forge_factories.auto.fields import ModelInfo
from forge_factories.autofactory import builder as _builder
from forge_factories.autofactory.builder import M2M_COUNT, Builder, find_parent_model
from forge_factories.autofactory.unique import stored_values, unique_values
from forge_factories.core.unique_values import _unique_seen, unique_scope

__all__ = ["DEFAULT_MAX_DEPTH", "DEFAULT_NONE_RATIO", "M2M_COUNT", "classify", "clear_cache", "describe",
           "factory_for", "find_parent_model", "remember_models", "reset_unique", "stored_values", "unique_scope",
           "unique_values"]

DEFAULT_NONE_RATIO = 0.1
DEFAULT_MAX_DEPTH = 2

_lock = threading.RLock()
_cache: dict[tuple[Any, ...], type[Any]] = {}
_session_caches: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], type[Any]]] = weakref.WeakKeyDictionary()


def remember_models(*models: Any) -> None:
    """Make ``models`` candidates for ``<name>_id`` references (beside each model's own module)."""
    with _lock:
        for m in models:
            if m not in _builder._known:
                _builder._known.append(m)


def reset_unique() -> None:
    """Forget the values unique fields have produced (a new, independent scenario)."""
    with _lock:
        _unique_seen.clear()


def clear_cache() -> None:
    """Forget every auto factory built so far (they are rebuilt on next use)."""
    with _lock:
        _cache.clear()
        _session_caches.clear()


def factory_for(
    model: Any,
    *,
    tiers: Mapping[str, str] | None = None,
    none_ratio: float = DEFAULT_NONE_RATIO,
    max_depth: int = DEFAULT_MAX_DEPTH,
    locale: str | None = None,
    known_models: Iterable[Any] = (),
    session: Any = None,
    _ancestors: tuple[Any, ...] = (),
    **overrides: Any,
) -> type[Any]:
    """An ``AIFactory`` subclass for ``model`` built from its type hints / ORM metadata.

    ``tiers`` forces a field's tier (``{"nickname": "semantic", "bio": "standard"}``);
    keyword ``overrides`` replace a field's generator (a value, a zero-argument callable or
    any factory_boy declaration). ``none_ratio`` is how often an Optional field is ``None``;
    ``max_depth`` cuts recursive models; ``locale`` picks Faker's locale; ``known_models``
    helps ``<name>_id`` fields find their parent model; ``session`` is the SQLAlchemy session.
    Factories without overrides are cached. Raises :class:`AutoFactoryError` naming the
    model, field and type when a field cannot be generated.
    """
    if not 0 <= none_ratio <= 1:
        raise AutoFactoryError(f"none_ratio must be within [0, 1], got {none_ratio!r}")
    known = tuple(known_models)
    cacheable = not overrides and not tiers
    key = (model, _ancestors, none_ratio, max_depth, locale, known)
    if cacheable:
        with _lock:
            found = _cache_for(session).get(key)
        if found is not None:
            return found
    cls = Builder(model, ancestors=_ancestors, none_ratio=none_ratio, max_depth=max_depth, locale=locale,
                  tiers=tiers or {}, overrides=overrides, known=known, session=session,
                  child_factory=factory_for).build()
    if cacheable:
        with _lock:
            cls = _cache_for(session).setdefault(key, cls)
    return cls


def _cache_for(session: Any) -> dict[tuple[Any, ...], type[Any]]:
    """The factory cache of a SQLAlchemy session (dropped with the session), or the global one."""
    if session is None:
        return _cache
    info = getattr(session, "info", None)
    if isinstance(info, dict):  # a SQLAlchemy Session: the cache lives and dies with it
        return typing.cast(dict[tuple[Any, ...], type[Any]], info.setdefault("forge_auto_factories", {}))
    per_session = _session_caches.get(session)
    if per_session is None:
        per_session = _session_caches[session] = {}
    return per_session


def classify(model: Any, **options: Any) -> ModelInfo:
    """The classification (tier and generator of every field) of ``model``'s auto factory."""
    return typing.cast(ModelInfo, factory_for(model, **options)._forge_auto_info)


def describe(model: Any, **options: Any) -> str:
    """The printable classification of ``model``: one line per field."""
    return classify(model, **options).describe()
