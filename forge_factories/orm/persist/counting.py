"""Count the SQL statements an ORM sends (for tests and benchmarks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class StatementLog:
    """Statements seen inside a :func:`django_statements` / :func:`alchemy_statements` block."""

    statements: list[str] = field(default_factory=list)

    def of_kind(self, verb: str) -> list[str]:
        """Statements whose first keyword is ``verb`` (``INSERT``, ``SELECT``, ``UPDATE``...)."""
        verb = verb.upper()
        return [s for s in self.statements if s.lstrip().split(None, 1)[0].upper() == verb]

    @property
    def inserts(self) -> list[str]:
        """The ``INSERT`` statements."""
        return self.of_kind("INSERT")

    def inserts_into(self, table: str) -> list[str]:
        """The ``INSERT`` statements into ``table`` (quoted or not)."""
        out = []
        for stmt in self.inserts:
            target = stmt.split(None, 3)[2] if len(stmt.split(None, 3)) > 2 else ""
            if target.strip('"`[]') == table:
                out.append(stmt)
        return out


@contextmanager
def django_statements(using: str = "default") -> Iterator[StatementLog]:
    """Record every statement Django executes on database ``using`` (``executemany`` counts once)."""
    from django.db import connections

    log = StatementLog()

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        log.statements.append(sql)
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(wrapper):
        yield log


@contextmanager
def alchemy_statements(bind: Any) -> Iterator[StatementLog]:
    """Record every statement SQLAlchemy sends through ``bind`` (an Engine or Connection)."""
    from sqlalchemy import event

    log = StatementLog()

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        log.statements.append(statement)

    event.listen(bind, "before_cursor_execute", before)
    try:
        yield log
    finally:
        event.remove(bind, "before_cursor_execute", before)
