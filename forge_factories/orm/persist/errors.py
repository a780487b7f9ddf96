"""The error raised when a bulk insert fails, and what it reads off the driver's error."""

from __future__ import annotations

import re
from typing import Any, Protocol

from forge_factories.common.errors import ForgeError

#: ``BulkPersistError.kind`` values.
UNIQUE, FOREIGN_KEY, NOT_NULL, CHECK, TOO_LONG, DEADLOCK, OTHER = (
    "unique", "foreign key", "not null", "check", "too long", "deadlock", "other",
)
#: Kinds caused by a value of one row (the failing row can be found by bisection).
ROW_KINDS = frozenset({UNIQUE, FOREIGN_KEY, NOT_NULL, CHECK, TOO_LONG})

_PG_STATES = {"23505": UNIQUE, "23503": FOREIGN_KEY, "23502": NOT_NULL, "23514": CHECK, "22001": TOO_LONG,
              "40P01": DEADLOCK}
_MYSQL_CODES = {1062: UNIQUE, 1451: FOREIGN_KEY, 1452: FOREIGN_KEY, 1216: FOREIGN_KEY, 1217: FOREIGN_KEY,
                1048: NOT_NULL, 1364: NOT_NULL, 3819: CHECK, 4025: CHECK, 1406: TOO_LONG, 1213: DEADLOCK}
_SQLITE_WORDS = (("UNIQUE constraint", UNIQUE), ("PRIMARY KEY constraint", UNIQUE), ("FOREIGN KEY", FOREIGN_KEY),
                 ("invalid foreign key", FOREIGN_KEY), ("NOT NULL constraint", NOT_NULL),
                 ("CHECK constraint", CHECK), ("deadlock", DEADLOCK))
_NO_VALUE: Any = object()


class BulkPersistError(ForgeError):
    """A bulk insert failed; nothing of the batch was kept.

    ``factory`` is the factory's name, ``row`` the index (in the batch) of the first row the
    database refused (``None`` when it could not be located), ``kind`` what went wrong
    (``"unique"``, ``"foreign key"``, ``"not null"``, ``"check"``, ``"too long"``,
    ``"deadlock"`` or ``"other"``), ``constraint`` the constraint name when the database
    reports it, ``column`` and ``value`` the offending column(s) and that row's value there
    (``column`` is ``None`` when unknown; ``has_value`` says whether ``value`` was read off
    the row, ``None`` being a real value for a NOT NULL violation), ``db_message`` the
    database's message.
    ``transaction_lost`` is true when the whole transaction was rolled back (a MariaDB/MySQL
    deadlock, a failed SQLAlchemy ``"commit"``): rows written earlier in it are gone too, and
    the session or connection refuses to go on until it is rolled back. The driver's exception is chained
    as ``__cause__``.
    """

    def __init__(self, factory: str, row: int | None, constraint: str | None, db_message: str, size: int, *,
                 kind: str = OTHER, column: str | None = None, value: Any = _NO_VALUE,
                 transaction_lost: bool = False) -> None:
        self.factory = factory
        self.row = row
        self.constraint = constraint
        self.db_message = db_message
        self.size = size
        self.kind = kind
        self.column = column
        self.has_value = value is not _NO_VALUE
        self.value = value if self.has_value else None
        self.transaction_lost = transaction_lost
        # Exception.__init__ directly: ORM subclasses also inherit the driver's exception class,
        # whose __init__ takes other arguments.
        Exception.__init__(self, _message(self))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _message(err: BulkPersistError) -> str:
    head = f"{err.factory}: bulk insert of {err.size} rows failed"
    if err.kind == DEADLOCK:
        head += " on a deadlock (the database chose this transaction as the victim)"
    else:
        where = f"row {err.row}" if err.row is not None else "an unidentified row"
        if err.column is not None and err.has_value:
            where += f" ({err.column}={_short(err.value)})"
        label = "" if err.kind == OTHER else f"{err.kind} "
        what = f"{label}constraint {err.constraint!r}" if err.constraint else _UNNAMED.get(err.kind, "a database error")
        head += f" at {where} on {what}"
    if err.transaction_lost:
        tail = ("the whole transaction was rolled back (rows written earlier in it are gone too); "
                "roll back the session or transaction before going on")
    else:
        tail = "the whole batch was rolled back"
    return f"{head}: {err.db_message}; {tail}"


_UNNAMED = {UNIQUE: "a unique violation", FOREIGN_KEY: "a foreign key violation", NOT_NULL: "a NOT NULL violation",
            CHECK: "a CHECK violation", TOO_LONG: "a value too long for its column"}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(value) if isinstance(value, str) else '?'} chars)"


class ModelFacts(Protocol):
    """What the error needs to know about the model: constraint columns, limits, row values."""

    def columns_of(self, constraint: str) -> list[str]:
        """Columns of the named constraint or index (``[]`` when unknown)."""

    def fk_columns(self) -> list[str]:
        """Columns with a foreign key."""

    def max_lengths(self) -> dict[str, int]:
        """Column -> maximum string length."""

    def value(self, obj: Any, column: str) -> Any:
        """The object's value for ``column``."""


def driver_error(exc: BaseException) -> BaseException:
    """The database driver's own exception under an ORM wrapper (``.orig`` / ``__cause__``)."""
    seen: set[int] = set()
    cur: BaseException = exc
    while id(cur) not in seen:
        seen.add(id(cur))
        nxt = getattr(cur, "orig", None) or cur.__cause__
        if nxt is None and type(cur).__module__.startswith("django."):
            nxt = cur.__context__  # Django's MySQL backend re-raises some codes as IntegrityError(*args)
        if not isinstance(nxt, BaseException):
            break
        cur = nxt
    return cur


def _code(drv: BaseException) -> tuple[str | None, int | None]:
    state = getattr(drv, "sqlstate", None) or getattr(drv, "pgcode", None)
    args = getattr(drv, "args", ())
    code = args[0] if args and isinstance(args[0], int) else None
    return (str(state) if state else None), code


def classify(exc: BaseException) -> str:
    """What kind of failure ``exc`` is (one of the module's kind constants)."""
    drv = driver_error(exc)
    state, code = _code(drv)
    if state is not None and state in _PG_STATES:
        return _PG_STATES[state]
    if code is not None and code in _MYSQL_CODES:
        return _MYSQL_CODES[code]
    text = detail_of(exc)
    for word, kind in _SQLITE_WORDS:
        if word.lower() in text.lower():
            return kind
    return OTHER


def transaction_lost(exc: BaseException) -> bool:
    """Whether the database rolled back the whole transaction (MySQL/MariaDB deadlock, 1213)."""
    return _code(driver_error(exc))[1] == 1213


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
    for pattern in (
        r'constraint "([^"]+)"',  # PostgreSQL
        r"for key '([^']+)'",  # MySQL / MariaDB unique
        r"CONSTRAINT `([^`]+)`",  # MySQL / MariaDB foreign keys and checks
        r"Check constraint '([^']+)'",  # MySQL 8 checks
        r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (\S+))?",  # SQLite
    ):
        match = re.search(pattern, message)
        if match:
            groups = [g for g in match.groups() if g]
            if match.re.groups == 2 and len(groups) < 2:
                return None  # SQLite's bare "FOREIGN KEY constraint failed" names nothing
            return " ".join(groups)
    return None


def detail_of(exc: BaseException) -> str:
    """The database's own message (first line), without SQL or parameters."""
    orig: Any = driver_error(exc)
    text = str(orig.args[1] if len(getattr(orig, "args", ())) > 1 and isinstance(orig.args[0], int) else orig)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _named_columns(exc: BaseException, kind: str) -> list[str]:
    """Columns the driver's error names, if any."""
    drv = driver_error(exc)
    diag = getattr(drv, "diag", None)
    if getattr(diag, "column_name", None):
        return [str(diag.column_name)]  # type: ignore[union-attr]
    detail = str(getattr(diag, "message_detail", None) or "")
    match = re.search(r"Key \(([^)]*)\)=", detail)
    if match:
        return [c.strip().strip('"') for c in match.group(1).split(",")]
    text = detail_of(exc)
    for pattern in (r"Column '([^']+)' cannot be null", r"Data too long for column '([^']+)'",
                    r"Field '([^']+)' doesn't have a default value", r"FOREIGN KEY \(`([^`]+)`\)",
                    r"\w+\.(\w+) contains a value"):
        match = re.search(pattern, text)
        if match:
            return [match.group(1)]
    match = re.search(r"(?:UNIQUE|NOT NULL) constraint failed: (.+)$", text)
    if match:  # SQLite: "table.a, table.b"
        return [part.strip().rsplit(".", 1)[-1] for part in match.group(1).split(",")]
    return []


def offending(exc: BaseException, kind: str, constraint: str | None, facts: ModelFacts | None,
              obj: Any) -> tuple[str | None, Any]:
    """``(column, value)`` of the failing row (``obj``) the error is about; unknown parts are ``None`` / no value."""
    if facts is None:
        return None, _NO_VALUE
    columns = _named_columns(exc, kind)
    if not columns and constraint:
        columns = facts.columns_of(constraint.split(" ", 1)[-1])
    if not columns and kind == FOREIGN_KEY and len(facts.fk_columns()) == 1:
        columns = facts.fk_columns()
    if not columns and kind == TOO_LONG and obj is not None:
        columns = _too_long(exc, facts, obj)
    if not columns or obj is None:
        return (", ".join(columns) if columns else None), _NO_VALUE
    try:
        values = [facts.value(obj, c) for c in columns]
    except (KeyError, AttributeError, LookupError):
        return ", ".join(columns), _NO_VALUE
    return ", ".join(columns), values[0] if len(values) == 1 else tuple(values)


def _too_long(exc: BaseException, facts: ModelFacts, obj: Any) -> list[str]:
    match = re.search(r"\((\d+)\)", detail_of(exc))
    limit = int(match.group(1)) if match else None
    found = []
    for column, length in facts.max_lengths().items():
        if limit is not None and length != limit:
            continue
        try:
            value = facts.value(obj, column)
        except (KeyError, AttributeError, LookupError):
            continue
        if isinstance(value, str) and len(value) > length:
            found.append(column)
    return found[:1]


def columns_in(text: str, columns: list[str]) -> list[str]:
    """The columns named as whole words in ``text`` (a constraint's SQL); else the longest column
    name found between underscores in it (a generated name such as ``djapp_row_code_key``)."""
    words = set(re.findall(r"\w+", text))
    hits = [c for c in columns if c in words]
    if hits:
        return hits
    padded = f"_{text}_"
    return sorted((c for c in columns if f"_{c}_" in padded), key=len, reverse=True)[:1]


def bulk_error(cls: type[BulkPersistError], exc: BaseException, *, factory: str, row: int | None, size: int,
               facts: ModelFacts | None = None, obj: Any = _NO_VALUE, lost: bool | None = None) -> Any:
    """An instance of ``cls`` describing ``exc`` (the caller raises it from the driver's error).

    ``obj`` is the failing row's object (its value is read off it); ``lost`` overrides whether
    the whole transaction is gone (default: a MySQL/MariaDB deadlock).
    """
    kind = classify(exc)
    constraint = constraint_name(exc) if kind not in (DEADLOCK, OTHER) else None
    column, value = offending(exc, kind, constraint, facts, None if obj is _NO_VALUE else obj)
    err = cls.__new__(cls)
    BulkPersistError.__init__(err, factory, row, constraint, detail_of(exc), size, kind=kind, column=column,
                              value=value, transaction_lost=transaction_lost(exc) if lost is None else lost)
    return err
