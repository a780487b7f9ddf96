"""Constraint-true value generators, built once per field from its type and constraints.

:func:`build_generator` dispatches on the type: numbers (:mod:`forge_factories.auto.numbers`),
strings (:mod:`~forge_factories.auto.text_values`), dates and times
(:mod:`~forge_factories.auto.time_values`), collections
(:mod:`~forge_factories.auto.collection_values`), enums, literals, UUIDs, IP addresses, pydantic's
special types and nested models. A generator is a zero-argument callable drawing from Faker's
shared random, so values are reproducible under a seed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import ipaddress
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from forge_factories.auto import names, numbers
from forge_factories.auto.annotations import (
    AWARE,
    EmailText,
    IPText,
    UrlText,
    model_kind,
    split_optional,
    strip_annotated,
)
from forge_factories.auto.collection_values import collection_generator, mapping_generator
from forge_factories.auto.context import AutoFactoryError, BuildContext, Generator, shared_random, with_nulls
from forge_factories.auto.fields import Constraints
from forge_factories.auto.text_values import str_generator
from forge_factories.auto.time_values import (
    date_generator,
    datetime_generator,
    future_generator,
    time_generator,
)

__all__ = ["AutoFactoryError", "build_generator", "decimal_generator", "float_generator", "int_generator",
           "register_type"]

_custom: dict[Any, Callable[[], Any]] = {}
_MARKERS: dict[type, str] = {EmailText: "email", UrlText: "url", IPText: "ipv4"}


def register_type(tp: Any, generator: Callable[[], Any]) -> None:
    """Use ``generator()`` for every field of type ``tp`` in auto factories."""
    _custom[tp] = generator


def _drawing(make: Callable[..., numbers.Sampler], tp: type, cons: Constraints, ctx: BuildContext,
             default: tuple[float, float]) -> Generator:
    try:
        sample = make(cons, names.number_range(ctx.field_name), default)
    except numbers.EmptyRange as exc:
        raise ctx.fail(tp, str(exc)) from None
    return functools.partial(sample, shared_random)


def int_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Integers within ge/gt/le/lt, a multiple of ``multiple_of``, with a realistic default range."""
    return _drawing(numbers.int_sampler, int, cons, ctx, (1, 10_000))


def float_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Floats within the bounds (two decimals where that keeps them in bounds)."""
    return _drawing(numbers.float_sampler, float, cons, ctx, (0, 1000))


def decimal_generator(cons: Constraints, ctx: BuildContext) -> Generator:
    """Decimals within bounds and ``max_digits``/``decimal_places``."""
    return _drawing(numbers.decimal_sampler, decimal.Decimal, cons, ctx, (0, 1000))


def _pydantic_special(tp: Any, cons: Constraints, ctx: BuildContext) -> Generator | None:
    module = getattr(tp, "__module__", "") or ""
    name = getattr(tp, "__name__", "")
    fake = ctx.fake
    if not module.startswith("pydantic"):
        return None
    if name == "EmailStr":
        return str_generator(cons, ctx, kind="email")
    if name == "NameEmail":
        return lambda: f"{fake.name()} <{fake.email()}>"
    if name == "SecretStr":
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
    if name in ("NaiveDatetime", "PastDatetime"):
        return datetime_generator(cons, ctx)
    if name == "PastDate":
        return date_generator(cons, ctx)
    if name in ("FutureDate", "FutureDatetime"):
        return future_generator(cons, date_only=name == "FutureDate")
    return None


def _scalar(tp: Any, cons: Constraints, ctx: BuildContext) -> Generator | None:
    """The generator of a plain (non-generic) type, or ``None`` when ``tp`` is not one."""
    rnd = shared_random
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
    if special is None:
        special = _scalar(tp, cons, ctx)
    if special is not None:
        return special
    if origin in (list, set, frozenset, Sequence, typing.List, typing.Set, typing.FrozenSet) or tp in (list, set, frozenset):  # noqa: UP006
        return collection_generator(origin or tp, args, cons, ctx, build_generator)
    if origin is tuple or tp is tuple:
        if args and (len(args) != 2 or args[1] is not Ellipsis):
            gens = [build_generator(a, Constraints(), ctx) for a in args]
            return lambda: tuple(g() for g in gens)
        return collection_generator(tuple, args[:1], cons, ctx, build_generator)
    if origin in (dict, Mapping, typing.Dict) or tp is dict:  # noqa: UP006
        return mapping_generator(args, cons, ctx, build_generator)
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
