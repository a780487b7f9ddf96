"""Seed a database with generated rows: binary ``COPY`` into PostgreSQL, multi-row inserts elsewhere.

Rows come from :func:`forge_factories.datasets.stream.iter_rows` in chunks (column-wise when the
factory qualifies), so memory stays bounded. The target table is the model's own table
for SQLAlchemy models, else ``Meta.forge_table`` / the model name in snake case; with
``create_tables=True`` a missing table is created (from the model's metadata, or from the
types of the first chunk).

A plain ``postgresql://`` (psycopg 3) URL whose tables exist is served by psycopg alone:
no SQLAlchemy engine, dialect or reflection, the columns and their types come from one
``pg_attribute`` query. Anything else (ORM factories, tables to create, other drivers and
databases) goes through a SQLAlchemy engine, created on first use.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from forge_factories.datasets.pg_copy import copy_into, copy_plan, copy_rows, pg_columns, pg_regclass
from forge_factories.datasets.seed_db import SeedError, _Database, engine_url, psycopg_params

__all__ = ["SeedError", "SeedResult", "engine_url", "psycopg_params", "seed_url"]


@dataclass
class SeedResult:
    """What :func:`seed_url` wrote for one factory."""

    factory: str
    table: str
    rows: int
    method: str


def snake(name: str) -> str:
    """``UserProfile`` -> ``user_profile``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def default_table_name(factory_cls: Any) -> str:
    """The table of a factory without a SQLAlchemy model: its model's name (the factory's name
    without ``Factory`` for dict factories) in snake case."""
    model = factory_cls._meta.get_model_class()
    base = factory_cls.__name__.removesuffix("Factory") if model is dict else getattr(model, "__name__", "rows")
    return snake(base)


def table_for(factory_cls: Any, engine: sa.Engine, sample: Sequence[dict[str, Any]], *,
              create: bool, name: str | None = None) -> sa.Table:
    """The table rows of ``factory_cls`` go to: ``name`` if given, else the SQLAlchemy model's
    table, else the model name in snake case (reflected, or created from ``sample``)."""
    model = factory_cls._meta.get_model_class()
    table = getattr(model, "__table__", None)
    if isinstance(table, sa.Table) and name is None:
        if create:
            table.create(engine, checkfirst=True)
        return table
    if name is None:
        name = default_table_name(factory_cls)
    inspector = sa.inspect(engine)
    if inspector.has_table(name):
        return sa.Table(name, sa.MetaData(), autoload_with=engine)
    if not create:
        raise SeedError(f"table {name!r} does not exist (use --create-tables to create it)")
    from forge_factories.datasets import sql as _sql

    table = _sql.infer_table(name, sample, {}, engine.dialect.name)
    table.create(engine)
    return table


def insert_rows(engine: sa.Engine, table: sa.Table, chunks: Iterable[list[dict[str, Any]]],
                on_chunk: Any = None, reset: bool = False) -> int:
    """Write rows with multi-row INSERTs (SQLAlchemy Core executemany) in one transaction
    (``reset``: emptied first, in the same transaction)."""
    total = 0
    known = {c.name for c in table.columns}
    with engine.begin() as conn:
        if reset:
            conn.execute(table.delete())
        for chunk in chunks:
            rows = [{k: v for k, v in row.items() if k in known} for row in chunk]
            conn.execute(table.insert(), rows)
            total += len(rows)
            if on_chunk is not None:
                on_chunk(len(rows))
    return total


def _is_orm_factory(factory_cls: Any) -> bool:
    """A SQLAlchemy model factory: seeded through the ORM adapter (FKs, parents first)."""
    adapter = sys.modules.get("forge_factories.orm.alchemy_factory")
    if adapter is None:  # never imported, so no factory can subclass it
        return False
    return isinstance(factory_cls, type) and issubclass(factory_cls, adapter.AISQLAlchemyModelFactory)


def _direct_table(db: _Database, factory_cls: Any, name: str | None) -> tuple[str, dict[str, int]] | None:
    """The table name and columns for the psycopg-only path, or ``None`` when the engine is
    needed (a SQLAlchemy model's own table, a table to create)."""
    if db.params is None:
        return None
    if name is None:
        if isinstance(getattr(factory_cls._meta.get_model_class(), "__table__", None), sa.Table):
            return None
        name = default_table_name(factory_cls)
    columns = pg_columns(db.conn, name)
    return None if columns is None else (name, columns)


def _continue_after_stored(db: _Database, factory_cls: Any, table_name: str | None,
                           direct: tuple[str, dict[str, int]] | None) -> None:
    """Continue the factory's sequence after the rows its table already holds."""
    from forge_factories.orm.seed_rerun import continue_sequence, engine_stored, pg_stored

    if direct is not None:
        rows, top = pg_stored(db.conn, pg_regclass(direct[0], None))
    else:
        model = factory_cls._meta.get_model_class()
        table = getattr(model, "__table__", None)
        name = table_name or (table.name if isinstance(table, sa.Table) else default_table_name(factory_cls))
        reflected = table if isinstance(table, sa.Table) and table_name is None else None
        if reflected is None:
            if not sa.inspect(db.engine).has_table(name):
                return
            reflected = sa.Table(name, sa.MetaData(), autoload_with=db.engine)
        rows, top = engine_stored(db.engine, reflected)
    continue_sequence(factory_cls, rows, top)


def _seed_orm(engine: Any, plan: dict[Any, int], *, context: str | None, provider: Any, create_tables: bool,
              progress: bool | None, reset: bool = False, existing_parents: bool = True) -> list[SeedResult]:
    """Seed SQLAlchemy model factories with :func:`~forge_factories.orm.seed_schema.seed_session`:
    ordered by their foreign keys, parents created through SubFactory, one transaction."""
    from sqlalchemy.orm import Session

    from forge_factories.common.config import use_provider
    from forge_factories.orm.seed_schema import seed_session

    if create_tables:
        for factory_cls in plan:
            factory_cls._meta.model.metadata.create_all(engine)
    with Session(engine) as session, use_provider(provider):
        created = seed_session(session, plan, context=context, progress=progress, reset=reset,
                               existing_parents=existing_parents)
    return [SeedResult(f.__name__, f._meta.model.__tablename__, len(objs), "orm") for f, objs in created.items()]


def _check_columns(factory_cls: Any, table: str, rows: Sequence[Mapping[str, Any]], columns: Iterable[str],
                   *, drop: bool) -> None:
    """Refuse generated fields ``table`` has no column for (unless ``drop``: they are left out)."""
    _check_fields(factory_cls, table, {key for row in rows for key in row}, columns, drop=drop)


def _check_fields(factory_cls: Any, table: str, fields: Iterable[str], columns: Iterable[str], *, drop: bool) -> None:
    """:func:`_check_columns` for the field names themselves."""
    known = set(columns)
    missing = sorted({key for key in fields if key not in known})
    if missing and not drop:
        raise SeedError(f"table {table!r} has no column for {', '.join(map(repr, missing))} that "
                        f"{factory_cls.__name__} generates: add the columns, exclude the fields "
                        "(Meta.exclude) or drop them (--drop-missing-columns)")


def _copy_columns(db: _Database, factory_cls: Any, count: int, direct: tuple[str, dict[str, int]], *,
                  chunk_size: int, progress: bool | None, reset: bool, drop: bool,
                  workers: int | None) -> SeedResult | None:
    """The column-wise plan straight into binary COPY (:func:`copy_plan`); ``None`` when the
    plan has semantic fields or the encoder is not usable (the caller takes the row path)."""
    from forge_factories.common.progress import Progress
    from forge_factories.datasets.columnar import plan_for

    plan = plan_for(factory_cls)
    if plan.semantic:
        return None
    name, columns = direct
    _check_fields(factory_cls, name, [f for f in plan.order if f not in plan.exclude], columns, drop=drop)
    bar = Progress(count, factory_cls.__name__, enabled=progress)
    n = copy_plan(db.conn, name, None, factory_cls, plan, count, types=columns, chunk_size=chunk_size,
                  on_chunk=bar.update, reset=reset, workers=workers)
    bar.close()
    return None if n is None else SeedResult(factory_cls.__name__, name, n, "copy")


def seed_url(
    url: str,
    targets: Sequence[tuple[Any, int] | tuple[Any, int, str | None]],
    *,
    seed: int | None = None,
    context: str | None = None,
    provider: Any = None,
    create_tables: bool = False,
    chunk_size: int = 10_000,
    progress: bool | None = False,
    reset: bool = False,
    existing_parents: bool = True,
    drop_missing_columns: bool = False,
    executor: str = "objects",
    workers: int | None = None,
) -> list[SeedResult]:
    """Generate ``n`` rows for each ``(factory_or_model, n[, table])`` and write them into ``url``.

    SQLAlchemy model factories go through the ORM adapter (:func:`seed_session`: foreign
    keys resolved, parents first, one transaction, bulk flushes); other factories, plain
    models and targets given an explicit ``table`` through the column-wise path: binary COPY
    on PostgreSQL, multi-row INSERTs elsewhere. A table that already holds rows is seeded
    again: the factory's sequence continues after the stored rows (their count, or the
    largest integer primary key); ``reset`` empties each table first, in the transaction that
    writes it. ``existing_parents`` (ORM factories): parents outside the plan are drawn from
    the rows their tables hold. A generated field the existing table has no column for is a
    :class:`SeedError` listing them, before anything is written; ``drop_missing_columns=True``
    leaves such fields out instead. ``executor``: ``"objects"`` (default, factory_boy's values)
    or ``"columns"`` (the column-wise plan) for the factories that do not go through the ORM adapter.
    On PostgreSQL tables that exist, a column-wise plan without semantic fields is written
    from its columns, and made in ``workers`` forked processes as well when its chunks depend
    on nothing else (default: one per spare CPU; ``0``: this process only; the rows are the
    same either way), see :func:`copy_plan`.
    """
    from forge_factories.common.progress import Progress
    from forge_factories.datasets.stream import iter_chunks, resolve_factory

    db = _Database(url)
    results: list[SeedResult] = []
    if seed is not None:
        from forge_factories.common.seeding import seed as reseed

        reseed(seed)
    try:
        orm_plan: dict[Any, int] = {}
        for entry in targets:
            target, count = entry[0], entry[1]
            table_name = entry[2] if len(entry) > 2 else None
            factory_cls = resolve_factory(target)
            if _is_orm_factory(factory_cls) and not table_name:
                orm_plan[factory_cls] = orm_plan.get(factory_cls, 0) + count
                continue
            direct = _direct_table(db, factory_cls, table_name)
            if not reset:
                _continue_after_stored(db, factory_cls, table_name, direct)
            if direct is not None and executor == "columns" and count:
                done = _copy_columns(db, factory_cls, count, direct, chunk_size=chunk_size, progress=progress,
                                     reset=reset, drop=drop_missing_columns, workers=workers)
                if done is not None:
                    results.append(done)
                    continue
            chunks: Iterator[Any] = iter_chunks(factory_cls, count, context=context, provider=provider,
                                                chunk_size=chunk_size, as_dicts=True, ordered=False,
                                                executor=executor)
            first = next(chunks, None)
            if first is None:
                continue
            bar = Progress(count, factory_cls.__name__, enabled=progress)

            def all_chunks(first: list[dict[str, Any]] = first, rest: Iterator[Any] = chunks) -> Iterator[Any]:
                yield first
                yield from rest

            if direct is not None:
                name, columns = direct
                _check_columns(factory_cls, name, first, columns, drop=drop_missing_columns)
                n = copy_into(db.conn, name, None, all_chunks(), bar.update, types=columns, reset=reset)
                method = "copy"
            else:
                engine = db.engine
                table = table_for(factory_cls, engine, first, create=create_tables, name=table_name)
                name = table.name
                _check_columns(factory_cls, name, first, [c.name for c in table.columns], drop=drop_missing_columns)
                if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
                    n = copy_rows(engine, table, all_chunks(), bar.update, reset=reset)
                    method = "copy"
                else:
                    n = insert_rows(engine, table, all_chunks(), bar.update, reset=reset)
                    method = "insert"
            bar.close()
            results.append(SeedResult(factory_cls.__name__, name, n, method))
        if orm_plan:
            results.extend(_seed_orm(db.engine, orm_plan, context=context, provider=provider,
                                     create_tables=create_tables, progress=progress, reset=reset,
                                     existing_parents=existing_parents))
    except sa.exc.SQLAlchemyError as exc:
        raise SeedError(f"database error: {str(exc).splitlines()[0]}") from None
    except Exception as exc:
        if type(exc).__module__.startswith(("psycopg", "pymysql")):
            raise SeedError(f"database error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        raise
    finally:
        db.close()
    return results
