"""Rows as a function of (seed, row number): fixed-size blocks, each seeded from the run's seed and its index.

Row ``r`` lives in block ``r // block_rows``; a block's columns are drawn from generators
seeded with ``(seed, factory, block, field)`` and its sequence numbers are its row
numbers. A partition covers whole blocks, so the rows do not depend on how many
partitions there are, which worker runs them or in which order.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from factory import declarations as fb_declarations

from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.importing import import_object
from forge_factories.datasets.sharded.keys import (
    ParentKey,
    key_column,
    key_function,
    model_foreign_keys,
    parent_count,
)

#: Rows per block: the unit of seeding (part of what a seed means: keep it to get the same rows).
BLOCK_ROWS = 10_000

#: Generation touches process-wide state (factory_boy's random, Faker instances): one block at a time.
_LOCK = threading.Lock()
_PLANS: dict[Any, Any] = {}


@dataclass(frozen=True)
class ShardSpec:
    """What one sharded run generates: ``count`` rows of ``target`` under ``seed``.

    ``target`` is a factory or model class, or a ``"module:Name"`` string imported where the
    rows are generated; ``parents`` gives the row counts of the tables ``ParentKey`` fields
    (and model foreign keys) reference.
    """

    target: Any
    count: int
    seed: int
    block_rows: int = BLOCK_ROWS
    parents: tuple[tuple[Any, int], ...] = ()

    def __post_init__(self) -> None:
        for name in ("count", "seed", "block_rows"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ForgeConfigError(f"{name} must be an int, got {value!r}")
        if self.count < 0 or self.block_rows <= 0:
            raise ForgeConfigError("count must be >= 0 and block_rows > 0")

    @property
    def blocks(self) -> int:
        """How many blocks the rows fill."""
        return -(-self.count // self.block_rows)

    def rows_of(self, first_block: int, stop_block: int) -> tuple[int, int]:
        """The row numbers ``[start, stop)`` of blocks ``[first_block, stop_block)``."""
        return first_block * self.block_rows, min(self.count, stop_block * self.block_rows)


def layout(blocks: int, partitions: int) -> list[tuple[int, int]]:
    """Block ranges ``[first, stop)`` of ``partitions`` partitions (at most one per block, at least one)."""
    if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise ForgeConfigError(f"partitions must be an int >= 1, got {partitions!r}")
    k = max(1, min(partitions, blocks))
    edges = [blocks * i // k for i in range(k + 1)]
    return list(itertools.pairwise(edges))


def load_target(target: Any) -> Any:
    """The factory class of ``target`` (a ``"module:Name"`` string is imported)."""
    from forge_factories.datasets.stream import resolve_factory

    if isinstance(target, str):
        target = import_object(target)
    return resolve_factory(target)


def _iterator_by_row(decl: Any, label: str) -> Any:
    """A ``factory.Iterator`` over a list, tuple or range as a function of the row number."""
    builder = decl.iterator_builder
    cells = dict(zip(builder.__code__.co_freevars, builder.__closure__ or (), strict=True))
    source = cells["iterator"].cell_contents if "iterator" in cells else None
    if not isinstance(source, (list, tuple, range, str)):
        raise ForgeConfigError(f"{label}: a factory.Iterator over {type(source).__name__} cannot be sharded "
                               "(its values depend on the rows before); use a list or tuple")
    values = list(source)
    cycle = "cycle" in builder.__code__.co_names
    getter = decl.getter

    def column(n: int, rng: Any, seqs: Sequence[int]) -> list[Any]:
        if not cycle and seqs and seqs[-1] >= len(values):
            raise ForgeConfigError(f"{label}: factory.Iterator ran out of values after {len(values)} records "
                                   "(cycle=False)")
        out = [values[r % len(values)] for r in seqs] if values else [None] * n
        return [getter(v) for v in out] if getter is not None else out

    return column


def build_plan(spec: ShardSpec) -> Any:
    """The column plan of ``spec``'s factory, with keys and iterators as functions of the row number."""
    from forge_factories.datasets import columnar

    factory_cls = load_target(spec.target)
    try:
        plan = columnar.plan_for(factory_cls)
    except columnar.NotColumnar as exc:
        raise ForgeConfigError(f"{factory_cls.__name__} cannot be generated sharded: {exc}") from None
    if plan.semantic:
        raise ForgeConfigError(f"{factory_cls.__name__} cannot be generated sharded: semantic fields "
                               f"{sorted(plan.semantic)} need a provider (not supported on Dask yet)")
    parents: Mapping[Any, int] = dict(spec.parents)
    decls = factory_cls._meta.pre_declarations
    for name in plan.order:
        decl = decls[name].declaration
        if isinstance(decl, ParentKey):
            count = parent_count(decl.parent, decl.count, parents)
            plan.columns[name] = key_column(key_function(decl.parent, decl.field), count)
        elif isinstance(decl, fb_declarations.Iterator):
            plan.columns[name] = _iterator_by_row(decl, f"{factory_cls.__name__}.{name}")
    for name, (model, attribute) in model_foreign_keys(factory_cls).items():
        if name in plan.columns:
            plan.columns[name] = key_column(key_function(model, attribute), parent_count(model, None, parents))
    return plan


def plan_of(spec: ShardSpec) -> Any:
    """The cached plan of ``spec`` in this process."""
    key = (spec.target, spec.parents)
    with _LOCK:
        found = _PLANS.get(key)
        if found is None:
            found = _PLANS[key] = build_plan(spec)
    return found


def _unique_scope() -> Any:
    try:
        from forge_factories.autofactory.build import unique_scope
    except ImportError:  # pragma: no cover - auto factories always ship
        return contextlib.nullcontext()
    return unique_scope()


def block(spec: ShardSpec, index: int) -> list[dict[str, Any]]:
    """The rows of block ``index``: the same in every process, whatever else ran before."""
    import factory.random
    import faker.generator

    from forge_factories.common.seeding import REFERENCE_NOW, pin_now

    if not 0 <= index < spec.blocks:
        raise ForgeConfigError(f"block {index} is outside 0..{spec.blocks - 1}")
    plan = plan_of(spec)
    start, stop = spec.rows_of(index, index + 1)
    seqs = list(range(start, stop))
    gc_was_on = gc.isenabled()
    # LazyFunction generators draw from factory_boy's random or Faker's shared one (auto factories)
    shared = list({id(r): r for r in (factory.random.randgen, faker.generator.random)}.values())
    with _LOCK, _unique_scope():
        gc.disable()  # many small dicts at once
        states = [r.getstate() for r in shared]  # put back after: the caller's random sequences go on
        clock = pin_now(REFERENCE_NOW)  # Faker's own date providers: the same "now" in every process
        try:
            for r in shared:
                r.seed(f"{spec.seed}|sharded|{plan.path}|{index}")
            rows, _ = plan.standard_rows(len(seqs), spec.seed, index, seqs=seqs)
            return list(plan.finish(rows, seqs))
        finally:
            pin_now(clock)
            for r, state in zip(shared, states, strict=True):
                r.setstate(state)
            if gc_was_on:
                gc.enable()


def iter_blocks(spec: ShardSpec, first: int, stop: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of blocks ``[first, stop)``, one block at a time."""
    for index in range(first, stop):
        yield block(spec, index)


def columns_of(spec: ShardSpec) -> list[str]:
    """The field names of a row, in order."""
    plan = plan_of(spec)
    return [n for n in plan.order if n not in plan.exclude]
