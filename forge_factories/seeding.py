"""One seed for everything: factory_boy's random (and so Faker), sequences, iterators, offline text."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import factory
import factory.random
from factory import declarations as fb_declarations
from factory.base import BaseFactory

_lock = threading.Lock()
_current_seed: int | None = None
_value_counters: dict[tuple[str, str], int] = {}
_process_salt = random.SystemRandom().randrange(2**63)


def current_seed() -> int | None:
    """The seed given to the last :func:`seed` call (``None`` if never seeded)."""
    return _current_seed


def value_rng(*scope: str) -> random.Random:
    """A fresh RNG for the next value in ``scope`` (e.g. factory path, field name).

    Deterministic under :func:`seed`: the n-th value of a scope after ``seed(s)`` always
    gets the same generator, whatever else ran in between (it does not draw from
    factory_boy's shared random, so Faker values do not depend on where text came from).
    """
    key = (scope[0] if scope else "", "/".join(scope[1:]))
    with _lock:
        n = _value_counters.get(key, 0)
        _value_counters[key] = n + 1
    base = _current_seed if _current_seed is not None else _process_salt
    return random.Random(f"{base}|{'|'.join(scope)}|{n}")


def all_factories() -> list[type[BaseFactory[Any]]]:
    """Every factory class defined so far (stock factory_boy ones included), in definition-stable order."""
    seen: list[type[BaseFactory[Any]]] = []
    stack: list[type[BaseFactory[Any]]] = [BaseFactory]
    visited: set[type] = set()
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in visited:
                visited.add(sub)
                seen.append(sub)
                stack.append(sub)
    return seen


def _iter_declarations(value: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 8:
        return
    yield value
    if isinstance(value, fb_declarations.Maybe):
        for branch in (value.decider, value.yes, value.no):
            yield from _iter_declarations(branch, depth + 1)
    elif isinstance(value, fb_declarations.Trait):
        for sub in value.overrides.values():
            yield from _iter_declarations(sub, depth + 1)


def reset_factory_state() -> None:
    """Reset every factory's sequence counter, every ``Iterator`` and Faker's ``unique`` memory."""
    for cls in all_factories():
        meta = getattr(cls, "_meta", None)
        if meta is None or getattr(meta, "factory", None) is not cls:
            continue
        if meta.counter_reference is meta:
            try:
                cls.reset_sequence()
            except Exception:  # noqa: BLE001 - a custom _setup_next_sequence may need a database
                meta._counter = None
        values = list(meta.base_declarations.values()) + list(meta.parameters.values())
        for value in values:
            for decl in _iter_declarations(value):
                if isinstance(decl, fb_declarations.Iterator):
                    decl.reset()
    for fake in factory.Faker._FAKER_REGISTRY.values():
        fake.unique.clear()


class _SeedScope:
    """Returned by :func:`seed`; as a context manager it restores the previous random state."""

    def __init__(self, value: int, previous: tuple[int | None, Any, dict[tuple[str, str], int]]) -> None:
        self.value = value
        self._previous = previous

    def __enter__(self) -> _SeedScope:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _current_seed
        prev_seed, prev_state, prev_counters = self._previous
        factory.random.set_random_state(prev_state)
        with _lock:
            _current_seed = prev_seed
            _value_counters.clear()
            _value_counters.update(prev_counters)

    def __int__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"seed({self.value})"


def seed(value: int) -> _SeedScope:
    """Make every following factory call reproducible.

    Reseeds ``factory.random`` (and so Faker and ``factory.fuzzy``), resets every factory's
    sequence counter, ``Iterator`` declarations, Faker's ``unique`` memory and the offline
    text generator. Usable as ``seed(42)`` or ``with seed(42): ...`` (the context manager
    restores the previous random state on exit).
    """
    global _current_seed
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"seed() takes an int, got {value!r}")
    previous = (_current_seed, factory.random.randgen.getstate(), dict(_value_counters))
    factory.random.reseed_random(value)
    with _lock:
        _current_seed = value
        _value_counters.clear()
    reset_factory_state()
    from .registry import clear_registry

    clear_registry()
    return _SeedScope(value, previous)
