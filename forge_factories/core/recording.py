"""Recording: the one place that stores provenance, registers parents and prints verbose lines.

Every way of building objects goes through here: the batch engine (``core.engine``), stock
factory_boy building (``core.stock_build``), the auto factories' fast path
(``autofactory.fast``) and the column-wise stream (``datasets.stream``). A flat batch calls
:func:`record_batch` once; a call that builds a tree of objects (the engine, stock SubFactory
children) opens a :class:`Recording`, adds each object as it is built (the FK registry must
see a parent at once: later objects of the same call may pick it) and finishes it once, which
stores provenance per (factory, overrides) batch and prints the verbose lines.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from factory import enums

from forge_factories.common.config import current_settings
from forge_factories.core import provenance as _provenance
from forge_factories.core import registry as _registry

#: The executors that build objects (``FieldProvenance.executor``).
OBJECTS, COLUMNS = "objects", "columns"

#: The recording of the factory call running in this thread / task (stock SubFactory children
#: are built by factory_boy's own code and find it here).
ACTIVE: contextvars.ContextVar[Recording | None] = contextvars.ContextVar("forge_recording", default=None)


def verbose(factory_cls: Any) -> bool:
    """Whether ``factory_cls``'s objects print their provenance (``Meta.forge_verbose``, else settings)."""
    flag = getattr(getattr(factory_cls, "_meta", None), "forge_verbose", None)
    return bool(flag or (flag is None and current_settings().verbose))


def _registrar(factory_cls: Any, strategy: str) -> Callable[[Any, Any], None] | None:
    """What registering one object of ``factory_cls`` takes, set up once (``None``: nothing, a stub).

    The registrar takes the object and its weak reference (shared with provenance).
    """
    if strategy == enums.STUB_STRATEGY:
        return None
    if getattr(factory_cls, "_forge_row_refs", None) is not None:  # ORM factories: saved rows by key
        return lambda obj, handle: _registry.record(factory_cls, obj)
    registry = _registry.current()
    register = registry.register
    model = getattr(getattr(factory_cls, "_meta", None), "model", None)
    if not isinstance(model, type) or issubclass(model, (dict, list, tuple)):
        model = type(None)  # objects are registered under their own class
    key = getattr(factory_cls, "_forge_key_attribute", None)  # what children read by value (auto factories)
    if key is not None and model is not type(None):
        registry.read_by_value(model, key)
    add = registry.adder(model)

    def record(obj: Any, handle: Any) -> None:
        if isinstance(obj, model):
            if obj is not None:
                add(obj, handle)
        elif not isinstance(obj, (dict, list, tuple)):
            register(type(obj), obj, handle)

    return record


class _Group:
    """The objects of one (factory, overrides) pair in a call: a provenance batch being filled."""

    __slots__ = ("batch", "sources", "last", "size", "registrar")

    def __init__(self, batch: Any, registrar: Callable[[Any, Any], None] | None) -> None:
        self.batch = batch
        self.sources: list[Mapping[str, str] | None] | None = None  # made on the first non-empty one
        self.last: Mapping[str, str] | None = None  # the labels added last (equal ones share it)
        self.size = 0
        self.registrar = registrar


class Recording:
    """What one factory call records: provenance per (factory, overrides) batch, FK registry entries."""

    __slots__ = ("factory", "strategy", "executor", "_groups", "_registrars", "_last")

    def __init__(self, factory_cls: Any, strategy: str, executor: str = OBJECTS) -> None:
        self.factory, self.strategy, self.executor = factory_cls, strategy, executor
        self._groups: dict[tuple[Any, tuple[str, ...]], _Group] = {}
        self._registrars: dict[Any, Callable[[Any, Any], None] | None] = {}
        self._last: tuple[Any, tuple[str, ...], _Group | None] = (None, (), None)

    def _group(self, factory_cls: Any, overrides: tuple[str, ...]) -> _Group:
        group = self._groups.get((factory_cls, overrides))
        if group is None:
            if factory_cls in self._registrars:
                registrar = self._registrars[factory_cls]
            else:
                registrar = self._registrars[factory_cls] = _registrar(factory_cls, self.strategy)
            batch = _provenance.open_batch(factory_cls, overrides, self.executor)
            group = self._groups[(factory_cls, overrides)] = _Group(batch, registrar)
        self._last = (factory_cls, overrides, group)
        return group

    def add(self, factory_cls: Any, obj: Any, overrides: tuple[str, ...], sources: Mapping[str, str] | None = None,
            *, register: bool = True) -> None:
        """One built object: registered now (unless ``register`` is false), its provenance at :meth:`finish`."""
        last_factory, last_overrides, group = self._last
        if group is None or factory_cls is not last_factory or overrides is not last_overrides:
            group = self._group(factory_cls, overrides)
        handle = group.batch.add(obj)
        if sources:
            if group.sources is None:
                group.sources = [None] * group.size
            if sources == group.last:  # one shared mapping for a run of equal labels, not one per object
                sources = group.last
            group.sources.append(sources)
            group.last = sources
        elif group.sources is not None:
            group.sources.append(None)
        group.size += 1
        if register and group.registrar is not None:
            group.registrar(obj, handle)

    def adder(self, factory_cls: Any, overrides: tuple[str, ...], *, register: bool = True) -> Callable[[Any], None]:
        """:meth:`add` for objects of one (factory, overrides) pair without labels, set up once."""
        group = self._group(factory_cls, overrides)
        track, registrar = group.batch.add, group.registrar if register else None

        def add(obj: Any) -> None:
            handle = track(obj)
            if group.sources is not None:
                group.sources.append(None)
            group.size += 1
            if registrar is not None:
                registrar(obj, handle)

        return add

    def register_saved(self, factory_cls: Any, objs: list[Any]) -> None:
        """Register objects saved together (an ORM factory locates their rows in one go)."""
        if self.strategy != enums.STUB_STRATEGY:
            _registry.record_many(factory_cls, objs)

    def finish(self, top: Sequence[Any] = ()) -> None:
        """Store the provenance of every object added, then print ``top``'s lines in verbose mode."""
        groups, self._groups, self._last = self._groups, {}, (None, (), None)
        for group in groups.values():
            shared, columns = _provenance.label_columns(group.sources or ())
            group.batch.close(shared, columns)
        if top and verbose(self.factory):
            for obj in top:
                print(_provenance.explain(obj))


def record_batch(factory_cls: Any, objects: Sequence[Any], overrides: tuple[str, ...] = (), *,
                 sources: Mapping[str, str] | None = None,
                 columns: dict[str, list[str | None]] | None = None, executor: str = OBJECTS,
                 strategy: str = enums.BUILD_STRATEGY, register: bool = True, print_verbose: bool = True) -> None:
    """Record a flat batch of ``factory_cls`` objects at once.

    ``sources`` are labels every object shares (``{"name": "faker"}``); ``columns`` give one
    label per object for fields whose source varies (``None``: the declaration's own). Registers
    each object as a parent unless ``register`` is false or the strategy is ``stub``, and prints
    the verbose lines unless ``print_verbose`` is false.
    """
    shared, varying = _provenance.compact_columns(sources, columns)
    handles = _provenance.remember_batch(factory_cls, overrides, objects, shared, varying, executor)
    registrar = _registrar(factory_cls, strategy) if register else None
    if registrar is not None and getattr(factory_cls, "_forge_row_refs", None) is not None:
        _registry.record_many(factory_cls, list(objects))  # saved rows: their keys located in one go
    elif registrar is not None:
        for obj, handle in zip(objects, handles, strict=True):
            registrar(obj, handle)
    if print_verbose and objects and verbose(factory_cls):
        for obj in objects:
            print(_provenance.explain(obj))
