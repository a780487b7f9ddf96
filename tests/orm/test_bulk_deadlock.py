"""Bulk-error matrix, deadlock row: two connections lock two rows in opposite order.

The test's transaction locks row 1, another connection locks row 2 and waits for row 1, then
the batch's INSERT asks for row 2. The database picks the test's transaction as the victim
(PostgreSQL: it runs its deadlock check first; MariaDB: it has written less). The error must
say deadlock (not MariaDB's ``SAVEPOINT ... does not exist``), chain the driver's error, and
no later commit may silently drop what the transaction wrote before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg
import pymysql
import pytest

import forge_factories as factory
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.persist import BulkPersistError, alchemy_bulk

from . import backends, bulk_error_db
from .bulk_error_db import (
    DRIVER_ERRORS,
    SA_FACTORIES,
    ErrParentFactory,
    ErrRowFactory,
    SAErrParentFactory,
    SAErrRowFactory,
    _unblock,
    ensure_django_tables,
    err_engine,
)
from .bulk_error_models import ErrLock, ErrParent, ErrRow, SAErrLock, SAErrParent, SAErrRow

# The fixtures of bulk_error_db, requested by name.
_err_cleanup = bulk_error_db._err_cleanup
backend = bulk_error_db.backend

NO_DEADLOCK = ("SQLite has no row locks: one writer holds the whole database, a second one waits for it or "
               "gets SQLITE_BUSY ('database is locked'), so two connections cannot deadlock")


@pytest.fixture(autouse=True)
def _offline() -> Iterator[None]:
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    yield
    factory.configure(provider=previous)


def _raw(backend: str) -> Any:
    if backend == "postgresql":
        return psycopg.connect(**backends.PG, options=f"-c search_path={backends.PRIVATE}")  # type: ignore[arg-type]
    return pymysql.connect(**{**backends.MARIA, "database": backends.PRIVATE})  # type: ignore[arg-type]


def _seed_locks(backend: str, table: str) -> None:
    conn = _raw(backend)
    try:
        with conn.cursor() as cur:
            cur.execute(f"DELETE FROM {table}")
            cur.execute(f"INSERT INTO {table} (id, v) VALUES (1, 0), (2, 0)")
        conn.commit()
    finally:
        conn.close()


def _waiting(backend: str, monitor: Any, ident: int, statement: str) -> bool:
    """Whether the connection ``ident`` waits for a row lock while running ``statement``."""
    with monitor.cursor() as cur:
        if backend == "postgresql":
            cur.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (ident,))
            row = cur.fetchone()
            return row is not None and row[0] == "Lock"
        # MariaDB 10.11.19 was seen reporting a waiting transaction under an earlier, closed
        # connection's id in INNODB_TRX: the statement (run only by this test, in its private
        # database) identifies it too.
        cur.execute("SELECT trx_state FROM information_schema.INNODB_TRX "
                    "WHERE trx_mysql_thread_id = %s OR trx_query = %s", (ident, statement))
        return any(state == "LOCK WAIT" for (state,) in cur.fetchall())


@contextmanager
def other_transaction(backend: str, table: str) -> Iterator[threading.Thread]:
    """Another connection holding row 2 of ``table`` and waiting for row 1; joined on exit."""
    ready = threading.Event()
    waits_for_row_1 = f"UPDATE {table} SET v = v + 1 WHERE id = 1"
    ident: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        conn = _raw(backend)
        try:
            with conn.cursor() as cur:
                if backend == "postgresql":
                    cur.execute("SET deadlock_timeout = '60s'")  # the test's side runs the deadlock check
                    cur.execute("SELECT pg_backend_pid()")
                else:
                    cur.execute("SELECT CONNECTION_ID()")
                ident.append(int(cur.fetchone()[0]))
                cur.execute(f"UPDATE {table} SET v = v + 1 WHERE id = 2")
                if backend == "mariadb":  # heavier than the test's transaction: InnoDB rolls back the lighter
                    cur.executemany(f"INSERT INTO {table} (id, v) VALUES (%s, 0)", [(i,) for i in range(100, 400)])
                ready.set()
                cur.execute(waits_for_row_1)
            conn.rollback()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
            ready.set()
        finally:
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait()
    assert not errors, errors
    monitor = _raw(backend)
    try:
        monitor.autocommit = True
        for _ in range(3000):  # a guard against a hang, not a timing assertion
            if _waiting(backend, monitor, ident[0], waits_for_row_1):
                break
            time.sleep(0.01)
        else:
            pytest.fail("the other transaction never waited for row 1")
    finally:
        monitor.close()
    try:
        yield thread
    finally:
        thread.join(60)
        assert not thread.is_alive() and not errors, errors


def _check_deadlock(err: BulkPersistError, backend: str, name: str) -> None:
    text = str(err)
    assert err.kind == "deadlock" and err.factory == name and err.row in (None, 0)
    assert "deadlock" in text.lower() and "SAVEPOINT" not in text, text
    assert isinstance(err.__cause__, DRIVER_ERRORS[backend]), type(err.__cause__)
    assert err.transaction_lost is (backend == "mariadb")
    if backend == "mariadb":
        assert "the whole transaction was rolled back" in text
    else:
        assert "the whole batch was rolled back" in text


# -- SQLAlchemy -----------------------------------------------------------------------------------


@pytest.fixture
def sa_locked(backend: str) -> Iterator[Any]:
    """A session (fixed in the SQLAlchemy factories) whose transaction holds lock row 1; tables emptied after."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    if backend == "sqlite":
        pytest.skip(NO_DEADLOCK)
    engine = err_engine(backend)
    _seed_locks(backend, "sa_err_lock")
    session = Session(engine)
    for fac in SA_FACTORIES:
        fac._meta.sqlalchemy_session = session
    try:
        session.execute(text("UPDATE sa_err_lock SET v = v + 1 WHERE id = 1"))
        if backend == "postgresql":
            session.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
        yield session
    finally:
        session.rollback()
        session.close()
        for fac in SA_FACTORIES:
            fac._meta.sqlalchemy_session = None
        with engine.begin() as conn:
            for model in (SAErrRow, SAErrParent, SAErrLock):
                conn.execute(model.__table__.delete())


@contextmanager
def sa_insert_locks_row_2(engine: Any, nth: int) -> Iterator[list[str]]:
    """The ``nth`` INSERT into sa_err_row first asks for lock row 2; yields the INSERTs seen."""
    from sqlalchemy import event

    inserts: list[str] = []

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO sa_err_row"):
            inserts.append(statement)
            if len(inserts) == nth:
                cursor.execute("UPDATE sa_err_lock SET v = v + 1 WHERE id = 2")

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield inserts
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def _sa_counts(engine: Any) -> tuple[list[int], int]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    with Session(engine) as check:
        return sorted(check.scalars(select(SAErrParent.id))), int(check.scalar(select(func.count()).select_from(SAErrRow)))


@pytest.mark.parametrize("path", ["fast path", "unit of work", "one row in the caller's savepoint"])
def test_sqlalchemy_deadlock_is_named_and_commit_cannot_drop_rows_silently(
        sa_locked: Any, backend: str, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError, PendingRollbackError

    session = sa_locked
    if path == "unit of work":
        monkeypatch.setattr(alchemy_bulk, "core_insert", lambda *args, **kwargs: False)
    earlier = [p.id for p in SAErrParentFactory.create_batch(3)]  # written earlier in the transaction
    with other_transaction(backend, "sa_err_lock"):
        with sa_insert_locks_row_2(session.get_bind(), 1), pytest.raises(BulkPersistError) as info:
            if path.startswith("one row"):
                with session.begin_nested():
                    SAErrRowFactory.create()
            else:
                SAErrRowFactory.create_batch(5)
        err = info.value
        assert isinstance(err, OperationalError)
        _check_deadlock(err, backend, "SAErrRowFactory")
        if backend == "mariadb":
            # The database dropped the transaction with the three parents: commit refuses.
            with pytest.raises(PendingRollbackError):
                session.commit()
            with pytest.raises(PendingRollbackError):
                session.commit()
            session.rollback()
            assert session.scalar(select(func.count()).select_from(SAErrParent)) == 0
        else:
            session.commit()  # only the batch's savepoint was rolled back: the parents are kept
    assert _sa_counts(session.get_bind()) == ((sorted(earlier) if backend == "postgresql" else []), 0)


def _taken_codes() -> Any:
    codes = [f"c{i}" for i in range(12)]
    codes[7] = "taken"
    return factory.Iterator(codes)


def test_sqlalchemy_deadlock_while_locating_the_row_stops_the_search(sa_locked: Any, backend: str) -> None:
    """The batch fails on a duplicate; the first trial insert of the bisection deadlocks."""
    from sqlalchemy import select
    from sqlalchemy.exc import PendingRollbackError

    session = sa_locked
    SAErrRowFactory.create(code="taken")
    with other_transaction(backend, "sa_err_lock"):
        with sa_insert_locks_row_2(session.get_bind(), 2) as inserts, pytest.raises(BulkPersistError) as info:
            SAErrRowFactory.create_batch(12, code=_taken_codes())
        err = info.value
        assert err.row is None and isinstance(err.__cause__, DRIVER_ERRORS[backend])
        assert len(inserts) == 2  # the search stopped at the deadlock
        if backend == "mariadb":
            _check_deadlock(err, backend, "SAErrRowFactory")
            with pytest.raises(PendingRollbackError):
                session.commit()
            session.rollback()
        else:  # the trial's savepoint went back: the duplicate is reported, without a row
            assert (err.kind, err.transaction_lost) == ("unique", False)
            assert session.scalars(select(SAErrRow.code)).all() == ["taken"]
            session.commit()
    assert _sa_counts(session.get_bind())[1] == (1 if backend == "postgresql" else 0)


# -- Django ---------------------------------------------------------------------------------------


@pytest.fixture
def dj_locks(backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Django alias with the bulk-error tables and lock rows (autocommit: the test opens its atomic block)."""
    if backend == "sqlite":
        pytest.skip(NO_DEADLOCK)
    from .conftest import DJANGO_ALIAS

    alias = DJANGO_ALIAS[backend]
    blocker = _unblock(request)
    try:
        ensure_django_tables(alias)
        for fac in (ErrParentFactory, ErrRowFactory):
            monkeypatch.setattr(fac._meta, "database", alias)
        _seed_locks(backend, "djapp_errlock")
        yield alias
    finally:
        ErrLock.objects.using(alias).all().delete()
        if blocker is not None:
            blocker.restore()


def _dj_lock_row_1(alias: str, backend: str) -> None:
    from django.db import connections

    with connections[alias].cursor() as cur:
        cur.execute("UPDATE djapp_errlock SET v = v + 1 WHERE id = 1")
        if backend == "postgresql":
            cur.execute("SET LOCAL deadlock_timeout = '50ms'")


@contextmanager
def dj_insert_locks_row_2(alias: str, nth: int) -> Iterator[list[str]]:
    """The ``nth`` INSERT into djapp_errrow first asks for lock row 2; yields the INSERTs seen."""
    from django.db import connections

    inserts: list[str] = []

    def hook(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("INSERT INTO") and "djapp_errrow" in sql:
            inserts.append(sql)
            if len(inserts) == nth:
                context["cursor"].execute("UPDATE djapp_errlock SET v = v + 1 WHERE id = 2")
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(hook):
        yield inserts


def test_django_deadlock_is_named_and_the_transaction_refuses_to_go_on(dj_locks: str, backend: str) -> None:
    from django.db import OperationalError, connections, transaction
    from django.db.transaction import TransactionManagementError

    alias, connection = dj_locks, connections[dj_locks]
    with ExitStack() as joined_last, transaction.atomic(using=alias):
        earlier = [p.pk for p in ErrParentFactory.create_batch(3)]
        _dj_lock_row_1(alias, backend)
        joined_last.enter_context(other_transaction(backend, "djapp_errlock"))
        with dj_insert_locks_row_2(alias, 1), pytest.raises(BulkPersistError) as info:
            ErrRowFactory.create_batch(5)
        err = info.value
        assert isinstance(err, OperationalError)
        _check_deadlock(err, backend, "ErrRowFactory")
        if backend == "mariadb":
            # Django marks the block for rollback: no query runs, nothing commits in it.
            assert connection.needs_rollback
            with pytest.raises(TransactionManagementError):
                ErrParent.objects.using(alias).count()
        else:
            assert sorted(ErrParent.objects.using(alias).values_list("pk", flat=True)) == sorted(earlier)
            assert not ErrRow.objects.using(alias).exists()
            transaction.set_rollback(True, using=alias)
    assert not ErrParent.objects.using(alias).exists()


def test_django_deadlock_while_locating_the_row_stops_the_search(dj_locks: str, backend: str) -> None:
    from django.db import connections, transaction

    alias, connection = dj_locks, connections[dj_locks]
    with ExitStack() as joined_last, transaction.atomic(using=alias):
        ErrRowFactory.create(code="taken")
        _dj_lock_row_1(alias, backend)
        joined_last.enter_context(other_transaction(backend, "djapp_errlock"))
        with dj_insert_locks_row_2(alias, 2) as inserts, pytest.raises(BulkPersistError) as info:
            ErrRowFactory.create_batch(12, code=_taken_codes())
        err = info.value
        assert err.row is None and isinstance(err.__cause__, DRIVER_ERRORS[backend])
        assert len(inserts) == 2  # the search stopped at the deadlock
        if backend == "mariadb":
            _check_deadlock(err, backend, "ErrRowFactory")
            assert connection.needs_rollback
        else:
            assert (err.kind, err.transaction_lost) == ("unique", False)
            assert list(ErrRow.objects.using(alias).values_list("code", flat=True)) == ["taken"]
            transaction.set_rollback(True, using=alias)
