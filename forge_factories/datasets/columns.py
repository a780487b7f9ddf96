"""Column functions of the column-wise path: Faker samplers, ``Iterator``, ``SelfAttribute``."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from factory import declarations as fb_declarations

from forge_factories._compat.factory_boy import declaration_arguments
from forge_factories.common.errors import ForgeConfigError
from forge_factories.samplers import SamplerSet, samplers  # noqa: F401 - samplers: part of this module's API

ColumnFn = Callable[[int, random.Random, Sequence[int]], list[Any]]
#: A lazy value: receives the row view (attribute access to the row's fields) and the sequence number.
LazyFn = Callable[[Any, int], Any]



class NotColumnar(ForgeConfigError):
    """The factory uses a declaration the column-wise path cannot reproduce."""


def faker_column(decl: Any, locale_default: str | None) -> ColumnFn:
    kwargs = declaration_arguments(decl)
    if kwargs is None:
        raise NotColumnar(f"Faker({decl.provider!r}): its arguments cannot be read")
    locale = kwargs.pop("locale", None) or locale_default
    if any(isinstance(v, fb_declarations.BaseDeclaration) for v in kwargs.values()):
        raise NotColumnar(f"Faker({decl.provider!r}) has lazy arguments")
    sampler = samplers(locale).sampler(decl.provider, kwargs)
    if sampler is not None:
        return lambda n, rng, seqs: sampler(n, rng)
    fake = samplers(locale).tables.fake
    try:
        fake.format(decl.provider, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported as a plan error
        raise NotColumnar(f"Faker({decl.provider!r}) fails: {exc}") from None

    def call_faker(n: int, rng: random.Random, seqs: Sequence[int]) -> list[Any]:
        fake.seed_instance(rng.getrandbits(64))
        return [fake.format(decl.provider, **kwargs) for _ in range(n)]

    return call_faker


def iterator_column(decl: Any, label: str) -> ColumnFn:
    """The values of a ``factory.Iterator`` (its own iterator, from the declaration's builder);
    an iterator with ``cycle=False`` that runs out is a :class:`~forge_factories.common.errors.ForgeConfigError`."""
    state: dict[str, Any] = {"taken": 0}

    def column(n: int, rng: random.Random, seqs: Sequence[int]) -> list[Any]:
        if "it" not in state:
            state["source"] = decl.iterator_builder()  # factory_boy's ResetableIterator: iterable only
            state["it"] = iter(state["source"])
        it = state["it"]
        getter = decl.getter
        out = []
        for _ in range(n):
            try:
                value = next(it)
            except StopIteration:
                raise ForgeConfigError(f"{label}: factory.Iterator ran out of values after {state['taken']} "
                                       "records (cycle=False); give more values or cycle=True") from None
            state["taken"] += 1
            out.append(getter(value) if getter is not None else value)
        state["source"].past_elements.clear()  # kept for reset(), which nothing calls here: bounded memory
        return out

    return column


def self_attribute(decl: Any) -> Callable[[Any], Any]:
    deepgetattr: Any = fb_declarations.deepgetattr
    default = decl.default
    name = decl.attribute_name

    def lazy(row: Any) -> Any:
        return deepgetattr(row, name, default)

    return lazy


def with_seq(fn: Callable[[Any], Any]) -> LazyFn:
    return lambda row, seq: fn(row)


_SALT = random.SystemRandom().randrange(2**63)


def base_seed(seed: int | None) -> Any:
    """The root of every column generator seed for one run."""
    from forge_factories.common.seeding import current_seed

    if seed is not None:
        return seed
    current = current_seed()
    return current if current is not None else f"unseeded-{_SALT}"
