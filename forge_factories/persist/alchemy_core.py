"""SQLAlchemy fast path: one Core ``executemany`` INSERT for plain mapped objects.

The unit of work spends ~100-150 us per object on bookkeeping; for plain objects (one
table, no mapper or flush events, no collections, primary keys that can be known up front)
the same rows can be written with one Core executemany and the objects attached to the
session as persistent. Anything else returns ``False`` and takes the unit-of-work flush.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, func, insert, inspect, select, text
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.interfaces import MANYTOONE

_MISSING: Any = object()


def _plain_mapper(mapper: Any, session: Any) -> bool:
    if mapper.inherits is not None or mapper.polymorphic_on is not None or len(mapper.tables) != 1:
        return False
    if mapper.version_id_col is not None or len(mapper.primary_key) != 1:
        return False
    dispatch = mapper.dispatch
    if dispatch.before_insert or dispatch.after_insert:
        return False
    sdispatch = session.dispatch
    return not (sdispatch.before_flush or sdispatch.after_flush or sdispatch.after_flush_postexec)


_NO_DEFAULT, _SCALAR, _UNSUPPORTED = 0, 1, 2


@lru_cache(maxsize=256)
def _row_plan(mapper: Any) -> tuple[tuple[tuple[str, str, bool, int, Any], ...], tuple[Any, ...]] | None:
    """Per mapper: (attribute, column key, is_pk, default kind, default) and its relationships."""
    columns = []
    for prop in mapper.column_attrs:
        if len(prop.columns) != 1:
            return None
        col = prop.columns[0]
        if col.default is not None:
            kind, value = (_SCALAR, col.default.arg) if col.default.is_scalar else (_UNSUPPORTED, None)
        elif col.server_default is not None and not col.primary_key:
            kind, value = _UNSUPPORTED, None
        else:
            kind, value = _NO_DEFAULT, None
        columns.append((prop.key, col.key, bool(col.primary_key), kind, value))
    return tuple(columns), tuple(mapper.relationships)


def _column_values(mapper: Any, obj: Any) -> dict[str, Any] | None:
    """Column key -> value for ``obj``, or ``None`` when the unit of work must handle it."""
    plan = _row_plan(mapper)
    if plan is None:
        return None
    columns, relationships = plan
    state = inspect(obj)
    if state.key is not None or state.session_id is not None:
        return None
    data = state.dict
    row: dict[str, Any] = {}
    for attr, key, is_pk, kind, default in columns:
        value = data.get(attr, _MISSING)
        if value is _MISSING:
            if is_pk:
                value = None
            elif kind == _UNSUPPORTED:
                return None
            else:
                value = default  # a scalar default, or NULL as the unit of work would insert
        row[key] = value
    for rel in relationships:
        target = data.get(rel.key, _MISSING)
        if rel.direction is not MANYTOONE:
            if target is not _MISSING and target:
                return None  # a filled collection: cascades are the unit of work's job
            continue
        if target is _MISSING or target is None:
            continue
        tstate = inspect(target)
        if tstate.key is None:
            return None  # parent not saved yet
        tmapper = tstate.mapper
        for local, remote in rel.local_remote_pairs:
            row[local.key] = tmapper._get_state_attr_by_column(tstate, tstate.dict, remote)
    return row


def _next_ids(session: Any, mapper: Any, count: int) -> list[int] | None:
    col = mapper.primary_key[0]
    if not isinstance(col.type, Integer) or col.foreign_keys:
        return None
    conn = session.connection(bind_arguments={"mapper": mapper})
    dialect = conn.dialect.name
    table = mapper.local_table
    if dialect == "sqlite":
        if col.default is not None or col.server_default is not None:
            return None
        start = conn.execute(select(func.max(col))).scalar() or 0
        if table.dialect_options["sqlite"].get("autoincrement"):
            seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :n"), {"n": table.name}).scalar()
            start = max(start, seq or 0)
        return list(range(start + 1, start + 1 + count))
    if dialect == "postgresql":
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.fullname, "c": col.name}).scalar()
        if not seq:
            return None
        generated = conn.execute(text(
            "SELECT attidentity FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) AND attname = :c"
        ), {"t": table.fullname, "c": col.name}).scalar()
        if generated == "a":
            return None  # GENERATED ALWAYS refuses explicit values
        return list(conn.execute(text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                                 {"s": seq, "n": count}).scalars())
    return None


def core_insert(session: Any, objs: list[Any]) -> bool:
    """Insert ``objs`` (one mapped class) with one Core executemany; ``False`` if not applicable.

    Primary keys come from the database up front (PostgreSQL: ``nextval`` of the column's
    sequence for all rows in one query; SQLite: ``max(rowid) + 1...``), so no RETURNING is
    needed; the objects are then attached to ``session`` as persistent, keys set. Scalar
    column defaults are applied to the objects; many-to-one relationships to saved parents
    fill their foreign keys.
    """
    if len(objs) < 2:
        return False
    cls = type(objs[0])
    if any(type(o) is not cls for o in objs):
        return False
    mapper = inspect(cls)
    if not _plain_mapper(mapper, session):
        return False
    rows = []
    for obj in objs:
        row = _column_values(mapper, obj)
        if row is None:
            return False
        rows.append(row)
    keys = set(rows[0])
    if any(set(r) != keys for r in rows):
        return False
    pk_col = mapper.primary_key[0]
    pk_attr = mapper.get_property_by_column(pk_col).key
    missing = [i for i, r in enumerate(rows) if r[pk_col.key] is None]
    if missing:
        ids = _next_ids(session, mapper, len(missing))
        if ids is None:
            return False
        for i, new_id in zip(missing, ids, strict=True):
            rows[i][pk_col.key] = new_id
    conn = session.connection(bind_arguments={"mapper": mapper})
    conn.execute(insert(mapper.local_table), rows)
    attr_of = {key: mapper.get_property_by_column(mapper.local_table.c[key]).key for key in keys}
    for obj, row in zip(objs, rows, strict=True):
        setattr(obj, pk_attr, row[pk_col.key])
        data = obj.__dict__
        for key, value in row.items():
            data[attr_of[key]] = value  # what was inserted (foreign keys from many-to-one parents)
        make_transient_to_detached(obj)
    session.add_all(objs)
    return True
