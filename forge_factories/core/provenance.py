"""Where each field of a built object came from (``[faker] name = 'Allison Hill'``)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import factory
from factory import declarations as fb

from forge_factories.core.declarations import SemanticAttribute

_MAX_STRONG = 10_000

_Entry = tuple[type, tuple[str, ...], Mapping[str, str], str]
#: Objects that support weak references (most models, dataclasses included even when unhashable):
#: keyed by ``id()``; entries of collected objects are swept when the table has doubled.
_weak: dict[int, tuple[weakref.ref[Any], _Entry]] = {}
_sweep_at = 1024
#: Objects that do not (dict, list): kept alive, the oldest dropped beyond ``_MAX_STRONG``.
_strong: OrderedDict[int, tuple[Any, _Entry]] = OrderedDict()
_NO_SOURCES: Mapping[str, str] = MappingProxyType({})
_lock = threading.Lock()

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


def entry(factory_cls: type, overrides: tuple[str, ...], sources: Mapping[str, str] | None = None,
          executor: str = "objects") -> _Entry:
    """What :func:`remember` stores: one entry can be shared by all objects of a batch."""
    return (factory_cls, overrides, sources or _NO_SOURCES, executor)


def remember(obj: Any, found: _Entry) -> None:
    """Remember that ``obj`` was made as ``found`` says (a weak reference, no callback: cheap)."""
    key = id(obj)
    try:
        ref = weakref.ref(obj)
    except TypeError:
        _strong[key] = (obj, found)
        if len(_strong) > _MAX_STRONG:
            _strong.popitem(last=False)
        return
    _weak[key] = (ref, found)
    if len(_weak) >= _sweep_at:
        _sweep()


def remember_all(objs: list[Any], found: _Entry) -> None:
    """:func:`remember` for the objects of a batch, all made as ``found`` says."""
    weak, ref = _weak, weakref.ref
    for obj in objs:
        try:
            weak[id(obj)] = (ref(obj), found)
        except TypeError:
            remember(obj, found)
    if len(weak) >= _sweep_at:
        _sweep()


def _sweep() -> None:
    """Drop the entries of collected objects; next sweep when the live table has doubled."""
    global _sweep_at
    with _lock:
        if len(_weak) < _sweep_at:
            return
        for key, item in list(_weak.items()):
            if item[0]() is None and _weak.get(key) is item:
                del _weak[key]
        _sweep_at = max(1024, 2 * len(_weak))


def record(obj: Any, factory_cls: type, overrides: tuple[str, ...], sources: dict[str, str] | None = None) -> None:
    """Remember how ``obj`` was made (cheap: the sources are derived when asked)."""
    remember(obj, entry(factory_cls, overrides, sources))


def _lookup(obj: Any) -> _Entry | None:
    key = id(obj)
    weak = _weak.get(key)
    if weak is not None and weak[0]() is obj:
        return weak[1]
    strong = _strong.get(key)
    if strong is not None and strong[0] is obj:
        return strong[1]
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
    factory_cls, overrides, sources, executor = found
    meta: Any = getattr(factory_cls, "_meta")  # noqa: B009
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
