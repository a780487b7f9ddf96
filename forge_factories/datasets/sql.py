"""SQL text for exports: column types from declarations and values, literals rendered by SQLAlchemy.

Nothing here escapes quotes by hand: every literal goes through the dialect's own literal
processors (``compile(compile_kwargs={"literal_binds": True})``), so MySQL gets its
backslashes doubled and PostgreSQL does not. What the command-line clients would change
is escaped on top: a carriage return (``sqlite3`` and ``mariadb`` drop the ``\\r`` of a
``\\r\\n``) and NUL; NaN and infinity are the dialect's literal or an :class:`ExportError`.
Column types come from :class:`ColumnStats`: the declared kind of a field (see
:mod:`forge_factories.datasets.declared`) and every value seen; a type only ever widens along
edges that keep the values already written (whole numbers to floating point or decimal,
more decimal places, dates to datetimes).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateTable

from forge_factories._compat.sqlalchemy import standard_conforming_strings
from forge_factories.common.atomic_files import ExportError
from forge_factories.datasets.sqltypes import (
    AnyText,
    DateTimeUTC,
    Exact,
    Float64,
    JSONText,
    escape_text,
    fits,
)

__all__ = ["AnyText", "ColumnStats", "DateTimeUTC", "Exact", "Float64", "JSONText", "TableTypes", "column_type",
           "create_statement", "escape_text", "infer_table", "insert_statement", "load_dialect"]

_DIALECTS: dict[str, Dialect] = {}
#: Widening that keeps the values already written (kind before -> kinds after).
_SAFE = {("int", "float"), ("int", "decimal"), ("date", "datetime"), ("json", "text"), ("null", "*")}


def load_dialect(name: str) -> Dialect:
    """A SQLAlchemy dialect instance by name (``sqlite``, ``postgresql``, ``mysql``)."""
    dialect = _DIALECTS.get(name)
    if dialect is None:
        # "named" parameters: percent signs in literals are written as is (no "%%" for a DBAPI)
        dialect = sa.dialects.registry.load(name)(paramstyle="named")
        standard_conforming_strings(dialect)  # PostgreSQL: backslashes as written (SQLAlchemy 2.0)
        _DIALECTS[name] = dialect
    return dialect


def kind(value: Any) -> str:
    """The column kind of one value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, decimal.Decimal):
        return "decimal"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        return "json"
    return "text"


class ColumnStats:
    """What one column has to hold: the kinds of its values, decimal digits, time zones."""

    __slots__ = ("aware", "digits", "float_scale", "kinds", "scale", "wide_int")

    def __init__(self, declared: tuple[str, int | None] | None = None) -> None:
        self.kinds: set[str] = set()
        self.scale = 0
        self.digits = 1
        self.aware = False
        self.wide_int = False  # an int a double cannot hold exactly (|n| > 2**53)
        self.float_scale = 0  # decimal places of the floats' shortest repr
        if declared is not None:
            self.kinds.add(declared[0])
            self.scale = declared[1] or 0

    def add(self, values: Sequence[Any]) -> None:
        """Take ``values`` into account (``None`` entries ignored)."""
        kinds = self.kinds
        for value in values:
            if value is None:
                continue
            k = kind(value)
            kinds.add(k)
            if k == "decimal" and value.is_finite():
                _, num, exponent = value.as_tuple()
                self.scale = max(self.scale, -int(exponent))
                self.digits = max(self.digits, len(num) + int(exponent))
            elif k == "int" and not -(2**53) <= value <= 2**53:
                self.wide_int = True
                self.digits = max(self.digits, len(str(abs(value))))
                if not -(2**63) <= value < 2**63:
                    kinds.add("bigint")
            elif k == "float" and math.isfinite(value):
                _, num, exponent = decimal.Decimal(repr(value)).as_tuple()
                self.float_scale = max(self.float_scale, -int(exponent))
                self.digits = max(self.digits, len(num) + int(exponent))
            elif k == "datetime" and value.tzinfo is not None:
                self.aware = True

    def family(self) -> str:
        """The type family: null, bool, int, float, decimal, datetime, date, time, json or text."""
        k = self.kinds - {"bigint"}
        if not k:
            return "null"
        if len(k) == 1:
            (only,) = k
            return "decimal" if only == "int" and "bigint" in self.kinds else only
        if k <= {"int", "float"}:  # a double changes an int past 2**53: then exact decimals
            return "decimal" if self.wide_int else "float"
        if k <= {"int", "decimal"}:
            return "decimal"
        if k == {"date", "datetime"}:
            return "datetime"
        return "text"

    def sql_type(self, dialect: str) -> sa.types.TypeEngine[Any]:
        """The SQL type for this column."""
        family = self.family()
        if family == "bool":
            return sa.Boolean()
        if family == "int":
            return sa.BigInteger()
        if family == "float":
            return Float64()
        if family == "decimal":
            scale = max(self.scale, self.float_scale if "float" in self.kinds else 0)
            return Exact(precision=min(max(38, self.digits + scale), 65), scale=scale, asdecimal=True)
        if family == "datetime":
            return DateTimeUTC(timezone=self.aware and dialect == "postgresql")
        if family == "date":
            return sa.Date()
        if family == "time":
            from sqlalchemy.dialects.mysql import TIME

            return sa.Time().with_variant(TIME(fsp=6), "mysql")
        return JSONText() if family == "json" else AnyText()


def column_type(values: Sequence[Any], dialect: str) -> sa.types.TypeEngine[Any]:
    """The SQL type for a column holding ``values`` (``None`` entries ignored)."""
    stats = ColumnStats()
    stats.add(values)
    return stats.sql_type(dialect)


def _names(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    return list(columns)


class TableTypes:
    """The columns of one exported table, widened as rows come (see :meth:`add`)."""

    def __init__(self, name: str, dialect: Dialect, overrides: Mapping[str, Any],
                 declared: Mapping[str, tuple[str, int | None]]) -> None:
        self.name = name
        self.dialect = dialect
        self.overrides = dict(overrides)
        self.declared = dict(declared)
        self.stats: dict[str, ColumnStats] = {}
        self.table: sa.Table | None = None
        self.rows = 0

    def _key(self, type_: Any) -> tuple[type, str]:
        """What tells two column types apart: the DDL and how literals are rendered (JSON vs text)."""
        return type(type_), str(type_.compile(dialect=self.dialect))

    def add(self, rows: Sequence[Mapping[str, Any]]) -> bool:
        """Take ``rows`` into account before they are written; returns whether a type changed.

        A column whose values no longer fit the type rows were already written with fails
        with :class:`ExportError` (the value is never changed to fit).
        """
        if self.table is None:
            names = _names(rows)
            for col in names:
                if col not in self.overrides:
                    self.stats[col] = ColumnStats(self.declared.get(col))
        else:
            names = [c.name for c in self.table.columns]
        changed = False
        columns: list[sa.Column[Any]] = []
        for col in names:
            fixed = self.overrides.get(col)
            if fixed is not None:
                bad = next((r[col] for r in rows if col in r and not fits(fixed, r[col])), None)
                if bad is not None:
                    raise ExportError(f"column {col!r} of table {self.name!r}: {bad!r} does not fit the type given "
                                      f"for it ({fixed!r}) and is not changed to fit")
                columns.append(sa.Column(col, fixed, quote=True))
                continue
            stats = self.stats[col]
            before = stats.family()
            stats.add([row.get(col) for row in rows])
            after = stats.family()
            if after == "decimal" and self.dialect.name == "sqlite":
                _refuse_beyond_double(self.name, col, rows)
            if self.rows and before != after and (before, after) not in _SAFE and (before, "*") not in _SAFE:
                raise ExportError(_unfit(self.name, col, before, rows))
            columns.append(sa.Column(col, stats.sql_type(self.dialect.name), quote=True))
        if self.table is None or any(
            self._key(old.type) != self._key(new.type) for old, new in zip(self.table.columns, columns, strict=True)
        ):
            changed = self.table is not None
            self.table = sa.Table(self.name, sa.MetaData(), *columns, quote=True)
        self.rows += len(rows)
        return changed


def _refuse_beyond_double(table: str, col: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """SQLite keeps a non-integral NUMERIC as an 8-byte float: a decimal with more digits would change."""
    for row in rows:
        value = row.get(col)
        if (isinstance(value, decimal.Decimal) and value.is_finite() and value != value.to_integral_value()
                and decimal.Decimal(repr(float(value))) != value):
            raise ExportError(
                f"column {col!r} of table {table!r}: SQLite keeps a decimal as an 8-byte float, which would "
                f"change {value!r}; declare the column as text (column_types=) to keep every digit"
            )


def _unfit(table: str, col: str, family: str, rows: Sequence[Mapping[str, Any]]) -> str:
    fits = {family, "int"} if family in ("float", "decimal") else {family, "date"}
    bad = next((r.get(col) for r in rows if r.get(col) is not None and kind(r.get(col)) not in fits), None)
    return (f"column {col!r} of table {table!r} was written as {family} and now gets {bad!r} "
            f"({type(bad).__name__}); declare its type (column_types=) or the field's type on the model")


def infer_table(
    name: str, rows: Sequence[Mapping[str, Any]], overrides: Mapping[str, Any], dialect: str,
    declared: Mapping[str, tuple[str, int | None]] | None = None,
) -> sa.Table:
    """A table whose columns (always quoted) fit ``rows`` (and the ``declared`` kinds)."""
    types = TableTypes(name, load_dialect(dialect), overrides, declared or {})
    types.add(rows)
    assert types.table is not None
    return types.table


def create_statement(table: sa.Table, dialect: Dialect) -> str:
    """``CREATE TABLE`` for ``table`` in ``dialect``."""
    return str(CreateTable(table).compile(dialect=dialect)).strip() + ";\n"


def insert_statement(table: sa.Table, rows: Sequence[Mapping[str, Any]], dialect: Dialect) -> str:
    """One multi-row ``INSERT`` with every literal rendered by ``dialect``."""
    names = [c.name for c in table.columns]
    known = set(names)
    for row in rows:
        if not known.issuperset(row):
            extra = sorted(k for k in row if k not in known)
            raise ExportError(f"record has fields {extra} that are not columns of table {table.name!r}")
    values = [{n: row.get(n) for n in names} for row in rows]
    try:
        compiled = table.insert().values(values).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    except ExportError as exc:
        raise ExportError(f"cannot write {_culprit(values)}of table {table.name!r}: {exc}") from None
    except (sa.exc.CompileError, TypeError, ValueError, decimal.InvalidOperation) as exc:
        if isinstance(exc.__cause__, ExportError):
            raise ExportError(f"cannot write {_culprit(values)}of table {table.name!r}: {exc.__cause__}") from None
        raise ExportError(f"cannot render rows for table {table.name!r}: {exc}") from None
    return str(compiled) + ";\n"


def _culprit(rows: Sequence[Mapping[str, Any]]) -> str:
    """``column 'x' `` for the first NaN, infinity or NUL among ``rows`` (for an error message)."""
    for row in rows:
        for col, value in row.items():
            if isinstance(value, (float, decimal.Decimal)) and not math.isfinite(value):
                return f"column {col!r} "
            if isinstance(value, str) and "\x00" in value:
                return f"column {col!r} "
    return ""
