"""Connections to the local PostgreSQL and MariaDB for the export tests: a server that is down
skips its tests outside CI and fails them in CI (``CI`` set), as ``tests/orm/backends`` does."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"


def unreachable(name: str, exc: BaseException) -> None:
    """Skip (outside CI) or fail (in CI): the ``name`` server could not be reached."""
    message = f"{name} not reachable: {exc}"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


def pg_connect(**kwargs: Any) -> Any:
    """A psycopg connection to the local PostgreSQL (``kwargs`` go to ``psycopg.connect``)."""
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(PG_DSN, connect_timeout=3, **kwargs)
    except psycopg.OperationalError as exc:
        unreachable("PostgreSQL", exc)
        raise  # not reached: skip and fail raise


def maria_connect(**kwargs: Any) -> Any:
    """A pymysql connection to the local MariaDB as root (``kwargs`` go to ``pymysql.connect``)."""
    pymysql = pytest.importorskip("pymysql")
    try:
        return pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", connect_timeout=3, **kwargs)
    except pymysql.err.OperationalError as exc:
        unreachable("MariaDB", exc)
        raise


def pg_with_tables(prefix: str) -> Iterator[Any]:
    """An autocommit PostgreSQL connection whose ``table(ddl)`` names a private table (created
    from ``ddl`` unless it is ``None``); every such table is dropped afterwards."""
    conn = pg_connect(autocommit=True)
    tables: list[str] = []

    def table(ddl: str | None) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        tables.append(name)
        if ddl is not None:
            conn.execute(f'CREATE TABLE "{name}" ({ddl})')
        return name

    conn.table = table
    yield conn
    for name in tables:
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    conn.close()
