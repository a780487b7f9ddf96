"""One INSERT executemany of ready rows, sent as SQLAlchemy would send ``conn.execute(insert(t), rows)``.

``Connection.execute(insert(table), dicts)`` spends ~2.5 us per row building each
parameter set from its dict (``construct_params`` + bind processors). The statement is
the same for every row, so it is compiled once per (dialect, table, columns) and the rows
go to :meth:`Connection.exec_driver_sql` as the DBAPI parameters SQLAlchemy would have
produced: each column's bind processor (``TypeEngine.bind_processor`` of its dialect
implementation, as the compiler uses) applied, tuples in ``positiontup`` order for a
positional paramstyle, dicts keyed by bind name otherwise. Connection events
(``before_cursor_execute``...) see one executemany, as before. Statements whose compiled
form is not a plain one-bind-per-column INSERT go through ``Connection.execute``, as do
connections with a ``schema_translate_map`` or ``before_execute`` / ``after_execute``
listeners (they receive the ``Insert`` construct), and dialects that turn such an
executemany into multi-row INSERTs themselves (``use_insertmanyvalues_wo_returning``:
psycopg2), which is faster there than the driver's ``executemany``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import insert


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool
    processors: tuple[tuple[int, Any], ...]  # (column index, bind processor)


@lru_cache(maxsize=256)
def _compiled(dialect: Any, table: Any, keys: tuple[str, ...]) -> _Compiled | None:
    compiled: Any = insert(table).compile(dialect=dialect, column_keys=list(keys))
    if compiled.insert_prefetch or compiled.literal_execute_params or compiled.post_compile_params:
        return None
    if getattr(compiled, "escaped_bind_names", None):
        return None
    if compiled.positional:
        if tuple(compiled.positiontup) != keys:
            return None
    elif set(compiled.binds) != set(keys) or len(compiled.binds) != len(keys):
        return None
    processors = []
    for i, key in enumerate(keys):
        impl = table.c[key].type.dialect_impl(dialect)
        proc = impl.bind_processor(dialect)
        if proc is not None:
            processors.append((i, proc))
    return _Compiled(compiled.string, bool(compiled.positional), tuple(processors))


def _driver_sql_ok(conn: Any) -> bool:
    if conn.dialect.use_insertmanyvalues_wo_returning or conn.get_execution_options().get("schema_translate_map"):
        return False
    dispatch = conn.dispatch  # before/after_execute listeners expect the Insert construct, not SQL text
    return not (dispatch.before_execute or dispatch.after_execute)


def insert_rows(conn: Any, table: Any, keys: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT ``rows`` (tuples of the ``keys`` columns, Python values) into ``table`` in one executemany."""
    plan = None
    if _driver_sql_ok(conn):
        plan = _compiled(conn.dialect, table, keys)
    if plan is None:
        conn.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in rows])
        return
    params: list[Any] = rows
    if plan.processors:
        params = []
        processors = plan.processors
        for row in rows:
            values = list(row)
            for i, proc in processors:
                values[i] = proc(values[i])
            params.append(tuple(values))
    if not plan.positional:
        params = [dict(zip(keys, row, strict=True)) for row in params]
    conn.exec_driver_sql(plan.sql, params)
