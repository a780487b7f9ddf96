"""SQL text for exports: column types inferred from values, literals rendered by SQLAlchemy.

Nothing here escapes by hand: every literal goes through the dialect's own literal
processors (``compile(compile_kwargs={"literal_binds": True})``), so MySQL gets its
backslashes doubled and PostgreSQL does not.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateTable

_DIALECTS: dict[str, Dialect] = {}


def load_dialect(name: str) -> Dialect:
    """A SQLAlchemy dialect instance by name (``sqlite``, ``postgresql``, ``mysql``)."""
    dialect = _DIALECTS.get(name)
    if dialect is None:
        # "named" parameters: percent signs in literals are written as is (no "%%" for a DBAPI)
        dialect = sa.dialects.registry.load(name)(paramstyle="named")
        _DIALECTS[name] = dialect
    return dialect


class JSONText(sa.types.TypeDecorator[Any]):
    """Lists and dicts stored as JSON text."""

    impl = sa.Text
    cache_ok = True

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        from .export import plain

        return None if value is None else json.dumps(plain(value), ensure_ascii=False)

    process_bind_param = process_literal_param


class AnyText(sa.types.TypeDecorator[Any]):
    """Any value stored as text (strings as is, others in their JSON-ready form)."""

    impl = sa.Text
    cache_ok = True

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        from .export import plain

        if value is None or isinstance(value, str):
            return value
        converted = plain(value)
        if isinstance(converted, (dict, list)):
            return json.dumps(converted, ensure_ascii=False)
        return str(converted)

    process_bind_param = process_literal_param


class DateTimeUTC(sa.types.TypeDecorator[Any]):
    """Datetimes; aware ones are stored in UTC (with the zone where the database keeps it)."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "mysql":  # keep microseconds (MySQL/MariaDB default to whole seconds)
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(self.impl_instance)

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
            if dialect.name != "postgresql":
                value = value.replace(tzinfo=None)
        return value

    process_bind_param = process_literal_param


def _decimal_type(values: Sequence[decimal.Decimal]) -> sa.types.TypeEngine[Any]:
    scale = 0
    digits = 1
    for value in values:
        if not value.is_finite():
            continue
        sign, num, exponent = value.as_tuple()
        exp = int(exponent)
        scale = max(scale, -exp)
        digits = max(digits, len(num) + exp)
    return sa.Numeric(precision=min(max(38, digits + scale), 65), scale=scale, asdecimal=True)


def column_type(values: Sequence[Any], dialect: str) -> sa.types.TypeEngine[Any]:
    """The SQL type for a column holding ``values`` (``None`` entries ignored)."""
    present = [v for v in values if v is not None]
    if not present:
        return AnyText()
    kinds = {type(v) for v in present}
    if kinds == {bool}:
        return sa.Boolean()
    if kinds <= {int}:
        return sa.BigInteger()
    if kinds <= {float, int}:
        return sa.Double()
    if kinds <= {decimal.Decimal, int}:
        return _decimal_type([decimal.Decimal(v) for v in present])
    if all(isinstance(v, dt.datetime) for v in present):
        aware = any(v.tzinfo is not None for v in present)
        return DateTimeUTC(timezone=aware and dialect == "postgresql")
    if kinds == {dt.date}:
        return sa.Date()
    if kinds == {dt.time}:
        from sqlalchemy.dialects.mysql import TIME

        return sa.Time().with_variant(TIME(fsp=6), "mysql")
    if all(isinstance(v, (dict, list, tuple, set, frozenset)) for v in present):
        return JSONText()
    return AnyText()


def infer_table(
    name: str, rows: Sequence[Mapping[str, Any]], overrides: Mapping[str, Any], dialect: str
) -> sa.Table:
    """A table whose columns (always quoted) fit ``rows``."""
    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    metadata = sa.MetaData()
    cols = []
    for col in columns:
        kind = overrides.get(col)
        if kind is None:
            kind = column_type([row.get(col) for row in rows], dialect)
        cols.append(sa.Column(col, kind, quote=True))
    return sa.Table(name, metadata, *cols, quote=True)


def create_statement(table: sa.Table, dialect: Dialect) -> str:
    """``CREATE TABLE`` for ``table`` in ``dialect``."""
    return str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n"


def insert_statement(table: sa.Table, rows: Sequence[Mapping[str, Any]], dialect: Dialect) -> str:
    """One multi-row ``INSERT`` with every literal rendered by ``dialect``."""
    from .export import ExportError

    names = [c.name for c in table.columns]
    known = set(names)
    for row in rows:
        if not known.issuperset(row):
            extra = sorted(k for k in row if k not in known)
            raise ExportError(f"record has fields {extra} that are not columns of table {table.name!r}")
    values = [{n: row.get(n) for n in names} for row in rows]
    try:
        compiled = table.insert().values(values).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    except (sa.exc.CompileError, TypeError, ValueError, decimal.InvalidOperation) as exc:
        raise ExportError(f"cannot render rows for table {table.name!r}: {exc}") from None
    return str(compiled) + ";\n"
