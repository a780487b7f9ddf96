"""Seeding a table that already holds rows: continue the factory's sequence after them, or empty it.

Used by :func:`forge_factories.datasets.dbseed.seed_url` (``forge seed``) for the column-wise
path; the ORM path does the same through :func:`forge_factories.orm.seed_schema.seed_session`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forge_factories.orm.seed_plan import continue_sequence

__all__ = ["continue_sequence", "engine_stored", "pg_stored"]

_PG_INTEGER_OIDS = {20, 21, 23}


def pg_stored(conn: Any, regclass: str) -> tuple[int, int | None]:
    """Row count and largest integer primary key of a PostgreSQL table (psycopg 3 connection)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.attname, a.atttypid FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary", (regclass,))
        pk = cur.fetchall()
        if len(pk) == 1 and pk[0][1] in _PG_INTEGER_OIDS:
            column = '"' + pk[0][0].replace('"', '""') + '"'
            cur.execute(f"SELECT count(*), max({column}) FROM {regclass}")  # noqa: S608 - quoted identifiers
        else:
            cur.execute(f"SELECT count(*), NULL FROM {regclass}")  # noqa: S608 - quoted identifier
        found = cur.fetchone()
    return (int(found[0]), found[1]) if found else (0, None)


def engine_stored(engine: sa.Engine, table: sa.Table) -> tuple[int, int | None]:
    """Row count and largest integer primary key of ``table`` (0 rows when it does not exist)."""
    if not sa.inspect(engine).has_table(table.name, schema=table.schema):
        return 0, None
    pk = list(table.primary_key.columns)
    integer = len(pk) == 1 and isinstance(pk[0].type, sa.Integer)
    with engine.connect() as conn:
        row = conn.execute(sa.select(sa.func.count(), *([sa.func.max(pk[0])] if integer else []))
                           .select_from(table)).one()
    return int(row[0]), (row[1] if integer else None)
