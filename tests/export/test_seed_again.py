"""``forge seed`` on a table that already holds rows: again after them, or ``--reset`` first (issue 12)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forge_factories.cli import main

_COLUMNS = ("id bigint PRIMARY KEY, first_name text, last_name text, email text UNIQUE, city text, country text, "
            "age bigint, is_active boolean, created_at timestamp, score bigint")


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, Any]]:
    """(database URL, table name, count(*) function) with the users table created, unique email."""
    table = f"seed_again_{uuid.uuid4().hex[:8]}"
    if request.param == "sqlite":
        path = tmp_path / "again.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.execute(f'CREATE TABLE "{table}" ({_COLUMNS})')

        def count() -> int:
            with sqlite3.connect(path) as conn:
                return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

        yield f"sqlite:///{path}", table, count
        return
    psycopg = pytest.importorskip("psycopg")
    from tests.orm import backends

    backends.require("postgresql")
    conn = psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True)
    conn.execute(f'CREATE TABLE "{table}" ({_COLUMNS})')
    try:
        yield ("postgresql://postgres@127.0.0.1:5432/test", table,
               lambda: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]))
    finally:
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.close()


def test_seeding_twice_with_the_same_seed_and_reset(target: tuple[str, str, Any]) -> None:
    url, table, count = target
    args = ["seed", url, f"tests.export.models:UserFactory=300@{table}", "--seed", "7", "--quiet"]
    assert main(args) == 0
    assert main(args) == 0  # the same seed again: ids and emails continue after the stored rows
    assert count() == 600
    assert main([*args, "--reset"]) == 0
    assert count() == 300
