"""Constraint-true value generators, built once per field from its type and constraints.

A generator is a zero-argument callable. Every draw comes from Faker's shared random (the
one :func:`forge_factories.seed` reseeds), so values are reproducible under a seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import ipaddress
import math
import string
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from faker import Faker
from faker.generator import random as shared_random
from typing_extensions import is_typeddict as _te_is_typeddict

from forge_factories.auto import names
from forge_factories.auto.fields import Constraints
from forge_factories.common.patterns import PatternError, pattern_generator

Generator = Callable[[], Any]

# The fixed window every date/time is drawn from: never relative to today.
WINDOW_START = dt.datetime(2020, 1, 1)
WINDOW_END = dt.datetime(2025, 12, 31, 23, 59, 59)
FUTURE_START = dt.datetime(2100, 1, 1)  # FutureDate / FutureDatetime
FUTURE_END = dt.datetime(2109, 12, 31, 23, 59, 59)

_custom: dict[Any, Callable[[], Any]] = {}


class EmailText(str):
    """Marker type for introspectors: a string that must be an email address."""


class UrlText(str):
    """Marker type for introspectors: a string that must be a URL."""


class IPText(str):
    """Marker type for introspectors: a string that must be an IP address."""


AWARE = "aware"  # Annotated[datetime, AWARE]: a timezone-aware datetime
_MARKERS: dict[type, str] = {EmailText: "email", UrlText: "url", IPText: "ipv4"}


class AutoFactoryError(TypeError):
    """A model field cannot be generated; the message names model, field, type and the remedy."""


def register_type(tp: Any, generator: Callable[[], Any]) -> None:
    """Use ``generator()`` for every field of type ``tp`` in auto factories."""
    _custom[tp] = generator


@dataclass
class BuildContext:
    """What a generator builder needs to know about where the field lives."""

    model_name: str
    field_name: str
    fake: Faker
    none_ratio: float = 0.1
    max_depth: int = 2
    nested: Callable[[Any], Callable[[], Any] | None] | None = None

    def fail(self, tp: Any, why: str = "") -> AutoFactoryError:
        """The error for a type we cannot generate."""
        type_name = getattr(tp, "__name__", None) or repr(tp)
        reason = f" ({why})" if why else ""
        return AutoFactoryError(
            f"{self.model_name}.{self.field_name}: cannot generate a value of type {type_name}{reason}. "
            f"Supply one: factory_for({self.model_name}, {self.field_name}=<value, callable or "
            f"factory declaration>), or forge_factories.auto.register_type({type_name}, generator)."
        )


def _metadata_items(meta: Any) -> list[Any]:
    inner = getattr(meta, "metadata", None)
    if isinstance(inner, list):  # a pydantic FieldInfo inside Annotated
        return [meta, *inner]
    return [meta]


_WRAPPERS = {typing.Required, typing.NotRequired, typing.ClassVar, typing.Final}
try:
    import typing_extensions as _te

    _WRAPPERS |= {_te.Required, _te.NotRequired}
except ImportError:  # pragma: no cover
    pass


def strip_annotated(tp: Any, cons: Constraints) -> tuple[Any, Constraints]:
    """Unwrap ``Annotated``/``Required``/``NotRequired``, merging constraint metadata."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            for meta in tp.__metadata__:
                for item in _metadata_items(meta):
                    cons = cons.merge(item)
            tp = tp.__origin__
        elif origin in _WRAPPERS:
            tp = typing.get_args(tp)[0]
        else:
            return tp, cons


def split_optional(tp: Any) -> tuple[Any, bool]:
    """``Optional[X]`` -> ``(X, True)``; other types unchanged."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            if len(rest) == 1:
                return rest[0], True
            return typing.Union[rest], True  # noqa: UP007 - built at runtime
    return tp, False


def model_kind(tp: Any) -> str | None:
    """The kind of a nestable model type, or ``None``."""
    if not isinstance(tp, type):
        return None
    if hasattr(tp, "model_fields") and hasattr(tp, "model_validate"):
        return "pydantic"
    if dataclasses.is_dataclass(tp):
        return "dataclass"
    if hasattr(tp, "__attrs_attrs__"):
        return "attrs"
    if typing.is_typeddict(tp) or _te_is_typeddict(tp):
        return "typeddict"
    return None


def with_nulls(gen: Generator, ratio: float) -> Generator:
    """``None`` with probability ``ratio``, else ``gen()``."""
    if ratio <= 0:
        return gen
    rnd = shared_random

    def maybe_none() -> Any:
        return None if rnd.random() < ratio else gen()

    return maybe_none


# -- numbers -------------------------------------------------------------------------------

def _bounds(cons: Constraints, hint: tuple[float, float] | None, default: tuple[float, float],
            integer: bool) -> tuple[float, float]:
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
    # prefer the realistic hint where it fits in the constraints
    if hint and lo <= hint[0] <= hint[1] <= hi:
        return hint
    return lo, hi


def int_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Integers within ge/gt/le/lt, a multiple of ``multiple_of``, with a realistic default range."""
    lo, hi = _bounds(cons, names.number_range(ctx.field_name), (1, 10_000), integer=True)
    lo_i, hi_i = math.ceil(lo), math.floor(hi)
    if cons.gt is not None and lo_i <= cons.gt:
        lo_i = int(cons.gt) + 1
    if cons.lt is not None and hi_i >= cons.lt:
        hi_i = math.ceil(cons.lt) - 1
    if lo_i > hi_i:
        raise ctx.fail(int, f"no integer satisfies {cons.as_dict()}")
    rnd = shared_random
    step = cons.multiple_of
    if step:
        step = int(step)
        first, last = math.ceil(lo_i / step), math.floor(hi_i / step)
        if first > last:
            raise ctx.fail(int, f"no multiple of {step} in [{lo_i}, {hi_i}]")
        return lambda: rnd.randint(first, last) * step
    return lambda: rnd.randint(lo_i, hi_i)


def float_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Floats within the bounds (two decimals where that keeps them in bounds)."""
    lo, hi = _bounds(cons, names.number_range(ctx.field_name), (0, 1000), integer=False)
    if lo > hi:
        raise ctx.fail(float, f"empty range {cons.as_dict()}")
    rnd = shared_random
    step = cons.multiple_of
    if step:
        first, last = math.ceil(lo / step), math.floor(hi / step)
        if first > last:
            raise ctx.fail(float, f"no multiple of {step} in [{lo}, {hi}]")

        def multiple() -> float:
            k = rnd.randint(first, last)
            value = round(k * step, 10)
            return value

        return multiple

    def ok(v: float) -> bool:
        return not ((cons.gt is not None and v <= cons.gt) or (cons.lt is not None and v >= cons.lt)
                    or (cons.ge is not None and v < cons.ge) or (cons.le is not None and v > cons.le))

    def draw() -> float:
        for _ in range(20):
            raw = rnd.uniform(lo, hi)
            value = round(raw, 2)
            if ok(value):
                return value
            if ok(raw):
                return raw
        return (lo + hi) / 2

    return draw


def decimal_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Decimals within bounds and ``max_digits``/``decimal_places``."""
    places = cons.decimal_places if cons.decimal_places is not None else 2
    if cons.multiple_of is not None:
        exp = decimal.Decimal(str(cons.multiple_of)).as_tuple().exponent
        places = min(places, -exp if isinstance(exp, int) and exp < 0 else 0)
    limit = None
    if cons.max_digits is not None:
        whole = cons.max_digits - places
        if whole < 0:
            raise ctx.fail(decimal.Decimal, f"max_digits={cons.max_digits} < decimal_places={places}")
        limit = float(10**whole) - 10 ** (-places)
    hint = names.number_range(ctx.field_name)
    lo, hi = _bounds(cons, hint, (0, 1000), integer=False)
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
        raise ctx.fail(decimal.Decimal, f"no value fits {cons.as_dict()}")
    rnd = shared_random
    return lambda: (decimal.Decimal(rnd.randint(first, last) * step_u) / scale).quantize(quantum)


# -- strings -------------------------------------------------------------------------------

def _faker_call(fake: Faker, method: str) -> Generator:
    if method.startswith("bothify:"):
        fmt = method.split(":", 1)[1]
        return lambda: fake.bothify(fmt).upper()
    if method == "uuid4":
        return lambda: str(uuid.UUID(int=shared_random.getrandbits(128), version=4))
    if method == "word":
        return fake.word
    return getattr(fake, method)


def fit_length(gen: Generator, min_length: int | None, max_length: int | None) -> Generator:
    """Make ``gen``'s strings respect the length bounds (retry, then trim or pad)."""
    if min_length is None and max_length is None:
        return gen
    lo = min_length or 0
    hi = max_length if max_length is not None else 10**9
    rnd = shared_random

    def fitted() -> str:
        value = gen()
        for _ in range(4):
            if lo <= len(value) <= hi:
                return value
            value = gen()
        if len(value) > hi:
            value = value[:hi].rstrip() or value[:hi]
        while len(value) < lo:
            value += rnd.choice(string.ascii_lowercase)
        if len(value) > hi:
            value = value[:hi]
        return value

    return fitted


def _short_email(min_length: int | None, max_length: int | None) -> Generator:
    rnd = shared_random
    lo = max(min_length or 0, 6)
    hi = max_length if max_length is not None else 24

    def email() -> str:
        size = rnd.randint(lo, max(lo, min(hi, 24)))
        local = size - len("@ex.io")
        return "".join(rnd.choice(string.ascii_lowercase) for _ in range(max(1, local))) + "@ex.io"

    return email


def text_words(fake: Faker, cons: Constraints) -> Generator:
    """Generic short text for a bounded string with no better match."""
    hi = cons.max_length if cons.max_length is not None else 30
    lo = cons.min_length or 0
    rnd = shared_random
    if hi <= 6:
        letters = string.ascii_lowercase

        def letters_only() -> str:
            return "".join(rnd.choice(letters) for _ in range(rnd.randint(max(lo, 1 if hi else 0), hi)))

        return letters_only
    return fit_length(lambda: " ".join(fake.words(rnd.randint(1, 3))), lo, hi)


def str_generator(cons: Constraints, ctx: BuildContext, *, kind: str | None = None) -> Generator:
    """A string generator honouring pattern, length bounds and the field's name."""
    if cons.pattern is not None:
        try:
            pgen = pattern_generator(cons.pattern, cons.min_length, cons.max_length)
        except PatternError as exc:
            raise AutoFactoryError(f"{ctx.model_name}.{ctx.field_name}: {exc}") from None
        rnd = shared_random
        return lambda: pgen(rnd)
    method = kind or names.string_method(ctx.field_name)
    if method is None:
        return text_words(ctx.fake, cons)
    if method == "email" and cons.max_length is not None and cons.max_length < 20:
        return _short_email(cons.min_length, cons.max_length)
    return fit_length(_faker_call(ctx.fake, method), cons.min_length, cons.max_length)


# -- dates ---------------------------------------------------------------------------------

def _clip_window(cons: Constraints, start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
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


def datetime_generator(cons: Constraints, ctx: BuildContext, aware: bool = False) -> Generator:
    """Datetimes (whole seconds) inside the fixed window."""
    span = names.year_span(ctx.field_name)
    start, end = (dt.datetime(span[0], 1, 1), dt.datetime(span[1], 12, 31)) if span else (WINDOW_START, WINDOW_END)
    start, end = _clip_window(cons, start, end)
    seconds = max(0, int((end - start).total_seconds()))
    rnd = shared_random
    tz = dt.UTC if aware else None
    return lambda: (start + dt.timedelta(seconds=rnd.randint(0, seconds))).replace(tzinfo=tz)


def date_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Dates inside the fixed window (birth dates: 1950-2005)."""
    gen = datetime_generator(cons, ctx)
    return lambda: gen().date()


def time_generator() -> Generator:
    """Times of day (whole seconds)."""
    rnd = shared_random
    return lambda: dt.time(rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59))


# -- the dispatcher ------------------------------------------------------------------------

def _length_range(cons: Constraints, default: tuple[int, int] = (1, 3)) -> tuple[int, int]:
    lo = cons.min_length if cons.min_length is not None else min(default[0], cons.max_length or default[0])
    hi = cons.max_length if cons.max_length is not None else max(lo, default[1])
    if hi < lo:
        hi = lo
    return lo, min(hi, max(lo, 5))


def _pydantic_special(tp: Any, cons: Constraints, ctx: BuildContext) -> Generator | None:
    module = getattr(tp, "__module__", "") or ""
    name = getattr(tp, "__name__", "")
    fake = ctx.fake
    if module.startswith("pydantic"):
        if name in ("EmailStr",):
            return str_generator(cons, ctx, kind="email")
        if name == "NameEmail":
            return lambda: f"{fake.name()} <{fake.email()}>"
        if name in ("SecretStr",):
            from pydantic import SecretStr
            inner = str_generator(cons, ctx, kind="password")
            return lambda: SecretStr(inner())
        if name.endswith("Url") or name.endswith("Dsn"):
            return lambda: "https://" + fake.domain_name() + "/" + fake.slug()
        if name == "IPvAnyAddress":
            return lambda: ipaddress.IPv4Address(fake.ipv4())
        if name == "IPvAnyNetwork":
            return lambda: ipaddress.IPv4Network(fake.ipv4(network=True))
        if name == "AwareDatetime":
            return datetime_generator(cons, ctx, aware=True)
        if name == "NaiveDatetime":
            return datetime_generator(cons, ctx)
        if name == "PastDate":
            return date_generator(cons, ctx)
        if name in ("FutureDate", "FutureDatetime"):  # a fixed window far ahead, never relative to today
            start, end = _clip_window(cons, FUTURE_START, FUTURE_END)
            seconds = max(0, int((end - start).total_seconds()))
            rnd = shared_random
            future = lambda: start + dt.timedelta(seconds=rnd.randint(0, seconds))  # noqa: E731
            return (lambda: future().date()) if name == "FutureDate" else future
        if name == "PastDatetime":
            return datetime_generator(cons, ctx)
    return None


def build_generator(tp: Any, cons: Constraints, ctx: BuildContext, *, optional_cut: bool = False) -> Generator:
    """The generator for values of ``tp`` under ``cons`` (raises :class:`AutoFactoryError`)."""
    if typing.get_origin(tp) is typing.Annotated and AWARE in tp.__metadata__:
        return datetime_generator(cons, ctx, aware=True)
    tp, cons = strip_annotated(tp, cons)
    if tp in _MARKERS:
        return str_generator(cons, ctx, kind=_MARKERS[tp])
    if tp in _custom:
        return _custom[tp]
    inner, nullable = split_optional(tp)
    if nullable:
        gen_or_none = _nested_or_none(inner, cons, ctx)
        if gen_or_none is None:
            return lambda: None
        return with_nulls(gen_or_none, ctx.none_ratio)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    rnd = shared_random
    if tp is typing.Any or tp is object:
        return str_generator(Constraints(max_length=20), ctx)
    if origin is typing.Literal:
        values = list(args)
        return lambda: rnd.choice(values)
    if origin in (typing.Union, types.UnionType):
        gens = [build_generator(a, cons, ctx) for a in args]
        return lambda: rnd.choice(gens)()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        members = list(tp)
        if not members:
            raise ctx.fail(tp, "empty enum")
        return lambda: rnd.choice(members)
    special = _pydantic_special(tp, cons, ctx)
    if special is not None:
        return special
    if tp is bool:
        return lambda: rnd.random() < 0.5
    if tp is int:
        return int_generator(cons, ctx)
    if tp is float:
        return float_generator(cons, ctx)
    if tp is decimal.Decimal:
        return decimal_generator(cons, ctx)
    if tp is str:
        return str_generator(cons, ctx)
    if tp is bytes:
        lo, hi = cons.min_length or 4, cons.max_length or 16
        return lambda: bytes(rnd.getrandbits(8) for _ in range(rnd.randint(lo, max(lo, min(hi, 32)))))
    if tp is dt.datetime:
        return datetime_generator(cons, ctx)
    if tp is dt.date:
        return date_generator(cons, ctx)
    if tp is dt.time:
        return time_generator()
    if tp is dt.timedelta:
        return lambda: dt.timedelta(minutes=rnd.randint(1, 10_000))
    if tp is uuid.UUID:
        version = cons.uuid_version or 4
        if version not in (1, 3, 4, 5, 6, 7, 8):
            version = 4
        return lambda: uuid.UUID(int=rnd.getrandbits(128), version=version)
    if tp in (ipaddress.IPv4Address,):
        return lambda: ipaddress.IPv4Address(ctx.fake.ipv4())
    if tp in (ipaddress.IPv6Address,):
        return lambda: ipaddress.IPv6Address(ctx.fake.ipv6())
    if tp in (ipaddress.IPv4Network,):
        return lambda: ipaddress.IPv4Network(ctx.fake.ipv4(network=True))
    if origin in (list, set, frozenset, Sequence, typing.List, typing.Set, typing.FrozenSet) or tp in (list, set, frozenset):  # noqa: UP006
        return _collection(origin or tp, args, cons, ctx)
    if origin is tuple or tp is tuple:
        if args and (len(args) != 2 or args[1] is not Ellipsis):
            gens = [build_generator(a, Constraints(), ctx) for a in args]
            return lambda: tuple(g() for g in gens)
        return _collection(tuple, args[:1], cons, ctx)
    if origin in (dict, Mapping, typing.Dict) or tp is dict:  # noqa: UP006
        key_t, val_t = (args or (str, str))[:2]
        kgen = build_generator(key_t, Constraints(), ctx) if key_t is not str else (lambda: ctx.fake.word())
        vgen = build_generator(val_t, Constraints(), ctx)
        lo, hi = _length_range(cons)

        def mapping() -> dict[Any, Any]:
            size = rnd.randint(lo, hi)
            out: dict[Any, Any] = {}
            for _ in range(size * 10):
                if len(out) >= size:
                    break
                out[kgen()] = vgen()
            return out

        return mapping
    if model_kind(tp) is not None:
        gen = _nested_or_none(tp, cons, ctx)
        if gen is None:
            raise ctx.fail(tp, f"recursive model deeper than max_depth={ctx.max_depth}; make the field Optional "
                               "or give it a default")
        return gen
    raise ctx.fail(tp)


def _nested_or_none(tp: Any, cons: Constraints, ctx: BuildContext) -> Generator | None:
    """A generator for a possibly nested model; ``None`` when the recursion limit cuts it."""
    if model_kind(tp) is not None:
        return ctx.nested(tp) if ctx.nested is not None else None
    return build_generator(tp, cons, ctx)


def _collection(kind: Any, args: tuple[Any, ...], cons: Constraints, ctx: BuildContext) -> Generator:
    item_t = args[0] if args else str
    lo, hi = _length_range(cons)
    item_tp, _ = strip_annotated(item_t, Constraints())
    if model_kind(item_tp) is not None and (ctx.nested is None or ctx.nested(item_tp) is None):
        if cons.min_length:
            raise ctx.fail(item_tp, f"recursive model deeper than max_depth={ctx.max_depth} with min_length={lo}")
        return {list: list, set: set, frozenset: frozenset, tuple: tuple}.get(kind, list)
    gen = build_generator(item_t, Constraints(), ctx)
    rnd = shared_random
    if kind in (set, frozenset, typing.Set, typing.FrozenSet):  # noqa: UP006
        wrap = frozenset if kind in (frozenset, typing.FrozenSet) else set  # noqa: UP006

        def unique_items() -> Any:
            size = rnd.randint(lo, hi)
            out: set[Any] = set()
            ordered: list[Any] = []
            for _ in range(size * 20):
                if len(ordered) >= size:
                    break
                value = gen()
                if value not in out:
                    out.add(value)
                    ordered.append(value)
            if len(ordered) < lo:
                raise AutoFactoryError(f"{ctx.model_name}.{ctx.field_name}: could not draw {lo} distinct items")
            return wrap(ordered)

        return unique_items
    make = tuple if kind is tuple else list
    return lambda: make([gen() for _ in range(rnd.randint(lo, hi))])
