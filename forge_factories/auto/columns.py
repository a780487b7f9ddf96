"""Column forms of auto-factory fields, so ``Forge`` streams take the column-wise path.

An auto factory declares each standard field as a :class:`ColumnFunction`: a
``LazyFunction`` (the per-object path calls it once per object, as before) that also carries
the field's column form, which :func:`forge_factories.columnar.plan_for` uses to draw the
whole column at once from the column's seeded generator. The column form draws from the same
distribution as the per-value generator of :mod:`.generators` (same ranges, same Faker
providers through the column samplers, same length fitting, same share of ``None``), not
the same values. Fields without a column form (nested models, collections, unique values,
custom types...) keep the per-value call.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import random
import string
import typing
import uuid
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

import factory

from forge_factories.auto import names
from forge_factories.auto.annotations import model_kind, split_optional, strip_annotated
from forge_factories.auto.fields import Constraints
from forge_factories.auto.generators import _MARKERS, _custom
from forge_factories.auto.numbers import draw_range as _bounds
from forge_factories.auto.time_values import FUTURE_END, FUTURE_START, WINDOW_END, WINDOW_START
from forge_factories.auto.time_values import clip_window as _clip_window
from forge_factories.samplers.fit import fit_lengths
from forge_factories.samplers.tables import Table, randoms, scaled_ints

ColumnFn = Callable[[int, random.Random, Sequence[int]], list[Any]]
Draw = Callable[[int, random.Random], list[Any]]


class ColumnFunction(factory.LazyFunction):
    """A ``LazyFunction`` that also knows how to draw a whole column (``forge_column``)."""

    def __init__(self, function: Callable[[], Any], column: ColumnFn | None) -> None:
        super().__init__(function)
        self.forge_column = column


def as_column(draw: Draw | None) -> ColumnFn | None:
    """A column function (sequence numbers unused) from an ``(n, rng)`` sampler."""
    if draw is None:
        return None
    return lambda n, rng, seqs: draw(n, rng)


def with_none(draw: Draw, ratio: float) -> Draw:
    """``None`` in about ``ratio`` of the rows (one uniform draw per row, then the values)."""
    if ratio <= 0:
        return draw

    def sample(n: int, rng: random.Random) -> list[Any]:
        empty = list(map(ratio.__gt__, randoms(rng, n)))
        values = iter(draw(n - sum(empty), rng))
        return [None if e else next(values) for e in empty]

    return sample


def _samplers(locale: str | None) -> Any:
    from forge_factories.samplers import samplers

    return samplers(locale)


def _ints(low: int, high: int) -> Draw:
    span = high - low + 1
    return lambda n, rng: list(map(low.__add__, scaled_ints(rng, n, span)))


def _int_draw(cons: Constraints, name: str) -> Draw | None:
    lo, hi = _bounds(cons, names.number_range(name), (1, 10_000), integer=True)
    lo_i, hi_i = math.ceil(lo), math.floor(hi)
    if cons.gt is not None and lo_i <= cons.gt:
        lo_i = int(cons.gt) + 1
    if cons.lt is not None and hi_i >= cons.lt:
        hi_i = math.ceil(cons.lt) - 1
    if lo_i > hi_i:
        return None  # the per-value generator names the problem
    step = int(cons.multiple_of) if cons.multiple_of else 0
    if step:
        first, last = math.ceil(lo_i / step), math.floor(hi_i / step)
        if first > last:
            return None
        inner = _ints(first, last)
        return lambda n, rng: [v * step for v in inner(n, rng)]
    return _ints(lo_i, hi_i)


def _moments(start: dt.datetime, end: dt.datetime, tz: Any = None) -> Draw:
    """Whole seconds in ``[start, end]`` (``randint(0, seconds)``)."""
    seconds = max(0, int((end - start).total_seconds()))
    second = dt.timedelta(seconds=1)
    inner = _ints(0, seconds)

    def sample(n: int, rng: random.Random) -> list[Any]:
        values = list(map(start.__add__, map(second.__mul__, inner(n, rng))))
        return [v.replace(tzinfo=tz) for v in values] if tz is not None else values

    return sample


def _datetime_draw(cons: Constraints, name: str, aware: bool = False) -> Draw:
    span = names.year_span(name)
    start, end = (dt.datetime(span[0], 1, 1), dt.datetime(span[1], 12, 31)) if span else (WINDOW_START, WINDOW_END)
    start, end = _clip_window(cons, start, end)
    return _moments(start, end, dt.UTC if aware else None)


def _dates(draw: Draw) -> Draw:
    return lambda n, rng: list(map(dt.datetime.date, draw(n, rng)))


def _words_draw(locale: str | None, cons: Constraints) -> Draw:
    """``text_words``: one to three words, or letters only for bounds of six or less."""
    hi = cons.max_length if cons.max_length is not None else 30
    lo = cons.min_length or 0
    if hi <= 6:
        letters = string.ascii_lowercase
        first = max(lo, 1 if hi else 0)
        sizes = _ints(first, hi) if first <= hi else _ints(hi, hi)

        def short(n: int, rng: random.Random) -> list[Any]:
            return ["".join(letters[int(rng.random() * 26)] for _ in range(k)) for k in sizes(n, rng)]

        return short
    lorem = _samplers(locale).lorem()
    counts = _ints(1, 3)

    def words(n: int, rng: random.Random) -> list[Any]:
        sizes = counts(n, rng)
        drawn = list(map(lorem.words.__getitem__, lorem.indices(sum(sizes), rng)))
        bounds = list(accumulate(sizes, initial=0))
        return list(map(" ".join, map(drawn.__getitem__, map(slice, bounds, bounds[1:]))))

    return fit_lengths(words, lo, hi)


def _faker_draw(locale: str | None, method: str) -> Draw:
    """A Faker provider as a column: its column sampler, else the locale's Faker seeded per column."""
    sets = _samplers(locale)
    if method.startswith("bothify:"):
        inner = sets.sampler("bothify", {"text": method.split(":", 1)[1]})
        if inner is not None:
            return lambda n, rng: [v.upper() for v in inner(n, rng)]
    elif method == "uuid4":
        return lambda n, rng: [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]
    else:
        found = sets.sampler(method, {})
        if found is not None:
            return typing.cast(Draw, found)
    fake = sets.tables.fake
    name = "bothify" if method.startswith("bothify:") else method
    args = (method.split(":", 1)[1],) if method.startswith("bothify:") else ()

    def call_faker(n: int, rng: random.Random) -> list[Any]:
        fake.seed_instance(rng.getrandbits(64))
        call = getattr(fake, name)
        values = [call(*args) for _ in range(n)]
        return [v.upper() for v in values] if args else values

    return call_faker


def _str_draw(cons: Constraints, name: str, locale: str | None, kind: str | None = None) -> Draw | None:
    if cons.pattern is not None:
        return None
    method = kind or names.string_method(name)
    if method is None:
        return _words_draw(locale, cons)
    if method == "email" and cons.max_length is not None and cons.max_length < 20:
        return None
    return fit_lengths(_faker_draw(locale, method), cons.min_length, cons.max_length)


#: pydantic's special types with a column form: (kind, string provider).
_PYDANTIC = {"EmailStr": ("str", "email"), "AwareDatetime": ("aware", None), "NaiveDatetime": ("datetime", None),
             "PastDatetime": ("datetime", None), "PastDate": ("date", None), "FutureDate": ("future_date", None),
             "FutureDatetime": ("future", None)}


def _pydantic_draw(tp: Any, cons: Constraints, name: str, locale: str | None) -> Draw | None:
    if not (getattr(tp, "__module__", "") or "").startswith("pydantic"):
        return None
    kind, method = _PYDANTIC.get(getattr(tp, "__name__", ""), (None, None))
    if kind == "str":
        return _str_draw(cons, name, locale, kind=method)
    if kind in ("aware", "datetime", "date"):
        draw = _datetime_draw(cons, name, aware=kind == "aware")
        return _dates(draw) if kind == "date" else draw
    if kind in ("future", "future_date"):
        future = _moments(*_clip_window(cons, FUTURE_START, FUTURE_END))
        return _dates(future) if kind == "future_date" else future
    return None


def column_draw(tp: Any, cons: Constraints, name: str, *, locale: str | None, none_ratio: float) -> Draw | None:
    """The column form of ``build_generator(tp, cons, ...)`` for a field called ``name``, if it has one."""
    if typing.get_origin(tp) is typing.Annotated and "aware" in tp.__metadata__:
        return _datetime_draw(cons, name, aware=True)
    tp, cons = strip_annotated(tp, cons)
    if tp in _MARKERS:
        return _str_draw(cons, name, locale, kind=_MARKERS[tp])
    if tp in _custom:
        return None
    inner, nullable = split_optional(tp)
    if nullable:
        if model_kind(inner) is not None:
            return None
        draw = column_draw(inner, cons, name, locale=locale, none_ratio=none_ratio)
        return with_none(draw, none_ratio) if draw is not None else None
    if typing.get_origin(tp) is typing.Literal:
        return Table.of(typing.get_args(tp)).pick
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        members = list(tp)
        return Table.of(members).pick if members else None
    special = _pydantic_draw(tp, cons, name, locale)
    if special is not None:
        return special
    if tp is bool:
        return lambda n, rng: list(map((0.5).__gt__, randoms(rng, n)))
    if tp is int:
        return _int_draw(cons, name)
    if tp is str:
        return _str_draw(cons, name, locale)
    if tp is dt.datetime:
        return _datetime_draw(cons, name)
    if tp is dt.date:
        return _dates(_datetime_draw(cons, name))
    if tp is uuid.UUID:
        version = cons.uuid_version if cons.uuid_version in (1, 3, 4, 5, 6, 7, 8) else 4
        return lambda n, rng: [uuid.UUID(int=rng.getrandbits(128), version=version) for _ in range(n)]
    return None


def field_column(field: Any, *, locale: str | None, none_ratio: float) -> ColumnFn | None:
    """The column form of an auto factory's standard field (``None``: per-value only)."""
    if field.unique:
        return None  # unique values are checked against the registry and the database, per value
    if field.choices:
        draw: Draw | None = Table.of(field.choices).pick
    else:
        draw = column_draw(field.annotation, field.constraints, field.name, locale=locale, none_ratio=none_ratio)
    if draw is not None and field.nullable:
        draw = with_none(draw, none_ratio)
    return as_column(draw)
