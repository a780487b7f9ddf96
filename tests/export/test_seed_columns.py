"""``forge seed`` refuses generated fields the existing table has no column for, listing them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from forge_factories.datasets.dbseed import SeedError, seed_url

from .models import UserFactory
from .servers import pg_connect

ROOT = Path(__file__).resolve().parents[2]
TARGET = "tests.export.models:UserFactory"
LACKING = ["age", "city", "country", "created_at", "email", "is_active", "last_name", "score"]


def _forge(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "forge_factories.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_refuses_then_drops_on_request(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    sqlite3.connect(db).executescript("CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT);")
    out = _forge("seed", f"sqlite:///{db}", f"{TARGET}=5@people", "--seed", "1")
    assert out.returncode == 3
    assert len(out.stderr.strip().splitlines()) == 1
    assert all(repr(name) in out.stderr for name in LACKING) and "--drop-missing-columns" in out.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM people").fetchone()[0] == 0
    out = _forge("seed", f"sqlite:///{db}", f"{TARGET}=5@people", "--seed", "1", "--drop-missing-columns")
    assert out.returncode == 0, out.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM people WHERE first_name <> ''").fetchone()[0] == 5


def test_postgresql_copy_path_refuses_too() -> None:
    conn = pg_connect(autocommit=True)
    schema = f"forge_seedcols_{os.getpid()}_{uuid.uuid4().hex[:6]}"  # private to this run
    conn.execute(f'CREATE SCHEMA "{schema}"')
    conn.execute(f'CREATE TABLE "{schema}".people (id bigint, first_name text)')
    try:
        url = f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
        with pytest.raises(SeedError, match="has no column for 'age', 'city'"):
            seed_url(url, [(UserFactory, 5, "people")], seed=1)
        assert conn.execute(f'SELECT count(*) FROM "{schema}".people').fetchone()[0] == 0
        seed_url(url, [(UserFactory, 5, "people")], seed=1, drop_missing_columns=True)
        assert conn.execute(f'SELECT count(*) FROM "{schema}".people').fetchone()[0] == 5
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()
