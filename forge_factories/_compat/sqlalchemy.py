"""SQLAlchemy internals: the two flush steps of ``Session``, and ``_sa_instance_state``.

After a Core executemany wrote the rows, the objects must end in the state ``Session.add``
+ ``Session.flush`` leaves them in: in the identity map, primary key set, committed state
clean, and recorded as *new in the current transaction*, so that a rollback (of the
transaction or of an enclosing SAVEPOINT) expunges them back to transient like any flushed
object. No public API does that last part: ``make_transient_to_detached`` + ``Session.add``
attaches them as pre-existing rows (a rollback only expires them, and their rows are gone),
and ``Session.merge`` copies them. So :func:`attach_as_flushed` performs the two steps of a
flush through the two session methods the flush itself uses (SQLAlchemy 2.0 and 2.1):

* ``Session._save_impl(state)``: what ``Session.add`` does to a transient object once its
  save-update cascade is walked (``before_attach``, ``after_attach`` and
  ``transient_to_pending`` events, entry in ``Session.new``). Callers only use this when that
  cascade has nothing to add: no loaded related object outside the session.
* ``Session._register_persistent(states)``: what ``UOWTransaction.finalize_flush_changes``
  calls after the INSERTs (identity key, identity map, committed state,
  ``pending_to_persistent`` event, registration as new in the transaction).

The probe runs both on an in-memory SQLite database and checks the result (persistent,
identity map, rollback back to transient). Fallback: :func:`attach_supported` is ``False``
and the caller saves through the unit of work (``add_all`` + flush: same end state, slower).
``tests/orm/test_alchemy_attach.py`` and ``tests/orm/test_compat_orm.py`` compare both with
``add`` + ``flush`` on every backend.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from . import Probe

__all__ = ["attach_as_flushed", "attach_supported", "is_mapped_instance", "standard_conforming_strings"]


def _check_attach() -> bool:
    from sqlalchemy import Column, Integer, String, Table, create_engine, insert, inspect
    from sqlalchemy.orm import Session, registry

    reg = registry()
    table = Table("forge_compat_probe", reg.metadata, Column("id", Integer, primary_key=True), Column("name", String(10)))

    class _Row:
        pass

    reg.map_imperatively(_Row, table)
    engine = create_engine("sqlite://")
    try:
        reg.metadata.create_all(engine)
        with Session(engine) as session:
            obj: Any = _Row()
            obj.id, obj.name = 1, "a"
            session.connection().execute(insert(table), [{"id": 1, "name": "a"}])
            state = inspect(obj)
            _attach(session, [state])
            ok = state.persistent and session.get(_Row, 1) is obj and not session.new and not session.dirty
            session.rollback()
            return bool(ok and state.transient and not session.identity_map)
    finally:
        engine.dispose()
        reg.dispose()


ATTACH = Probe("sqlalchemy.Session._save_impl+_register_persistent", _check_attach)


def _attach(session: Any, states: Sequence[Any]) -> None:
    save = session._save_impl
    for state in states:
        save(state)
    session._register_persistent(set(states))


def attach_supported(session: Any) -> bool:
    """Whether ``session`` can take :func:`attach_as_flushed` (else save through the unit of work)."""
    return (ATTACH() and callable(getattr(session, "_save_impl", None))
            and callable(getattr(session, "_register_persistent", None)))


def attach_as_flushed(session: Any, states: Sequence[Any]) -> None:
    """Move transient ``states`` (rows already inserted, primary keys set) to persistent in ``session``.

    Only when :func:`attach_supported`. The states' save-update cascade must have nothing to
    add (no loaded related object outside ``session``); the caller checks it. Same events,
    identity map entries and transaction bookkeeping as ``session.add(obj)`` followed by a
    flush that inserted them.
    """
    _attach(session, states)


def _check_instance_state() -> bool:
    from sqlalchemy import Column, Integer, Table, inspect
    from sqlalchemy.orm import registry

    reg = registry()
    table = Table("forge_compat_probe", reg.metadata, Column("id", Integer, primary_key=True))

    class _Row:
        pass

    reg.map_imperatively(_Row, table)
    try:
        obj = _Row()
        return bool(obj._sa_instance_state is inspect(obj) and not hasattr(object(), "_sa_instance_state"))  # type: ignore[attr-defined]
    finally:
        reg.dispose()


INSTANCE_STATE = Probe("sqlalchemy._sa_instance_state", _check_instance_state)


def is_mapped_instance(obj: Any) -> bool:
    """Whether ``obj`` is an instance of a SQLAlchemy-mapped class.

    Fast: the ``_sa_instance_state`` attribute instrumentation sets. Fallback:
    ``sqlalchemy.inspect(obj, raiseerr=False)``. Never imports SQLAlchemy (an optional
    dependency): when it is not imported, nothing is mapped.
    """
    if "sqlalchemy" not in sys.modules:  # nothing can be mapped; and SQLAlchemy is optional
        return False
    if INSTANCE_STATE():
        return hasattr(obj, "_sa_instance_state")
    from sqlalchemy import inspect
    from sqlalchemy.orm import InstanceState

    return isinstance(inspect(obj, raiseerr=False), InstanceState)


# -- PostgreSQL string literals without a connection ----------------------------------------------

def _renders_standard(dialect: Any) -> bool:
    from sqlalchemy import literal

    text = literal("a\\b").compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return str(text) == "'a\\b'"


def _check_backslash_escapes() -> bool:
    from sqlalchemy.dialects import postgresql

    dialect: Any = postgresql.dialect(paramstyle="named")
    if _renders_standard(dialect):  # SQLAlchemy 2.1: nothing to set
        return True
    if not isinstance(getattr(dialect, "_backslash_escapes", None), bool):
        return False
    dialect._backslash_escapes = False
    return _renders_standard(dialect)


BACKSLASH_ESCAPES = Probe("sqlalchemy.PGDialect._backslash_escapes", _check_backslash_escapes)


def standard_conforming_strings(dialect: Any) -> None:
    """Make an unconnected PostgreSQL ``dialect`` write string literals for
    ``standard_conforming_strings = on`` (PostgreSQL's default since 9.1): ``'a\\b'`` stays as is.

    SQLAlchemy 2.0 assumes the setting off until a connection says otherwise, and doubles
    every backslash (a SQL file loaded by ``psql`` then holds two); 2.1 assumes it on.
    Fast: ``dialect._backslash_escapes = False``, the attribute the connection would set.
    No public fallback: raises ``RuntimeError`` rather than write doubled backslashes.
    """
    if dialect.name != "postgresql" or _renders_standard(dialect):
        return
    if not BACKSLASH_ESCAPES():
        raise RuntimeError(
            f"SQLAlchemy {_version()} renders PostgreSQL string literals with doubled backslashes and forge "
            "cannot switch that off: use SQLAlchemy 2.1 for SQL export to PostgreSQL")
    dialect._backslash_escapes = False


def _version() -> str:
    import sqlalchemy

    return str(sqlalchemy.__version__)
