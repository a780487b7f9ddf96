"""Seeded draws over Faker's data tables: the primitives every column sampler is built from.

Hot draws chain ``map`` over :func:`randoms` so the per-value work runs in C; each one
draws exactly what the plain loop ``[f(rng.random()) for _ in range(n)]`` would draw.
"""

from __future__ import annotations

import contextlib
import math
import random
import re
import sys
from array import array
from bisect import bisect_right
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from itertools import accumulate, compress, repeat, starmap
from typing import Any, TypeVar

from faker import Faker

from forge_factories._compat.faker import generators
from forge_factories.common.seeding import REFERENCE_NOW

#: The column samplers' "now": the one :func:`~forge_factories.seeding.seed` pins for Faker, so
#: both paths read relative dates alike (a mid-year instant: "this year" is not an empty range).
REFERENCE_TIME = REFERENCE_NOW

#: ``sampler(n, rng)`` -> ``n`` values.
Sampler = Callable[[int, random.Random], list[Any]]
K = TypeVar("K", bound=Hashable)


def randoms(rng: random.Random, n: int) -> Iterator[float]:
    """``n`` calls of ``rng.random()``, lazily (the loop runs in C)."""
    return starmap(rng.random, repeat((), n))


def scaled_ints(rng: random.Random, n: int, span: float) -> Iterator[int]:
    """``int(rng.random() * span)``, ``n`` times."""
    return map(int, map(float(span).__mul__, randoms(rng, n)))


def uniform_ints(rng: random.Random, n: int, span: int) -> Sequence[int]:
    """``n`` uniform integers in ``[0, span)``: the draws of a :class:`Table` of ``range(span)``
    (random bytes in C, see :class:`Table`); spans above 65,536 use :func:`scaled_ints`."""
    if span <= 0:
        raise ValueError(f"span must be positive, got {span}")
    if span > 65536:
        return list(scaled_ints(rng, n, span))
    if not span & (span - 1):  # a power of two: the low bits of random bytes
        raw = bucket_draws(rng, n, 256 if span <= 256 else 65536)
        return raw if span in (256, 65536) else list(map((span - 1).__and__, raw))
    table = _RANGES.get(span)
    if table is None:
        table = _RANGES[span] = Table.of(range(span))
    return table.pick(n, rng)


def bucket_draws(rng: random.Random, n: int, size: int) -> Sequence[int]:
    """``n`` uniform bucket numbers below ``size`` (256 or 65,536): one or two random bytes each,
    little-endian on every platform."""
    if size == 256:
        return rng.randbytes(n)
    raw = array("H", rng.randbytes(2 * n))
    if sys.byteorder == "big":
        raw.byteswap()
    return raw


def group_rows(keys: Sequence[K]) -> dict[K, list[int]]:
    """The row numbers holding each key, keys in order of first appearance (C-level scans:
    one per key for a few keys, else one stable sort by key)."""
    n = len(keys)
    distinct = list(dict.fromkeys(keys))
    if len(distinct) <= 1:
        return {distinct[0]: list(range(n))} if n else {}
    if len(distinct) <= 8:
        return {key: list(compress(range(n), map(key.__eq__, keys))) for key in distinct}
    rank = {key: i for i, key in enumerate(distinct)}
    order = sorted(range(n), key=list(map(rank.__getitem__, keys)).__getitem__)
    counts = Counter(keys)
    out: dict[K, list[int]] = {}
    start = 0
    for key in distinct:
        out[key] = order[start:start + counts[key]]
        start += counts[key]
    return out


def scatter(keys: list[K], fill: Callable[[K, int], list[Any]]) -> list[Any]:
    """Values for rows grouped by key: ``fill(key, m)`` gives the ``m`` values of the rows
    holding ``key``, in row order. Groups are filled in order of first appearance."""
    n = len(keys)
    groups = group_rows(keys)
    if len(groups) <= 1:
        return fill(keys[0], n) if n else []
    out: list[Any] = [None] * n
    for key, where in groups.items():
        deque(map(out.__setitem__, where, fill(key, len(where))), maxlen=0)
    return out


_RANGES: dict[int, Table] = {}
#: Marks a bucket of a table that straddles two keys (drawn again, finely).
_MIXED: Any = object()


class Table:
    """A data table of Faker, drawn a column at a time.

    The table is cut once into equal-probability buckets (256 for up to 32 keys, else
    65,536) by the cumulative weights (all equal for tuples and lists; Faker's weights for an
    ``OrderedDict``, as its name tables). A row draws a bucket from one or two random bytes
    (in C, for the whole column): a bucket inside one key's share gives that key; the few
    that straddle two keys draw their key again by bisection inside the bucket. Every key
    keeps its exact probability.
    """

    def __init__(self, data: Any) -> None:
        if isinstance(data, OrderedDict):
            self.keys: list[Any] = list(data.keys())
            self.cum: list[float] | None = list(accumulate(data.values()))
        else:
            self.keys = [getattr(v, "name", v) for v in data]
            self.cum = None
        #: Every key is a ``str`` already (``str(key)`` would change nothing).
        self.all_str = all(type(k) is str for k in self.keys)
        self._buckets: list[Any] | None = None

    @classmethod
    def of(cls, values: Any) -> Table:
        """An unweighted table of ``values`` as they are (enum members stay members)."""
        table = cls(())
        table.keys = list(values)
        table.all_str = all(type(k) is str for k in table.keys)
        return table

    def mapped(self, fn: Callable[[Any], Any]) -> Table:
        """A table drawing the same rows (same weights, same draws) of ``fn(key)``."""
        new = Table.of(fn(k) for k in self.keys)
        new.cum = self.cum
        return new

    def buckets(self) -> list[Any]:
        """The key of each equal-probability bucket (:data:`_MIXED` where a key's share ends
        inside it): 256 buckets for tables of up to 32 keys, else 65,536. Key ``k`` covers the
        buckets ``[cum[k-1], cum[k]) * size / total``; built as runs, one step per key."""
        if self._buckets is None:
            cum = self.cum if self.cum is not None else range(1, len(self.keys) + 1)
            size = 256 if len(cum) <= 32 else 65536
            scale = size / cum[-1]
            out: list[Any] = []
            prev = 0.0
            for key, c in zip(self.keys, cum, strict=True):
                end = c * scale
                first, last = math.ceil(prev), min(math.floor(end), size)
                if last > first:
                    out.extend(repeat(_MIXED, first - len(out)))
                    out.extend(repeat(key, last - first))
                prev = end
            out.extend(repeat(_MIXED, size - len(out)))
            self._buckets = out
        return self._buckets

    def pick(self, n: int, rng: random.Random) -> list[Any]:
        """``n`` draws, weighted when the table has weights."""
        if len(self.keys) < 2:
            if not self.keys:
                raise ValueError("cannot draw from an empty table")
            return [self.keys[0]] * n
        buckets = self.buckets()
        size = len(buckets)
        drawn = bucket_draws(rng, n, size)
        values = list(map(buckets.__getitem__, drawn))
        if _MIXED in values:  # each straddling bucket found by a C-level search from the last one
            keys, rand, find = self.keys, rng.random, values.index
            cum = self.cum if self.cum is not None else range(1, len(keys) + 1)
            total, hi = cum[-1], len(keys) - 1
            i = -1
            with contextlib.suppress(ValueError):
                while True:
                    i = find(_MIXED, i + 1)
                    values[i] = keys[bisect_right(cum, (drawn[i] + rand()) * total / size, 0, hi)]
        return values

    def pick_str(self, n: int, rng: random.Random) -> list[str]:
        """``n`` draws as strings."""
        values = self.pick(n, rng)
        return values if self.all_str else [str(v) for v in values]


class FakerTables:
    """The data tables and provider methods of one locale, read from a private Faker."""

    def __init__(self, locale: str | None = None) -> None:
        self.locale = locale or "en_US"
        self.fake = Faker(self.locale)
        self._tables: dict[str, Table | None] = {}

    @property
    def generator(self) -> Any:
        """The locale's Faker generator (its attributes are the providers' bound methods)."""
        return generators(self.fake)[0]

    def attr(self, name: str, module: str = "") -> Any:
        """The raw provider attribute ``name`` (``None`` when no provider has it).

        ``module`` restricts the search to providers whose module path contains it.
        """
        for generator in generators(self.fake):
            for provider in generator.providers:
                if module and module not in type(provider).__module__:
                    continue
                value = getattr(provider, name, None)
                if value is not None and not callable(value):
                    return value
        return None

    def method(self, name: str) -> Any:
        """The bound provider method ``fake.format(name)`` calls, or ``None``."""
        if name.startswith("_"):
            return None
        found = getattr(self.generator, name, None)
        return found if callable(found) and hasattr(found, "__self__") else None

    def table(self, attr: str) -> Table | None:
        """The cached :class:`Table` for a provider attribute."""
        if attr not in self._tables:
            raw = self.attr(attr)
            self._tables[attr] = Table(raw) if raw else None
        return self._tables[attr]


_ASCII_CACHE: dict[str, str] = {}
_NOT_LOGIN = re.compile(r"[^a-z0-9._-]")


def ascii_lower(text: str) -> str:
    """``text`` transliterated (Faker's own unidecode), lower-cased, cut to ``[a-z0-9._-]``."""
    found = _ASCII_CACHE.get(text)
    if found is not None:
        return found
    from faker.decode import unidecode  # Faker's own transliteration (Cyrillic, Greek, kana...)

    result = _NOT_LOGIN.sub("", unidecode(text).lower())
    if len(_ASCII_CACHE) < 100_000:
        _ASCII_CACHE[text] = result
    return result
