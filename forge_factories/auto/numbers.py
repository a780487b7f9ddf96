"""The one numeric-bounds sampler: from ``ge``/``gt``/``le``/``lt`` to the numbers a field may take.

Used by the auto generators (ints, floats, decimals with a realistic default range), by
governance's rules (a value that breaks a rule is drawn again) and by edge cases (the smallest
and largest valid values, and the first invalid ones). Bounds come as a
:class:`~forge_factories.auto.fields.Constraints`; samplers take the random stream per draw.
"""

from __future__ import annotations

import decimal
import math
import random
from collections.abc import Callable
from typing import Any

from forge_factories.auto.fields import Constraints

Sampler = Callable[[random.Random], Any]


class EmptyRange(ValueError):
    """No number of the wanted kind satisfies the bounds (the message says which)."""


def step_from(kind: str, value: Any, upward: bool, places: int | None = None) -> Any:
    """The first ``kind`` value (``"int"``, ``"float"``, ``"decimal"``) past ``value`` up or down.

    Integers step to the next whole number, decimals by one unit of ``places`` (default 2),
    floats to the next representable float.
    """
    if kind == "int":
        return (math.floor(value) + 1) if upward else (math.ceil(value) - 1)
    if kind == "decimal":
        unit = decimal.Decimal(1).scaleb(-(places if places is not None else 2))
        return as_kind(kind, value) + (unit if upward else -unit)
    return math.nextafter(float(value), math.inf if upward else -math.inf)


def as_kind(kind: str, value: Any) -> Any:
    """``value`` as an ``int``, ``Decimal`` or ``float``."""
    if kind == "int":
        return int(value)
    if kind == "decimal":
        return decimal.Decimal(str(value))
    return float(value)


def limits(cons: Constraints, kind: str, places: int | None = None) -> tuple[Any, Any]:
    """The smallest and largest valid ``kind`` values (``None`` on an unbounded side)."""
    lo = hi = None
    if cons.ge is not None and (cons.gt is None or cons.ge > cons.gt):
        lo = math.ceil(cons.ge) if kind == "int" else cons.ge
    elif cons.gt is not None:
        lo = step_from(kind, cons.gt, True, places)
    if cons.le is not None and (cons.lt is None or cons.le < cons.lt):
        hi = math.floor(cons.le) if kind == "int" else cons.le
    elif cons.lt is not None:
        hi = step_from(kind, cons.lt, False, places)
    return (None if lo is None else as_kind(kind, lo)), (None if hi is None else as_kind(kind, hi))


def draw_range(cons: Constraints, hint: tuple[float, float] | None, default: tuple[float, float],
               integer: bool) -> tuple[float, float]:
    """The range to draw from: the bounds, widened on an open side by ``hint`` (a realistic range
    for the field's name) or ``default``; the hint itself where it fits inside the bounds."""
    lo: float | None = None
    hi: float | None = None
    if cons.ge is not None:
        lo = float(cons.ge)
    if cons.gt is not None:
        gt = float(cons.gt)
        lo = max(lo, math.floor(gt) + 1 if integer else gt) if lo is not None else (math.floor(gt) + 1 if integer else gt)
    if cons.le is not None:
        hi = float(cons.le)
    if cons.lt is not None:
        lt = float(cons.lt)
        cap = math.ceil(lt) - 1 if integer else lt
        hi = min(hi, cap) if hi is not None else cap
    base_lo, base_hi = hint or default
    if lo is None and hi is None:
        return base_lo, base_hi
    if lo is None:
        assert hi is not None
        lo = min(base_lo, hi) if base_lo <= hi else hi - (base_hi - base_lo)
    if hi is None:
        hi = max(base_hi, lo) if base_hi >= lo else lo + (base_hi - base_lo)
    if hint and lo <= hint[0] <= hint[1] <= hi:  # prefer the realistic hint where it fits
        return hint
    return lo, hi


def int_sampler(cons: Constraints, hint: tuple[float, float] | None = None,
                default: tuple[float, float] = (1, 10_000)) -> Sampler:
    """Integers within the bounds, a multiple of ``multiple_of`` (raises :class:`EmptyRange`)."""
    lo, hi = draw_range(cons, hint, default, integer=True)
    lo_i, hi_i = math.ceil(lo), math.floor(hi)
    if cons.gt is not None and lo_i <= cons.gt:
        lo_i = int(cons.gt) + 1
    if cons.lt is not None and hi_i >= cons.lt:
        hi_i = math.ceil(cons.lt) - 1
    if lo_i > hi_i:
        raise EmptyRange(f"no integer satisfies {cons.as_dict()}")
    if cons.multiple_of:
        step = int(cons.multiple_of)
        first, last = math.ceil(lo_i / step), math.floor(hi_i / step)
        if first > last:
            raise EmptyRange(f"no multiple of {step} in [{lo_i}, {hi_i}]")
        return lambda rnd: rnd.randint(first, last) * step
    return lambda rnd: rnd.randint(lo_i, hi_i)


def _inside(cons: Constraints, v: float) -> bool:
    return not ((cons.gt is not None and v <= cons.gt) or (cons.lt is not None and v >= cons.lt)
                or (cons.ge is not None and v < cons.ge) or (cons.le is not None and v > cons.le))


def float_sampler(cons: Constraints, hint: tuple[float, float] | None = None,
                  default: tuple[float, float] = (0, 1000)) -> Sampler:
    """Floats within the bounds, two decimals where that keeps them inside (raises :class:`EmptyRange`)."""
    lo, hi = draw_range(cons, hint, default, integer=False)
    if lo > hi:
        raise EmptyRange(f"empty range {cons.as_dict()}")
    step = cons.multiple_of
    if step:
        first, last = math.ceil(lo / step), math.floor(hi / step)
        if first > last:
            raise EmptyRange(f"no multiple of {step} in [{lo}, {hi}]")
        return lambda rnd: round(rnd.randint(first, last) * step, 10)

    def draw(rnd: random.Random) -> float:
        for _ in range(20):
            raw = rnd.uniform(lo, hi)
            value = round(raw, 2)
            if _inside(cons, value):
                return value
            if _inside(cons, raw):
                return raw
        return (lo + hi) / 2

    return draw


def decimal_sampler(cons: Constraints, hint: tuple[float, float] | None = None,
                    default: tuple[float, float] = (0, 1000)) -> Sampler:
    """Decimals within the bounds and ``max_digits``/``decimal_places`` (raises :class:`EmptyRange`)."""
    places = cons.decimal_places if cons.decimal_places is not None else 2
    if cons.multiple_of is not None:
        exp = decimal.Decimal(str(cons.multiple_of)).as_tuple().exponent
        places = min(places, -exp if isinstance(exp, int) and exp < 0 else 0)
    limit = None
    if cons.max_digits is not None:
        whole = cons.max_digits - places
        if whole < 0:
            raise EmptyRange(f"max_digits={cons.max_digits} < decimal_places={places}")
        limit = float(10**whole) - 10 ** (-places)
    lo, hi = draw_range(cons, hint, default, integer=False)
    if limit is not None:
        lo, hi = max(lo, -limit), min(hi, limit)
    quantum = decimal.Decimal(1).scaleb(-places)
    scale = 10**places
    lo_u = math.ceil(lo * scale)
    hi_u = math.floor(hi * scale)
    if cons.gt is not None and lo_u <= float(cons.gt) * scale:
        lo_u = math.floor(float(cons.gt) * scale) + 1
    if cons.lt is not None and hi_u >= float(cons.lt) * scale:
        hi_u = math.ceil(float(cons.lt) * scale) - 1
    step_u = 1
    if cons.multiple_of is not None:
        step_u = max(1, round(float(cons.multiple_of) * scale))
    first, last = math.ceil(lo_u / step_u), math.floor(hi_u / step_u)
    if first > last:
        raise EmptyRange(f"no value fits {cons.as_dict()}")
    return lambda rnd: (decimal.Decimal(rnd.randint(first, last) * step_u) / scale).quantize(quantum)
