"""The column-wise executor of the ORM factories' calls (``Meta.forge_executor = "columns"``).

The factory's column plan (:func:`~forge_factories.datasets.columnar.plan_for`, the plan
``create_stream(..., executor="columns")`` runs) produces the rows, chunk by chunk. Each
``SubFactory`` parent is produced the same way first, one parent per row, from its own
factory's plan (nested parents too) and, on ``create``, saved in bulk before its children
through that factory's own bulk persistence (:mod:`forge_factories.orm.persist`). The
objects come back with their primary keys, recorded in the FK registry, with provenance
executor ``"columns"``; the caller (the ORM factory class) wraps the call in its
transaction. Values follow Faker's distributions, not factory_boy's values for the seed.
Whatever the plan cannot run is refused up front with :class:`NotColumnar`, naming the
factory and the declaration; nothing falls back to the object executor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factory import declarations as fb_declarations
from factory import enums
from factory.base import Factory as _StockFactory

from forge_factories._compat.factory_boy import declaration_arguments
from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.seeding import current_seed, value_rng
from forge_factories.core import registry as _registry
from forge_factories.core.recording import record_batch
from forge_factories.datasets import columnar as _columnar
from forge_factories.datasets.columnar import COLUMNS
from forge_factories.datasets.columns import NotColumnar

#: Rows generated (and inserted) per round: bounds memory and the size of one semantic request.
CHUNK = 10_000
HINT = "Meta.forge_executor = 'objects' runs it"
_STOCK_ADJUST: Any = _StockFactory._adjust_kwargs.__func__  # type: ignore[attr-defined]


@dataclass
class _Node:
    """One factory of the call's tree: its plan, the call's overrides and the parents it needs."""

    factory: Any
    plan: _columnar.ColumnPlan
    overrides: tuple[str, ...]
    parents: dict[str, _Node] = field(default_factory=dict)


def _refuse(label: str, reason: str) -> NotColumnar:
    return NotColumnar(f"{label} cannot run on the column-wise executor: {reason} ({HINT})")


def _split(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``{field: value}`` of the factory itself and ``{root: {rest: value}}`` for ``root__rest`` keys."""
    own: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in params.items():
        root, sep, rest = key.partition("__")
        if sep:
            nested.setdefault(root, {})[rest] = value
        else:
            own[key] = value
    return own, nested


def _constant(value: Any) -> _columnar.ColumnFn:
    return lambda n, rng, seqs: [value] * n


def _called(function: Any) -> _columnar.ColumnFn:
    return lambda n, rng, seqs: [function() for _ in range(n)]


def _node(factory_cls: Any, params: dict[str, Any], label: str, depth: int = 0) -> _Node:
    """Compile the plan of ``factory_cls`` and of every parent it creates (refusals name ``label``)."""
    if depth > 5:
        raise _refuse(label, "SubFactory chains deeper than 5 levels")
    meta = factory_cls._meta
    own, nested = _split(params)
    subs = {name: meta.pre_declarations[name] for name in meta.pre_declarations
            if isinstance(meta.pre_declarations[name].declaration, fb_declarations.SubFactory)}
    for root in nested:
        if root not in subs:
            raise _refuse(label, f"{root}__...: nested overrides of a field that is not a SubFactory")
        if root in own:
            raise _refuse(label, f"{root}__...: nested overrides of a parent given as {root}=")
    try:
        plan = _columnar.plan_for(factory_cls, parents=list(subs), hint=HINT)
    except NotColumnar as exc:
        if depth == 0:
            raise
        raise NotColumnar(f"{label}: {exc}") from None
    node = _Node(factory_cls, plan, tuple(params))
    for name, value in own.items():
        if isinstance(value, fb_declarations.LazyFunction):
            column = _called(value.function)  # e.g. the parents a seeding run hands out, one per row
        elif isinstance(value, fb_declarations.BaseDeclaration):
            raise _refuse(label, f"{name}: an override that is a declaration ({type(value).__name__}) "
                                 "needs the object executor")
        else:
            column = _constant(value)
        for table in (plan.lazies, plan.row_lazies, plan.semantic):
            table.pop(name, None)
        plan.columns[name] = column
        if name not in plan.order:
            plan.order.append(name)
    for name, entry in subs.items():
        if name in own:
            continue  # the caller gives the parent object itself
        decl = entry.declaration
        if type(decl) is not fb_declarations.SubFactory:
            raise _refuse(label, f"{name}: {type(decl).__name__} picks its parents per object")
        given = declaration_arguments(decl)
        if given is None:
            raise _refuse(label, f"{name}: the SubFactory's arguments cannot be read (docs/compat.md)")
        sub_params = {**given, **entry.context, **nested.get(name, {})}
        target = decl.get_factory()
        node.parents[name] = _node(target, sub_params, f"{label}.{name} ({target.__name__})", depth + 1)
    return node


def _check_persistence(node: _Node, label: str) -> None:
    """On ``create`` every factory of the tree must save in bulk (this executor never saves row by row)."""
    why = getattr(node.factory, "_forge_bulk_reason", None)
    reason = why() if why is not None else "not a Django or SQLAlchemy factory"
    if reason is not None:
        raise _refuse(label, f"it cannot save in bulk: {reason}")
    for name, parent in node.parents.items():
        _check_persistence(parent, f"{label}.{name} ({parent.factory.__name__})")


def _builder(factory_cls: Any) -> Any:
    """Row dict -> unsaved model object, as factory_boy builds it (``_adjust_kwargs`` when overridden)."""
    model = factory_cls._meta.get_model_class()
    build = factory_cls._forge_build_unsaved
    adjust = factory_cls._adjust_kwargs
    if getattr(adjust, "__func__", None) is _STOCK_ADJUST:
        return lambda row: build(model, (), row)
    return lambda row: build(model, (), adjust(**row))


def _produce(node: _Node, n: int, chunk: int, base: int, create: bool, context: str | None) -> list[Any]:
    """``n`` objects of ``node``'s factory, parents made (and on ``create`` saved) first."""
    for name, parent in node.parents.items():
        objs = _produce(parent, n, chunk, base, create, context)
        node.plan.columns[name] = _column_of(objs)
    ctx = context if context is not None else getattr(node.factory._meta, "forge_context", None)
    rows = _columnar.generate_chunk(node.plan, n, chunk=chunk, base_seed=base, provider=None, context=ctx,
                                    seed=current_seed(), ordered=False)
    build = _builder(node.factory)
    objects = [build(row) for row in rows]
    if create:
        node.factory._forge_persist_bulk(objects)
    _record(node, objects, enums.CREATE_STRATEGY if create else enums.BUILD_STRATEGY)
    return objects


def _column_of(objs: list[Any]) -> _columnar.ColumnFn:
    return lambda n, rng, seqs: objs


def _record(node: _Node, objects: list[Any], strategy: str) -> None:
    """What this executor made, through the one recording point: FK registry and provenance."""
    record_batch(node.factory, objects, node.overrides, executor=COLUMNS, strategy=strategy)


def run(factory_cls: Any, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
    """``size`` objects of ``factory_cls`` made column-wise (``strategy``: build or create).

    Every call draws new values (a per-call stream of the seed), so a second call or a run
    over a non-empty table does not repeat the first one's values.
    """
    label = getattr(factory_cls, "__name__", repr(factory_cls))
    if strategy == enums.STUB_STRATEGY:
        raise _refuse(label, "stub objects are built by the object executor")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ForgeConfigError(f"{label}: size must be a non-negative int, got {size!r}")
    root = _node(factory_cls, dict(params), label)
    create = strategy == enums.CREATE_STRATEGY
    if create:
        _check_persistence(root, label)
    base = value_rng("orm-columns", root.plan.path).getrandbits(64)
    out: list[Any] = []
    with _registry.factory_call():
        for chunk, start in enumerate(range(0, size, CHUNK)):
            out.extend(_produce(root, min(CHUNK, size - start), chunk, base, create, context))
    return out

