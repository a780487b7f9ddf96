"""Fixtures of the async tests: AsyncSession and Django on SQLite, PostgreSQL and MariaDB.

The servers and private schemas are the ORM suite's (``tests/orm/backends.py``): outside CI a
missing server skips its tests with a loud reason; with ``CI`` set it fails. Every test gets a
session (or a Django ``atomic`` block) whose work is rolled back afterwards. Drivers:
aiosqlite, asyncpg, asyncmy.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

import forge_factories as factory
from forge_factories.llm.providers import OfflineProvider
from tests.django_setup import configure_django
from tests.orm import backends

configure_django()

from .factories import DJ_FACTORIES, SA_FACTORIES  # noqa: E402 - Django is configured first
from .models import DJANGO_MODELS, AioBase  # noqa: E402

DJANGO_ALIAS = {"sqlite": "default", "postgresql": "postgresql", "mariadb": "mariadb"}
_SA_TABLES: set[str] = set()
_DJ_TABLES: set[str] = set()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for backend, message in sorted(backends.SKIPPED.items()):
        terminalreporter.write_line(f"!!! async tests on {backend} were SKIPPED: {message}", red=True, bold=True)


@pytest.fixture(scope="session", autouse=True)
def _aio_cleanup() -> Iterator[None]:
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    # Django's sync thread (sync_to_async) holds its own connections: close them there.
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()
    with contextlib.suppress(Exception):
        connections.close_all()
    backends.drop_private()


@pytest.fixture(autouse=True)
def _offline_default() -> Iterator[None]:
    """Offline text unless a test names a provider (no test reaches the network)."""
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    yield
    factory.configure(provider=previous)


# -- SQLAlchemy AsyncSession -----------------------------------------------------------------------


def async_url(backend: str) -> str:
    """The async driver's URL of ``backend``'s private area."""
    if backend == "sqlite":
        return "sqlite+aiosqlite:///" + backends.SQLITE_PATH.replace(".sqlite3", "_sa.sqlite3")
    if backend == "postgresql":
        pg = backends.PG
        return f"postgresql+asyncpg://{pg['user']}@{pg['host']}:{pg['port']}/{pg['dbname']}"
    my = backends.MARIA
    return f"mysql+asyncmy://{my['user']}@{my['host']}:{my['port']}/{backends.PRIVATE}?charset=utf8mb4"


def sync_engine(backend: str) -> Any:
    """A synchronous engine on the same tables (creates them; used to compare with the sync path)."""
    from sqlalchemy import create_engine

    kwargs: dict[str, Any] = {}
    if backend == "postgresql":
        kwargs["connect_args"] = {"options": f"-c search_path={backends.PRIVATE}"}
    engine = create_engine(backends.sqlalchemy_url(backend), **kwargs)
    if backend == "sqlite":
        _savepoint_recipe(engine)
    if backend not in _SA_TABLES:
        AioBase.metadata.create_all(engine)
        _SA_TABLES.add(backend)
    return engine


def _savepoint_recipe(engine: Any) -> None:
    """SQLAlchemy's documented recipe for working SAVEPOINTs on (aio)sqlite."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def async_engine(backend: str) -> Any:
    """A new async engine on ``backend`` (the tables exist); no pool kept across event loops."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    kwargs: dict[str, Any] = {"poolclass": NullPool}
    if backend == "postgresql":
        kwargs["connect_args"] = {"server_settings": {"search_path": backends.PRIVATE}}
    engine = create_async_engine(async_url(backend), **kwargs)
    if backend == "sqlite":
        _savepoint_recipe(engine.sync_engine)
    return engine


@pytest.fixture(params=backends.BACKENDS)
def sa_backend(request: pytest.FixtureRequest) -> str:
    backends.require(request.param)
    sync_engine(request.param).dispose()  # the tables
    return str(request.param)


@pytest_asyncio.fixture
async def asession(sa_backend: str) -> AsyncIterator[Any]:
    """An ``AsyncSession`` in a transaction rolled back after the test; every test factory uses it."""
    from sqlalchemy.ext.asyncio import AsyncSession

    engine = async_engine(sa_backend)
    conn = await engine.connect()
    outer = await conn.begin()
    session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    saved = [(fac, fac._meta.sqlalchemy_session) for fac in SA_FACTORIES]
    for fac in SA_FACTORIES:
        fac._meta.sqlalchemy_session = session
    try:
        yield session
    finally:
        for fac, old in saved:
            fac._meta.sqlalchemy_session = old
        await session.close()
        await outer.rollback()
        await conn.close()
        await engine.dispose()


# -- Django ---------------------------------------------------------------------------------------


def _create_django_tables(alias: str) -> None:
    from django.db import connections

    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in DJANGO_MODELS:
            if model._meta.db_table not in existing:
                editor.create_model(model)


def _enter_atomic(alias: str) -> Any:
    from django.db import transaction

    if alias not in _DJ_TABLES:
        _create_django_tables(alias)
        _DJ_TABLES.add(alias)
    atomic = transaction.atomic(using=alias)
    atomic.__enter__()
    return atomic


def _roll_back(alias: str, atomic: Any) -> None:
    from django.db import transaction

    transaction.set_rollback(True, using=alias)
    atomic.__exit__(None, None, None)


@pytest_asyncio.fixture(params=backends.BACKENDS)
async def dj_alias(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A Django alias whose work (in Django's sync thread, where async ORM calls run) is rolled back."""
    from asgiref.sync import sync_to_async

    backend = request.param
    backends.require(backend)
    alias = DJANGO_ALIAS[backend]
    blocker = None
    with contextlib.suppress(pytest.FixtureLookupError):
        blocker = request.getfixturevalue("django_db_blocker")
        blocker.unblock()
    saved = [(fac, fac._meta.database) for fac in DJ_FACTORIES]
    for fac in DJ_FACTORIES:
        fac._meta.database = alias
    atomic = await sync_to_async(_enter_atomic, thread_sensitive=True)(alias)
    try:
        yield alias
    finally:
        await sync_to_async(_roll_back, thread_sensitive=True)(alias, atomic)
        for fac, old in saved:
            fac._meta.database = old
        if blocker is not None:
            blocker.restore()
