"""Column functions of the column-wise path: Faker samplers, ``Iterator``, ``SelfAttribute``."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from factory import declarations as fb_declarations
from factory import faker as fb_faker

from .datasets.samplers import SamplerSet
from .errors import ForgeConfigError, ForgeError

ColumnFn = Callable[[int, random.Random, Sequence[int]], list[Any]]
#: A lazy value: receives the row view (attribute access to the row's fields) and the sequence number.
LazyFn = Callable[[Any, int], Any]

_SAMPLER_SETS: dict[str, SamplerSet] = {}


class NotColumnar(ForgeError):
    """The factory uses a declaration the column-wise path cannot reproduce."""


def samplers(locale: str | None) -> SamplerSet:
    """The cached :class:`SamplerSet` of ``locale``."""
    key = locale or fb_faker.Faker._DEFAULT_LOCALE
    found = _SAMPLER_SETS.get(key)
    if found is None:
        found = _SAMPLER_SETS[key] = SamplerSet(key)
    return found


def faker_column(decl: Any, locale_default: str | None) -> ColumnFn:
    kwargs = dict(decl._defaults)
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
    an iterator with ``cycle=False`` that runs out is a :class:`~forge_factories.errors.ForgeConfigError`."""
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
