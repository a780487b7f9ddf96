"""A model with address, text, phone, company, job and date fields seeds through the column-wise
path (binary COPY on PostgreSQL, INSERTs on SQLite) without a Faker call per row, and the same
seed gives the same rows in every process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from faker.generator import Generator

import forge_factories as factory
from forge_factories.datasets.columnar import plan_for
from forge_factories.datasets.dbseed import seed_url
from forge_factories.datasets.stream import iter_chunks

from .servers import pg_connect

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["id", "name", "email", "username", "bio", "address", "phone", "company", "job", "birthdate", "signup_at"]


@dataclasses.dataclass
class Member:
    id: int
    name: str
    email: str
    username: str
    bio: str
    address: str
    phone: str
    company: str
    job: str
    birthdate: dt.date
    signup_at: dt.datetime


class MemberFactory(factory.Factory):
    class Meta:
        model = Member

    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    email = factory.Faker("email")
    username = factory.Faker("user_name")
    bio = factory.Faker("text", max_nb_chars=200)
    address = factory.Faker("address")
    phone = factory.Faker("phone_number")
    company = factory.Faker("company")
    job = factory.Faker("job")
    birthdate = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    signup_at = factory.Faker("date_time_between", start_date="-3y")


@pytest.fixture
def no_faker_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Generator, formatter: str, *args: Any, **kwargs: Any) -> str:
        raise AssertionError(f"Faker called for {formatter!r}")

    monkeypatch.setattr(Generator, "format", refuse)
    monkeypatch.setattr(Generator, "parse", lambda self, text: refuse(self, text))


def _rows(n: int, seed: int, chunk_size: int = 700) -> list[tuple[Any, ...]]:
    return [tuple(row[c] for c in COLUMNS)
            for chunk in iter_chunks(MemberFactory, n, seed=seed, as_dicts=True, chunk_size=chunk_size, executor="columns")
            for row in chunk]


def test_every_field_has_a_column_sampler() -> None:
    plan = plan_for(MemberFactory)
    assert set(plan.columns) == set(COLUMNS) and not plan.lazies
    for name in COLUMNS[1:]:  # no per-value Faker call behind any of them
        assert plan.columns[name].__qualname__.startswith("faker_column.<locals>.<lambda>"), name


def test_sqlite_seed_goes_column_wise(tmp_path: Path, no_faker_calls: None) -> None:
    db = tmp_path / "members.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE member (id INTEGER, name TEXT, email TEXT, username TEXT, bio TEXT, address TEXT, "
                     "phone TEXT, company TEXT, job TEXT, birthdate DATE, signup_at TIMESTAMP)")
    results = seed_url(f"sqlite:///{db}", [(MemberFactory, 1500, "member")], seed=5, chunk_size=700,
                       executor="columns")
    assert [(r.rows, r.method) for r in results] == [(1500, "insert")]
    with sqlite3.connect(db) as conn:
        stored = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM member ORDER BY id").fetchall()
    expected = _rows(1500, 5)
    assert [row[:9] for row in stored] == [row[:9] for row in expected]
    assert [row[9] for row in stored] == [row[9].isoformat() for row in expected]
    assert all("\n" in row[5] for row in stored) and len({row[4] for row in stored}) == 1500


def test_postgresql_seed_goes_column_wise(no_faker_calls: None) -> None:
    conn = pg_connect(autocommit=True)
    table = f"forge_colseed_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conn.execute(f'CREATE TABLE "{table}" (id bigint, name text, email text, username text, bio text, address text, '
                 "phone text, company text, job text, birthdate date, signup_at timestamp)")
    try:
        results = seed_url("postgresql://postgres@127.0.0.1:5432/test", [(MemberFactory, 2500, table)],
                           seed=8, chunk_size=700, executor="columns")
        assert [(r.rows, r.method) for r in results] == [(2500, "copy")]
        stored = conn.execute(f'SELECT {", ".join(COLUMNS)} FROM "{table}" ORDER BY id').fetchall()
    finally:
        conn.execute(f'DROP TABLE "{table}"')
        conn.close()
    assert stored == _rows(2500, 8)


def test_same_seed_same_rows_in_every_process() -> None:
    code = ("import json; from tests.export.test_column_seed import _rows; "
            "print(json.dumps(_rows(400, 21), default=str))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env=dict(env, PYTHONHASHSEED=str(h))).stdout for h in (1, 2)]
    assert runs[0] == runs[1]
    here = json.loads(json.dumps(_rows(400, 21), default=str))
    assert json.loads(runs[0]) == here
    assert _rows(400, 22) != _rows(400, 21)


def test_rows_do_not_depend_on_what_ran_before() -> None:
    """Each chunk draws from its own generator, seeded from the run's seed and the chunk."""
    first = _rows(300, 3, chunk_size=100)
    _rows(1000, 4)
    assert _rows(300, 3, chunk_size=100) == first
