"""The fast path's executemany: what reaches the database is what ``conn.execute(insert(t), rows)`` sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Insert, event, insert

from forge_factories.orm.persist.alchemy_execute import insert_rows
from forge_factories.orm.persist.counting import alchemy_statements

from . import backends
from . import sa_models as M
from .conftest import sa_engine_for

TABLE = M.SAShelf.__table__
KEYS = ("id", "label", "colour", "note", "tags", "is_open", "stocked")


def _rows(start: int) -> list[tuple[Any, ...]]:
    return [(start + i, f"r{i}", "pine", None if i % 2 else "n", ["x", "y"] if i % 2 else [], bool(i % 2),
             datetime(2023, 3, 4, 5, 6, 7) if i % 3 else None) for i in range(5)]


@pytest.fixture
def conn(sa_backend: str) -> Iterator[Any]:
    """A connection of its own (execution options stay on it), rolled back at the end."""
    with sa_engine_for(sa_backend).connect() as connection:
        connection.begin()
        yield connection
        connection.rollback()


def _raw(conn: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    rows = conn.exec_driver_sql(f"SELECT {', '.join(KEYS[1:])}, id FROM sa_shelf ORDER BY id").all()
    return [tuple(r[:-1]) for r in rows if r[-1] in ids]


def test_same_stored_values_as_a_core_executemany(conn: Any) -> None:
    ours, theirs = _rows(100), _rows(200)
    with alchemy_statements(conn) as log:
        insert_rows(conn, TABLE, KEYS, ours)
    assert len(log.inserts) == 1
    conn.execute(insert(TABLE), [dict(zip(KEYS, row, strict=True)) for row in theirs])
    assert _raw(conn, [r[0] for r in ours]) == _raw(conn, [r[0] for r in theirs])
    assert [r[3] for r in _raw(conn, [101, 102])] == ["x,y", ""]  # the TypeDecorator's bind processor ran


def test_a_schema_translate_map_goes_through_core(conn: Any, sa_backend: str) -> None:
    schema = "main" if sa_backend == "sqlite" else backends.PRIVATE
    conn = conn.execution_options(schema_translate_map={None: schema})
    with alchemy_statements(conn) as log:
        insert_rows(conn, TABLE, KEYS, _rows(300))
    assert len(log.inserts) == 1 and schema in log.inserts[0]
    assert len(_raw(conn, [300, 301, 302, 303, 304])) == 5


def test_before_execute_listeners_still_receive_the_insert_construct(conn: Any) -> None:
    seen: list[Any] = []

    def before(connection: Any, clause: Any, multiparams: Any, params: Any, options: Any) -> None:
        seen.append(clause)

    event.listen(conn, "before_execute", before)
    try:
        insert_rows(conn, TABLE, KEYS, _rows(400))
    finally:
        event.remove(conn, "before_execute", before)
    assert len(seen) == 1 and isinstance(seen[0], Insert) and seen[0].table is TABLE
