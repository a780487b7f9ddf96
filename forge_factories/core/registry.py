"""The FK registry: parents created earlier, reusable by children.

Every object a forge factory creates (or builds) is recorded here under its model class.
Children declared with :class:`~forge_factories.core.declarations_registry.RegistrySubFactory` (or
whose factory sets ``Meta.forge_reuse_parents``) pick an existing parent from here instead of
creating a new one.

* Saved rows (Django, SQLAlchemy) are kept as primary keys per (model, database): a Django
  alias, or a SQLAlchemy engine. A pick is O(1) and loads the row in the *current* session or
  database, so a parent saved by a closed session is reloaded, never handed out detached; a
  row that does not load any more (rolled back, deleted) is dropped. Bulk ``create_batch``
  and schema seeding also roll the registry back with their transaction.
* Objects that live only in memory (plain factories, ``build``) are held by weak reference:
  the registry never keeps one alive. An object the caller dropped is skipped (and swept) on a
  pick, so a pick depends only on the seed as long as the caller keeps the objects; once some
  are dropped, picks draw among the others. What children read of a parent by value (an auto
  factory's ``Order.customer_id`` reads ``Customer.id``: :func:`read_by_value`) is kept as a
  value and outlives the object. At most :data:`DEFAULT_OBJECT_LIMIT` (10,000) per model, a
  uniform seeded sample of all of them past that; :func:`set_limit` changes the bound. Objects
  that take no weak reference are held, within the same bound.

:func:`clear_registry` (called by :func:`forge_factories.common.seeding.seed`) empties it.
"""

from __future__ import annotations

import contextvars
import random
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from forge_factories.common.seeding import on_seed, value_rng
from forge_factories.core.parent_pools import ObjectPool, RowPool, RowSource

#: In-memory objects referenced (weakly) per model by default (a uniform, seeded sample past
#: it); saved rows are kept as keys and never limited. ``set_limit(None)``: every object.
DEFAULT_OBJECT_LIMIT = 10_000


def model_path(model: Any) -> str:
    """``module.QualName`` of a model class (the registry's random streams are named by it)."""
    return f"{getattr(model, '__module__', '')}.{getattr(model, '__qualname__', model)}"


class Registry:
    """Parents per model: in-memory objects and saved rows' keys per database."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._objects: dict[Any, ObjectPool] = {}
        self._rows: dict[tuple[Any, Hashable], RowPool] = {}
        self._limit: int | None = DEFAULT_OBJECT_LIMIT
        self._paused = 0

    # -- recording ---------------------------------------------------------------------------

    def register(self, model: Any, obj: Any, handle: Any = None) -> None:
        """Remember ``obj`` as an in-memory instance of ``model`` (once, however often given).

        ``handle``: a weak reference to ``obj`` to hold (provenance's, so one serves both).
        """
        if obj is None or self._paused:
            return
        with self._lock:
            pool = self._objects.get(model)
            if pool is None:
                pool = self._object_pool(model)
            pool.add(obj, self._limit, handle)

    def adder(self, model: Any) -> Callable[[Any, Any], None]:
        """:meth:`register` for ``model``, set up once: ``adder(model)(obj, handle)``."""
        lock = self._lock

        def add(obj: Any, handle: Any = None) -> None:
            if self._paused:
                return
            with lock:
                pool = self._objects.get(model)
                if pool is None:
                    pool = self._object_pool(model)
                pool.add(obj, self._limit, handle)

        return add

    def _object_pool(self, model: Any) -> ObjectPool:
        pool = self._objects[model] = ObjectPool(lambda: value_rng("registry-sample", model_path(model)))
        return pool

    def register_row(self, model: Any, location: Hashable, key: Any) -> None:
        """Remember a saved row of ``model`` in database ``location`` by its primary key."""
        if key is None or self._paused:
            return
        with self._lock:
            self.row_pool(model, location).add(key)

    def row_pool(self, model: Any, location: Hashable) -> RowPool:
        """The (possibly new, empty) pool of ``model``'s rows in ``location``."""
        with self._lock:
            pool = self._rows.get((model, location))
            if pool is None:
                pool = self._rows[(model, location)] = RowPool()
            return pool

    # -- reading -----------------------------------------------------------------------------

    def instances(self, model: Any) -> list[Any]:
        """Live in-memory instances of ``model``, oldest first (saved rows: :meth:`row_keys`)."""
        with self._lock:
            pool = self._objects.get(model)
            return list(pool.objects) if pool is not None else []

    def row_keys(self, model: Any, location: Hashable) -> list[Any]:
        """Primary keys of ``model``'s registered rows in ``location`` (not yet known dead)."""
        with self._lock:
            pool = self._rows.get((model, location))
            return pool.live_keys() if pool is not None else []

    def pick(self, model: Any, *, usable: Callable[[Any], bool] | None = None,
             rng: random.Random | None = None) -> Any:
        """An in-memory instance of ``model`` chosen deterministically under the seed, or ``None``.

        ``usable`` filters candidates (it costs one call per registered object; without it a
        pick is O(1)). The choice draws from :func:`forge_factories.common.seeding.value_rng`, so it
        never shifts Faker's or factory_boy's random stream.
        """
        with self._lock:
            pool = self._objects.get(model)
            if pool is None or not len(pool):
                return None
            return pool.pick(rng or value_rng("registry", model_path(model)), usable)

    def read_by_value(self, model: Any, attribute: str) -> None:
        """Children read ``attribute`` of ``model``'s parents: keep its value beside each one."""
        with self._lock:
            pool = self._objects.get(model)
            if pool is None:
                pool = self._object_pool(model)
            pool.read(attribute)

    def pick_value(self, model: Any, attribute: str, *, rng: random.Random | None = None) -> Any:
        """``attribute`` of an in-memory ``model`` parent (kept even if the object is gone), or ``None``.

        The same draw as :meth:`pick` while every object is alive.
        """
        with self._lock:
            pool = self._objects.get(model)
            if pool is None:
                pool = self._object_pool(model)
            pool.read(attribute)  # parents registered from now on keep it, even once dropped
            if not len(pool):
                return None
            return pool.pick_value(attribute, rng or value_rng("registry", model_path(model)))

    def pick_row(self, model: Any, location: Hashable, source: RowSource) -> Any:
        """A saved row of ``model`` in ``location``, loaded through ``source``; ``None`` if none loads."""
        with self._lock:
            pool = self._rows.get((model, location))
            if pool is None or len(pool) == 0:
                return None
            return pool.pick(source, lambda: value_rng("registry", model_path(model)))

    def counts(self) -> dict[str, int]:
        """Registered parents per model name (in-memory objects plus saved rows)."""
        out: dict[str, int] = {}
        with self._lock:
            for model, pool in self._objects.items():
                if len(pool):
                    out[model.__name__] = out.get(model.__name__, 0) + len(pool)
            for (model, _), rows in self._rows.items():
                if len(rows):
                    out[model.__name__] = out.get(model.__name__, 0) + len(rows)
        return out

    # -- scope -------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every registered parent."""
        with self._lock:
            self._objects.clear()
            self._rows.clear()

    def mark(self) -> dict[int, tuple[Any, int]]:
        """The registry's size now, for :meth:`rollback_to` (a transaction's start)."""
        with self._lock:
            marks: dict[int, tuple[Any, int]] = {id(p): (p, p.mark()) for p in self._objects.values()}
            marks.update({id(p): (p, p.mark()) for p in self._rows.values()})
            return marks

    def rollback_to(self, mark: dict[int, tuple[Any, int]]) -> None:
        """Forget what was registered since ``mark`` (the transaction that saved it rolled back)."""
        with self._lock:
            for pool in list(self._objects.values()) + list(self._rows.values()):
                kept = mark.get(id(pool))
                pool.truncate(kept[1] if kept is not None and kept[0] is pool else 0)

    def forget_loaded(self) -> None:
        """Drop rows loaded ahead for picks (a factory call ended: its session may not last)."""
        with self._lock:
            for pool in self._rows.values():
                pool.forget_loaded()

    def set_limit(self, limit: int | None) -> None:
        """Reference at most ``limit`` in-memory objects per model, a uniform sample (``None``: all)."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"registry limit must be a positive int or None, got {limit!r}")
        with self._lock:
            self._limit = limit

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Record nothing inside this block."""
        with self._lock:
            self._paused += 1
        try:
            yield
        finally:
            with self._lock:
                self._paused -= 1


_DEFAULT = Registry()
_CURRENT: contextvars.ContextVar[Registry | None] = contextvars.ContextVar("forge_registry", default=None)
_CALL_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("forge_registry_call_depth", default=0)


def current() -> Registry:
    """The registry of the current scope (the process default unless :func:`using` set one)."""
    return _CURRENT.get() or _DEFAULT


@contextmanager
def using(registry: Registry) -> Iterator[Registry]:
    """Make ``registry`` the current one inside this block (this thread / task only)."""
    token = _CURRENT.set(registry)
    try:
        yield registry
    finally:
        _CURRENT.reset(token)


@contextmanager
def factory_call() -> Iterator[None]:
    """Wraps one top-level factory call: rows loaded ahead for its picks are dropped at its end."""
    depth = _CALL_DEPTH.get()
    token = _CALL_DEPTH.set(depth + 1)
    try:
        yield
    finally:
        _CALL_DEPTH.reset(token)
        if depth == 0:
            current().forget_loaded()


@contextmanager
def transaction() -> Iterator[None]:
    """Roll the registry back with the block's transaction: an exception forgets what it registered."""
    registry = current()
    mark = registry.mark()
    try:
        yield
    except BaseException:
        registry.rollback_to(mark)
        raise


# -- module-level API: the current registry --------------------------------------------------


def _model_of(factory_cls: Any, obj: Any) -> Any:
    meta = getattr(factory_cls, "_meta", None)
    model = getattr(meta, "model", None) if meta is not None else None
    return model if isinstance(model, type) and isinstance(obj, model) else type(obj)


def record(factory_cls: Any, instance: Any) -> None:
    """Called for every object a factory built or created: a saved row by key, else the object."""
    record_many(factory_cls, [instance])


def record_many(factory_cls: Any, instances: list[Any]) -> None:
    """:func:`record` for objects of one factory (an ORM factory locates them in one go)."""
    objs = [o for o in instances if o is not None and not isinstance(o, (dict, list, tuple))]
    if not objs:
        return
    registry = current()
    row_refs = getattr(factory_cls, "_forge_row_refs", None)
    refs = row_refs(objs) if row_refs is not None else [None] * len(objs)
    for obj, ref in zip(objs, refs, strict=True):
        model = _model_of(factory_cls, obj)
        if ref is not None:
            registry.register_row(model, ref[0], ref[1])
        else:
            registry.register(model, obj)


def register(model: Any, obj: Any) -> None:
    """Remember ``obj`` as an existing in-memory instance of ``model``."""
    current().register(model, obj)


def instances(model: Any) -> list[Any]:
    """Live in-memory instances of ``model`` registered in the current scope, oldest first."""
    return current().instances(model)


def pick(model: Any, *, usable: Callable[[Any], bool] | None = None, rng: random.Random | None = None) -> Any:
    """An in-memory instance of ``model`` chosen deterministically under the seed, or ``None``."""
    return current().pick(model, usable=usable, rng=rng)


def counts() -> dict[str, int]:
    """Registered parents per model name."""
    return current().counts()


def clear_registry() -> None:
    """Forget every registered parent (new test, new seeding run)."""
    current().clear()


def read_by_value(model: Any, attribute: str) -> None:
    """Keep ``attribute`` of ``model``'s in-memory parents as a value (children read it, not the object)."""
    current().read_by_value(model, attribute)


def set_limit(limit: int | None) -> None:
    """Reference at most ``limit`` in-memory objects per model (default 10,000; ``None``: every one).

    Past the limit the pool is a uniform, seeded sample of every object registered, so the
    parents kept cover the whole range. Saved rows are kept as keys and are never limited.
    """
    current().set_limit(limit)


def paused() -> Any:
    """Record nothing inside this block (e.g. throwaway objects built for a benchmark)."""
    return current().paused()


on_seed(clear_registry)
