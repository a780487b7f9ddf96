"""Django: insert built instances with one ``bulk_create`` inside a savepoint."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, IntegrityError, connections, models, transaction
from django.db.transaction import TransactionManagementError

from forge_factories.orm.persist.django_sqlite import sqlite_executemany
from forge_factories.orm.persist.errors import (
    ROW_KINDS,
    BulkPersistError,
    bulk_error,
    classify,
    columns_in,
    driver_error,
    transaction_lost,
)
from forge_factories.orm.persist.locate import first_failing_row


class DjangoBulkIntegrityError(BulkPersistError, IntegrityError):
    """:class:`BulkPersistError` that is also a ``django.db.IntegrityError``."""


_CLASSES: dict[type, type[BulkPersistError]] = {IntegrityError: DjangoBulkIntegrityError}


def error_class(cause: BaseException) -> type[BulkPersistError]:
    """The :class:`BulkPersistError` subclass that is also ``cause``'s Django class (``DataError``...)."""
    base = next((c for c in type(cause).__mro__ if issubclass(c, DatabaseError) and c.__module__ == "django.db.utils"),
                DatabaseError)
    if base not in _CLASSES:
        doc = f":class:`BulkPersistError` that is also a ``django.db.{base.__name__}``."
        _CLASSES[base] = type(f"DjangoBulk{base.__name__}", (BulkPersistError, base), {"__doc__": doc})
    return _CLASSES[base]


class _Rollback(Exception):
    pass


class DjangoFacts:
    """What the bulk error reads off a model: constraint columns, string limits, row values."""

    def __init__(self, model: Any) -> None:
        self.opts = model._meta.concrete_model._meta
        self.fields = {f.column: f for f in self.opts.concrete_fields}

    def columns_of(self, constraint: str) -> list[str]:
        """Columns of the named ``Meta.constraints`` entry; else the column names found in the name."""
        for item in self.opts.constraints:
            if item.name != constraint:
                continue
            if getattr(item, "fields", None):
                return [self.opts.get_field(name).column for name in item.fields]
            condition = getattr(item, "condition", None) or getattr(item, "check", None)
            if condition is not None:
                names = {self.opts.get_field(n).column for n in _q_names(condition) if _has_field(self.opts, n)}
                return sorted(names)
        return columns_in(constraint, list(self.fields))

    def fk_columns(self) -> list[str]:
        """Columns with a database foreign key."""
        return [f.column for f in _foreign_keys(self.opts)]

    def max_lengths(self) -> dict[str, int]:
        """Column -> ``max_length`` of its CharField."""
        return {c: f.max_length for c, f in self.fields.items() if isinstance(f, models.CharField) and f.max_length}

    def value(self, obj: Any, column: str) -> Any:
        """``obj``'s value for ``column``."""
        return getattr(obj, self.fields[column].attname)


def _q_names(q: Any) -> set[str]:
    names: set[str] = set()
    for child in getattr(q, "children", ()):
        if isinstance(child, tuple):
            names.add(str(child[0]).split("__", 1)[0])
        else:
            names |= _q_names(child)
    return names


def _has_field(opts: Any, name: str) -> bool:
    try:
        opts.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist or a lookup on a relation
        return False
    return True


def _foreign_keys(opts: Any) -> list[Any]:
    return [f for f in opts.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)
            and getattr(f, "db_constraint", False)]


def _snapshot(model: Any, objs: list[Any]) -> list[tuple[dict[str, Any], bool, str | None]]:
    names = [f.attname for f in model._meta.db_returning_fields]
    return [({n: getattr(o, n) for n in names}, o._state.adding, o._state.db) for o in objs]


def _restore(objs: list[Any], snap: list[tuple[dict[str, Any], bool, str | None]]) -> None:
    for obj, (values, adding, db) in zip(objs, snap, strict=True):
        for name, value in values.items():
            setattr(obj, name, value)
        obj._state.adding, obj._state.db = adding, db


def check_deferred_fks(model: Any, objs: list[Any], using: str) -> None:
    """Check now the foreign keys Django creates ``DEFERRABLE INITIALLY DEFERRED`` (PostgreSQL, SQLite).

    Otherwise a dangling key only fails at the outermost COMMIT, far from the batch.
    PostgreSQL: the table's ``INITIALLY DEFERRED`` foreign keys are set ``IMMEDIATE`` (which
    checks the rows waiting for them) and back to ``DEFERRED``, inside the batch's savepoint:
    on success the checks stay done (a later batch does not check these rows again). SQLite
    cannot make them immediate: the batch's key values are looked up in the parent tables
    (unless foreign keys are switched off on the connection), and a missing one raises
    ``IntegrityError`` naming the column and value.
    """
    connection = connections[using]
    opts = model._meta.concrete_model._meta
    fks = _foreign_keys(opts)
    if not fks or connection.vendor not in ("postgresql", "sqlite"):
        return
    if connection.vendor == "postgresql":
        _pg_check(connection, opts.db_table)
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        if not cursor.fetchone()[0]:
            return  # checks switched off (disable_constraint_checking): SQLite would not check them either
    for field in fks:
        _sqlite_check(connection, model, field, objs)


def _pg_check(connection: Any, table: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE c.conrelid = CAST(%s AS regclass) AND c.contype = 'f' AND c.condeferrable AND c.condeferred",
            [quote(table)],
        )
        names = ", ".join(f"{quote(schema)}.{quote(name)}" for schema, name in cursor.fetchall())
        if names:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def _sqlite_check(connection: Any, model: Any, field: Any, objs: list[Any]) -> None:
    quote = connection.ops.quote_name
    target = field.target_field
    sent = [target.get_db_prep_value(getattr(o, field.attname), connection) for o in objs]
    values = list({v for v in sent if v is not None})
    found: set[Any] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {quote(target.column)} FROM {quote(target.model._meta.db_table)} "
                           f"WHERE {quote(target.column)} IN ({marks})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    missing = next((v for v in sent if v is not None and v not in found), None)
    if missing is not None:
        raise IntegrityError(
            f"FOREIGN KEY check failed: {model._meta.db_table}.{field.column} contains a value {missing!r} "
            f"that has no row in {target.model._meta.db_table}.{target.column} (checked by forge: SQLite would "
            "only check it at COMMIT)"
        )


def _insert(manager: Any, objs: list[Any], using: str, batch_size: int | None, fast: bool) -> None:
    if not (fast and batch_size is None and sqlite_executemany(manager.model, objs, using)):
        manager.bulk_create(objs, batch_size=batch_size)
    check_deferred_fks(manager.model, objs, using)


def bulk_insert(
    manager: Any, objs: list[Any], *, using: str, factory_name: str, batch_size: int | None = None,
    fast: bool = True,
) -> None:
    """``bulk_create`` ``objs`` through ``manager`` in a savepoint on database ``using``.

    Primary keys come back on every object where the backend can return rows from a bulk
    insert. On SQLite, plain models go in with one executemany (``fast`` and no
    ``batch_size``; see :func:`~forge_factories.orm.persist.django_sqlite.sqlite_executemany`).
    Deferred foreign keys are checked before the savepoint is released
    (:func:`check_deferred_fks`). On any database error the savepoint is rolled back (nothing
    of the batch is kept, the objects look unsaved again), the failing row is located by
    bisection in throwaway savepoints when a row's value caused it, and a
    :class:`BulkPersistError` that is also the Django error's class is raised from it. When
    the database dropped the transaction (a MariaDB deadlock), Django marks the enclosing
    ``atomic`` block for rollback: no query runs and nothing commits until it is left.
    """
    if not objs:
        return
    model = manager.model
    snap = _snapshot(model, objs)
    for obj in objs:
        # Built unsaved, the object was routed to the default database; it is saved on ``using``
        # (where its parents now are), so relations re-checked by bulk_create must agree.
        obj._state.db = using
    connection = transaction.get_connection(using)
    try:
        if len(objs) == 1 and not (_foreign_keys(model._meta.concrete_model._meta)
                                   and connection.vendor in ("postgresql", "sqlite")):
            # One row is atomic by itself: no savepoint, the same statements as Model.objects.create().
            manager.bulk_create(objs, batch_size=batch_size)
        else:
            with transaction.atomic(using=using, savepoint=True):
                _insert(manager, objs, using, batch_size, fast)
    except DatabaseError as exc:
        _restore(objs, snap)
        facts = DjangoFacts(model)
        lost = connection.needs_rollback and connection.in_atomic_block
        if len(objs) == 1 or lost or classify(exc) not in ROW_KINDS:
            row = 0 if len(objs) == 1 else None
            raise bulk_error(error_class(exc), exc, factory=factory_name, row=row, size=len(objs), facts=facts,
                             obj=objs[0] if row == 0 else None, lost=lost or None) from driver_error(exc)

        def prefix_fails(k: int) -> bool:
            try:
                with transaction.atomic(using=using, savepoint=True):
                    _insert(manager, objs[:k], using, batch_size, fast=False)
                    raise _Rollback
            except _Rollback:
                return False
            except DatabaseError as err:
                if connection.needs_rollback or transaction_lost(err) or classify(err) not in ROW_KINDS:
                    raise  # no row caused it (a deadlock): no more tries
                return True
            finally:
                _restore(objs, snap)

        try:
            row = first_failing_row(len(objs), prefix_fails)
        except DatabaseError as other:  # a try failed on something no row caused: no row
            _restore(objs, snap)
            gone = connection.needs_rollback or transaction_lost(other)
            cause = other if gone and not isinstance(other, TransactionManagementError) else exc
            raise bulk_error(error_class(cause), cause, factory=factory_name, row=None, size=len(objs), facts=facts,
                             lost=gone) from driver_error(cause)
        raise bulk_error(error_class(exc), exc, factory=factory_name, row=row, size=len(objs), facts=facts,
                         obj=objs[row] if row is not None else None, lost=False) from driver_error(exc)
