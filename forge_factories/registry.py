"""The FK registry: objects created in the current scope, reusable as parents.

Every object a forge factory creates (or builds) is recorded here under its model class.
Children declared with :class:`~forge_factories.declarations_registry.RegistrySubFactory` (or
whose factory sets ``Meta.forge_reuse_parents``) pick an existing parent from here instead of
creating a new one. :func:`clear_registry` (called by :func:`forge_factories.seeding.seed`, so
by the pytest plugin before every test) empties it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .seeding import value_rng

_lock = threading.Lock()
_objects: dict[Any, list[Any]] = {}
_ids: dict[Any, set[int]] = {}
_paused = 0
_limit: int | None = 10_000


def _model_of(factory_cls: Any, obj: Any) -> Any:
    meta = getattr(factory_cls, "_meta", None)
    model = getattr(meta, "model", None) if meta is not None else None
    return model if isinstance(model, type) and isinstance(obj, model) else type(obj)


def register(model: Any, obj: Any) -> None:
    """Remember ``obj`` as an existing instance of ``model`` (once, however often it is given)."""
    if obj is None or _paused:
        return
    with _lock:
        seen = _ids.setdefault(model, set())
        key = id(obj)
        if key in seen or (_limit is not None and len(seen) >= _limit):
            return
        seen.add(key)
        _objects.setdefault(model, []).append(obj)


def record(factory_cls: Any, instance: Any) -> None:
    """Called by the batch engine for every object a factory built or created."""
    if isinstance(instance, (dict, list, tuple)) or instance is None:
        return
    register(_model_of(factory_cls, instance), instance)


def instances(model: Any) -> list[Any]:
    """Instances of ``model`` registered in the current scope, oldest first."""
    with _lock:
        return list(_objects.get(model, ()))


def pick(model: Any, *, usable: Callable[[Any], bool] | None = None, rng: random.Random | None = None) -> Any:
    """An existing instance of ``model`` chosen deterministically under the seed, or ``None``.

    ``usable`` filters candidates (e.g. saved objects of the right database or session).
    The choice draws from :func:`forge_factories.seeding.value_rng` (scope ``registry``
    and the model's name), so it never shifts Faker's or factory_boy's random stream.
    """
    pool = instances(model)
    if usable is not None:
        pool = [obj for obj in pool if usable(obj)]
    if not pool:
        return None
    chooser = rng or value_rng("registry", f"{getattr(model, '__module__', '')}.{getattr(model, '__qualname__', model)}")
    return pool[chooser.randrange(len(pool))]


def counts() -> dict[str, int]:
    """Registered instance count per model name."""
    with _lock:
        return {getattr(m, "__name__", str(m)): len(v) for m, v in _objects.items() if v}


def clear_registry() -> None:
    """Forget every registered instance (new test, new seeding run)."""
    with _lock:
        _objects.clear()
        _ids.clear()


def set_limit(limit: int | None) -> None:
    """Keep at most ``limit`` objects per model (default 10,000; ``None``: no limit).

    The registry holds strong references; the cap keeps a 1,000,000-row seeding run from
    pinning every row in memory. The first ``limit`` objects of a model are kept (so the
    parents a child may reuse are deterministic).
    """
    global _limit
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"registry limit must be a positive int or None, got {limit!r}")
    with _lock:
        _limit = limit


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside this block (e.g. throwaway objects built for a benchmark)."""
    global _paused
    with _lock:
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1

