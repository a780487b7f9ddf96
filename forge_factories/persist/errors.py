"""The error raised when a bulk insert fails on a constraint."""

from __future__ import annotations

from typing import Any

from ..errors import ForgeError


class BulkPersistError(ForgeError):
    """A bulk insert failed; nothing of the batch was kept.

    ``factory`` is the factory's name, ``row`` the index (in the batch) of the first row the
    database refused (``None`` when it could not be located), ``constraint`` the constraint
    name when the driver reports it, ``db_message`` the database's message. The database
    driver's exception is chained as ``__cause__``.
    """

    def __init__(self, factory: str, row: int | None, constraint: str | None, db_message: str, size: int) -> None:
        self.factory = factory
        self.row = row
        self.constraint = constraint
        self.db_message = db_message
        self.size = size
        where = f"row {row}" if row is not None else "an unidentified row"
        what = f"constraint {constraint!r}" if constraint else "a constraint"
        # Exception.__init__ directly: ORM subclasses also inherit the driver's IntegrityError,
        # whose __init__ takes other arguments.
        Exception.__init__(
            self,
            f"{factory}: bulk insert of {size} rows failed at {where} on {what}: {db_message}; "
            "the whole batch was rolled back"
        )

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def constraint_name(exc: BaseException) -> str | None:
    """The violated constraint's name as reported by the driver (psycopg, PyMySQL, sqlite3)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        diag = getattr(cur, "diag", None)
        name = getattr(diag, "constraint_name", None)
        if name:
            return str(name)
        cur = getattr(cur, "orig", None) or cur.__cause__
    return _name_from_message(detail_of(exc))


def _name_from_message(message: str) -> str | None:
    import re

    for pattern in (
        r'constraint "([^"]+)"',  # PostgreSQL
        r"for key '([^']+)'",  # MySQL / MariaDB
        r"CONSTRAINT `([^`]+)`",  # MySQL / MariaDB foreign keys
        r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (\S+))?",  # SQLite
    ):
        match = re.search(pattern, message)
        if match:
            groups = [g for g in match.groups() if g]
            return " ".join(groups)
    return None


def detail_of(exc: BaseException) -> str:
    """The database's own message (first line), without SQL or parameters."""
    orig: Any = getattr(exc, "orig", None) or exc.__cause__ or exc
    text = str(orig.args[1] if len(getattr(orig, "args", ())) > 1 and isinstance(orig.args[0], int) else orig)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
