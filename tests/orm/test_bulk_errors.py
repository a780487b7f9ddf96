"""Bulk-error matrix: unique, FK, NOT NULL, CHECK and too long, on SQLite, PostgreSQL and MariaDB,
Django and SQLAlchemy. Each error names factory, row, kind, constraint, column and value, is the
ORM's error class, chains the driver's error, and leaves nothing of the batch behind.
(Deadlocks: test_bulk_deadlock.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

import forge_factories as factory
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.persist import BulkPersistError, alchemy_bulk

from . import bulk_error_db
from . import sa_models as SM
from .bulk_error_db import (
    DRIVER_ERRORS,
    ErrParentFactory,
    ErrRowFactory,
    SAErrParentFactory,
    SAErrRowFactory,
)
from .bulk_error_models import LABEL_MAX, ErrRow, SAErrParent, SAErrRow

# The fixtures of bulk_error_db, requested by name.
_err_cleanup = bulk_error_db._err_cleanup
backend = bulk_error_db.backend
err_alias = bulk_error_db.err_alias
err_session = bulk_error_db.err_session

SIZE, BAD = 12, 7
CASES = ("unique", "foreign key", "not null", "check", "too long")
NO_LENGTH_LIMIT = ("SQLite does not enforce VARCHAR lengths (a column's declared type is only an affinity): "
                   "the long value is stored whole, so no error can occur")


@pytest.fixture(autouse=True)
def _offline() -> Iterator[None]:
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    yield
    factory.configure(provider=previous)


def _batch(case: str, parent_id: int) -> tuple[dict[str, Any], str, Any]:
    """Overrides for a batch whose row BAD breaks ``case``; the offending column and value."""
    codes = [f"c{i}" for i in range(SIZE)]
    labels: list[Any] = ["ok"] * SIZE
    qtys = [1] * SIZE
    parents = [parent_id] * SIZE
    column, value = {
        "unique": ("code", "taken"), "foreign key": ("parent_id", 999_999), "not null": ("label", None),
        "check": ("qty", -1), "too long": ("label", "x" * (LABEL_MAX + 1)),
    }[case]
    {"code": codes, "label": labels, "qty": qtys, "parent_id": parents}[column][BAD] = value
    overrides = {"code": factory.Iterator(codes), "label": factory.Iterator(labels), "qty": factory.Iterator(qtys),
                 "parent_id": factory.Iterator(parents)}
    return overrides, column, value


def _expected_constraint(case: str, backend: str, orm: str) -> str | None:
    """A part of the constraint name the database reports (``None``: it reports none)."""
    table = "sa_err_row" if orm == "sa" else "djapp_errrow"
    names = {
        "unique": f"{table}.code" if backend == "sqlite" else f"uq_{orm if orm == 'sa' else 'dj'}_err_code",
        "foreign key": None if backend == "sqlite" else ("fk_sa_err_parent" if orm == "sa" else "parent_id"),
        "check": f"ck_{'sa' if orm == 'sa' else 'dj'}_err_qty",
    }
    return names.get(case)


def _check(err: BulkPersistError, *, case: str, backend: str, orm: str, name: str, column: str, value: Any) -> None:
    assert (err.factory, err.row, err.size, err.kind) == (name, BAD, SIZE, case)
    assert err.column == column and err.has_value and err.value == value
    expected = _expected_constraint(case, backend, orm)
    if expected is not None:
        assert expected in (err.constraint or ""), err.constraint
    elif case == "foreign key":  # SQLite names no foreign key
        assert err.constraint is None and f"({column}={value!r}) on a foreign key violation" in str(err)
    text = str(err)
    assert f"{name}: bulk insert of {SIZE} rows failed at row {BAD} ({column}=" in text
    assert "INSERT" not in text and "the whole batch was rolled back" in text
    assert not err.transaction_lost


@pytest.mark.parametrize("path", ["fast path", "unit of work"])
@pytest.mark.parametrize("case", CASES)
def test_sqlalchemy_bulk_error_is_named(err_session: Any, backend: str, case: str, path: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import DBAPIError

    if case == "too long" and backend == "sqlite":
        pytest.skip(NO_LENGTH_LIMIT)
    if path == "unit of work":
        monkeypatch.setattr(alchemy_bulk, "core_insert", lambda *args, **kwargs: False)
    parent = SAErrParentFactory.create()
    SAErrRowFactory.create(code="taken", parent_id=parent.id)
    overrides, column, value = _batch(case, parent.id)
    with pytest.raises(BulkPersistError) as info:
        SAErrRowFactory.create_batch(SIZE, **overrides)
    err = info.value
    assert isinstance(err, DBAPIError) and err.orig is err.__cause__
    assert isinstance(err.__cause__, DRIVER_ERRORS[backend]), type(err.__cause__)
    _check(err, case=case, backend=backend, orm="sa", name="SAErrRowFactory", column=column, value=value)
    assert err_session.scalars(select(SAErrRow.code)).all() == ["taken"]
    assert SAErrRowFactory.create_batch(3)[0].id  # the session goes on


@pytest.mark.parametrize("case", CASES)
def test_django_bulk_error_is_named(err_alias: str, backend: str, case: str) -> None:
    from django.db import DatabaseError

    if case == "too long" and backend == "sqlite":
        pytest.skip(NO_LENGTH_LIMIT)
    parent = ErrParentFactory.create()
    ErrRowFactory.create(code="taken", parent=parent)
    overrides, column, value = _batch(case, parent.pk)
    with pytest.raises(BulkPersistError) as info:
        ErrRowFactory.create_batch(SIZE, **overrides)
    err = info.value
    assert isinstance(err, DatabaseError)
    if case == "foreign key" and backend == "sqlite":
        # SQLite reports a deferred key only at COMMIT: forge looks the values up itself, so the
        # cause is forge's own django IntegrityError naming the column and value.
        assert "parent_id contains a value 999999" in str(err.__cause__)
    else:
        assert isinstance(err.__cause__, DRIVER_ERRORS[backend]), type(err.__cause__)
    _check(err, case=case, backend=backend, orm="dj", name="ErrRowFactory", column=column, value=value)
    assert list(ErrRow.objects.using(err_alias).values_list("code", flat=True)) == ["taken"]
    assert len(ErrRowFactory.create_batch(3)) == 3  # the transaction goes on


def test_django_fk_violation_is_named_before_commit_outside_any_atomic_block(backend: str, request: Any,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """In autocommit mode, a dangling key of a deferred FK is named by forge, not raised raw at COMMIT."""
    from django.db import transaction

    from .bulk_error_db import _unblock, ensure_django_tables
    from .conftest import DJANGO_ALIAS

    alias = DJANGO_ALIAS[backend]
    blocker = _unblock(request)
    try:
        ensure_django_tables(alias)
        for fac in (ErrParentFactory, ErrRowFactory):
            monkeypatch.setattr(fac._meta, "database", alias)
        assert transaction.get_autocommit(using=alias)
        parents = [p.pk for p in ErrParentFactory.create_batch(2)]
        ids = [parents[0]] * 5
        ids[3] = 999_999
        with pytest.raises(BulkPersistError) as info:
            ErrRowFactory.create_batch(5, parent_id=factory.Iterator(ids))
        assert (info.value.kind, info.value.row, info.value.value) == ("foreign key", 3, 999_999)
        with pytest.raises(BulkPersistError) as one:
            ErrRowFactory.create(parent_id=999_999)
        assert (one.value.kind, one.value.row, one.value.column) == ("foreign key", 0, "parent_id")
        assert not ErrRow.objects.using(alias).exists()
    finally:
        ErrRow.objects.using(alias).all().delete()
        from .bulk_error_models import ErrParent

        ErrParent.objects.using(alias).all().delete()
        if blocker is not None:
            blocker.restore()


def test_sqlalchemy_commit_persistence_error_is_named_and_the_session_refuses_to_commit(err_session: Any,
                                                                                      backend: str) -> None:
    from sqlalchemy.exc import PendingRollbackError

    parent = SAErrParentFactory.create()
    SAErrRowFactory.create(code="taken", parent_id=parent.id)
    overrides, _, _ = _batch("unique", parent.id)

    class CommittingRowFactory(SAErrRowFactory):
        class Meta:
            sqlalchemy_session_persistence = "commit"

    with pytest.raises(BulkPersistError) as info:
        CommittingRowFactory.create_batch(SIZE, **overrides)
    err = info.value
    assert (err.kind, err.row, err.transaction_lost) == ("unique", None, True)
    assert isinstance(err.__cause__, DRIVER_ERRORS[backend])
    assert "the whole transaction was rolled back" in str(err)
    with pytest.raises(PendingRollbackError):  # the parent and the "taken" row went with it
        err_session.commit()
    err_session.rollback()
    assert err_session.scalars(select(SAErrRow.code)).all() == []


# -- SQLAlchemy fast path: what a stock flush writes; the bisection blames the real row ----------


def test_a_many_to_one_set_to_none_blanks_its_key_as_the_flush_does(err_session: Any) -> None:
    parent = SAErrParentFactory.create()
    stock = SAErrRow(code="stock", label="ok", qty=1, parent=None, parent_id=parent.id)
    err_session.add(stock)
    err_session.flush()
    ours = SAErrRowFactory.create_batch(5, parent=None, parent_id=parent.id)
    assert stock.parent_id is None and all(o.parent_id is None for o in ours)
    err_session.expire_all()
    stored = err_session.scalars(select(SAErrRow.parent_id)).all()
    assert stored == [None] * 6


def test_none_on_a_column_with_a_default_gets_the_default_as_the_flush_does(sa_session: Any) -> None:
    from forge_factories.orm.persist.alchemy_bulk import bulk_insert
    from forge_factories.orm.persist.counting import alchemy_statements

    def shelves(n: int) -> list[SM.SAShelf]:
        return [SM.SAShelf(label=f"s{i}", colour=None, note=None, is_open=True) for i in range(n)]

    stock = shelves(1)[0]
    sa_session.add(stock)
    sa_session.flush()
    ours = shelves(4)
    with alchemy_statements(sa_session.connection()) as log:
        bulk_insert(sa_session, ours, factory_name="F")
    assert len(log.inserts_into("sa_shelf")) == 1  # still the fast path's one executemany
    assert stock.colour == "oak" and all(s.colour == "oak" and s.note is None for s in ours)
    sa_session.expire_all()
    assert sa_session.execute(select(SM.SAShelf.colour, SM.SAShelf.note)).all() == [("oak", None)] * 5


def test_bisection_blames_the_row_the_flush_would_refuse(sa_session: Any) -> None:
    """Row 7,000 alone has ``team=None, team_id=<a saved team>``: the flush writes NULL there (NOT NULL fails)."""
    from .sa_factories import SAMemberFactory, SATeamFactory

    team = SATeamFactory.create()
    size, bad = 8_000, 7_000
    members = [SM.SAMember(team=team, name=f"m{i}") for i in range(size)]
    members[bad] = SM.SAMember(team=None, team_id=team.id, name="dangling")
    from forge_factories.orm.persist.alchemy_bulk import bulk_insert

    with pytest.raises(BulkPersistError) as info:
        bulk_insert(sa_session, members, factory_name=SAMemberFactory.__name__)
    err = info.value
    assert (err.row, err.kind, err.column, err.value) == (bad, "not null", "team_id", None)
    assert sa_session.scalar(select(func.count()).select_from(SM.SAMember)) == 0



def test_django_sqlite_fk_lookup_is_skipped_when_the_connection_checks_no_keys(
        request: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connections

    from .bulk_error_db import _unblock, ensure_django_tables
    from .bulk_error_models import ErrParent

    blocker = _unblock(request)
    connection = connections["default"]  # SQLite
    try:
        ensure_django_tables("default")
        monkeypatch.setattr(ErrRowFactory._meta, "database", "default")
        assert connection.disable_constraint_checking()  # PRAGMA foreign_keys = OFF (outside a transaction)
        rows = ErrRowFactory.create_batch(3, parent_id=999_999)  # SQLite itself accepts them now
        assert [r.parent_id for r in rows] == [999_999] * 3
    finally:
        connection.enable_constraint_checking()
        ErrRow.objects.using("default").all().delete()
        ErrParent.objects.using("default").all().delete()
        if blocker is not None:
            blocker.restore()


def test_django_foreign_keys_stay_deferred_after_a_batch(err_alias: str, backend: str) -> None:
    """The check of a batch's keys leaves the caller's transaction as it was: keys still deferred."""
    from django.db import connections

    if backend != "postgresql":
        pytest.skip("only PostgreSQL lets a transaction switch deferred constraints (SET CONSTRAINTS)")
    parent = ErrParentFactory.create()
    ErrRowFactory.create_batch(3, parent_id=parent.pk)
    with connections[err_alias].cursor() as cursor:  # a dangling key the caller will fix before commit
        cursor.execute("INSERT INTO djapp_errrow (code, label, qty, parent_id) VALUES ('later', 'ok', 1, 999999)")
        cursor.execute("UPDATE djapp_errrow SET parent_id = %s WHERE code = 'later'", [parent.pk])
    assert ErrRow.objects.using(err_alias).count() == 4


def test_sqlalchemy_lost_connection_says_the_transaction_is_gone(backend: str) -> None:
    """The server drops the connection in the middle of the batch: the error says the whole transaction is lost."""
    from sqlalchemy import event
    from sqlalchemy.exc import PendingRollbackError
    from sqlalchemy.orm import Session

    if backend == "sqlite":
        pytest.skip("an SQLite database is a file opened in the process: no server can drop the connection")
    engine = bulk_error_db.err_engine(backend)
    session = Session(engine)
    kill = "SELECT pg_terminate_backend(pg_backend_pid())" if backend == "postgresql" else "KILL CONNECTION_ID()"

    def drop_connection(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO sa_err_row"):
            cursor.execute(kill)

    for fac in bulk_error_db.SA_FACTORIES:
        fac._meta.sqlalchemy_session = session
    try:
        SAErrParentFactory.create_batch(3)
        event.listen(engine, "before_cursor_execute", drop_connection)
        try:
            with pytest.raises(BulkPersistError) as info:
                SAErrRowFactory.create_batch(5)
        finally:
            event.remove(engine, "before_cursor_execute", drop_connection)
        err = info.value
        assert err.transaction_lost and err.row is None and isinstance(err.__cause__, DRIVER_ERRORS[backend])
        assert "the whole transaction was rolled back" in str(err)
        with pytest.raises(PendingRollbackError):
            session.commit()
        session.rollback()  # usable again; the three parents went with the connection
        assert session.scalar(select(func.count()).select_from(SAErrParent)) == 0
    finally:
        session.close()
        for fac in bulk_error_db.SA_FACTORIES:
            fac._meta.sqlalchemy_session = None
