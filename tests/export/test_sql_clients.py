"""SQL exports loaded by each database's own command-line client, compared value by value.

Column types come from the declarations and widen before a value that does not fit is
written (10 then 10.99, dates then a datetime, more decimal places); line breaks, NUL,
NaN/infinity and long text are written so ``sqlite3``, ``psql`` and ``mariadb`` load them
exactly, or refused with a clear error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import forge_factories as factory
from forge_factories.datasets.export import DataExporter, ExportError
from forge_factories.datasets.stream import create_stream

PRIVATE = f"forge_export_{os.getpid()}_{secrets.token_hex(3)}"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "test"]
MARIA = ["-h", "127.0.0.1", "-P", "3306", "-u", "root", "--protocol=TCP"]
TEXTS = ["plain", "crlf\r\nline", "cr\ronly", "lf\nonly", "\r\n", "trailing\r", "back\\slash \\r \\0 '\"",
         "unicode ✓ 日本語 🎉", "x" * 100_000, "-- not a comment; DROP TABLE t;", "", None]


def row(n: int, *, nul: bool) -> dict[str, Any]:
    text = TEXTS[n % len(TEXTS)]
    if nul and n % 5 == 0:
        text = f"nul\x00inside {n}"
    return {
        "id": n,
        "price": 10 if n < 60 else 10.99 + n,  # whole numbers first, then decimals
        "amount": Decimal(n) if n < 60 else Decimal("3.14159") + n,
        "at": dt.date(2024, 1, 1) + dt.timedelta(days=n) if n < 60
        else dt.datetime(2024, 5, 1, 12, 30, 15, 123456) + dt.timedelta(hours=n),
        "text": text,
        "ratio": (math.inf if n % 2 else -math.inf) if n in (70, 71) else n / 7,
    }


def rows(*, nul: bool) -> list[dict[str, Any]]:
    return [row(n, nul=nul) for n in range(80)]


def make_factory(*, nul: bool) -> Any:
    counter = itertools.count()

    class RowFactory(factory.DictFactory):
        id = factory.LazyFunction(lambda: next(counter))
        price = factory.LazyAttribute(lambda o: row(o.id, nul=nul)["price"])
        amount = factory.LazyAttribute(lambda o: row(o.id, nul=nul)["amount"])
        at = factory.LazyAttribute(lambda o: row(o.id, nul=nul)["at"])
        text = factory.LazyAttribute(lambda o: row(o.id, nul=nul)["text"])
        ratio = factory.LazyAttribute(lambda o: row(o.id, nul=nul)["ratio"])

    return RowFactory


def _client(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI: the {name} client is not installed (see .ci/run)", pytrace=False)
        pytest.skip(f"the {name} client is not installed")
    return path


def _run(argv: list[str], script: Path, env: dict[str, str] | None = None) -> None:
    with script.open("rb") as stdin:
        out = subprocess.run(argv, stdin=stdin, capture_output=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr.decode(errors="replace")


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if type(value) is dt.date:
        value = dt.datetime.combine(value, dt.time())
    return value


def _same(got: list[tuple[Any, ...]], expected: list[dict[str, Any]], *, exact_decimal: bool) -> None:
    assert len(got) == len(expected)
    for values, want in zip(got, expected, strict=True):
        n, price, amount, at, text, ratio = values
        assert n == want["id"]
        assert float(price) == want["price"], (n, price)
        if exact_decimal:
            assert Decimal(amount) == want["amount"], (n, amount)
        else:  # SQLite keeps NUMERIC values as 8-byte floats
            assert float(amount) == float(want["amount"]), (n, amount)
        assert _as_datetime(at) == _as_datetime(want["at"]), (n, at)
        assert text == want["text"], (n, (text or "")[:40], (want["text"] or "")[:40])
        assert float(ratio) == want["ratio"], (n, ratio)


def _export(tmp_path: Path, dialect: str, *, nul: bool) -> Path:
    path = tmp_path / f"rows_{dialect}.sql"
    create_stream(make_factory(nul=nul), 80, path, dialect=dialect, table_name="rows", create_table=True,
                  batch_size=25, executor="objects").drain()
    return path


def test_sqlite3_client_loads_exactly(tmp_path: Path) -> None:
    client = _client("sqlite3")
    script = _export(tmp_path, "sqlite", nul=True)
    db = tmp_path / "loaded.db"
    _run([client, str(db)], script)
    conn = sqlite3.connect(db)
    got = conn.execute('SELECT id, price, amount, "at", text, ratio FROM "rows" ORDER BY id').fetchall()
    _same(got, rows(nul=True), exact_decimal=False)
    declared = {r[1]: r[2] for r in conn.execute('PRAGMA table_info("rows")')}
    assert declared == {"id": "BIGINT", "price": "DOUBLE", "amount": "NUMERIC(38, 5)", "at": "DATETIME",
                        "text": "TEXT", "ratio": "DOUBLE"}


@pytest.fixture(scope="module")
def pg_schema() -> Any:
    client = _client("psql")
    env = dict(os.environ, PGCONNECT_TIMEOUT="3")
    made = subprocess.run([client, *PG, "-c", f'CREATE SCHEMA "{PRIVATE}"'], capture_output=True, env=env)
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI: PostgreSQL not reachable: {made.stderr.decode()}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable: {made.stderr.decode()}")
    yield client
    subprocess.run([client, *PG, "-c", f'DROP SCHEMA "{PRIVATE}" CASCADE'], capture_output=True, env=env)


def test_psql_client_loads_exactly(tmp_path: Path, pg_schema: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    script = _export(tmp_path, "postgresql", nul=False)
    env = dict(os.environ, PGOPTIONS=f"-c search_path={PRIVATE}")
    _run([pg_schema, *PG, "-v", "ON_ERROR_STOP=1", "-q", "-f", "-"], script, env)
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test") as conn:
        got = conn.execute(f'SELECT id, price, amount, "at", text, ratio FROM "{PRIVATE}"."rows" ORDER BY id').fetchall()
    _same(got, rows(nul=False), exact_decimal=True)


@pytest.fixture(scope="module")
def maria_db() -> Any:
    client = _client("mariadb")
    made = subprocess.run([client, *MARIA, "-e", f"CREATE DATABASE `{PRIVATE}` CHARACTER SET utf8mb4"],
                          capture_output=True)
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI: MariaDB not reachable: {made.stderr.decode()}", pytrace=False)
        pytest.skip(f"MariaDB not reachable: {made.stderr.decode()}")
    yield client
    subprocess.run([client, *MARIA, "-e", f"DROP DATABASE IF EXISTS `{PRIVATE}`"], capture_output=True)


def test_mariadb_client_loads_exactly(tmp_path: Path, maria_db: str) -> None:
    pymysql = pytest.importorskip("pymysql")
    expected = [r | {"ratio": 0.5} if r["id"] in (70, 71) else r for r in rows(nul=True)]  # no infinity in MySQL

    base: Any = make_factory(nul=True)

    class NoInfinity(base):  # type: ignore[misc, valid-type]
        ratio = factory.LazyAttribute(lambda o: 0.5 if o.id in (70, 71) else row(o.id, nul=True)["ratio"])

    path = tmp_path / "rows_mysql.sql"
    create_stream(NoInfinity, 80, path, dialect="mysql", table_name="rows", create_table=True, batch_size=25,
                  executor="objects").drain()
    _run([maria_db, *MARIA, "--default-character-set=utf8mb4", PRIVATE], path)
    conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", database=PRIVATE,
                           charset="utf8mb4")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id, price, amount, `at`, text, ratio FROM `rows` ORDER BY id")
            got = list(cur.fetchall())
            cur.execute("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s "
                        "AND TABLE_NAME='rows' AND COLUMN_NAME='text'", (PRIVATE,))
            assert cur.fetchone()[0] == "longtext"
    finally:
        conn.close()
    _same(got, expected, exact_decimal=True)


@pytest.mark.parametrize(("dialect", "value", "message"), [
    ("postgresql", "a\x00b", "PostgreSQL text cannot store"),
    ("sqlite", math.nan, "NaN cannot be written as a sqlite float"),
    ("mysql", math.nan, "NaN cannot be written as a mysql float"),
    ("mysql", math.inf, "Infinity cannot be written as a mysql float"),
    ("mysql", Decimal("NaN"), "NaN cannot be written as a mysql decimal"),
])
def test_values_a_dialect_cannot_hold_are_refused_by_name(tmp_path: Path, dialect: str, value: Any,
                                                          message: str) -> None:
    target = tmp_path / "x.sql"
    base = Decimal(1) if isinstance(value, Decimal) else (1.5 if isinstance(value, float) else "ok")
    with pytest.raises(ExportError, match=message) as info:
        DataExporter.to_sql([{"v": base}, {"v": value}], target, "t", dialect=dialect)
    assert "column 'v'" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_postgresql_writes_nan_and_infinity_literals(tmp_path: Path) -> None:
    DataExporter.to_sql([{"v": math.nan}, {"v": math.inf}, {"v": -math.inf}], tmp_path / "x.sql", "t",
                        dialect="postgresql")
    assert "VALUES ('NaN'), ('Infinity'), ('-Infinity')" in (tmp_path / "x.sql").read_text()


def test_json_never_writes_bare_nan(tmp_path: Path) -> None:
    for writer in (DataExporter.to_json, DataExporter.to_jsonl):
        with pytest.raises(ExportError, match="field 'score' is nan"):
            writer([{"score": 1.0}, {"score": math.nan}], tmp_path / "x.json")
        assert list(tmp_path.iterdir()) == []


@dataclasses.dataclass
class Priced:
    id: int
    price: float
    amount: Decimal
    seen: dt.datetime


def test_types_come_from_the_declarations(tmp_path: Path) -> None:
    class PricedFactory(factory.Factory):
        class Meta:
            model = Priced

        id = factory.Sequence(lambda n: n)
        price = 10  # a whole number in every row: still a floating point column
        amount = Decimal(5)
        seen = factory.LazyFunction(lambda: dt.date(2024, 1, 1))  # a date in a datetime field

    path = tmp_path / "priced.sql"
    create_stream(PricedFactory, 3, path, create_table=True, dialect="postgresql").drain()
    text = path.read_text()
    assert '"price" DOUBLE PRECISION' in text and '"seen" TIMESTAMP WITHOUT TIME ZONE' in text
    assert '"amount" NUMERIC(38, 0)' in text


def test_a_value_no_written_type_can_hold_fails_loudly(tmp_path: Path) -> None:
    counter = itertools.count()

    class Mixed(factory.DictFactory):
        id = factory.LazyFunction(lambda: next(counter))
        v = factory.LazyAttribute(lambda o: 5 if o.id < 10 else "five")

    path = tmp_path / "mixed.sql"
    with pytest.raises(ExportError, match=r"column 'v' .* written as int and now gets 'five'"):
        create_stream(Mixed, 20, path, batch_size=5, on_error="discard", executor="objects").drain()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("given", "value"), [
    ("Numeric(10, 2)", Decimal("3.14159")),
    ("Numeric(10, 2)", 10.999),
    ("Integer()", 10.5),
    ("Date()", dt.datetime(2024, 1, 2, 3, 4)),
    ("String(5)", "too long"),
])
def test_a_value_that_does_not_fit_a_given_type_fails(tmp_path: Path, given: str, value: Any) -> None:
    import sqlalchemy as sa

    kind = eval(f"sa.{given}", {"sa": sa})  # noqa: S307 - the parameters above
    with pytest.raises(ExportError, match=r"column 'v' .* does not fit the type given"):
        DataExporter.to_sql([{"v": value}], tmp_path / "x.sql", "t", column_types={"v": kind})
    DataExporter.to_sql([{"v": None}], tmp_path / "x.sql", "t", column_types={"v": kind})  # fits: written
    assert (tmp_path / "x.sql").exists()


def test_forge_generate_create_table_keeps_every_value(tmp_path: Path) -> None:
    client = _client("sqlite3")
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-m", "forge_factories.cli", "generate", "tests.export.decl_factories:PriceF",
                          "-n", "1000", "-o", "prices.sql", "--create-table", "--table", "prices"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    _run([client, str(tmp_path / "p.db")], tmp_path / "prices.sql")
    conn = sqlite3.connect(tmp_path / "p.db")
    got = conn.execute('SELECT id, price, "when", CAST(amount AS TEXT) FROM prices ORDER BY id').fetchall()
    assert [n for n, *_ in got] == list(range(1000))
    for n, price, when, amount in got:
        expected = (10.0, dt.datetime(2024, 1, 1), "3.1") if n < 600 else \
            (10.99, dt.datetime(2024, 1, 1, 13, 45), "3.14159")
        assert (price, dt.datetime.fromisoformat(when), amount) == expected, n


def test_lists_then_strings_keep_both_forms(tmp_path: Path) -> None:
    counter = itertools.count()

    class Tags(factory.DictFactory):
        v = factory.LazyFunction(lambda: [1, "a"] if next(counter) < 3 else "plain")

    path = tmp_path / "tags.sql"
    create_stream(Tags, 6, path, batch_size=2, create_table=True, executor="objects").drain()
    db = sqlite3.connect(":memory:")
    db.executescript(path.read_text())
    assert [v for (v,) in db.execute("SELECT v FROM tags ORDER BY rowid")] == ['[1, "a"]'] * 3 + ["plain"] * 3


def test_ints_past_two_to_the_53_beside_floats_are_written_exactly(tmp_path: Path) -> None:
    """A double would change 2**53 + 1: a column of floats and such ints becomes an exact NUMERIC."""
    import sqlite3

    from forge_factories.datasets.export import DataExporter

    rows = [{"v": 1.5}, {"v": 2**53 + 1}, {"v": 0.125}]
    path = tmp_path / "wide.sql"
    DataExporter.to_sql(rows, path, "wide", dialect="sqlite", create_table=True)
    with sqlite3.connect(":memory:") as conn:
        conn.executescript(path.read_text())
        stored = [r[0] for r in conn.execute("SELECT CAST(v AS TEXT) FROM wide")]
    assert stored[1] == str(2**53 + 1) and float(stored[0]) == 1.5 and float(stored[2]) == 0.125


def test_sqlite_refuses_a_decimal_a_double_would_change(tmp_path: Path) -> None:
    """SQLite stores a non-integral NUMERIC as a REAL: 21 significant digits would silently become 16."""
    import decimal
    import sqlite3

    from forge_factories.datasets.export import DataExporter, ExportError

    path = tmp_path / "pi.sql"
    with pytest.raises(ExportError, match=r"column 'v' of table 'pi'.*Decimal\('3\.14159265358979323846'\)"):
        DataExporter.to_sql([{"v": decimal.Decimal("3.14159265358979323846")}], path, "pi", dialect="sqlite",
                            create_table=True)
    assert not path.exists()
    ok = [{"v": decimal.Decimal("0.1")}, {"v": decimal.Decimal("3.14159")}, {"v": decimal.Decimal(2**60)}]
    DataExporter.to_sql(ok, path, "pi", dialect="sqlite", create_table=True)  # a double holds these exactly
    with sqlite3.connect(":memory:") as conn:
        conn.executescript(path.read_text())
        assert [decimal.Decimal(str(r[0])) for r in conn.execute("SELECT v FROM pi")] == [r["v"] for r in ok]
