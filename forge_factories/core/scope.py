"""A scope: what one ``Forge`` (or a ``with scope(seed)`` block) owns, kept apart from the rest.

A :class:`Scope` holds a seed and the state that grows from it: factory_boy's random stream
(so Faker and ``factory.fuzzy``), forge's value streams (offline text, registry picks), the
factories' sequence counters, the auto factories' unique-value memory and its own FK
registry. Entering a scope installs that state and sets its registry as the current one;
leaving stores the state back into the scope and restores what was there before. So two
``Forge(seed=...)`` objects used in turns give each the data it gives alone, and building a
second one never changes the first one's output.

factory_boy's random generator is one per process: scopes are swapped in and out around each
call, so two threads must not use two scopes at the same time (each scope's own registry is
per thread or task through a context variable).
"""

from __future__ import annotations

import datetime as _dt
import random
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import factory.random
import faker.generator

from forge_factories._compat.factory_boy import get_sequence, sequence_started, set_sequence
from forge_factories.common import seeding as _seeding
from forge_factories.core import registry as _registry
from forge_factories.core.unique_values import _unique_seen

_lock = threading.RLock()


@dataclass
class _State:
    random_state: Any
    seed: int | None
    counters: dict[tuple[str, str], int]
    sequences: dict[Any, int | None]
    unique: dict[Any, Any] | None
    now: _dt.datetime | None


def _sequence_holders() -> list[Any]:
    """The options objects that own a sequence counter, for every factory defined so far."""
    holders = []
    for cls in _seeding.all_factories():
        meta = getattr(cls, "_meta", None)
        if meta is not None and getattr(meta, "factory", None) is cls and meta.counter_reference is meta:
            holders.append(meta)
    return holders


def _fresh_sequence(meta: Any) -> int:
    try:
        return int(meta.factory._setup_next_sequence())
    except Exception:  # noqa: BLE001 - a custom _setup_next_sequence may need a database
        return 0


def _unique_memory() -> dict[Any, Any] | None:
    return _unique_seen


def _capture() -> _State:
    sequences = {}
    for meta in _sequence_holders():
        sequences[meta] = get_sequence(meta)
    unique = _unique_memory()
    return _State(
        random_state=(factory.random.randgen.getstate(), faker.generator.random.getstate()),
        seed=_seeding._current_seed,
        counters=dict(_seeding._value_counters),
        sequences=sequences,
        unique=dict(unique) if unique is not None else None,
        now=_seeding.pinned_now(),
    )


def _install(state: _State) -> None:
    fuzzy_state, faker_state = state.random_state
    factory.random.randgen.setstate(fuzzy_state)  # factory.fuzzy's stream
    faker.generator.random.setstate(faker_state)  # Faker's: it moves on its own
    with _seeding._lock:
        _seeding._current_seed = state.seed
        _seeding._value_counters.clear()
        _seeding._value_counters.update(state.counters)
    for meta in _sequence_holders():
        seq = state.sequences.get(meta)
        if not sequence_started(meta):
            if seq is None:
                continue
            meta.reset_sequence(seq)
            continue
        # Descendant factories hold this very counter object: set it in place, never replace it.
        set_sequence(meta, seq if seq is not None else _fresh_sequence(meta))
    unique = _unique_memory()
    if unique is not None:
        unique.clear()
        unique.update(state.unique or {})
    if _seeding.pinned_now() != state.now:
        _seeding.pin_now(state.now)


@dataclass
class Scope:
    """The seed, random streams, sequences and FK registry of one ``Forge`` (or block).

    ``Scope(42)`` starts as ``seed(42)`` leaves the process (sequences at their start, an
    empty registry, Faker's clock pinned to :data:`~forge_factories.common.seeding.REFERENCE_NOW`),
    without touching the process: only what runs inside ``with scope:`` sees it.
    """

    seed: int
    now: _dt.datetime | None = _seeding.REFERENCE_NOW
    registry: _registry.Registry = field(default_factory=_registry.Registry)
    _state: _State | None = field(default=None, repr=False)
    _outer: list[tuple[_State, Any]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise TypeError(f"Scope() takes an int seed, got {self.seed!r}")
        start = random.Random(self.seed).getstate()  # as factory.random.reseed_random(seed) sets both
        self._state = _State((start, start), self.seed, {}, {}, {}, self.now)

    def __enter__(self) -> Scope:
        _lock.acquire()
        try:
            outer = _capture()
            assert self._state is not None
            _install(self._state)
            self._outer.append((outer, _registry._CURRENT.set(self.registry)))
        except BaseException:
            _lock.release()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            outer, token = self._outer.pop()
            self._state = _capture()
            _registry._CURRENT.reset(token)
            _install(outer)
        finally:
            _lock.release()


def scope(seed: int, *, now: _dt.datetime | None = _seeding.REFERENCE_NOW) -> Scope:
    """A new :class:`Scope` for ``seed``; use it as ``with scope(42): ...`` (re-enter it to go on)."""
    return Scope(seed, now)
