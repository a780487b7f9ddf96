"""Binary ``COPY`` into PostgreSQL for ``forge seed``: a table's columns and types, rows or a
column plan's chunks written as ``COPY`` (psycopg 3), or through a SQLAlchemy engine's driver
connection."""


import contextlib
import gc
import itertools
import operator
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from forge_factories.datasets.seed_db import SeedError


def pg_regclass(name: str, schema: str | None) -> str:
    """``name`` (in ``schema``) as a quoted identifier for a ``regclass`` lookup."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in ([schema] if schema else []) + [name])


def pg_columns(conn: Any, name: str, schema: str | None = None) -> dict[str, int] | None:
    """Column name -> type OID of a PostgreSQL table (psycopg 3 connection), ``None`` if it
    does not exist. Without ``schema`` the table is looked up on the ``search_path``."""
    regclass = pg_regclass(name, schema)
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)::oid", (regclass,))
        found = cur.fetchone()
        if found is None or found[0] is None:
            return None
        cur.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s AND attnum > 0 "
                    "AND NOT attisdropped ORDER BY attnum", (found[0],))
        return dict(cur.fetchall())


def copy_into(conn: Any, name: str, schema: str | None, chunks: Iterable[list[dict[str, Any]]],
              on_chunk: Any = None, *, known: Iterable[str] | None = None,
              types: Mapping[str, int] | None = None, reset: bool = False) -> int:
    """Write rows with PostgreSQL's binary ``COPY`` on a psycopg 3 connection, then commit.

    The columns are the fields of the first row that are ``known`` (default: the table's
    columns); ``types`` maps column names to type OIDs (default: from :func:`pg_columns`).
    Rows are written as they come, so the server ingests a chunk while the next one is
    generated. ``reset`` empties the table first, in the same transaction. Returns the row
    count; rolls back on any error.
    """
    from psycopg import sql
    from psycopg.types.json import Jsonb

    total = 0
    try:
        with conn.cursor() as cur, contextlib.ExitStack() as stack:
            columns: list[str] | None = None
            copy = None
            for chunk in chunks:
                if columns is None:
                    if types is None:
                        types = pg_columns(conn, name, schema)
                        if types is None:
                            raise SeedError(f"table {name!r} does not exist")
                    known_set = set(types if known is None else known)
                    columns = [c for c in chunk[0] if c in known_set]
                    oids = [types[c] for c in columns]
                    jsonish = [i for i, oid in enumerate(oids) if oid in (114, 3802)]
                    target = sql.Identifier(*(([schema] if schema else []) + [name]))
                    if reset:
                        cur.execute(sql.SQL("DELETE FROM {}").format(target))
                    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                        target, sql.SQL(", ").join(sql.Identifier(c) for c in columns))
                    copy = stack.enter_context(cur.copy(stmt))  # ended (or failed) with the block
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
                    deque(map(write, map(operator.itemgetter(*columns), chunk)), maxlen=0)
                else:
                    for row in chunk:
                        write([row.get(c) for c in columns])
                total += len(chunk)
                if on_chunk is not None:
                    on_chunk(len(chunk))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return total


def copy_plan(conn: Any, name: str, schema: str | None, factory_cls: Any, plan: Any, count: int, *,
              types: Mapping[str, int], chunk_size: int, on_chunk: Any = None, reset: bool = False,
              workers: int | None = None) -> int | None:
    """Write ``count`` rows of a column plan (no semantic field) with binary ``COPY``, chunk by
    chunk, straight from its columns (no row dicts), then commit; ``None`` (nothing done) when
    psycopg's row encoder is not usable (:mod:`forge_factories._compat.psycopg`).

    When every chunk depends on its number alone (``plan.chunk_independent``), chunks are
    also made and encoded in forked workers (:func:`~forge_factories.datasets.forked.ordered_map`,
    ``workers``: default one per spare CPU), written in chunk order: the same bytes, whoever
    made them. The factory's sequence numbers are taken in chunk order first.
    """
    from psycopg import sql
    from psycopg.copy import QueuedLibpqWriter
    from psycopg.types.json import Jsonb

    from forge_factories._compat.psycopg import COPY_HEADER, COPY_TRAILER, binary_rows
    from forge_factories.datasets.columns import base_seed
    from forge_factories.datasets.forked import ordered_map
    from forge_factories.datasets.rowbuild import take_sequences

    columns = [c for c in plan.order if c not in plan.exclude and c in types]
    encode = binary_rows(conn, [types[c] for c in columns])
    if encode is None:
        return None
    jsonish = [i for i, c in enumerate(columns) if types[c] in (114, 3802)]
    root = base_seed(None)
    sizes = [min(chunk_size, count - start) for start in range(0, count, chunk_size)]
    seqs = [take_sequences(factory_cls, n) for n in sizes]

    def make(chunk: int) -> bytes:
        values = plan.column_values(sizes[chunk], root, chunk, seqs[chunk], columns)
        for i in jsonish:
            values[i] = [None if v is None else Jsonb(v) for v in values[i]]
        return encode(zip(*values, strict=True))

    gc_was_on = gc.isenabled()
    gc.disable()  # many small objects at once: the collector would walk them again and again
    try:
        with conn.cursor() as cur:
            target = sql.Identifier(*(([schema] if schema else []) + [name]))
            if reset:
                cur.execute(sql.SQL("DELETE FROM {}").format(target))
            stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                target, sql.SQL(", ").join(sql.Identifier(c) for c in columns))
            chunks = ordered_map(make, len(sizes), workers=workers if plan.chunk_independent else 0)
            try:
                first = next(chunks)  # workers forked before the writer's thread starts
                with cur.copy(stmt, writer=QueuedLibpqWriter(cur)) as copy:  # sent by a thread, GIL released
                    copy.write(COPY_HEADER)
                    for n, data in zip(sizes, itertools.chain([first], chunks), strict=True):
                        copy.write(data)
                        if on_chunk is not None:
                            on_chunk(n)
                    copy.write(COPY_TRAILER)
            finally:
                chunks.close()
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        if gc_was_on:
            gc.enable()
    return count


def copy_rows(engine: sa.Engine, table: sa.Table, chunks: Iterable[list[dict[str, Any]]],
              on_chunk: Any = None, reset: bool = False) -> int:
    """Write rows with PostgreSQL's binary ``COPY`` (psycopg 3); returns the row count."""
    raw = engine.raw_connection()
    try:
        return copy_into(raw.driver_connection, table.name, table.schema, chunks, on_chunk,
                         known=[c.name for c in table.columns], reset=reset)
    finally:
        raw.close()
