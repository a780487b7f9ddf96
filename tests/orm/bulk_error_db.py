"""Databases, sessions and factories of the bulk-error tests (tables of ``bulk_error_models``)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

import psycopg
import pymysql
import pytest

import forge_factories as factory
from forge_factories.alchemy import SQLAlchemyModelFactory
from forge_factories.django import DjangoModelFactory

from . import backends
from .bulk_error_models import DJANGO_MODELS, ErrBase, ErrParent, ErrRow, SAErrParent, SAErrRow
from .conftest import DJANGO_ALIAS, DJANGO_READY

#: The exception classes of each backend's driver (what ``__cause__`` must be).
DRIVER_ERRORS: dict[str, type[BaseException]] = {
    "sqlite": sqlite3.Error, "postgresql": psycopg.Error, "mariadb": pymysql.err.MySQLError,
}
SQLITE_PATH = backends.SQLITE_PATH.replace(".sqlite3", "_errors.sqlite3")
_ENGINES: dict[str, Any] = {}
_DJANGO_TABLES: set[str] = set()


class SAErrParentFactory(SQLAlchemyModelFactory[SAErrParent]):
    class Meta:
        model = SAErrParent
        sqlalchemy_session_persistence = "flush"

    name = factory.Sequence(lambda n: f"parent {n}")


class SAErrRowFactory(SQLAlchemyModelFactory[SAErrRow]):
    class Meta:
        model = SAErrRow
        sqlalchemy_session_persistence = "flush"

    code = factory.Sequence(lambda n: f"code{n}")
    label = "ok"
    qty = 1


class ErrParentFactory(DjangoModelFactory[ErrParent]):
    class Meta:
        model = ErrParent

    name = factory.Sequence(lambda n: f"parent {n}")


class ErrRowFactory(DjangoModelFactory[ErrRow]):
    class Meta:
        model = ErrRow

    code = factory.Sequence(lambda n: f"code{n}")
    label = "ok"
    qty = 1


SA_FACTORIES = (SAErrParentFactory, SAErrRowFactory)
DJ_FACTORIES = (ErrParentFactory, ErrRowFactory)


def err_engine(backend: str) -> Any:
    """A (cached) engine on ``backend``'s private area with the bulk-error tables; SQLite enforces FKs."""
    if backend in _ENGINES:
        return _ENGINES[backend]
    from sqlalchemy import create_engine, event

    kwargs: dict[str, Any] = {}
    url = backends.sqlalchemy_url(backend)
    if backend == "postgresql":
        kwargs["connect_args"] = {"options": f"-c search_path={backends.PRIVATE}"}
    if backend == "sqlite":
        url = f"sqlite:///{SQLITE_PATH}"
    engine = create_engine(url, **kwargs)
    if backend == "sqlite":
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

    ErrBase.metadata.create_all(engine)
    _ENGINES[backend] = engine
    return engine


@pytest.fixture(scope="session", autouse=True)
def _err_cleanup() -> Iterator[None]:
    yield
    for engine in _ENGINES.values():
        engine.dispose()
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(SQLITE_PATH + suffix)


@pytest.fixture(params=backends.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn (skipped loudly, or failed in CI, when its server is down)."""
    backends.require(request.param)
    return str(request.param)


@pytest.fixture
def err_session(backend: str) -> Iterator[Any]:
    """A session on the bulk-error tables (fixed in their factories) rolled back after the test."""
    from sqlalchemy.orm import Session

    conn = err_engine(backend).connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    for fac in SA_FACTORIES:
        fac._meta.sqlalchemy_session = session
    try:
        yield session
    finally:
        for fac in SA_FACTORIES:
            fac._meta.sqlalchemy_session = None
        session.close()
        if outer.is_active:
            outer.rollback()
        conn.close()


def ensure_django_tables(alias: str) -> None:
    """Create the bulk-error tables on ``alias`` once per run (outside any transaction)."""
    if alias in _DJANGO_TABLES:
        return
    from django.db import connections

    with connections[alias].schema_editor() as editor:
        for model in DJANGO_MODELS:
            editor.create_model(model)
    _DJANGO_TABLES.add(alias)


@pytest.fixture
def err_alias(backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Django alias with the bulk-error tables; the test runs inside an atomic block rolled back after it."""
    if not DJANGO_READY:
        pytest.skip("!!! Django was configured elsewhere without the tests.orm djapp app")
    from django.db import transaction

    alias = DJANGO_ALIAS[backend]
    blocker = _unblock(request)
    ensure_django_tables(alias)
    for fac in DJ_FACTORIES:
        monkeypatch.setattr(fac._meta, "database", alias)
    atomic = transaction.atomic(using=alias)
    atomic.__enter__()
    try:
        yield alias
    finally:
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)
        if blocker is not None:
            blocker.restore()


def _unblock(request: pytest.FixtureRequest) -> Any:
    try:
        blocker = request.getfixturevalue("django_db_blocker")
    except pytest.FixtureLookupError:
        return None
    blocker.unblock()
    return blocker
