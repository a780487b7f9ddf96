"""Seed a database with generated rows: binary ``COPY`` into PostgreSQL, multi-row inserts elsewhere.

Rows come from :func:`forge_factories.stream.iter_rows` in chunks (column-wise when the
factory qualifies), so memory stays bounded. The target table is the model's own table
for SQLAlchemy models, else ``Meta.forge_table`` / the model name in snake case; with
``create_tables=True`` a missing table is created (from the model's metadata, or from the
types of the first chunk).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .errors import ForgeError


class SeedError(ForgeError):
    """The database could not be seeded (connection, missing table, rejected rows)."""


@dataclass
class SeedResult:
    """What :func:`seed_database` wrote for one factory."""

    factory: str
    table: str
    rows: int
    method: str


def engine_url(url: str) -> str:
    """``url`` with psycopg 3 / PyMySQL drivers when none is named."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("mysql://"):
        return "mysql+pymysql://" + url[len("mysql://"):]
    if url.startswith("mariadb://"):
        return "mariadb+pymysql://" + url[len("mariadb://"):]
    return url


def snake(name: str) -> str:
    """``UserProfile`` -> ``user_profile``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


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
        base = factory_cls.__name__.removesuffix("Factory") if model is dict else getattr(model, "__name__", "rows")
        name = snake(base)
    inspector = sa.inspect(engine)
    if inspector.has_table(name):
        return sa.Table(name, sa.MetaData(), autoload_with=engine)
    if not create:
        raise SeedError(f"table {name!r} does not exist (use --create-tables to create it)")
    from . import _sql

    table = _sql.infer_table(name, sample, {}, engine.dialect.name)
    table.create(engine)
    return table


def _pg_types(cursor: Any, table: sa.Table, columns: Sequence[str]) -> list[int]:
    qualified = f"{table.schema}.{table.name}" if table.schema else table.name
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped", ('"' + qualified.replace('"', '""') + '"',),
    )
    oids = dict(cursor.fetchall())
    return [oids[c] for c in columns]


def copy_rows(engine: sa.Engine, table: sa.Table, chunks: Iterable[list[dict[str, Any]]],
              on_chunk: Any = None) -> int:
    """Write rows with PostgreSQL's binary ``COPY`` (psycopg 3); returns the row count."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    raw = engine.raw_connection()
    total = 0
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cur:
            columns: list[str] | None = None
            copy_cm = None
            copy = None
            for chunk in chunks:
                if columns is None:
                    known = {c.name for c in table.columns}
                    columns = [c for c in chunk[0] if c in known]
                    oids = _pg_types(cur, table, columns)
                    jsonish = [i for i, oid in enumerate(oids) if oid in (114, 3802)]
                    target = sql.Identifier(*(([table.schema] if table.schema else []) + [table.name]))
                    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                        target, sql.SQL(", ").join(sql.Identifier(c) for c in columns))
                    copy_cm = cur.copy(stmt)
                    copy = copy_cm.__enter__()
                    copy.set_types(oids)
                assert copy is not None
                write = copy.write_row
                if jsonish:
                    for row in chunk:
                        values = [row.get(c) for c in columns]
                        for i in jsonish:
                            if values[i] is not None:
                                values[i] = Jsonb(values[i])
                        write(values)
                elif len(columns) > 1 and all(c in chunk[0] for c in columns):
                    pick = operator.itemgetter(*columns)
                    for row in chunk:
                        write(pick(row))
                else:
                    for row in chunk:
                        write([row.get(c) for c in columns])
                total += len(chunk)
                if on_chunk is not None:
                    on_chunk(len(chunk))
            if copy_cm is not None:
                copy_cm.__exit__(None, None, None)
        driver.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return total


def insert_rows(engine: sa.Engine, table: sa.Table, chunks: Iterable[list[dict[str, Any]]],
                on_chunk: Any = None) -> int:
    """Write rows with multi-row INSERTs (SQLAlchemy Core executemany) in one transaction."""
    total = 0
    known = {c.name for c in table.columns}
    with engine.begin() as conn:
        for chunk in chunks:
            rows = [{k: v for k, v in row.items() if k in known} for row in chunk]
            conn.execute(table.insert(), rows)
            total += len(rows)
            if on_chunk is not None:
                on_chunk(len(rows))
    return total


def _is_orm_factory(factory_cls: Any) -> bool:
    """A SQLAlchemy model factory: seeded through the ORM adapter (FKs, parents first)."""
    from .alchemy import AISQLAlchemyModelFactory

    return isinstance(factory_cls, type) and issubclass(factory_cls, AISQLAlchemyModelFactory)


def _seed_orm(engine: Any, plan: dict[Any, int], *, context: str | None, provider: Any, create_tables: bool,
              progress: bool | None) -> list[SeedResult]:
    """Seed SQLAlchemy model factories with :func:`~forge_factories.seed_schema.seed_session`:
    ordered by their foreign keys, parents created through SubFactory, one transaction."""
    from sqlalchemy.orm import Session

    from .config import use_provider
    from .seed_schema import seed_session

    if create_tables:
        for factory_cls in plan:
            factory_cls._meta.model.metadata.create_all(engine)
    with Session(engine) as session, use_provider(provider):
        created = seed_session(session, plan, context=context, progress=progress)
    return [SeedResult(f.__name__, f._meta.model.__tablename__, len(objs), "orm") for f, objs in created.items()]


def seed_database(
    url: str,
    targets: Sequence[tuple[Any, int] | tuple[Any, int, str | None]],
    *,
    seed: int | None = None,
    context: str | None = None,
    provider: Any = None,
    create_tables: bool = False,
    chunk_size: int = 10_000,
    progress: bool | None = False,
) -> list[SeedResult]:
    """Generate ``n`` rows for each ``(factory_or_model, n[, table])`` and write them into ``url``.

    SQLAlchemy model factories go through the ORM adapter (:func:`seed_session`: foreign
    keys resolved, parents first, one transaction, bulk flushes); other factories, plain
    models and targets given an explicit ``table`` through the column-wise path: binary COPY
    on PostgreSQL, multi-row INSERTs elsewhere.
    """
    from ._progress import Progress
    from .stream import iter_chunks, resolve_factory

    try:
        engine = sa.create_engine(engine_url(url))
    except Exception as exc:  # noqa: BLE001 - bad URL or missing driver: one clear line
        raise SeedError(f"cannot use database URL: {exc}") from None
    results: list[SeedResult] = []
    if seed is not None:
        from .seeding import seed as reseed

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
            chunks: Iterator[Any] = iter_chunks(factory_cls, count, context=context, provider=provider,
                                                chunk_size=chunk_size, as_dicts=True, ordered=False)
            first = next(chunks, None)
            if first is None:
                continue
            table = table_for(factory_cls, engine, first, create=create_tables, name=table_name)
            bar = Progress(count, factory_cls.__name__, enabled=progress)

            def all_chunks(first: list[dict[str, Any]] = first, rest: Iterator[Any] = chunks) -> Iterator[Any]:
                yield first
                yield from rest

            if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
                n = copy_rows(engine, table, all_chunks(), bar.update)
                method = "copy"
            else:
                n = insert_rows(engine, table, all_chunks(), bar.update)
                method = "insert"
            bar.close()
            results.append(SeedResult(factory_cls.__name__, table.name, n, method))
        if orm_plan:
            results.extend(_seed_orm(engine, orm_plan, context=context, provider=provider,
                                     create_tables=create_tables, progress=progress))
    except sa.exc.SQLAlchemyError as exc:
        raise SeedError(f"database error: {str(exc).splitlines()[0]}") from None
    except Exception as exc:
        if type(exc).__module__.startswith(("psycopg", "pymysql")):
            raise SeedError(f"database error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        raise
    finally:
        engine.dispose()
    return results
