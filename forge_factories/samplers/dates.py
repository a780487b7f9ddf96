"""Column samplers of Faker's date and time providers, relative to :data:`REFERENCE_TIME`.

Dates are drawn as whole seconds from a start, never relative to today, so a seed gives the
same dates on any day. A ``tzinfo`` gives aware values (the UTC instant, shown in that zone).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from forge_factories.samplers.tables import REFERENCE_TIME, Sampler, scaled_ints
from forge_factories.samplers.templates import SamplerBase

_RELATIVE = re.compile(r"^([+-]?)(\d+)([yMwdhms])$")
_SECONDS = {"y": 365.25 * 86400, "M": 30.4375 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_EPOCH = dt.datetime(1970, 1, 1)


def moment(value: Any) -> dt.datetime:
    """A point in time from Faker's date arguments, relative to :data:`REFERENCE_TIME`."""
    if value is None or value in ("now", "today"):
        return REFERENCE_TIME
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.timedelta):
        return REFERENCE_TIME + value
    if isinstance(value, (int, float)):
        return _EPOCH + dt.timedelta(seconds=value)
    match = _RELATIVE.match(str(value).strip())
    if not match:
        raise TypeError(f"unsupported date argument {value!r}")
    amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    return REFERENCE_TIME + dt.timedelta(seconds=amount * _SECONDS[match.group(3)])


def _dates(inner: Sampler) -> Sampler:
    return lambda n, rng: list(map(dt.datetime.date, inner(n, rng)))


def _days(start: dt.datetime, end: dt.datetime) -> Sampler:
    """The dates of uniform instants in ``[start, end)`` between two midnights: uniform days,
    drawn as day numbers (one object per value)."""
    first, days = start.toordinal(), max((end - start).days, 1)
    return lambda n, rng: list(map(dt.date.fromordinal, map(first.__add__, scaled_ints(rng, n, days))))


def _year_start(years: int) -> dt.datetime:
    """January 1st of the reference year rounded down to ``years`` (1: this year, 10: decade...)."""
    return dt.datetime(REFERENCE_TIME.year // years * years, 1, 1)


def _next_year_start(years: int) -> dt.datetime:
    return dt.datetime(REFERENCE_TIME.year // years * years + years, 1, 1)


class DateSamplers(SamplerBase):
    """Date and time providers (``sampler()`` finds the ``_s_<provider>`` builders by name)."""

    def _s_date_time_between(self, start_date: Any = "-30y", end_date: Any = "now", tzinfo: Any = None) -> Sampler:
        start, end = moment(start_date), moment(end_date)
        span = max((end - start).total_seconds(), 0.0)
        second = dt.timedelta(seconds=1)

        def sample(n: int, rng: random.Random) -> list[Any]:
            # start + timedelta(seconds=int(rng.random() * span))
            values = list(map(start.__add__, map(second.__mul__, scaled_ints(rng, n, span))))
            if tzinfo:
                return [v.replace(tzinfo=dt.UTC).astimezone(tzinfo) for v in values]
            return values

        return sample

    def _s_date_time_between_dates(self, datetime_start: Any = None, datetime_end: Any = None,
                                   tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between(datetime_start, datetime_end, tzinfo)

    def _s_date_time(self, tzinfo: Any = None, end_datetime: Any = None) -> Sampler:
        return self._s_date_time_between(_EPOCH, end_datetime or "now", tzinfo)

    def _s_date_time_ad(self, tzinfo: Any = None, end_datetime: Any = None, start_datetime: Any = None) -> Sampler:
        return self._s_date_time_between(start_datetime or dt.datetime(1, 1, 1), end_datetime or "now", tzinfo)

    def _s_past_datetime(self, start_date: Any = "-30d", tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between(start_date, "now", tzinfo)

    def _s_future_datetime(self, end_date: Any = "+30d", tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between("now", end_date, tzinfo)

    def _s_past_date(self, start_date: Any = "-30d", tzinfo: Any = None) -> Sampler:
        return _dates(self._s_date_time_between(start_date, "-1d"))

    def _s_future_date(self, end_date: Any = "+30d", tzinfo: Any = None) -> Sampler:
        return _dates(self._s_date_time_between("+1d", end_date))

    def _this(self, years: int, before: bool, after: bool, tzinfo: Any) -> Sampler:
        """``*_this_year`` / ``_decade`` / ``_century``: the period up to now, from now, or whole."""
        start = _year_start(years) if before else REFERENCE_TIME
        end = _next_year_start(years) if after else REFERENCE_TIME
        return self._s_date_time_between(start, end, tzinfo)

    def _s_date_time_this_year(self, before_now: bool = True, after_now: bool = False, tzinfo: Any = None) -> Sampler:
        return self._this(1, before_now, after_now, tzinfo)

    def _s_date_time_this_decade(self, before_now: bool = True, after_now: bool = False,
                                 tzinfo: Any = None) -> Sampler:
        return self._this(10, before_now, after_now, tzinfo)

    def _s_date_time_this_century(self, before_now: bool = True, after_now: bool = False,
                                  tzinfo: Any = None) -> Sampler:
        return self._this(100, before_now, after_now, tzinfo)

    def _s_date_this_year(self, before_today: bool = True, after_today: bool = False) -> Sampler:
        return _dates(self._this(1, before_today, after_today, None))

    def _s_date_this_decade(self, before_today: bool = True, after_today: bool = False) -> Sampler:
        return _dates(self._this(10, before_today, after_today, None))

    def _s_date_this_century(self, before_today: bool = True, after_today: bool = False) -> Sampler:
        return _dates(self._this(100, before_today, after_today, None))

    def _s_date_between(self, start_date: Any = "-30y", end_date: Any = "today") -> Sampler:
        return _dates(self._s_date_time_between(start_date, "now" if end_date == "today" else end_date))

    def _s_date_between_dates(self, date_start: Any = None, date_end: Any = None) -> Sampler:
        return self._s_date_between(date_start, date_end)

    def _s_date(self, pattern: str = "%Y-%m-%d", end_datetime: Any = None) -> Sampler:
        inner = self._s_date_time(end_datetime=end_datetime)
        return lambda n, rng: [v.strftime(pattern) for v in inner(n, rng)]

    def _s_date_object(self, end_datetime: Any = None) -> Sampler:
        return _dates(self._s_date_time(end_datetime=end_datetime))

    def _s_date_of_birth(self, tzinfo: Any = None, minimum_age: int = 0, maximum_age: int = 115) -> Sampler:
        if not 0 <= minimum_age <= maximum_age:
            raise TypeError("ages out of order: left to Faker, which names the problem")
        today = REFERENCE_TIME.date()
        start = dt.datetime(today.year - maximum_age - 1, today.month, today.day) + dt.timedelta(days=1)
        end = dt.datetime(today.year - minimum_age, today.month, today.day)
        return _days(start, end)

    def _s_iso8601(self, tzinfo: Any = None, end_datetime: Any = None, sep: str = "T",
                   timespec: str = "auto") -> Sampler:
        inner = self._s_date_time(tzinfo, end_datetime)
        return lambda n, rng: [v.isoformat(sep, timespec) for v in inner(n, rng)]

    def _s_unix_time(self, end_datetime: Any = None, start_datetime: Any = None) -> Sampler:
        inner = self._s_date_time_between(start_datetime or _EPOCH, end_datetime or "now")
        return lambda n, rng: [float((v - _EPOCH).total_seconds()) for v in inner(n, rng)]

    def _s_time_object(self, end_datetime: Any = None) -> Sampler:
        def sample(n: int, rng: random.Random) -> list[Any]:
            seconds = scaled_ints(rng, n, 86400)
            return [dt.time(s // 3600, s // 60 % 60, s % 60) for s in seconds]

        return sample

    def _s_time(self, pattern: str = "%H:%M:%S", end_datetime: Any = None) -> Sampler:
        inner = self._s_time_object()
        return lambda n, rng: [v.strftime(pattern) for v in inner(n, rng)]

    def _s_year(self) -> Sampler:
        inner = self._s_date_time()
        return lambda n, rng: [str(v.year) for v in inner(n, rng)]
