"""Database servers for the ORM tests: names, availability, per-run schemas."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile

import pytest

RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
#: PostgreSQL schema and MariaDB database private to this test run (others share ``test``).
PRIVATE = f"forge_orm_{RUN_ID}"
SQLITE_PATH = os.path.join(tempfile.gettempdir(), f"forge_orm_{RUN_ID}.sqlite3")

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test"}
MARIA = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "database": "test"}

BACKENDS = ("sqlite", "postgresql", "mariadb")
START = {
    "postgresql": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "mariadb": "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
}
_status: dict[str, str | None] = {}
SKIPPED: dict[str, str] = {}


def _probe_pg() -> None:
    import psycopg

    with psycopg.connect(**PG, connect_timeout=3, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{PRIVATE}"')


def _probe_maria() -> None:
    import pymysql

    conn = pymysql.connect(**MARIA, connect_timeout=3)  # type: ignore[arg-type]
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{PRIVATE}` CHARACTER SET utf8mb4")
    finally:
        conn.close()


def unavailable(backend: str) -> str | None:
    """Why ``backend`` cannot be used (``None``: ready; its private schema/database exists)."""
    if backend == "sqlite":
        return None
    if backend not in _status:
        try:
            (_probe_pg if backend == "postgresql" else _probe_maria)()
            _status[backend] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            _status[backend] = f"{type(exc).__name__}: {exc}".strip()[:300]
    return _status[backend]


def require(backend: str) -> None:
    """Skip (outside CI) or fail (``CI`` set) when ``backend`` is not reachable."""
    reason = unavailable(backend)
    if reason is None:
        return
    message = f"{backend} server not reachable ({reason}); start it: {START[backend]} (or .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    SKIPPED[backend] = message
    pytest.skip(f"!!! {message}")


def drop_private() -> None:
    """Remove this run's PostgreSQL schema, MariaDB database and SQLite file."""
    if _status.get("postgresql", "x") is None:
        import psycopg

        with psycopg.connect(**PG, autocommit=True) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP SCHEMA IF EXISTS "{PRIVATE}" CASCADE')
    if _status.get("mariadb", "x") is None:
        import pymysql

        conn = pymysql.connect(**MARIA)  # type: ignore[arg-type]
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{PRIVATE}`")
        finally:
            conn.close()
    sa_path = SQLITE_PATH.replace(".sqlite3", "_sa.sqlite3")
    for path in [SQLITE_PATH + suffix for suffix in ("", "-journal", "-wal", "-shm")] + [sa_path]:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def sqlalchemy_url(backend: str) -> str:
    """SQLAlchemy URL of ``backend``'s private area."""
    if backend == "sqlite":
        return "sqlite:///" + SQLITE_PATH.replace(".sqlite3", "_sa.sqlite3")
    if backend == "postgresql":
        return f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{PG['dbname']}"
    return f"mysql+pymysql://{MARIA['user']}@{MARIA['host']}:{MARIA['port']}/{PRIVATE}?charset=utf8mb4"


def django_databases() -> dict[str, dict[str, object]]:
    """Django ``DATABASES`` with one alias per backend."""
    return {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH},
        "postgresql": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": PG["dbname"], "USER": PG["user"], "HOST": PG["host"], "PORT": PG["port"],
            "OPTIONS": {"options": f"-c search_path={PRIVATE}"},
        },
        "mariadb": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": PRIVATE, "USER": MARIA["user"], "PASSWORD": "", "HOST": MARIA["host"], "PORT": MARIA["port"],
            "OPTIONS": {"charset": "utf8mb4"},
        },
    }
