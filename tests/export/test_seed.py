"""``seed_url``: the psycopg-only PostgreSQL path, its fallbacks to SQLAlchemy, and rollback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

import forge_factories as factory
from forge_factories.datasets import dbseed
from forge_factories.datasets.dbseed import SeedError, psycopg_params, seed_url
from forge_factories.datasets.stream import iter_chunks

from .models import UserFactory
from .servers import pg_with_tables

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://u:p%40ss@db.example:5433/app?sslmode=disable&application_name=x",
     {"user": "u", "password": "p@ss", "host": "db.example", "port": 5433, "dbname": "app",
      "sslmode": "disable", "application_name": "x"}),
    ("postgresql+psycopg://postgres@127.0.0.1/test", {"user": "postgres", "host": "127.0.0.1", "dbname": "test"}),
    ("postgresql+psycopg://u@h1,h2/db", None),  # several hosts: left to SQLAlchemy
    ("postgresql+psycopg2://u@h/db", None),
    ("sqlite:///x.db", None),
])
def test_psycopg_params(url: str, expected: dict[str, Any] | None) -> None:
    assert psycopg_params(sa.engine.make_url(url)) == expected


USERS = ("id bigint, first_name text, last_name text, email text, city text, country text, age bigint, "
         "is_active boolean, created_at timestamp, score bigint")


@pytest.fixture
def pg() -> Iterator[Any]:
    yield from pg_with_tables("seed_users")


def _no_engine(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a SQLAlchemy engine was created")


def test_existing_postgresql_table_is_served_by_psycopg_alone(pg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    table = pg.table(USERS)
    monkeypatch.setattr(dbseed.sa, "create_engine", _no_engine)
    results = seed_url(PG_URL, [(UserFactory, 2500, table)], seed=11, chunk_size=1000)
    assert [(r.table, r.rows, r.method) for r in results] == [(table, 2500, "copy")]
    expected = [row for chunk in iter_chunks(UserFactory, 2500, seed=11, as_dicts=True, chunk_size=1000)
                for row in chunk]
    stored = pg.execute(f'SELECT id, first_name, email, is_active, created_at, score FROM "{table}" ORDER BY id').fetchall()
    assert stored == [(r["id"], r["first_name"], r["email"], r["is_active"], r["created_at"], r["score"])
                      for r in expected]


def test_missing_table_is_an_error_or_created_through_sqlalchemy(pg: Any) -> None:
    table = pg.table(None)
    with pytest.raises(SeedError, match="does not exist"):
        seed_url(PG_URL, [(UserFactory, 10, table)], seed=1)
    results = seed_url(PG_URL, [(UserFactory, 30, table)], seed=1, create_tables=True)
    assert [(r.rows, r.method) for r in results] == [(30, "copy")]
    assert pg.execute(f'SELECT count(*), count(DISTINCT id) FROM "{table}"').fetchone() == (30, 30)


def test_failing_generation_rolls_the_copy_back(pg: Any) -> None:
    table = pg.table(USERS)
    calls = {"n": 0}

    def flaky_score() -> int:
        calls["n"] += 1
        if calls["n"] > 1500:
            raise RuntimeError("provider down")
        return 1

    class Flaky(UserFactory):
        score = factory.LazyFunction(flaky_score)

    with pytest.raises(RuntimeError, match="provider down"):
        seed_url(PG_URL, [(Flaky, 3000, table)], seed=2, chunk_size=1000)
    assert pg.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (0,)
    results = seed_url(PG_URL, [(UserFactory, 5, table)], seed=2)  # the table is usable again
    assert results[0].rows == 5


def test_bad_host_is_a_seed_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(SeedError, match="database error"):
        seed_url("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2", [(UserFactory, 3, "users")])
