"""Date, datetime and time generators, drawn from a fixed window (never relative to today)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forge_factories.auto import names
from forge_factories.auto.context import BuildContext, Generator, shared_random
from forge_factories.auto.fields import Constraints

# The fixed window every date/time is drawn from: never relative to today.
WINDOW_START = dt.datetime(2020, 1, 1)
WINDOW_END = dt.datetime(2025, 12, 31, 23, 59, 59)
FUTURE_START = dt.datetime(2100, 1, 1)  # FutureDate / FutureDatetime
FUTURE_END = dt.datetime(2109, 12, 31, 23, 59, 59)


def clip_window(cons: Constraints, start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end]`` narrowed by date/datetime bounds in ``cons`` (other bounds are ignored)."""
    def as_dt(v: Any) -> dt.datetime:
        if isinstance(v, dt.datetime):
            return v.replace(tzinfo=None)
        if isinstance(v, dt.date):
            return dt.datetime(v.year, v.month, v.day)
        raise TypeError
    try:
        if cons.ge is not None:
            start = max(start, as_dt(cons.ge))
        if cons.gt is not None:
            start = max(start, as_dt(cons.gt) + dt.timedelta(days=1))
        if cons.le is not None:
            end = min(end, as_dt(cons.le))
        if cons.lt is not None:
            end = min(end, as_dt(cons.lt) - dt.timedelta(days=1))
    except TypeError:
        pass
    return start, end


def window_generator(start: dt.datetime, end: dt.datetime, aware: bool = False) -> Generator:
    """Datetimes (whole seconds) between ``start`` and ``end``; UTC-aware when ``aware``."""
    seconds = max(0, int((end - start).total_seconds()))
    rnd = shared_random
    tz = dt.UTC if aware else None
    return lambda: (start + dt.timedelta(seconds=rnd.randint(0, seconds))).replace(tzinfo=tz)


def datetime_generator(cons: Constraints, ctx: BuildContext, aware: bool = False) -> Generator:
    """Datetimes (whole seconds) inside the fixed window."""
    span = names.year_span(ctx.field_name)
    start, end = (dt.datetime(span[0], 1, 1), dt.datetime(span[1], 12, 31)) if span else (WINDOW_START, WINDOW_END)
    return window_generator(*clip_window(cons, start, end), aware=aware)


def date_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Dates inside the fixed window (birth dates: 1950-2005)."""
    gen = datetime_generator(cons, ctx)
    return lambda: gen().date()


def future_generator(cons: Constraints, date_only: bool) -> Generator:
    """``FutureDate``/``FutureDatetime``: a fixed window far ahead, never relative to today."""
    future = window_generator(*clip_window(cons, FUTURE_START, FUTURE_END))
    return (lambda: future().date()) if date_only else future


def time_generator() -> Generator:
    """Times of day (whole seconds)."""
    rnd = shared_random
    return lambda: dt.time(rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59))
