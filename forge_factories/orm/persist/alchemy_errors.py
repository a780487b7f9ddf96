"""SQLAlchemy side of the bulk error: exception classes, model facts, the real error of a chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, String
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.interfaces import MANYTOONE

from forge_factories.orm.persist.errors import BulkPersistError, bulk_error, columns_in, transaction_lost


class AlchemyBulkIntegrityError(BulkPersistError, IntegrityError):
    """:class:`BulkPersistError` that is also a ``sqlalchemy.exc.IntegrityError``."""


_CLASSES: dict[type, type[BulkPersistError]] = {IntegrityError: AlchemyBulkIntegrityError}


def error_class(cause: DBAPIError) -> type[BulkPersistError]:
    """The :class:`BulkPersistError` subclass that is also ``cause``'s SQLAlchemy class (``DataError``...)."""
    base = next(c for c in type(cause).__mro__ if issubclass(c, DBAPIError) and c.__module__ == "sqlalchemy.exc")
    if base not in _CLASSES:
        doc = f":class:`BulkPersistError` that is also a ``sqlalchemy.exc.{base.__name__}``."
        _CLASSES[base] = type(f"AlchemyBulk{base.__name__}", (BulkPersistError, base), {"__doc__": doc})
    return _CLASSES[base]


class AlchemyFacts:
    """What the bulk error reads off a mapper: constraint columns, string limits, row values."""

    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper
        self.table = mapper.local_table
        self.by_name = {c.name: c for c in self.table.columns}

    def columns_of(self, constraint: str) -> list[str]:
        """Columns of the named constraint or index; else the column names found in the name."""
        names = list(self.by_name)
        for item in [*self.table.constraints, *self.table.indexes]:
            if item.name == constraint:
                if isinstance(item, CheckConstraint):
                    return columns_in(str(item.sqltext), names)
                return [c.name for c in item.columns]
        return columns_in(constraint, names)

    def fk_columns(self) -> list[str]:
        """Columns with a foreign key."""
        return [c.name for c in self.table.columns if c.foreign_keys]

    def max_lengths(self) -> dict[str, int]:
        """Column -> declared string length."""
        return {c.name: c.type.length for c in self.table.columns
                if isinstance(c.type, String) and c.type.length}

    def value(self, obj: Any, column: str) -> Any:
        """``obj``'s value for ``column`` (as it was sent)."""
        col = self.by_name[column]
        data = instance_state(obj).dict
        for rel in self.mapper.relationships:  # a many-to-one's target decides its key, as in the flush
            if rel.direction is MANYTOONE and rel.key in data:
                for local, remote in rel.local_remote_pairs:
                    if local is col:
                        target = data[rel.key]
                        return None if target is None else getattr(
                            target, rel.mapper.get_property_by_column(remote).key)
        key = self.mapper.get_property_by_column(col).key
        return data[key] if key in data else getattr(obj, key)


def real_error(exc: BaseException) -> tuple[DBAPIError | None, bool]:
    """The database error behind ``exc`` and whether the transaction is lost.

    A failed ``ROLLBACK TO SAVEPOINT`` / ``RELEASE SAVEPOINT`` hides the error that made the
    database drop the transaction (MariaDB's deadlock: ``SAVEPOINT ... does not exist``); the
    real one is further down the ``__context__`` chain.
    """
    seen: set[int] = set()
    cur: BaseException | None = exc
    hidden = False
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, DBAPIError):
            statement = (cur.statement or "").lstrip().upper()
            if not statement.startswith(("ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT")):
                return cur, hidden or transaction_lost(cur)
            hidden = True
        cur = cur.__context__
    return (exc if isinstance(exc, DBAPIError) else None), hidden


def named(cause: DBAPIError, *, factory: str, row: int | None, size: int, facts: AlchemyFacts | None = None,
          obj: Any = None, lost: bool = False) -> BulkPersistError:
    """The bulk error for ``cause`` (also of ``cause``'s SQLAlchemy class, with its statement and ``orig``)."""
    kwargs: dict[str, Any] = {"obj": obj} if row is not None else {}
    err = bulk_error(error_class(cause), cause, factory=factory, row=row, size=size, facts=facts,
                     lost=lost or transaction_lost(cause), **kwargs)
    for name in ("statement", "params", "orig", "hide_parameters", "ismulti", "detail"):
        if hasattr(cause, name):
            setattr(err, name, getattr(cause, name))
    err.connection_invalidated = bool(getattr(cause, "connection_invalidated", False))
    return err
