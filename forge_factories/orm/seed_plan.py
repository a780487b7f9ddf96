"""Planning a schema seeding run: factory order, parent pools, and the parents each row gets.

A run seeds factories parents first. Each ``SubFactory`` of a seeded factory (nested ones
too) whose model was seeded earlier in the run, or whose table already holds rows, is
*linked* to that model's :class:`RunPool`; every row then gets its parents drawn from the
pools by the seeded generator. Parents covered by a unique constraint (one-to-one, unique
FK, composite unique over FKs) are drawn as distinct tuples, also distinct from the tuples
the table already stores; a count that cannot fit fails before anything is written.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factory import declarations as fb_declarations

from forge_factories._compat.factory_boy import get_sequence
from forge_factories.common.errors import ForgeConfigError, ForgeError
from forge_factories.common.ordering import parents_first
from forge_factories.common.seeding import value_rng
from forge_factories.core.declarations import SemanticAttribute

Plan = Mapping[Any, int]
_MAX_DEPTH = 3
#: True while a seeding run's transaction covers every batch (no SAVEPOINT per batch).
SEEDING: contextvars.ContextVar[bool] = contextvars.ContextVar("forge_seeding", default=False)


def model_of(factory_cls: Any) -> Any:
    """The model class a factory produces."""
    return factory_cls._meta.get_model_class()


def continue_sequence(factory_cls: Any, rows: int, max_key: int | None) -> None:
    """Start the factory's sequence after the stored rows (``max(rows, max_key)``; never lowered)."""
    if not rows:
        return
    start = max(rows, max_key or 0)
    meta = factory_cls._meta.counter_reference
    nxt = get_sequence(meta)
    if nxt is None:
        nxt = meta.factory._setup_next_sequence()
    if nxt < start:
        meta.factory.reset_sequence(start, force=True)


def subfactories(factory_cls: Any) -> dict[str, Any]:
    """``{field: target factory}`` of the factory's ``SubFactory`` declarations."""
    out = {}
    for name in factory_cls._meta.pre_declarations:
        decl = factory_cls._meta.pre_declarations[name].declaration
        if isinstance(decl, fb_declarations.SubFactory):
            out[name] = decl.get_factory()
    return out


def required_parents(model: Any) -> set[Any]:
    """Models (or tables) ``model`` holds a NOT NULL foreign key to."""
    parents: set[Any] = set()
    meta = getattr(model, "_meta", None)
    if meta is not None and hasattr(meta, "concrete_fields"):
        for f in meta.concrete_fields:
            if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is not None and not f.null:
                parents.add(f.related_model)
        return parents
    table = getattr(model, "__table__", None)
    if table is not None:
        for fk in table.foreign_keys:
            if not fk.parent.nullable:
                parents.add(fk.column.table)
    return parents


def order_plan(plan: Plan) -> list[Any]:
    """The plan's factories, parents before children (plan order between independent ones).

    Edges are required (NOT NULL) foreign keys and ``SubFactory`` declarations; a cycle of
    them cannot be seeded and raises :class:`ForgeConfigError` naming the factories.
    """
    factories = list(plan)
    keys = {fac: {model_of(fac), getattr(model_of(fac), "__table__", model_of(fac))} for fac in factories}

    def needs(fac: Any) -> list[Any]:
        wanted = required_parents(model_of(fac)) | {model_of(t) for t in subfactories(fac).values()}
        return [other for other in factories if other is not fac and keys[other] & wanted]

    return parents_first(factories, needs, label=lambda fac: fac.__name__,
                         cycle_error="seeding: required foreign keys form a cycle")


def reachable(factories: Sequence[Any]) -> list[Any]:
    """The factories and every factory their SubFactory / RelatedFactory declarations reach."""
    seen: list[Any] = []
    stack = list(factories)
    while stack:
        fac = stack.pop()
        if fac in seen:
            continue
        seen.append(fac)
        meta = fac._meta
        for name in list(meta.pre_declarations) + list(meta.post_declarations):
            entry = (meta.pre_declarations if name in meta.pre_declarations else meta.post_declarations)[name]
            if isinstance(entry.declaration, (fb_declarations.SubFactory, fb_declarations.RelatedFactory)):
                stack.append(entry.declaration.get_factory())
    return seen


@dataclass
class RunPool:
    """Parents of one model for this run: the objects it seeded, or the keys of stored rows."""

    name: str
    objects: list[Any] | None = None
    keys: Sequence[Any] | None = None
    loader: Callable[[Sequence[Any]], Mapping[Any, Any]] | None = None
    planned: int | None = None  # rows the run will seed into it (drawn from before they exist)
    index: dict[Any, int] = field(default_factory=dict)  # key -> position, built on demand

    @property
    def size(self) -> int:
        """How many parents the pool holds (or will hold)."""
        if self.planned is not None:
            return self.planned
        return len(self.objects) if self.objects is not None else len(self.keys or ())

    def position_of(self, key: Any) -> int | None:
        """The position of a stored key (``None``: not in the pool)."""
        if not self.index:
            if self.objects is not None:
                self.index = {_pk(o): i for i, o in enumerate(self.objects)}
            else:
                self.index = {k: i for i, k in enumerate(self.keys or ())}
        return self.index.get(key)

    def fetch(self, positions: Sequence[int]) -> list[Any]:
        """The parent objects at ``positions`` (stored rows are loaded in one go)."""
        if self.objects is not None:
            return [self.objects[p] for p in positions]
        assert self.keys is not None and self.loader is not None
        wanted = sorted({self.keys[p] for p in positions})
        found = self.loader(wanted)
        if len(found) != len(wanted):
            gone = [k for k in wanted if k not in found][:5]
            raise ForgeError(f"seeding: {self.name} rows {gone} disappeared while seeding")
        return [found[self.keys[p]] for p in positions]


def _pk(obj: Any) -> Any:
    pk = getattr(obj, "pk", None)
    if pk is not None:
        return pk
    from sqlalchemy import inspect

    identity = inspect(obj).identity
    return identity[0] if identity is not None and len(identity) == 1 else identity


@dataclass
class Link:
    """A SubFactory path whose parents come from a pool instead of being created."""

    path: str
    pool: RunPool


def links_for(factory_cls: Any, pools: Mapping[Any, RunPool], prefix: str = "", depth: int = 0) -> list[Link]:
    """Every SubFactory (nested ones too) of ``factory_cls`` whose model has a pool."""
    out: list[Link] = []
    if depth > _MAX_DEPTH:
        return out
    for name, target in subfactories(factory_cls).items():
        pool = pools.get(model_of(target))
        if pool is not None:
            out.append(Link(prefix + name, pool))
        else:
            out.extend(links_for(target, pools, f"{prefix}{name}__", depth + 1))
    return out


def draw_parents(factory_cls: Any, count: int, links: Sequence[Link], unique_sets: Sequence[Any],
                 stored: Callable[[Any], set[tuple[Any, ...]]]) -> dict[str, list[int]]:
    """Pool positions of each link's parent for ``count`` rows; unique sets get distinct tuples.

    ``stored(unique_set)`` gives the key tuples the table already holds for that set (they
    are avoided). Raises :class:`ForgeConfigError` before anything is written when a set
    cannot fit ``count`` rows.
    """
    by_path = {link.path: link for link in links}
    drawn: dict[str, list[int]] = {}
    for uset in unique_sets:
        if not all(f in by_path for f in uset.fields) or any(f in drawn for f in uset.fields):
            continue
        group = [by_path[f] for f in uset.fields]
        sizes = [link.pool.size for link in group]
        space = math.prod(sizes)
        taken = _stored_indexes(group, sizes, stored(uset))
        room = space - len(taken)
        if count > room:
            pools = " x ".join(f"{s:,} {link.pool.name}" for s, link in zip(sizes, group, strict=True))
            held = f" ({len(taken):,} already stored)" if taken else ""
            raise ForgeConfigError(
                f"seeding: {factory_cls.__name__} asks {count:,} rows, but {uset.name} allows at most "
                f"{room:,} distinct ({', '.join(uset.fields)}) from {pools}{held}"
            )
        rng = value_rng("seed-parents", factory_cls.__qualname__, "+".join(uset.fields))
        picks = [i for i in rng.sample(range(space), min(space, count + len(taken))) if i not in taken][:count]
        for slot, link in enumerate(group):
            stride = math.prod(sizes[slot + 1:])
            drawn[link.path] = [(i // stride) % sizes[slot] for i in picks]
    for link in links:
        if link.path not in drawn:
            rng = value_rng("seed-parents", factory_cls.__qualname__, link.path)
            drawn[link.path] = [rng.randrange(link.pool.size) for _ in range(count)] if link.pool.size else []
    return drawn


def _stored_indexes(group: Sequence[Link], sizes: Sequence[int], tuples: set[tuple[Any, ...]]) -> set[int]:
    out: set[int] = set()
    for keys in tuples:
        index = 0
        for link, size, key in zip(group, sizes, keys, strict=True):
            pos = link.pool.position_of(key)
            if pos is None:
                break
            index = index * size + pos
        else:
            out.add(index)
    return out


def assigned(objects: Sequence[Any]) -> fb_declarations.LazyFunction:
    """A declaration handing out ``objects`` in order, one per row built."""
    it: Iterator[Any] = iter(objects)
    return fb_declarations.LazyFunction(lambda: next(it))


class DistinctValue(fb_declarations.BaseDeclaration):
    """Wraps a field's declaration so a seeding run never writes a value twice (unique column).

    ``seen`` holds the values the table already stores and those written so far; a value
    seen before is drawn again (a Faker or fuzzy declaration gives a new one), up to
    :attr:`TRIES` times, then the run fails naming the factory, field and value, before
    that batch is written.
    """

    TRIES = 100

    def __init__(self, inner: Any, seen: set[Any], where: str) -> None:
        super().__init__()
        self.inner = inner
        self.seen = seen
        self.where = where

    def evaluate_pre(self, instance: Any, step: Any, overrides: dict[str, Any]) -> Any:
        """The wrapped declaration's value, drawn again while it repeats a seen one."""
        for _ in range(self.TRIES):
            value = self.inner.evaluate_pre(instance, step, overrides)
            if value not in self.seen:
                self.seen.add(value)
                return value
        raise ForgeError(
            f"seeding: {self.where} gave {value!r} again after {self.TRIES} tries; the column is unique "
            "and already holds it: use a Sequence, a wider Faker provider, or reset=True"
        )


def distinct_overrides(factory_cls: Any, columns: Mapping[str, str], stored: Callable[[str], set[Any]]
                       ) -> dict[str, DistinctValue]:
    """A :class:`DistinctValue` for each unique column the factory declares with a plain value declaration."""
    out: dict[str, DistinctValue] = {}
    declarations = factory_cls._meta.pre_declarations
    for name in columns:
        if name not in declarations:
            continue
        entry = declarations[name]
        decl = entry.declaration
        if entry.context or isinstance(decl, (fb_declarations.SubFactory, fb_declarations.Maybe, SemanticAttribute)):
            continue  # semantic text is checked for duplicates by the batch engine itself
        if not isinstance(decl, fb_declarations.BaseDeclaration):
            continue  # a constant: every row gets it, nothing to draw again
        out[name] = DistinctValue(decl, stored(name), f"{factory_cls.__name__}.{name}")
    return out
