"""Generators of lists, sets, tuples and mappings (their items come from the dispatcher)."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from forge_factories.auto.annotations import model_kind, strip_annotated
from forge_factories.auto.context import AutoFactoryError, BuildContext, Generator, shared_random
from forge_factories.auto.fields import Constraints

#: The dispatcher that builds an item generator: ``build(item_type, constraints, ctx)``.
ItemBuilder = Callable[[Any, Constraints, BuildContext], Generator]


def length_range(cons: Constraints, default: tuple[int, int] = (1, 3)) -> tuple[int, int]:
    """How many items to draw: ``min_length``..``max_length``, at most 5 unless more are required."""
    lo = cons.min_length if cons.min_length is not None else min(default[0], cons.max_length or default[0])
    hi = cons.max_length if cons.max_length is not None else max(lo, default[1])
    if hi < lo:
        hi = lo
    return lo, min(hi, max(lo, 5))


def mapping_generator(args: tuple[Any, ...], cons: Constraints, ctx: BuildContext, build: ItemBuilder) -> Generator:
    """Dicts of ``args`` = (key type, value type) (``dict[str, str]`` when bare)."""
    key_t, val_t = (args or (str, str))[:2]
    kgen = build(key_t, Constraints(), ctx) if key_t is not str else (lambda: ctx.fake.word())
    vgen = build(val_t, Constraints(), ctx)
    lo, hi = length_range(cons)
    rnd = shared_random

    def mapping() -> dict[Any, Any]:
        size = rnd.randint(lo, hi)
        out: dict[Any, Any] = {}
        for _ in range(size * 10):
            if len(out) >= size:
                break
            out[kgen()] = vgen()
        return out

    return mapping


def collection_generator(kind: Any, args: tuple[Any, ...], cons: Constraints, ctx: BuildContext,
                         build: ItemBuilder) -> Generator:
    """Lists, tuples, sets and frozensets of ``args[0]`` (distinct items for sets)."""
    item_t = args[0] if args else str
    lo, hi = length_range(cons)
    item_tp, _ = strip_annotated(item_t, Constraints())
    if model_kind(item_tp) is not None and (ctx.nested is None or ctx.nested(item_tp) is None):
        if cons.min_length:
            raise ctx.fail(item_tp, f"recursive model deeper than max_depth={ctx.max_depth} with min_length={lo}")
        return {list: list, set: set, frozenset: frozenset, tuple: tuple}.get(kind, list)
    gen = build(item_t, Constraints(), ctx)
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
