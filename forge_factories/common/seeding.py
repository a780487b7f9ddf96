"""One seed for everything: factory_boy's random (and so Faker), sequences, iterators, offline text.

:func:`seed` also pins the "now" of Faker's date providers to :data:`REFERENCE_NOW` (``now=None``
keeps the real clock), so relative dates (``date_time_this_year``, ``past_date``, ...) do not move.
"""

from __future__ import annotations

import datetime as _dt
import random
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import factory
import factory.random
from factory import declarations as fb_declarations
from factory.base import BaseFactory

from forge_factories._compat.factory_boy import forget_sequence, get_sequence, shared_fakers

_lock = threading.Lock()
_current_seed: int | None = None
_value_counters: dict[tuple[str, str], int] = {}
_sequence_bases: dict[str, int] = {}
_process_salt = random.SystemRandom().randrange(2**63)

#: The "now" Faker's date providers see after :func:`seed` (mid-year, so "this year/month" ranges are not empty).
REFERENCE_NOW = _dt.datetime(2026, 6, 15, 12, 0, 0)
_KEEP = object()
_DATETIME, _DATE = _dt.datetime, _dt.date  # the real classes, whatever patches datetime later


class _PinnedClock:
    """Stands in for ``datetime`` / ``date`` in Faker's date module: ``now()`` / ``today()`` are pinned.

    Everything else (construction, ``isinstance``, class attributes) is the real class, so values
    Faker returns are plain ``datetime`` / ``date`` objects.
    """

    def __init__(self, real: type, now: _dt.datetime) -> None:
        self._real = real
        self._now = now
        # a naive reference is read as UTC, as Faker reads naive times
        self._utc = now.replace(tzinfo=_dt.UTC) if now.tzinfo is None else now.astimezone(_dt.UTC)

    def now(self, tz: _dt.tzinfo | None = None) -> _dt.datetime:
        """The pinned instant: naive (UTC wall time) without ``tz``, else in ``tz``."""
        return self._utc.replace(tzinfo=None) if tz is None else self._utc.astimezone(tz)

    def today(self) -> Any:
        """The pinned date (a ``date``) or datetime (for ``datetime.today()``)."""
        return self.now().date() if self._real is _DATE else self.now()

    def utcnow(self) -> _dt.datetime:
        """The pinned instant in UTC, naive."""
        return self.now(_dt.UTC).replace(tzinfo=None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self._real)

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self._real)

    def __repr__(self) -> str:
        return f"<{self._real.__name__} pinned at {self._now.isoformat()}>"


def _faker_date_module() -> Any:
    import faker.providers.date_time as module

    return module


def pinned_now() -> _dt.datetime | None:
    """The "now" Faker's date providers see (``None``: the real clock)."""
    clock = _faker_date_module().__dict__.get("datetime")
    return clock._now if isinstance(clock, _PinnedClock) else None


def pin_now(now: _dt.datetime | None) -> _dt.datetime | None:
    """Pin the "now" of Faker's date providers to ``now`` (``None``: back to the real clock).

    Covers every provider of ``faker.providers.date_time`` (``date_time_this_year``,
    ``date_this_decade``, ``past_date``, ``future_datetime``, ``date_between("-3y")``,
    ``date_of_birth``, ...). Returns the previous pin.
    """
    module = _faker_date_module()
    previous = pinned_now()
    if now is None:
        module.datetime = _DATETIME
        module.dtdate = _DATE
    else:
        if not isinstance(now, _DATETIME):
            raise TypeError(f"now must be a datetime or None, got {now!r}")
        module.datetime = _PinnedClock(_DATETIME, now)
        module.dtdate = _PinnedClock(_DATE, now)
    return previous


def current_seed() -> int | None:
    """The seed given to the last :func:`seed` call (``None`` if never seeded)."""
    return _current_seed


def sequence_base(factory_path: str) -> int:
    """Where a factory's sequence stood at the last :func:`seed_forge_values` (0 after :func:`seed`).

    Lock-file keys count objects from here, so a test's keys do not depend on how many
    objects earlier tests built when sequences are not reset between tests.
    """
    return _sequence_bases.get(factory_path, 0)


def _snapshot_sequences() -> dict[str, int]:
    bases: dict[str, int] = {}
    for cls in all_factories():
        meta = getattr(cls, "_meta", None)
        reference = getattr(meta, "counter_reference", None)
        seq = get_sequence(reference, create=False) if reference is not None else None
        if isinstance(seq, int) and seq:
            bases[f"{cls.__module__}.{cls.__qualname__}"] = seq
    return bases


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


def reset_factory_state(*, sequences: bool = True) -> None:
    """Reset every factory's sequence counter, every ``Iterator`` and Faker's ``unique`` memory.

    ``sequences=False`` leaves sequence counters and ``Iterator`` positions where they are.
    """
    for cls in all_factories() if sequences else ():
        meta = getattr(cls, "_meta", None)
        if meta is None or getattr(meta, "factory", None) is not cls:
            continue
        if meta.counter_reference is meta:
            try:
                cls.reset_sequence()
            except Exception:  # noqa: BLE001 - a custom _setup_next_sequence may need a database
                forget_sequence(meta)
        values = list(meta.base_declarations.values()) + list(meta.parameters.values())
        for value in values:
            for decl in _iter_declarations(value):
                if isinstance(decl, fb_declarations.Iterator):
                    decl.reset()
    for fake in shared_fakers():
        unique = getattr(fake, "unique", None)  # a suite may register a stand-in without one
        if unique is not None:
            unique.clear()


class _SeedScope:
    """Returned by :func:`seed`; as a context manager it restores the previous random state."""

    def __init__(self, value: int, previous: tuple[int | None, Any, dict[tuple[str, str], int]],
                 previous_now: Any = _KEEP) -> None:
        self.value = value
        self._previous = previous
        self._previous_now = previous_now

    def __enter__(self) -> _SeedScope:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _current_seed
        prev_seed, prev_state, prev_counters = self._previous
        if prev_state is not None:
            factory.random.set_random_state(prev_state)
        if self._previous_now is not _KEEP:
            pin_now(self._previous_now)
        with _lock:
            _current_seed = prev_seed
            _value_counters.clear()
            _value_counters.update(prev_counters)

    def __int__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"seed({self.value})"


_reset_hooks: list[Callable[[], None]] = []


def on_seed(reset: Callable[[], None]) -> None:
    """Call ``reset`` on every :func:`seed` / :func:`seed_forge_values` (a layer above registers its state)."""
    if reset not in _reset_hooks:
        _reset_hooks.append(reset)


def _run_reset_hooks() -> None:
    for reset in tuple(_reset_hooks):
        reset()


def _check(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"seed() takes an int, got {value!r}")
    return value


def _set_forge_seed(value: int) -> tuple[int | None, dict[tuple[str, str], int]]:
    global _current_seed
    with _lock:
        previous = (_current_seed, dict(_value_counters))
        _current_seed = value
        _value_counters.clear()
    return previous


def seed(value: int, *, reset_sequences: bool = True, now: _dt.datetime | None = REFERENCE_NOW) -> _SeedScope:
    """Make every following factory call reproducible.

    Reseeds ``factory.random`` (and so Faker and ``factory.fuzzy``), resets every factory's
    sequence counter and ``Iterator`` declarations (``reset_sequences=False`` leaves them),
    Faker's ``unique`` memory, the offline text generator and the FK registry, and pins the
    "now" of Faker's date providers to ``now`` (default :data:`REFERENCE_NOW`; ``None`` keeps
    the real clock, so relative dates move with it). Usable as ``seed(42)`` or
    ``with seed(42): ...`` (the context manager restores the previous random state and clock).
    """
    _check(value)
    state = factory.random.randgen.getstate()
    factory.random.reseed_random(value)
    prev_seed, prev_counters = _set_forge_seed(value)
    previous_now = pin_now(now)
    reset_factory_state(sequences=reset_sequences)
    bases = {} if reset_sequences else _snapshot_sequences()
    with _lock:
        _sequence_bases.clear()
        _sequence_bases.update(bases)
    _run_reset_hooks()
    return _SeedScope(value, (prev_seed, state, prev_counters), previous_now)


def seed_forge_values(value: int) -> _SeedScope:
    """Seed only forge's own values: offline/semantic text, lock-file keys, the FK registry.

    factory_boy's random (so Faker and ``factory.fuzzy``), sequences, ``Iterator`` positions,
    Faker's ``unique`` memory and the clock are left alone: stock factories see no change.
    """
    _check(value)
    prev_seed, prev_counters = _set_forge_seed(value)
    bases = _snapshot_sequences()
    with _lock:
        _sequence_bases.clear()
        _sequence_bases.update(bases)
    _run_reset_hooks()
    return _SeedScope(value, (prev_seed, None, prev_counters))
