"""SQLAlchemy: add built instances to a session and flush them once, inside a savepoint."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Integer, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, SAWarning
from sqlalchemy.orm.attributes import instance_dict, instance_state

from forge_factories.orm.persist.alchemy_core import core_insert
from forge_factories.orm.persist.alchemy_errors import (
    AlchemyBulkIntegrityError,
    AlchemyFacts,
    named,
    real_error,
)
from forge_factories.orm.persist.errors import ROW_KINDS, classify, driver_error
from forge_factories.orm.persist.locate import first_failing_row

__all__ = ["AlchemyBulkIntegrityError", "assign_sqlite_keys", "bulk_insert", "commit_all", "ensure_sqlite_transaction"]
_ABSENT: Any = object()


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
    :func:`~forge_factories.orm.persist.alchemy_core.core_insert`); others through the unit of
    work, which batches the INSERTs (insertmanyvalues with RETURNING on PostgreSQL and
    MariaDB; client-side ids on SQLite, see :func:`assign_sqlite_keys`). Objects already
    saved (a parent's fast path inserts the new objects of its collections, as the flush
    would) are only flushed. With ``flush=False`` the objects are only added (the caller's
    next flush writes them). On any database error the savepoint is rolled back, so nothing
    of the batch stays in the session or the database, the failing row is located by
    bisection (same insert path, throwaway savepoints) when a row's value caused it, and a
    :class:`~forge_factories.orm.persist.BulkPersistError` that is also the SQLAlchemy error's
    class is raised from it. When the database dropped the whole transaction (a MariaDB
    deadlock), the session's connection is invalidated first: the savepoints are not rolled
    back over a missing transaction, and the session refuses to commit until rolled back.
    """
    if not objs:
        return
    if not flush:
        session.add_all(objs)
        return
    mapper = inspect(type(objs[0]))
    if len(objs) == 1:
        # One row: the same statements as factory_boy's session.add() + flush(), no savepoint.
        session.add(objs[0])
        conn = session.connection(bind_arguments={"mapper": mapper})
        try:
            session.flush()
        except DBAPIError as exc:
            cause, lost = real_error(exc)
            if cause is None:
                raise
            if lost:
                conn.invalidate()  # an enclosing SAVEPOINT is gone with the transaction: commit must refuse
            lost = lost or conn.invalidated
            raise named(cause, factory=factory_name, row=0, size=1, facts=AlchemyFacts(mapper), obj=objs[0],
                        lost=lost) from driver_error(cause)
        return
    if all(_saved_unchanged(session, o) for o in objs):
        # Saved already (new objects of a parent's collection, inserted with it): add_all would
        # only walk their cascades, the flush has nothing of theirs to write.
        session.flush()
        return
    ensure_sqlite_transaction(session, mapper)
    conn = session.connection(bind_arguments={"mapper": mapper})
    keys = _keys_before(mapper, objs)
    paths: list[bool] = []
    try:
        with _quiet_backrefs(), session.begin_nested():
            try:
                _write(session, objs, fast, paths=paths)
            except DBAPIError as exc:
                if real_error(exc)[1]:
                    conn.invalidate()  # the transaction is gone: no ROLLBACK TO a savepoint that is gone too
                raise
    except DBAPIError as exc:
        _restore_keys(keys)
        cause, lost = real_error(exc)
        if cause is None:
            raise
        lost = lost or conn.invalidated  # a lost connection (a disconnect) took the transaction with it
        row = None
        if not lost and classify(cause) in ROW_KINDS:
            try:
                row = _bisect(session, objs, bool(paths and paths[0]), keys, conn)
            except _BisectionStopped as stop:
                if stop.lost is not None:
                    cause, lost = stop.lost, True
        raise named(cause, factory=factory_name, row=row, size=len(objs), facts=AlchemyFacts(mapper),
                    obj=objs[row] if row is not None else None, lost=lost) from driver_error(cause)


def _write(session: Any, objs: list[Any], fast: bool, min_rows: int = 2, paths: list[bool] | None = None) -> None:
    """Insert ``objs``: fast path if allowed and applicable, else the unit of work; ``paths`` gets which."""
    if fast:
        try:
            done = core_insert(session, objs, min_rows=min_rows)
        except DBAPIError:
            if paths is not None:
                paths.append(True)
            raise
        if done:
            return
    if paths is not None:
        paths.append(False)
    assign_sqlite_keys(session, objs)
    session.add_all(objs)
    session.flush()


class _BisectionStopped(Exception):
    """A try failed on something no row caused; ``lost`` is its error when it lost the transaction."""

    def __init__(self, lost: DBAPIError | None) -> None:
        super().__init__(str(lost))
        self.lost = lost


def _bisect(session: Any, objs: list[Any], fast: bool, keys: _Keys | None, conn: Any) -> int | None:
    """The first row whose insert fails, trying prefixes the way the batch was written.

    Each prefix is inserted in a throwaway savepoint; the objects get their primary keys
    back (none) after each try, so the next one is sent as the batch was. A try that fails
    on something no row caused (a deadlock) stops the search (:class:`_BisectionStopped`);
    one that lost the transaction invalidates ``conn`` first.
    """

    def prefix_fails(k: int) -> bool:
        savepoint = session.begin_nested()
        try:
            _write(session, objs[:k], fast, min_rows=1)
            return False
        except DBAPIError as exc:
            cause, lost = real_error(exc)
            if lost and cause is not None:
                conn.invalidate()
                raise _BisectionStopped(cause) from exc
            if cause is None or classify(cause) not in ROW_KINDS:
                raise _BisectionStopped(None) from exc
            return True
        finally:
            savepoint.rollback()
            _restore_keys(keys)

    return first_failing_row(len(objs), prefix_fails)


_Keys = tuple[list[Any], str, list[Any]]  # objects, primary key attribute, its values before the batch


def _keys_before(mapper: Any, objs: list[Any]) -> _Keys | None:
    if len(mapper.primary_key) != 1:
        return None
    key = mapper.get_property_by_column(mapper.primary_key[0]).key
    return objs, key, [instance_dict(o).get(key, _ABSENT) for o in objs]


def _restore_keys(keys: _Keys | None) -> None:
    """Objects of a failed batch that are transient again get back the primary keys they had (none)."""
    if keys is None:
        return
    objs, key, values = keys
    for obj, value in zip(objs, values, strict=True):
        state = instance_state(obj)
        if state.key is not None:
            continue
        if value is _ABSENT:
            state.dict.pop(key, None)
        else:
            state.dict[key] = value


def _saved_unchanged(session: Any, obj: Any) -> bool:
    state = instance_state(obj)
    return state.key is not None and state.session_id == session.hash_key and not state.modified \
        and not state.deleted


def commit_all(session: Any, objs: list[Any], *, factory_name: str) -> None:
    """``sqlalchemy_session_persistence = "commit"``: add ``objs`` and commit once.

    The commit flushes the batch in one unit of work. On a database error SQLAlchemy rolls
    the whole transaction back and the session refuses to go on until ``rollback()`` (as
    with factory_boy); the named bulk error says so.
    """
    mapper = inspect(type(objs[0]))
    keys = _keys_before(mapper, objs)
    assign_sqlite_keys(session, objs)
    session.add_all(objs)
    try:
        session.commit()
    except DBAPIError as exc:
        _restore_keys(keys)
        cause, _ = real_error(exc)
        if cause is None:
            raise
        row = 0 if len(objs) == 1 else None
        raise named(cause, factory=factory_name, row=row, size=len(objs), facts=AlchemyFacts(mapper),
                    obj=objs[0] if row == 0 else None, lost=True) from driver_error(cause)
