"""SQLAlchemy: add built instances to a session and flush them once, inside a savepoint."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Integer, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, SAWarning
from sqlalchemy.orm.attributes import instance_state

from .alchemy_core import core_insert
from .errors import BulkPersistError, constraint_name, detail_of
from .locate import first_failing_row


class AlchemyBulkIntegrityError(BulkPersistError, IntegrityError):
    """:class:`BulkPersistError` that is also a ``sqlalchemy.exc.IntegrityError``."""

    def __init__(self, factory: str, row: int | None, constraint: str | None, db_message: str, size: int,
                 cause: IntegrityError) -> None:
        BulkPersistError.__init__(self, factory, row, constraint, db_message, size)
        self.statement = cause.statement
        self.params = cause.params
        self.orig = cause.orig
        self.connection_invalidated = False
        self.detail = []


def sqlite_integer_key(mapper: Any) -> Any:
    """The mapped attribute key of a single SQLite-generated integer primary key, else ``None``."""
    if mapper.inherits is not None or len(mapper.primary_key) != 1 or len(mapper.tables) != 1:
        return None
    col = mapper.primary_key[0]
    if not isinstance(col.type, Integer) or col.default is not None or col.server_default is not None:
        return None
    if col.autoincrement not in (True, "auto") or col.foreign_keys:
        return None
    return mapper.get_property_by_column(col).key


def assign_sqlite_keys(session: Any, objs: list[Any]) -> list[Any]:
    """Give new objects of an SQLite integer-key table the ids SQLite would give them.

    SQLite cannot return generated keys of a multi-row insert in a guaranteed order, so
    SQLAlchemy inserts such objects one statement per row. The ids SQLite would assign are
    ``max(rowid, sqlite_sequence) + 1, + 2, ...``; setting them client-side lets the flush
    batch the rows. A concurrent writer between the read and the insert makes the insert
    fail loudly on the primary key (never a silent clash). Returns the objects given an id.
    """
    if not objs:
        return []
    mapper = inspect(type(objs[0]))
    bind = session.get_bind(mapper=mapper)
    if bind.dialect.name != "sqlite":
        return []
    key = sqlite_integer_key(mapper)
    if key is None:
        return []
    todo = [o for o in objs if type(o) is mapper.class_ and getattr(o, key) is None]
    if len(todo) < 2:
        return []
    table = mapper.local_table
    conn = session.connection(bind_arguments={"mapper": mapper})
    start = conn.execute(select(func.max(mapper.primary_key[0]))).scalar() or 0
    if table.dialect_options["sqlite"].get("autoincrement"):
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :n"), {"n": table.name}).scalar()
        start = max(start, seq or 0)
    for i, obj in enumerate(todo, 1):
        setattr(obj, key, start + i)
    return todo


@contextmanager
def _quiet_backrefs() -> Iterator[None]:
    # Opening the savepoint flushes the session; a saved parent whose backref collection already
    # lists the new (not yet added) children makes SQLAlchemy warn that it skips them. They are
    # inserted right after, in the savepoint, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*not in session, add operation along", category=SAWarning)
        yield


def ensure_sqlite_transaction(session: Any, mapper: Any = None) -> None:
    """Make pysqlite start the real transaction before a SAVEPOINT.

    In pysqlite's default (legacy) transaction mode no ``BEGIN`` is sent before a
    ``SAVEPOINT``; the savepoint then opens the transaction and releasing it commits, so a
    later ``session.rollback()`` would not undo the batch. Sending ``BEGIN`` first keeps the
    batch inside the session's transaction. Other databases and drivers are left alone.
    """
    conn = session.connection(bind_arguments={"mapper": mapper} if mapper is not None else None)
    if conn.dialect.name != "sqlite":
        return
    dbapi = conn.connection.dbapi_connection
    if getattr(dbapi, "isolation_level", None) is not None and not getattr(dbapi, "in_transaction", True):
        conn.exec_driver_sql("BEGIN")


def bulk_insert(session: Any, objs: list[Any], *, factory_name: str, flush: bool = True, fast: bool = True) -> None:
    """Add ``objs`` to ``session`` and flush them in one unit of work inside a savepoint.

    Plain objects go in with one executemany and end as a flush leaves them (``fast``, see
    :func:`~forge_factories.persist.alchemy_core.core_insert`); others through the unit of
    work, which batches the INSERTs (insertmanyvalues with RETURNING on PostgreSQL and
    MariaDB; client-side ids on SQLite, see :func:`assign_sqlite_keys`). Objects already
    saved (a parent's fast path inserts the new objects of its collections, as the flush
    would) are only flushed. With ``flush=False`` the objects are only added (the caller's
    next flush writes them). On an ``IntegrityError`` the savepoint is rolled back, so
    nothing of the batch stays in the session or the database, and
    :class:`AlchemyBulkIntegrityError` names the row.
    """
    if not objs:
        return
    if not flush:
        session.add_all(objs)
        return
    if len(objs) == 1:
        # One row: the same statements as factory_boy's session.add() + flush(), no savepoint.
        session.add(objs[0])
        try:
            session.flush()
        except IntegrityError as exc:
            raise AlchemyBulkIntegrityError(factory_name, 0, constraint_name(exc), detail_of(exc), 1, exc) from exc
        return
    if all(_saved_unchanged(session, o) for o in objs):
        # Saved already (new objects of a parent's collection, inserted with it): add_all would
        # only walk their cascades, the flush has nothing of theirs to write.
        session.flush()
        return
    ensure_sqlite_transaction(session, inspect(type(objs[0])))
    assigned: list[Any] = []
    try:
        with _quiet_backrefs(), session.begin_nested():
            if not (fast and core_insert(session, objs)):
                assigned = assign_sqlite_keys(session, objs)
                session.add_all(objs)
                session.flush()
    except IntegrityError as exc:
        _reset_keys(assigned)
        assigned = []

        def prefix_fails(k: int) -> bool:
            savepoint = session.begin_nested()
            try:
                session.add_all(objs[:k])
                session.flush()
                return False
            except IntegrityError:
                return True
            finally:
                savepoint.rollback()

        row = first_failing_row(len(objs), prefix_fails)
        _reset_keys(assigned)
        raise AlchemyBulkIntegrityError(
            factory_name, row, constraint_name(exc), detail_of(exc), len(objs), exc
        ) from exc


def _saved_unchanged(session: Any, obj: Any) -> bool:
    state = instance_state(obj)
    return state.key is not None and state.session_id == session.hash_key and not state.modified \
        and not state.deleted


def commit_all(session: Any, objs: list[Any], *, factory_name: str) -> None:
    """``sqlalchemy_session_persistence = "commit"``: add ``objs`` and commit once.

    The commit flushes the batch in one unit of work; on an ``IntegrityError`` the session is
    rolled back (the transaction is lost anyway) and :class:`AlchemyBulkIntegrityError` raised.
    """
    assigned = assign_sqlite_keys(session, objs)
    session.add_all(objs)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        _reset_keys(assigned)
        raise AlchemyBulkIntegrityError(
            factory_name, 0 if len(objs) == 1 else None, constraint_name(exc), detail_of(exc), len(objs), exc
        ) from exc


def _reset_keys(objs: list[Any]) -> None:
    if objs:
        key = sqlite_integer_key(inspect(type(objs[0])))
        for obj in objs:
            setattr(obj, key, None)
