"""SQL column types of exports and their literals, as each dialect's command-line client loads them.

Nothing here escapes quotes by hand: every literal goes through the dialect's own literal
processors, so MySQL gets its backslashes doubled and PostgreSQL does not. What the clients
would change is escaped on top: a carriage return (``sqlite3`` and ``mariadb`` drop the
``\\r`` of a ``\\r\\n``) and NUL; NaN and infinity are the dialect's literal or an
:class:`~forge_factories.common.atomic_files.ExportError`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from forge_factories.common.atomic_files import ExportError


def _long_text(dialect: Dialect, impl: Any) -> Any:
    if dialect.name == "mysql":  # TEXT holds 65,535 bytes
        from sqlalchemy.dialects.mysql import LONGTEXT

        return dialect.type_descriptor(LONGTEXT())
    return dialect.type_descriptor(impl)


def escape_text(literal: str, dialect: str) -> str:
    """A rendered string literal the dialect's command-line client loads unchanged.

    ``sqlite3`` and ``mariadb``/``mysql`` drop the ``\\r`` of a ``\\r\\n`` and no client
    takes a raw NUL: both become ``char(13)``/``char(0)`` pieces of a concatenation. A
    NUL for PostgreSQL (whose text cannot hold one) is an :class:`ExportError`.
    """
    if "\x00" not in literal and ("\r" not in literal or dialect == "postgresql"):
        return literal
    if dialect == "postgresql":
        raise ExportError("a string holds a NUL character, which PostgreSQL text cannot store")
    for char, code in (("\x00", 0), ("\r", 13)):
        piece = f"' || char({code}) || '" if dialect == "sqlite" else f"', CHAR({code} USING utf8mb4), '"
        literal = literal.replace(char, piece)
    return literal if dialect == "sqlite" else f"CONCAT({literal})"


class _Text(sa.types.TypeDecorator[Any]):
    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        return _long_text(dialect, self.impl_instance)

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str]:
        base = super().literal_processor(dialect)
        assert base is not None
        name = dialect.name

        def process(value: Any) -> str:
            return escape_text(base(value), name)

        return process


class JSONText(_Text):
    """Lists and dicts stored as JSON text (``LONGTEXT`` on MySQL)."""

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        from forge_factories.datasets.records import non_finite, plain

        if value is None:
            return None
        bad = non_finite(value)
        if bad is not None:
            raise ExportError(f"{bad[1]!r} inside a list or dict cannot be written as JSON text")
        return json.dumps(plain(value), ensure_ascii=False)

    process_bind_param = process_literal_param


class AnyText(_Text):
    """Any value stored as text (strings as is, others in their JSON-ready form)."""

    def process_literal_param(self, value: Any, dialect: Dialect) -> Any:
        from forge_factories.datasets.records import plain

        if value is None or isinstance(value, str):
            return value
        converted = plain(value)
        if isinstance(converted, (dict, list)):
            return json.dumps(converted, ensure_ascii=False)
        return str(converted)

    process_bind_param = process_literal_param


def _non_finite(value: Any, dialect: str, what: str) -> str:
    text = "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if dialect == "postgresql":
        return f"'{text}'"
    if dialect == "sqlite" and text != "NaN" and what == "float":
        return "9e999" if value > 0 else "-9e999"
    raise ExportError(f"{text} cannot be written as a {dialect} {what} (the database has no such value)")


class Float64(sa.types.TypeDecorator[Any]):
    """Double precision; every float written with all its digits, NaN/infinity as the dialect allows."""

    impl = sa.Double
    cache_ok = True

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str]:
        name = dialect.name

        def process(value: Any) -> str:
            if isinstance(value, int):
                return str(value)
            value = float(value)
            return repr(value) if math.isfinite(value) else _non_finite(value, name, "float")

        return process


class Exact(sa.types.TypeDecorator[Any]):
    """``NUMERIC(p, s)`` written digit for digit (``Decimal`` and ``int`` values)."""

    impl = sa.Numeric
    cache_ok = True

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str]:
        name = dialect.name

        def process(value: Any) -> str:
            if isinstance(value, decimal.Decimal) and not value.is_finite():
                return _non_finite(value, name, "decimal")
            if isinstance(value, float):  # its shortest repr, digit for digit
                return repr(value) if math.isfinite(value) else _non_finite(decimal.Decimal(value), name, "decimal")
            return str(value)

        return process


class DateTimeUTC(sa.types.TypeDecorator[Any]):
    """Datetimes (a date is its midnight); aware ones are stored in UTC (with the zone where kept)."""

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
        if type(value) is dt.date:
            value = dt.datetime.combine(value, dt.time())
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
            if dialect.name != "postgresql":
                value = value.replace(tzinfo=None)
        return value

    process_bind_param = process_literal_param


def fits(type_: Any, value: Any) -> bool:
    """Whether a given column type holds ``value`` unchanged (whole numbers, decimal places,
    a date's lack of time, a string's length; other types are trusted)."""
    if value is None:
        return True
    if isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sa.Integer):
        return isinstance(value, int) or (isinstance(value, (float, decimal.Decimal)) and value == int(value))
    if isinstance(type_, sa.Float) and not isinstance(value, bool):  # a double holds ints up to 2**53 exactly
        if isinstance(value, int):
            return float(value) == value
        if isinstance(value, decimal.Decimal) and value.is_finite():
            return decimal.Decimal(float(value)) == value
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float) and type_.scale is not None:
        if isinstance(value, (float, decimal.Decimal)) and not math.isfinite(value):
            return True  # the literal decides (an error where the dialect has no such value)
        if isinstance(value, float):
            value = decimal.Decimal(repr(value))
        if isinstance(value, decimal.Decimal):
            return -int(value.as_tuple().exponent) <= type_.scale or value == round(value, type_.scale)
        return True
    if isinstance(type_, sa.Date) and not isinstance(type_, sa.DateTime) and isinstance(value, dt.datetime):
        return value.time() == dt.time() and value.tzinfo is None
    if isinstance(type_, sa.String) and type_.length is not None and isinstance(value, str):
        return len(value) <= type_.length
    return True
