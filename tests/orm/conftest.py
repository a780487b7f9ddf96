"""DB fixtures for the ORM tests: SQLite, PostgreSQL and MariaDB (private schema per run).

Outside CI a missing server skips its tests with a loud reason; with ``CI`` set it fails.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import backends

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # the djapp app is imported as "tests.orm.djapp"
    sys.path.insert(0, _ROOT)

# -- Django: configured here unless something else already did --------------------------------

from tests.django_setup import configure_django  # noqa: E402

settings = configure_django()

DJANGO_READY = "tests.orm.djapp" in settings.INSTALLED_APPS
DJANGO_ALIAS = {"sqlite": "default", "postgresql": "postgresql", "mariadb": "mariadb"}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for backend, message in sorted(backends.SKIPPED.items()):
        terminalreporter.write_line(f"!!! ORM tests on {backend} were SKIPPED: {message}", red=True, bold=True)


@pytest.fixture(scope="session", autouse=True)
def _orm_cleanup(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    from django.db import connections

    for alias in connections:
        with contextlib.suppress(Exception):
            connections[alias].close()
    for engine in _ENGINES.values():
        engine.dispose()
    backends.drop_private()


def _unblock(request: pytest.FixtureRequest) -> Any:
    try:
        blocker = request.getfixturevalue("django_db_blocker")
    except pytest.FixtureLookupError:
        return None
    blocker.unblock()
    return blocker


_DJANGO_TABLES: set[str] = set()


@pytest.fixture(params=backends.BACKENDS)
def dj_db(request: pytest.FixtureRequest) -> Iterator[str]:
    """A Django database alias (one run per backend), tables created, test inside a rolled-back atomic."""
    if not DJANGO_READY:
        pytest.skip("!!! Django was configured elsewhere without the tests.orm djapp app")
    backend = request.param
    backends.require(backend)
    alias = DJANGO_ALIAS[backend]
    blocker = _unblock(request)
    from django.db import connections, transaction

    from .djapp.models import ALL_MODELS

    if alias not in _DJANGO_TABLES:
        with connections[alias].schema_editor() as editor:
            for model in ALL_MODELS:
                editor.create_model(model)
        _DJANGO_TABLES.add(alias)
    atomic = transaction.atomic(using=alias)
    atomic.__enter__()
    try:
        yield alias
    finally:
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)
        if blocker is not None:
            blocker.restore()


# -- SQLAlchemy -----------------------------------------------------------------------------------

_ENGINES: dict[str, Any] = {}


def sa_engine_for(backend: str) -> Any:
    """A (cached) engine on ``backend``'s private area, with the test tables created."""
    if backend in _ENGINES:
        return _ENGINES[backend]
    from sqlalchemy import create_engine, event

    from .sa_models import Base

    kwargs: dict[str, Any] = {}
    if backend == "postgresql":
        kwargs["connect_args"] = {"options": f"-c search_path={backends.PRIVATE}"}
    engine = create_engine(backends.sqlalchemy_url(backend), **kwargs)
    if backend == "sqlite":
        # SQLAlchemy's documented recipe for working SAVEPOINTs on pysqlite.
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

    Base.metadata.create_all(engine)
    _ENGINES[backend] = engine
    return engine


@pytest.fixture(params=backends.BACKENDS)
def sa_backend(request: pytest.FixtureRequest) -> str:
    backends.require(request.param)
    return str(request.param)


@pytest.fixture
def sa_session(sa_backend: str) -> Iterator[Any]:
    """A session bound to a connection whose transaction is rolled back after the test."""
    from sqlalchemy.orm import Session

    from . import sa_models

    engine = sa_engine_for(sa_backend)
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    sa_models.CURRENT.session = session
    try:
        yield session
    finally:
        sa_models.CURRENT.session = None
        session.close()
        outer.rollback()
        conn.close()
