"""Exports round-trip adversarial values through JSON, JSONL, CSV and real SQL databases."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from forge_factories.datasets.export import DataExporter, ExportError, export

from .servers import maria_connect, pg_connect

ADVERSARIAL = [
    "it's",
    'say "hi"',
    "back\\slash \\' \\\\ end\\",
    "line1\nline2\r\nline3",
    "tab\there",
    "unicode: héllo wörld ✓ 日本語 🎉",
    "'); DROP TABLE x; --",
    "\"; DELETE FROM users; --",
    "%s %(name)s {0} ?",
    "",
]


def records() -> list[dict[str, Any]]:
    rows = []
    for i, text in enumerate(ADVERSARIAL):
        rows.append({
            "id": i + 1,
            "text": text,
            "tags": [text, "b", i],
            "meta": {"k": text, "nested": {"n": i, "ok": True}},
            "maybe": None if i % 2 else text,
            "created_at": dt.datetime(2024, 1, 2, 3, 4, 5, 123456) + dt.timedelta(days=i),
            "price": Decimal("12.3400") + Decimal(i) / 100,
            "ratio": 0.1 + i,
            "active": i % 3 == 0,
        })
    return rows


COLUMNS = ["id", "text", "tags", "meta", "maybe", "created_at", "price", "ratio", "active"]


def _same(loaded: list[dict[str, Any]], *, nulls_as_empty: bool = False) -> None:
    """``loaded`` rows (already converted back to Python types) equal the originals."""
    original = records()
    assert len(loaded) == len(original)
    for got, want in zip(loaded, original, strict=True):
        for key in COLUMNS:
            expected = want[key]
            if nulls_as_empty and expected is None:
                expected = ""
            assert got[key] == expected, (key, got[key], expected)


def _from_text(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "text": row["text"],
        "tags": json.loads(row["tags"]) if isinstance(row["tags"], str) else row["tags"],
        "meta": json.loads(row["meta"]) if isinstance(row["meta"], str) else row["meta"],
        "maybe": row["maybe"],
        "created_at": dt.datetime.fromisoformat(row["created_at"]) if isinstance(row["created_at"], str)
        else row["created_at"],
        "price": Decimal(str(row["price"])),
        "ratio": float(row["ratio"]),
        "active": row["active"] in (True, 1, "true", "1"),
    }


def test_json_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    assert DataExporter.to_json(records(), path) == len(ADVERSARIAL)
    _same([_from_text(r) for r in json.loads(path.read_text(encoding="utf-8"))])


def test_jsonl_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    DataExporter.to_jsonl(records(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(ADVERSARIAL)  # newlines inside values are escaped
    _same([_from_text(json.loads(line)) for line in lines])


def test_csv_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    DataExporter.to_csv(records(), path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    _same([_from_text(r) for r in rows], nulls_as_empty=True)


def test_objects_of_any_kind_export(tmp_path: Path) -> None:
    import dataclasses

    import pydantic

    @dataclasses.dataclass
    class D:
        a: int
        when: dt.date

    class P(pydantic.BaseModel):
        a: int
        uid: uuid.UUID

    path = tmp_path / "mixed.jsonl"
    export([D(1, dt.date(2024, 5, 6)), P(a=2, uid=uuid.UUID(int=7)), {"a": 3}], path)
    loaded = [json.loads(line) for line in path.read_text().splitlines()]
    assert loaded == [{"a": 1, "when": "2024-05-06"},
                      {"a": 2, "uid": "00000000-0000-0000-0000-000000000007"}, {"a": 3}]


# --------------------------------------------------------------------------- SQL


def _sql_file(tmp_path: Path, table: str, dialect: str) -> str:
    path = tmp_path / f"{table}.sql"
    DataExporter.to_sql(records(), path, table, dialect=dialect, create_table=True, batch_size=4)
    with path.open(encoding="utf-8", newline="") as fh:  # keep the \r inside literals
        text = fh.read()
    assert text.count("INSERT INTO") == 3  # 10 rows in batches of 4
    return text


def _table_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]} x'q\""  # quotes in the identifier too


def _check_db_rows(rows: list[tuple[Any, ...]]) -> None:
    loaded = []
    for row in rows:
        item = dict(zip(COLUMNS, row, strict=True))
        loaded.append(_from_text(item))
    _same(loaded)


def test_sql_roundtrip_sqlite(tmp_path: Path) -> None:
    table = _table_name("t")
    script = _sql_file(tmp_path, table, "sqlite")
    conn = sqlite3.connect(":memory:")
    conn.executescript(script)
    quoted = '"' + table.replace('"', '""') + '"'
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM {quoted} ORDER BY id").fetchall()
    _check_db_rows(rows)


#: PostgreSQL schema and MariaDB database private to this test (others share ``test``).
def _private() -> str:
    return f"forge_export_rt_{os.getpid()}_{uuid.uuid4().hex[:6]}"


@pytest.fixture
def pg_conn():  # type: ignore[no-untyped-def]
    conn = pg_connect()
    schema = _private()
    conn.execute(f'CREATE SCHEMA "{schema}"')
    conn.execute(f'SET search_path TO "{schema}"')
    conn.commit()
    yield conn
    conn.rollback()
    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    conn.commit()
    conn.close()


@pytest.fixture
def maria_conn():  # type: ignore[no-untyped-def]
    pytest.importorskip("pymysql")
    from pymysql.constants import CLIENT

    conn = maria_connect(client_flag=CLIENT.MULTI_STATEMENTS, charset="utf8mb4")
    database = _private()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    conn.select_db(database)
    yield conn
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE `{database}`")
    conn.close()


def test_sql_roundtrip_postgresql(tmp_path: Path, pg_conn: Any) -> None:
    table = _table_name("t")
    script = _sql_file(tmp_path, table, "postgresql")
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        pg_conn.execute(script)
        rows = pg_conn.execute(f"SELECT {', '.join(COLUMNS)} FROM {quoted} ORDER BY id").fetchall()
        _check_db_rows(rows)
    finally:
        pg_conn.rollback()
        pg_conn.execute(f"DROP TABLE IF EXISTS {quoted}")
        pg_conn.commit()


def test_sql_roundtrip_mariadb(tmp_path: Path, maria_conn: Any) -> None:
    table = _table_name("t")
    script = _sql_file(tmp_path, table, "mysql")
    quoted = "`" + table.replace("`", "``") + "`"
    cur = maria_conn.cursor()
    try:
        cur.execute(script)
        while cur.nextset():
            pass
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM {quoted} ORDER BY id")
        _check_db_rows(list(cur.fetchall()))
    finally:
        cur.execute(f"DROP TABLE IF EXISTS {quoted}")
        maria_conn.commit()


def test_sql_mysql_escapes_backslashes_postgres_does_not(tmp_path: Path) -> None:
    rows = [{"s": "a\\b"}]
    DataExporter.to_sql(rows, tmp_path / "m.sql", "t", dialect="mysql")
    DataExporter.to_sql(rows, tmp_path / "p.sql", "t", dialect="postgresql")
    assert "'a\\\\b'" in (tmp_path / "m.sql").read_text()
    assert "'a\\b'" in (tmp_path / "p.sql").read_text()
    assert 'INSERT INTO "t" ("s")' in (tmp_path / "p.sql").read_text()  # identifiers quoted


def test_bad_format_and_dialect_leave_no_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        export(records(), tmp_path / "x.xml")
    with pytest.raises(ExportError, match="unknown SQL dialect"):
        DataExporter.to_sql(records(), tmp_path / "x.sql", "t", dialect="oracle9")
    with pytest.raises(ExportError, match="cannot write"):
        DataExporter.to_json(records(), tmp_path / "missing-dir" / "x.json")
    assert list(tmp_path.iterdir()) == []
