"""Seed a whole schema: ``seed_session`` (SQLAlchemy) and ``seed_database`` (Django).

``seed_session(session, {UserFactory: 100, OrderFactory: 1000}, context="...")`` creates the
objects factory by factory, parents before children (ordered by required foreign keys and
SubFactory declarations), in one transaction: everything or nothing. Children take their
parents from the objects seeded by the run; a parent model outside the plan whose table
already holds rows lends those rows (``existing_parents=True``, the default), so a plan of
only the child factory fills it over the rows already there. Parents under a unique
constraint are distinct. On a database that already holds rows, sequences continue after
the stored ones, so seeding again works; ``reset=True`` empties the plan's tables first.
See docs/orm.md, "Seeding a schema".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import factory.random

from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.progress import Progress
from forge_factories.common.seeding import current_seed
from forge_factories.core import registry as _registry
from forge_factories.orm.seed_plan import (
    SEEDING,
    Link,
    RunPool,
    assigned,
    continue_sequence,
    distinct_overrides,
    draw_parents,
    links_for,
    model_of,
    order_plan,
    reachable,
    subfactories,
)
from forge_factories.orm.seed_tables import TableStats, check_tables, reset_tables

Plan = Mapping[Any, int]

__all__ = ["Progress", "order_plan", "seed_database", "seed_session"]

#: Plans of fewer rows draw no progress bar unless asked (``progress=True``).
PROGRESS_THRESHOLD = 2000


@contextmanager
def _meta_overrides(factories: list[Any], values: dict[str, Any]) -> Iterator[None]:
    saved = [(fac._meta, {k: getattr(fac._meta, k) for k in values}) for fac in factories]
    try:
        for meta, _ in saved:
            for key, value in values.items():
                setattr(meta, key, value)
        yield
    finally:
        for meta, old in saved:
            for key, value in old.items():
                setattr(meta, key, value)


# -- the run ----------------------------------------------------------------------------------------


def _check_plan(plan: Plan, chunk_size: int) -> None:
    if not plan:
        raise ForgeConfigError("seeding: the plan is empty; pass {Factory: count, ...}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ForgeConfigError(f"seeding: chunk_size must be a positive int, got {chunk_size!r}")
    for fac, size in plan.items():
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ForgeConfigError(f"seeding: {getattr(fac, '__name__', fac)} count must be a non-negative int, "
                                   f"got {size!r}")


def _continue_sequences(stats: Mapping[Any, TableStats]) -> None:
    """Start each factory's sequence after the rows its table already holds (never lower it)."""
    for fac, st in stats.items():
        continue_sequence(fac, st.rows, st.max_key)


def _stats(tables: Any, factories: list[Any]) -> dict[Any, TableStats]:
    """Stored rows of each factory's table that exists (no failing query: it would abort the transaction)."""
    out: dict[Any, TableStats] = {}
    for fac in factories:
        model = model_of(fac)
        try:
            if tables.missing_tables([model]):
                continue
        except Exception:  # noqa: BLE001 - not a model of this database (e.g. a plain factory)
            continue
        out[fac] = tables.stats(model)
    return out


def _existing_pools(order: list[Any], tables: Any, rows_for: Callable[[Any], Any],
                    stats: Mapping[Any, TableStats]) -> dict[Any, RunPool]:
    """Pools of stored rows for SubFactory targets outside the plan (nested ones too)."""
    plan_models = {model_of(f) for f in order}
    pools: dict[Any, RunPool] = {}
    seen: set[Any] = set()
    stack = [(f, 0) for f in order]
    while stack:
        fac, depth = stack.pop()
        for target in subfactories(fac).values():
            model = model_of(target)
            if model in plan_models or model in seen or depth > 3:
                continue
            seen.add(model)
            known = stats.get(target)
            if known is not None and known.rows:
                source = rows_for(model)
                pools[model] = RunPool(model.__name__, keys=list(source.scan()), loader=source.load)
            else:
                stack.append((target, depth + 1))
    return pools


def _seed(plan: Plan, tables: Any, rows_for: Callable[[Any], Any], *, context: str | None, chunk_size: int,
          bar: Progress, reset: bool, existing_parents: bool) -> dict[Any, list[Any]]:
    order = order_plan(plan)
    check_tables(tables, order)
    if reset:
        reset_tables(tables, [model_of(f) for f in reversed(order)])
    stats = _stats(tables, reachable(order))
    _continue_sequences(stats)
    if any(st.rows for st in stats.values()):
        # Seeding again: new Faker values rather than the stored ones (unique columns).
        factory.random.reseed_random(f"{current_seed()}|" + ",".join(str(st.rows) for st in stats.values()))
    pools = _existing_pools(order, tables, rows_for, stats) if existing_parents else {}
    # Every row's parents are drawn before the first INSERT: a unique set that cannot fit fails here.
    drawn: dict[Any, tuple[list[Link], dict[str, list[int]]]] = {}
    for fac in order:
        links = links_for(fac, pools)
        model = model_of(fac)
        usets = tables.unique_sets(model)

        def stored(uset: Any, model: Any = model, fac: Any = fac) -> set[tuple[Any, ...]]:
            return tables.stored_tuples(model, uset.fields) if stats[fac].rows else set()

        drawn[fac] = (links, draw_parents(fac, plan[fac], links, usets, stored))
        if plan[fac]:
            pools[model] = RunPool(model.__name__, objects=[], planned=plan[fac])
    created: dict[Any, list[Any]] = {}
    for fac in order:
        size = plan[fac]
        links, positions = drawn[fac]
        model = model_of(fac)

        def stored_values(name: str, model: Any = model, fac: Any = fac) -> set[Any]:
            return tables.stored_values(model, name) if fac in stats and stats[fac].rows else set()

        distinct = distinct_overrides(fac, tables.unique_values(model), stored_values)
        objs: list[Any] = []
        for start in range(0, size, chunk_size):
            count = min(chunk_size, size - start)
            kwargs: dict[str, Any] = {
                link.path: assigned(link.pool.fetch(positions[link.path][start:start + count])) for link in links
            }
            kwargs.update(distinct)
            if context is not None and hasattr(fac, "_forge_pop_context"):
                kwargs["forge_context"] = context
            objs.extend(fac.create_batch(count, **kwargs))
            bar.advance(fac.__name__, count)
        created[fac] = objs
        pool = pools.get(model_of(fac))
        if size and pool is not None and pool.objects is not None:
            pool.objects.extend(objs)
    return created


# -- entry points --------------------------------------------------------------------------------------


def seed_session(session: Any, plan: Plan, *, context: str | None = None, commit: bool = True,
                 chunk_size: int = 5000, progress: bool | None = None, reset: bool = False,
                 existing_parents: bool = True) -> dict[Any, list[Any]]:
    """Create ``plan`` (``{SQLAlchemyFactory: count}``) in ``session``, all or nothing.

    Every factory involved (plan, SubFactory and RelatedFactory targets) uses ``session``
    with ``flush`` persistence for the duration. The rows go in inside a SAVEPOINT: on any
    error it is rolled back (the FK registry too) and the error re-raised; on success the
    session is committed (``commit=False``: left flushed for the caller). ``chunk_size``
    rows per ``create_batch`` bound memory and request size; ``progress`` forces the stderr
    bar on or off (default: on a terminal for 2,000+ rows). ``existing_parents``: parents of
    models outside the plan are drawn from the rows their tables hold (when they hold any);
    ``reset``: empty the plan's tables first, children first. Returns the created objects
    per factory, in plan order.
    """
    from forge_factories.orm.persist.alchemy_bulk import ensure_sqlite_transaction
    from forge_factories.orm.persist.rows_alchemy import AlchemyRows
    from forge_factories.orm.seed_tables import AlchemyTables

    _check_plan(plan, chunk_size)
    factories = reachable(list(plan))
    bar = Progress(sum(plan.values()), "seeding", enabled=progress, threshold=PROGRESS_THRESHOLD)
    with _meta_overrides(factories, {"sqlalchemy_session": session, "sqlalchemy_session_factory": None,
                                     "sqlalchemy_session_persistence": "flush"}):
        ensure_sqlite_transaction(session)
        savepoint = session.begin_nested()
        try:
            token = SEEDING.set(True)
            with _registry.transaction():
                created = _seed(plan, AlchemyTables(session), lambda model: AlchemyRows(session, model),
                                context=context, chunk_size=chunk_size, bar=bar, reset=reset,
                                existing_parents=existing_parents)
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        finally:
            SEEDING.reset(token)
            bar.close()
        savepoint.commit()
    if commit:
        session.commit()
    return {fac: created[fac] for fac in plan}


def seed_database(plan: Plan, *, using: str = "default", context: str | None = None, chunk_size: int = 5000,
                  progress: bool | None = None, reset: bool = False,
                  existing_parents: bool = True) -> dict[Any, list[Any]]:
    """Create ``plan`` (``{DjangoFactory: count}``) in database ``using`` inside one ``atomic`` block.

    Every factory involved saves to ``using`` for the duration; any error rolls everything
    back (the FK registry too). See :func:`seed_session` for the other arguments.
    """
    from django.db import transaction

    from forge_factories.orm.persist.rows_django import DjangoRows
    from forge_factories.orm.seed_tables import DjangoTables

    _check_plan(plan, chunk_size)
    factories = reachable(list(plan))
    bar = Progress(sum(plan.values()), "seeding", enabled=progress, threshold=PROGRESS_THRESHOLD)
    with ExitStack() as stack:
        stack.enter_context(_meta_overrides(factories, {"database": using}))
        stack.callback(bar.close)
        stack.enter_context(_registry.transaction())
        stack.enter_context(transaction.atomic(using=using))
        created = _seed(plan, DjangoTables(using), lambda model: DjangoRows(model, using), context=context,
                        chunk_size=chunk_size, bar=bar, reset=reset, existing_parents=existing_parents)
    return {fac: created[fac] for fac in plan}
