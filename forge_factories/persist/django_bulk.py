"""Django: insert built instances with one ``bulk_create`` inside a savepoint."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from .django_sqlite import sqlite_executemany
from .errors import BulkPersistError, constraint_name, detail_of
from .locate import first_failing_row


class DjangoBulkIntegrityError(BulkPersistError, IntegrityError):
    """:class:`BulkPersistError` that is also a ``django.db.IntegrityError``."""


class _Rollback(Exception):
    pass


def _snapshot(model: Any, objs: list[Any]) -> list[tuple[dict[str, Any], bool, str | None]]:
    names = [f.attname for f in model._meta.db_returning_fields]
    return [({n: getattr(o, n) for n in names}, o._state.adding, o._state.db) for o in objs]


def _restore(objs: list[Any], snap: list[tuple[dict[str, Any], bool, str | None]]) -> None:
    for obj, (values, adding, db) in zip(objs, snap, strict=True):
        for name, value in values.items():
            setattr(obj, name, value)
        obj._state.adding, obj._state.db = adding, db


def bulk_insert(
    manager: Any, objs: list[Any], *, using: str, factory_name: str, batch_size: int | None = None,
    fast: bool = True,
) -> None:
    """``bulk_create`` ``objs`` through ``manager`` in a savepoint on database ``using``.

    Primary keys come back on every object where the backend can return rows from a bulk
    insert. On SQLite, plain models go in with one executemany (``fast`` and no
    ``batch_size``; see :func:`~forge_factories.persist.django_sqlite.sqlite_executemany`).
    On an ``IntegrityError`` the savepoint is rolled back (nothing of the batch is kept, the
    objects look unsaved again), the failing row is located by bisection in
    throwaway savepoints, and :class:`DjangoBulkIntegrityError` is raised.
    """
    if not objs:
        return
    model = manager.model
    snap = _snapshot(model, objs)
    for obj in objs:
        # Built unsaved, the object was routed to the default database; it is saved on ``using``
        # (where its parents now are), so relations re-checked by bulk_create must agree.
        obj._state.db = using
    try:
        if len(objs) == 1:
            # One row is atomic by itself: no savepoint, the same statements as Model.objects.create().
            manager.bulk_create(objs, batch_size=batch_size)
        else:
            with transaction.atomic(using=using, savepoint=True):
                if not (fast and batch_size is None and sqlite_executemany(model, objs, using)):
                    manager.bulk_create(objs, batch_size=batch_size)
    except IntegrityError as exc:
        _restore(objs, snap)
        if len(objs) == 1 or transaction.get_connection(using).needs_rollback:
            raise DjangoBulkIntegrityError(
                factory_name, 0 if len(objs) == 1 else None, constraint_name(exc), detail_of(exc), len(objs)
            ) from exc

        def prefix_fails(k: int) -> bool:
            try:
                with transaction.atomic(using=using, savepoint=True):
                    manager.bulk_create(objs[:k], batch_size=batch_size)
                    raise _Rollback
            except _Rollback:
                return False
            except IntegrityError:
                return True
            finally:
                _restore(objs, snap)

        row = first_failing_row(len(objs), prefix_fails)
        raise DjangoBulkIntegrityError(
            factory_name, row, constraint_name(exc), detail_of(exc), len(objs)
        ) from exc
