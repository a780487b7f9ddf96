"""Django on SQLite: one ``executemany`` INSERT instead of ``bulk_create``'s 99-row statements.

Django caps an SQLite statement at 999 parameters (99 rows of a 10-field model) and compiles
every row's SQL in Python. For plain models (auto-increment key, no database defaults or
generated fields, no expressions as values) forge computes the keys SQLite would assign and
sends all rows with one prepared statement. Values go through the same field hooks as
``bulk_create`` (``pre_save(obj, add=True)``, ``get_db_prep_save``).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models.fields import AutoFieldMixin

from forge_factories._compat.django import prepare_related_fields_for_save


def _plain(opts: Any) -> bool:
    pk = opts.pk
    if not isinstance(pk, AutoFieldMixin) or opts.db_returning_fields != [pk]:
        return False
    for field in opts.concrete_fields:
        if getattr(field, "generated", False) or (hasattr(field, "has_db_default") and field.has_db_default()):
            return False
    return True


def sqlite_executemany(model: Any, objs: list[Any], using: str) -> bool:
    """Insert ``objs`` with one executemany on an SQLite database; ``False`` if not applicable.

    Must run inside a transaction (the caller's savepoint): the next keys are read first
    (``max(id)`` and ``sqlite_sequence``), so a concurrent writer makes the insert fail on
    the primary key instead of clashing silently.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or len(objs) < 2:
        return False
    opts = model._meta.concrete_model._meta
    if not _plain(opts) or any(o.pk is not None for o in objs):
        return False
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    rows: list[list[Any]] = []
    for obj in objs:
        prepare_related_fields_for_save(obj, "bulk_create")
        row: list[Any] = [None]
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                return False
            row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max({quote(opts.pk.column)}) FROM {table}")
        start = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [opts.db_table])
        seq = cursor.fetchone()
        start = max(start, seq[0] if seq else 0)
        for i, row in enumerate(rows, start + 1):
            row[0] = i
        columns = ", ".join(quote(f.column) for f in [opts.pk, *fields])
        marks = ", ".join(["%s"] * (len(fields) + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    for obj, row in zip(objs, rows, strict=True):
        obj.pk = row[0]
        obj._state.adding = False
        obj._state.db = using
    return True
