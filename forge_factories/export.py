"""Write records as JSON, JSONL, CSV or SQL: ``DataExporter`` and the streaming writers.

Every writer writes to a temporary file next to the target and moves it into place when
closed, so a reader never sees half a file. SQL literals are rendered by SQLAlchemy's
dialect compiler (``literal_binds``), never by hand-made escaping; identifiers are always
quoted; lists and dicts become JSON text; datetimes ISO 8601.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import dataclasses
import datetime as dt
import decimal
import enum
import json
import os
import stat
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .errors import ForgeConfigError, ForgeError

FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "sql")
DIALECTS: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}


class ExportError(ForgeError, ValueError):
    """Records cannot be written as asked (unknown format, unwritable path, bad record)."""


# --------------------------------------------------------------------------- records


def to_record(obj: Any) -> dict[str, Any]:
    """The field -> value mapping of one object (dict, pydantic, dataclass, attrs, ORM, plain)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return dict(dump())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    attrs_fields = getattr(type(obj), "__attrs_attrs__", None)
    if attrs_fields is not None:
        return {a.name: getattr(obj, a.name) for a in attrs_fields}
    django_meta = getattr(obj, "_meta", None)
    if django_meta is not None and hasattr(django_meta, "concrete_fields"):
        return {f.attname: f.value_from_object(obj) for f in django_meta.concrete_fields}
    if hasattr(obj, "_sa_instance_state"):
        from sqlalchemy import inspect

        return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    as_dict = getattr(obj, "_asdict", None)
    if callable(as_dict):
        return dict(as_dict())
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    raise ExportError(f"cannot export a {type(obj).__name__}: not a mapping, model or object with attributes")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: datetimes ISO 8601, decimals and UUIDs as strings, models as dicts."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    try:
        return {k: plain(v) for k, v in to_record(value).items()}
    except ExportError:
        return str(value)


def _json_default(value: Any) -> Any:
    converted = plain(value)
    if converted is value:
        raise TypeError(f"cannot serialise {type(value).__name__}")
    return converted


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default, separators=(",", ":"))


def _c_encoder() -> Any:
    """CPython's C encoder built once (``JSONEncoder.encode`` rebuilds it on every call)."""
    from json import encoder as _enc

    make = getattr(_enc, "c_make_encoder", None)
    if make is None:
        return None
    encode_str = getattr(_enc, "c_encode_basestring", None) or _enc.py_encode_basestring
    return make(None, _json_default, encode_str, None, ":", ",", False, False, True)


_C_ENCODE = _c_encoder()


def dumps(record: Mapping[str, Any]) -> str:
    """One record as compact JSON text (unicode kept)."""
    if _C_ENCODE is not None and type(record) is dict:
        return "".join(_C_ENCODE(record, 0))
    return _ENCODER.encode(record)


def csv_cell(value: Any) -> Any:
    """One CSV cell: ``None`` -> empty, nested values -> JSON, datetimes ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    converted = plain(value)
    if isinstance(converted, (dict, list)):
        return json.dumps(converted, ensure_ascii=False)
    return converted


# --------------------------------------------------------------------------- file handling


def check_format(fmt: str) -> str:
    """Validate a format name (``json``, ``jsonl``, ``csv``, ``sql``)."""
    norm = fmt.lower().lstrip(".")
    if norm == "ndjson":
        norm = "jsonl"
    if norm not in FORMATS:
        raise ExportError(f"unknown format {fmt.lstrip('.')!r}; choose one of {', '.join(FORMATS)}")
    return norm


def format_for(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The format named by ``fmt``, else by the file extension."""
    if fmt is not None:
        return check_format(fmt)
    suffix = Path(path).suffix
    if not suffix:
        raise ExportError(f"cannot tell the format of {os.fspath(path)!r}: give format= or a .json/.jsonl/.csv/.sql name")
    return check_format(suffix)


def check_dialect(name: str) -> str:
    """Validate a SQL dialect name (sqlite, postgresql, mysql/mariadb)."""
    try:
        return DIALECTS[name.lower()]
    except KeyError:
        raise ExportError(f"unknown SQL dialect {name!r}; choose one of sqlite, postgresql, mysql") from None


def is_special_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a directory (``/dev/null``,
    ``/dev/stdout``, a named pipe): such a target is written in place, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


class AtomicFile:
    """A text file written under a temporary name and moved into place on :meth:`commit`.

    A special target (a device or a named pipe, see :func:`is_special_file`) is written
    directly: renaming a file onto ``/dev/null`` would replace the device.
    """

    def __init__(self, path: str | os.PathLike[str], *, newline: str | None = None) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ExportError(f"cannot write {os.fspath(path)!r}: it is a directory")
        self.tmp: Path | None = None
        if not is_special_file(self.path):
            self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.handle: IO[str] = open(self.tmp or self.path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
        except OSError as exc:
            raise ExportError(f"cannot write {os.fspath(path)!r}: {exc.strerror or exc}") from None
        self.done = False

    def commit(self) -> None:
        """Close the file and move it to its final name."""
        if self.done:
            return
        self.done = True
        self.handle.close()
        if self.tmp is not None:
            os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Close and delete the temporary file (the target is left untouched)."""
        if self.done:
            return
        self.done = True
        self.handle.close()
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)


class RecordWriter:
    """Base of the writers: ``write(record)`` one mapping at a time, then ``close()``.

    A writer is also a context manager: leaving the block normally or by an exception
    terminates the file properly (the records written so far form a valid file).
    """

    #: No newline translation: values keep their ``\r`` and ``\n`` exactly (SQL literals, CSV cells).
    newline: str | None = ""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.file = AtomicFile(path, newline=self.newline)
        self.out = self.file.handle
        self.count = 0

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record."""
        raise NotImplementedError

    def write_many(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Append several records."""
        for record in records:
            self.write(record)

    def finish(self) -> None:
        """Write whatever terminates the format (closing bracket, pending batch)."""

    def close(self) -> None:
        """Terminate the file and move it into place."""
        if self.file.done:
            return
        try:
            self.finish()
        except BaseException:
            self.file.discard()
            raise
        self.file.commit()

    def discard(self) -> None:
        """Drop the file being written (nothing is left at the target path)."""
        self.file.discard()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class JSONLWriter(RecordWriter):
    """One JSON object per line."""

    def write(self, record: Mapping[str, Any]) -> None:
        self.out.write(dumps(record) + "\n")
        self.count += 1


class JSONWriter(RecordWriter):
    """A JSON array, one record per line; ``]`` is written on close, whatever stopped the stream."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self.out.write("[")

    def write(self, record: Mapping[str, Any]) -> None:
        self.out.write("\n" if self.count == 0 else ",\n")
        self.out.write(dumps(record))
        self.count += 1

    def finish(self) -> None:
        self.out.write("\n]\n")


class CSVWriter(RecordWriter):
    """A header line (the first record's fields) then one row per record, RFC 4180 quoting.

    ``None`` is written as an empty cell, lists and dicts as JSON text, datetimes ISO 8601.
    """

    def __init__(self, path: str | os.PathLike[str], *, columns: Sequence[str] | None = None) -> None:
        super().__init__(path)
        self.writer = csv.writer(self.out)
        self.columns: list[str] | None = list(columns) if columns is not None else None
        self._known: set[str] = set(self.columns or ())
        if self.columns is not None:
            self.writer.writerow(self.columns)

    def write(self, record: Mapping[str, Any]) -> None:
        if self.columns is None:
            self.columns = list(record)
            self.writer.writerow(self.columns)
            self._known = set(self.columns)
        if not self._known.issuperset(record):
            extra = [k for k in record if k not in self._known]
            raise ExportError(f"record {self.count} has fields {extra} that are not CSV columns {self.columns}")
        self.writer.writerow([csv_cell(record.get(k)) for k in self.columns])
        self.count += 1


class SQLWriter(RecordWriter):
    """Multi-row ``INSERT`` statements (``batch_size`` rows each) for one dialect.

    Column types are inferred from the first batch (or given as ``column_types``, a
    mapping of column name -> SQLAlchemy type); ``create_table=True`` also writes the
    ``CREATE TABLE`` statement first.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        table_name: str,
        dialect: str = "sqlite",
        batch_size: int = 500,
        create_table: bool = False,
        column_types: Mapping[str, Any] | None = None,
    ) -> None:
        from . import _sql

        self._sql = _sql
        self.dialect = _sql.load_dialect(check_dialect(dialect))
        if not table_name:
            raise ExportError("to_sql needs a table_name")
        if batch_size < 1:
            raise ExportError(f"batch_size must be at least 1, got {batch_size}")
        super().__init__(path)
        self.table_name = table_name
        self.batch_size = batch_size
        self.create_table = create_table
        self.column_types = dict(column_types or {})
        self.table: Any = None
        self.pending: list[Mapping[str, Any]] = []

    def write(self, record: Mapping[str, Any]) -> None:
        self.pending.append(record)
        self.count += 1
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending rows as one INSERT statement."""
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        if self.table is None:
            self.table = self._sql.infer_table(self.table_name, rows, self.column_types, self.dialect.name)
            if self.create_table:
                self.out.write(self._sql.create_statement(self.table, self.dialect))
        self.out.write(self._sql.insert_statement(self.table, rows, self.dialect))

    def finish(self) -> None:
        self.flush()


def open_writer(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    table_name: str | None = None,
    dialect: str = "sqlite",
    batch_size: int = 500,
    create_table: bool = False,
    columns: Sequence[str] | None = None,
) -> RecordWriter:
    """A writer for ``path`` in ``fmt`` (default: from the extension)."""
    kind = format_for(path, fmt)
    if kind == "sql":
        check_dialect(dialect)
        return SQLWriter(path, table_name=table_name or Path(path).stem, dialect=dialect,
                         batch_size=batch_size, create_table=create_table)
    if kind == "csv":
        return CSVWriter(path, columns=columns)
    if kind == "json":
        return JSONWriter(path)
    return JSONLWriter(path)


# --------------------------------------------------------------------------- DataExporter


class DataExporter:
    """Write lists of objects (dicts, pydantic models, dataclasses, ORM instances) to files."""

    @staticmethod
    def records(objects: Iterable[Any]) -> list[dict[str, Any]]:
        """Every object as a field -> value dict."""
        return [to_record(obj) for obj in objects]

    @staticmethod
    def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
        seen: dict[str, None] = {}
        for record in records:
            for key in record:
                seen.setdefault(key, None)
        return list(seen)

    @classmethod
    def to_json(cls, objects: Iterable[Any], path: str | os.PathLike[str]) -> int:
        """A JSON array of the objects; returns the number written."""
        with JSONWriter(path) as writer:
            for obj in objects:
                writer.write(to_record(obj))
        return writer.count

    @classmethod
    def to_jsonl(cls, objects: Iterable[Any], path: str | os.PathLike[str]) -> int:
        """One JSON object per line; returns the number written."""
        with JSONLWriter(path) as writer:
            for obj in objects:
                writer.write(to_record(obj))
        return writer.count

    @classmethod
    def to_csv(cls, objects: Iterable[Any], path: str | os.PathLike[str]) -> int:
        """CSV with a header of every field seen; returns the number of rows."""
        records = cls.records(objects)
        with CSVWriter(path, columns=cls._columns(records)) as writer:
            writer.write_many(records)
        return writer.count

    @classmethod
    def to_sql(
        cls,
        objects: Iterable[Any],
        path: str | os.PathLike[str],
        table_name: str,
        *,
        dialect: str = "sqlite",
        batch_size: int = 500,
        create_table: bool = False,
        column_types: Mapping[str, Any] | None = None,
    ) -> int:
        """Multi-row INSERTs into ``table_name`` rendered for ``dialect``; returns the row count.

        Column types are inferred from all objects (or taken from ``column_types``).
        """
        from . import _sql

        records = cls.records(objects)
        columns = cls._columns(records)
        rows = [{c: r.get(c) for c in columns} for r in records]
        writer = SQLWriter(path, table_name=table_name, dialect=dialect, batch_size=batch_size,
                           create_table=create_table, column_types=column_types)
        try:
            if rows:
                writer.table = _sql.infer_table(table_name, rows, writer.column_types, writer.dialect.name)
                if create_table:
                    writer.out.write(_sql.create_statement(writer.table, writer.dialect))
            writer.write_many(rows)
        except BaseException:
            writer.discard()
            raise
        writer.close()
        return writer.count


def export(objects: Iterable[Any], path: str | os.PathLike[str], fmt: str | None = None, **options: Any) -> int:
    """Write ``objects`` to ``path`` in ``fmt`` (default: from the extension)."""
    kind = format_for(path, fmt)
    if kind == "sql":
        table = options.pop("table_name", None) or Path(path).stem
        return DataExporter.to_sql(objects, path, table, **options)
    if options:
        raise ForgeConfigError(f"options {sorted(options)} only apply to SQL exports")
    return {"json": DataExporter.to_json, "jsonl": DataExporter.to_jsonl, "csv": DataExporter.to_csv}[kind](
        objects, path
    )
