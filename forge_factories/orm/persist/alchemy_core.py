"""SQLAlchemy fast path: one ``executemany`` INSERT for plain mapped objects.

The unit of work spends ~100-150 us per object on bookkeeping; for plain objects (one
table, no mapper or flush events, no collections, primary keys that can be known up front
or returned in order) the same rows can be written with one executemany
(:mod:`.alchemy_execute`) and the objects made persistent as a flush would
(:mod:`forge_factories._compat.sqlalchemy`). Anything else returns ``False`` and takes the unit-of-work flush.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, func, insert, inspect, select, text

from forge_factories._compat.sqlalchemy import attach_as_flushed, attach_supported
from forge_factories.orm.persist.alchemy_execute import insert_rows
from forge_factories.orm.persist.alchemy_rows import RowPlan, build_rows, row_plan


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


def core_insert(session: Any, objs: list[Any], *, min_rows: int = 2) -> bool:
    """Insert ``objs`` (one mapped class) with one Core executemany; ``False`` if not applicable.

    Fewer than ``min_rows`` objects are left to the unit of work (the bisection of a failed
    batch passes 1: every prefix is written the way the batch was).

    Primary keys come from the database up front (PostgreSQL: ``nextval`` of the column's
    sequence for all rows in one query; SQLite: ``max(rowid) + 1...``), so no RETURNING is
    needed; elsewhere (MariaDB) from ``INSERT ... RETURNING`` in parameter order. The objects
    are then made persistent in ``session`` as a flush would leave them (see
    :mod:`forge_factories._compat.sqlalchemy`). Scalar column defaults are applied to the objects; many-to-one
    relationships to saved parents fill their foreign keys; new objects in one-to-many
    collections are saved after their parents, as ``add``'s cascade and the flush would.
    """
    if len(objs) < min_rows or not attach_supported(session):
        return False
    cls = type(objs[0])
    if any(type(o) is not cls for o in objs):
        return False
    mapper = inspect(cls)
    if not _plain_mapper(mapper, session):
        return False
    plan = row_plan(mapper)
    if plan is None:
        return False
    built = build_rows(plan, objs, session)
    if built is None:
        return False
    rows, states = built
    conn = session.connection(bind_arguments={"mapper": mapper})
    table = mapper.local_table
    pks = rows.keys
    missing = [i for i, key in enumerate(pks) if key is None]
    ids = _next_ids(session, mapper, len(missing)) if missing else []
    if ids is not None:
        for i, new_id in zip(missing, ids, strict=True):
            pks[i] = new_id
        insert_rows(conn, table, plan.keys, _with_keys(plan.pk, pks, rows.values))
    elif len(missing) == len(pks) and _returning_ok(conn, mapper):
        pks[:] = _insert_returning(conn, plan, table, rows.values)
    else:
        return False
    # What was inserted, written as the unit of work writes generated keys and defaults:
    # into the instance dict, no attribute events.
    pk_attr = plan.pk_attr
    for i in missing:
        states[i].dict[pk_attr] = pks[i]
    for n, attr, value in rows.fills:
        states[n].dict[attr] = value
    attach_as_flushed(session, states)
    if rows.children:
        _insert_children(session, mapper, objs, rows.children)
    return True


def _insert_children(session: Any, mapper: Any, parents: list[Any], children: list[tuple[int, Any, list[Any]]]) -> None:
    """Save the new objects of the parents' one-to-many collections, as add's cascade + the flush would.

    Each child gets its foreign key from its parent (the flush's sync), then the children
    are inserted per class: fast path, else the unit of work.
    """
    groups: dict[type, dict[int, Any]] = {}
    for n, rel, members in children:
        parent = parents[n]
        pairs = [(mapper.get_property_by_column(local).key, rel.mapper.get_property_by_column(remote).key)
                 for local, remote in rel.local_remote_pairs]
        for child in members:
            for parent_attr, child_attr in pairs:
                setattr(child, child_attr, getattr(parent, parent_attr))
            groups.setdefault(type(child), {})[id(child)] = child
    for group in groups.values():
        objs = list(group.values())
        if not core_insert(session, objs):
            session.add_all(objs)
            session.flush()


def _with_keys(pk: int, pks: list[Any], values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if pk == 0:
        return [(key, *row) for key, row in zip(pks, values, strict=True)]
    return [(*row[:pk], key, *row[pk:]) for key, row in zip(pks, values, strict=True)]


def _returning_ok(conn: Any, mapper: Any) -> bool:
    col = mapper.primary_key[0]
    dialect = conn.dialect
    return bool(dialect.insert_executemany_returning_sort_by_parameter_order) and col.autoincrement in (True, "auto") \
        and isinstance(col.type, Integer) and not col.foreign_keys and col.default is None


def _insert_returning(conn: Any, plan: RowPlan, table: Any, values: list[tuple[Any, ...]]) -> list[Any]:
    keys = [plan.keys[i] for i in plan.rest]
    pk_col = table.c[plan.keys[plan.pk]]
    stmt = insert(table).returning(pk_col, sort_by_parameter_order=True)
    return list(conn.execute(stmt, [dict(zip(keys, row, strict=True)) for row in values]).scalars())
