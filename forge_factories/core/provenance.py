"""Where each field of a built object came from (``[faker] name = 'Allison Hill'``).

Provenance is stored per batch, as columns (:func:`remember_batch`, called by
:mod:`forge_factories.core.recording` only): one :class:`_Batch` record holds the factory, the
overridden names, the executor, the labels every object shares and, for a field whose label
varies between objects (a semantic field answered by the provider for some objects and by
fallback text for others), one column of interned labels. Per object the record keeps one weak
reference (8 bytes in a list plus the reference); an object's position in its batch is found
through an index built on the first lookup into that batch.

Nothing is kept alive for provenance: the weak references call back when their object dies and
the record goes when its last object has. The FK registry holds the same weak references. Objects that take no weak reference (``dict``,
``list``) are held by their record, at most :data:`MAX_HELD` of them in the process (the oldest
are let go first: their provenance is then forgotten).
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import factory
from factory import declarations as fb

from forge_factories.core.declarations import SemanticAttribute

#: Objects without weak references (dict, list) held for their provenance, in the whole process.
MAX_HELD = 10_000

_NO_SOURCES: Mapping[str, str] = MappingProxyType({})
_lock = threading.RLock()
_serial = itertools.count()
#: Live batch records by serial, oldest first (a record leaves when its last object dies).
_batches: dict[int, _Batch] = {}
_held: deque[_Held] = deque()
_labels: dict[str, str] = {}


class _Held:
    """A strong handle on an object that takes no weak reference (a ``dict`` row)."""

    __slots__ = ("obj", "batch")

    def __init__(self, obj: Any, batch: _Batch) -> None:
        self.obj, self.batch = obj, batch

    def __call__(self) -> Any:
        return self.obj


class _Batch:
    """How the objects of one batch were made: shared labels plus per-object label columns."""

    __slots__ = ("serial", "factory", "overrides", "executor", "shared", "columns", "refs", "alive", "low",
                 "high", "_index", "_callback")

    def __init__(self, factory_cls: type, overrides: tuple[str, ...], executor: str) -> None:
        self.serial = -1  # set when closed
        self.factory, self.overrides, self.executor = factory_cls, overrides, executor
        self.shared: Mapping[str, str] = _NO_SOURCES
        self.columns: dict[str, list[str | None]] = {}
        self.refs: list[Any] = []
        self.alive = 0
        self.low = self.high = 0
        self._index: dict[int, int] | None = None
        self._callback: Any = self.died  # one bound method shared by every reference of the batch

    def died(self, _ref: Any = None) -> None:
        """A weak reference's callback (or a held object let go): drop the record with its last object."""
        self.alive -= 1
        if self.alive <= 0 and self.serial >= 0:
            _batches.pop(self.serial, None)
            self._forget()

    def _forget(self) -> None:
        self.refs, self._index, self._callback = [], None, None  # breaks record -> reference -> callback

    def add(self, obj: Any) -> Any:
        """Track one more object of the batch; returns its handle (a weak reference, shareable)."""
        try:
            handle: Any = weakref.ref(obj, self._callback)
        except TypeError:
            handle = _Held(obj, self)
            with _lock:
                _held.append(handle)
        self.refs.append(handle)
        self.alive += 1
        key = id(obj)
        if not self.low or key < self.low:
            self.low = key
        if key > self.high:
            self.high = key
        return handle

    def close(self, shared: Mapping[str, str] | None, columns: dict[str, list[str | None]] | None) -> None:
        """The batch is complete: store its labels and make it findable."""
        self.shared, self.columns = shared or _NO_SOURCES, columns or {}
        with _lock:
            if self.alive > 0:
                self.serial = next(_serial)
                _batches[self.serial] = self
            else:
                self._forget()
            while len(_held) > MAX_HELD:
                gone = _held.popleft()
                gone.obj = None
                gone.batch.died()

    def position(self, obj: Any) -> int | None:
        """``obj``'s index in the batch, or ``None``."""
        key = id(obj)
        if not self.low <= key <= self.high:
            return None
        if self._index is None:
            refs = self.refs
            self._index = {id(o): i for i, o in ((i, r()) for i, r in enumerate(refs)) if o is not None}
        pos = self._index.get(key)
        refs = self.refs
        if pos is None or pos >= len(refs) or refs[pos]() is not obj:
            return None
        return pos

    def sources(self, pos: int) -> dict[str, str]:
        """The labels recorded for the object at ``pos`` (shared ones and its column entries)."""
        found = dict(self.shared)
        for name, column in self.columns.items():
            label = column[pos]
            if label is not None:
                found[name] = label
        return found


@dataclass(frozen=True)
class FieldProvenance:
    """One field's value and the source that produced it."""

    field: str
    source: str
    value: Any
    #: Which executor built the object: ``"objects"`` (the batch engine) or ``"columns"``.
    executor: str = "objects"

    def line(self) -> str:
        """The verbose-mode line, e.g. ``[faker] name = 'Allison Hill'``."""
        return f"[{self.source}] {self.field} = {self.value!r}"


def classify(declaration: Any) -> str:
    """The source label of a factory declaration."""
    if isinstance(declaration, SemanticAttribute):
        return "semantic"
    if isinstance(declaration, factory.Faker):
        return "faker"
    if isinstance(declaration, (fb.Sequence,)):
        return "sequence"
    if isinstance(declaration, fb.Iterator):
        return "iterator"
    if isinstance(declaration, fb.SubFactory):
        return "subfactory"
    if isinstance(declaration, (fb.LazyAttribute, fb.LazyFunction, fb.SelfAttribute, fb.Maybe, fb.Transformer,
                                fb.ContainerAttribute)):
        return "lazy"
    module = type(declaration).__module__
    if module == "factory.fuzzy":
        return "fuzzy"
    if isinstance(declaration, fb.BaseDeclaration):
        return type(declaration).__name__.lower()
    return "constant"


def _label(value: str) -> str:
    return _labels.setdefault(value, value)


def _column_label(value: str | None) -> str | None:
    return None if value is None else _labels.setdefault(value, value)


def label_columns(per_object: Sequence[Mapping[str, str] | None]) -> tuple[Mapping[str, str], dict[str, list[str | None]]]:
    """``(shared, columns)`` for per-object label mappings: a column only where labels vary."""
    if not per_object:
        return _NO_SOURCES, {}
    first = per_object[0] or _NO_SOURCES
    if all(s is first or (s or _NO_SOURCES) == first for s in per_object):
        return (MappingProxyType({k: _label(v) for k, v in first.items()}) if first else _NO_SOURCES), {}
    names = dict.fromkeys(name for s in per_object if s for name in s)
    shared: dict[str, str] = {}
    columns: dict[str, list[str | None]] = {}
    for name in names:
        column = [_column_label(s.get(name)) if s else None for s in per_object]
        head = column[0]
        if head is not None and all(label is head for label in column):
            shared[name] = head
        else:
            columns[name] = column
    return MappingProxyType(shared), columns


def compact_columns(shared: Mapping[str, str] | None, columns: Mapping[str, list[str | None]] | None
                    ) -> tuple[Mapping[str, str], dict[str, list[str | None]]]:
    """``shared`` plus every column whose objects all have one label; the columns that vary."""
    found = {k: _label(v) for k, v in (shared or {}).items()}
    varying: dict[str, list[str | None]] = {}
    for name, column in (columns or {}).items():
        head = column[0] if column else None
        if head is not None and all(label == head for label in column):
            found[name] = _label(head)
        elif any(label is not None for label in column):
            varying[name] = [_column_label(label) for label in column]
    return (MappingProxyType(found) if found else _NO_SOURCES), varying


def open_batch(factory_cls: type, overrides: tuple[str, ...], executor: str = "objects") -> _Batch:
    """A batch record to :meth:`~_Batch.add` objects to and :meth:`~_Batch.close` (by ``core.recording``)."""
    return _Batch(factory_cls, overrides, executor)


def remember_batch(factory_cls: type, overrides: tuple[str, ...], objects: Sequence[Any],
                   shared: Mapping[str, str] | None = None, columns: dict[str, list[str | None]] | None = None,
                   executor: str = "objects") -> list[Any]:
    """Store how ``objects`` were made, in one record; returns their handles (weak references)."""
    if not objects:
        return []
    batch = _Batch(factory_cls, overrides, executor)
    add = batch.add
    handles = [add(obj) for obj in objects]
    batch.close(shared, columns)
    return handles


def _lookup(obj: Any) -> tuple[_Batch, int] | None:
    with _lock:
        batches = list(_batches.values())
    for batch in reversed(batches):
        pos = batch.position(obj)
        if pos is not None:
            return batch, pos
    return None


def _value(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def provenance(obj: Any) -> dict[str, FieldProvenance]:
    """Which source produced each field of ``obj`` (empty if ``obj`` was not built by a factory).

    Sources: ``sequence``, ``faker``, ``lazy``, ``subfactory``, ``iterator``, ``fuzzy``,
    ``constant``, ``override`` (passed in the call), ``semantic:<provider>``, ``replayed``,
    ``cached``, ``offline``.
    """
    found = _lookup(obj)
    if found is None:
        return {}
    batch, pos = found
    overrides, executor = batch.overrides, batch.executor
    sources = batch.sources(pos)
    meta: Any = getattr(batch.factory, "_meta")  # noqa: B009
    result: dict[str, FieldProvenance] = {}
    names = [n for n in meta.pre_declarations if n not in meta.parameters and n not in meta.exclude]
    names += [n for n in overrides if n not in names and n not in meta.post_declarations]
    for name in names:
        if name in sources:
            source = sources[name]
        elif name in overrides:
            source = "override"
        else:
            source = classify(meta.pre_declarations[name].declaration)
        target = meta.rename.get(name, name)
        result[target] = FieldProvenance(target, source, _value(obj, target), executor)
    return result


def explain(obj: Any) -> str:
    """Provenance of ``obj`` as verbose-mode lines, one per field."""
    return "\n".join(p.line() for p in provenance(obj).values())


def batch_count() -> int:
    """How many batch records are alive (for tests: a record goes with its last object)."""
    with _lock:
        return len(_batches)
