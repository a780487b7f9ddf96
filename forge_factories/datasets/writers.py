"""The streaming writers: one record at a time into an :class:`~forge_factories.common.atomic_files.AtomicFile`.

JSON, JSONL, CSV and SQL (multi-row ``INSERT``); each file is whole or absent, or, when the
caller keeps partial output, ends at its last whole record (see :meth:`RecordWriter.close`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from forge_factories.common.atomic_files import AtomicFile, ExportError
from forge_factories.datasets.records import csv_cell, dumps

DIALECTS: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}


def check_dialect(name: str) -> str:
    """Validate a SQL dialect name (sqlite, postgresql, mysql/mariadb)."""
    try:
        return DIALECTS[name.lower()]
    except KeyError:
        raise ExportError(f"unknown SQL dialect {name!r}; choose one of sqlite, postgresql, mysql") from None


class RecordWriter:
    """Base of the writers: ``write(record)`` one mapping at a time, then ``close()``.

    Used as a context manager, leaving the block normally writes the file and an
    exception leaves no file (the target is untouched).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.file = AtomicFile(path)
        self.out = self.file
        self.count = 0
        #: What precedes the first record (JSON ``[``, the CSV header, ``CREATE TABLE``).
        self.head = ""

    def start(self, head: str) -> None:
        """Write what precedes the records."""
        self.head = head
        self.file.write(head)
        self.file.mark(0)

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record."""
        raise NotImplementedError

    def write_many(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Append several records."""
        for record in records:
            self.write(record)

    def finish(self) -> None:
        """Write what is still pending (an SQL batch)."""

    def tail(self) -> str:
        """What follows the last record (JSON ``]``)."""
        return ""

    def close(self, *, partial: bool = False) -> None:
        """Terminate the file and move it into place.

        ``partial=True`` (an exception stopped the writer and the caller keeps what was
        produced): after a write error (disk full, file-size limit) the file is cut back to
        its last whole record and terminated there; if even that fails, no file is left.
        Otherwise any failure leaves no file.
        """
        if self.file.done:
            return
        try:
            try:
                if self.file.failed is None:
                    self.finish()
                    self.file.write(self.tail())
                    self.file.commit()
                    return
            except OSError:
                if not partial or self.file.failed is None:
                    raise
            if not partial or not self.file.rewind():
                raise self.file.failed or ExportError("the file could not be written")
            self.count = self.file.records
            if self.file.boundary == 0:
                self.file.write(self.head)
            self.file.write(self.tail())
            self.file.commit()
        except BaseException:
            self.file.discard()
            raise

    def discard(self) -> None:
        """Drop the file being written (nothing is left at the target path)."""
        self.file.discard()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


class JSONLWriter(RecordWriter):
    """One JSON object per line."""

    def write(self, record: Mapping[str, Any]) -> None:
        text = dumps(record) + "\n"
        self.count += 1
        self.file.write_record(text, self.count)


class JSONWriter(RecordWriter):
    """A JSON array, one record per line; ``]`` is written on close, whatever stopped the stream."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self.start("[")

    def write(self, record: Mapping[str, Any]) -> None:
        text = ("\n" if self.count == 0 else ",\n") + dumps(record)
        self.count += 1
        self.file.write_record(text, self.count)

    def tail(self) -> str:
        return "\n]\n"


class _Lines:
    """What ``csv.writer`` writes into, collecting one row's text."""

    __slots__ = ("text",)

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


class CSVWriter(RecordWriter):
    """A header line (the first record's fields) then one row per record, RFC 4180 quoting.

    ``None`` is written as an empty cell, lists and dicts as JSON text, datetimes ISO 8601.
    """

    def __init__(self, path: str | os.PathLike[str], *, columns: Sequence[str] | None = None) -> None:
        super().__init__(path)
        self._line = _Lines()
        self.writer = csv.writer(self._line)
        self.columns: list[str] | None = None
        self._known: set[str] = set()
        if columns is not None:
            self._header(list(columns))

    def _header(self, columns: list[str]) -> None:
        self.columns = columns
        self._known = set(columns)
        self.writer.writerow(columns)
        self.start(self._line.text)

    def write(self, record: Mapping[str, Any]) -> None:
        if self.columns is None:
            self._header(list(record))
        assert self.columns is not None
        if not self._known.issuperset(record):
            extra = [k for k in record if k not in self._known]
            raise ExportError(f"record {self.count} has fields {extra} that are not CSV columns {self.columns}")
        self.writer.writerow([csv_cell(record.get(k)) for k in self.columns])
        self.count += 1
        self.file.write_record(self._line.text, self.count)


class SQLWriter(RecordWriter):
    """Multi-row ``INSERT`` statements (``batch_size`` rows each) for one dialect.

    Column types start from ``declared`` (field -> kind, see :mod:`forge_factories.datasets.declared`)
    or ``column_types`` (column name -> SQLAlchemy type, used as given) and follow the
    values: a batch whose values need a wider type (10 then 10.99, more decimal places, a
    datetime after dates) widens the column before it is written, and a value no type
    written so far can hold fails with :class:`ExportError`. ``create_table=True`` writes
    the ``CREATE TABLE`` first, with room to rewrite it with the final types on close.
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
        declared: Mapping[str, tuple[str, int | None]] | None = None,
    ) -> None:
        from forge_factories.datasets import sql as _sql

        self._sql = _sql
        self.dialect = _sql.load_dialect(check_dialect(dialect))
        if not table_name:
            raise ExportError("to_sql needs a table_name")
        if batch_size < 1:
            raise ExportError(f"batch_size must be at least 1, got {batch_size}")
        super().__init__(path)
        self.batch_size = batch_size
        self.create_table = create_table
        self.types = _sql.TableTypes(table_name, self.dialect, column_types or {}, declared or {})
        self.pending: list[Mapping[str, Any]] = []

    @property
    def table(self) -> Any:
        """The table as typed so far (``None`` before the first batch)."""
        return self.types.table

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
        first = self.types.table is None
        self.types.add(rows)
        if first and self.create_table:
            create = self._sql.create_statement(self.table, self.dialect)
            room = 64 + 40 * len(self.table.columns)
            self.start(create + _padding(room))
        self.file.write(self._sql.insert_statement(self.table, rows, self.dialect))
        self.file.mark(self.count)

    def finish(self) -> None:
        self.flush()

    def tail(self) -> str:
        """Nothing follows the rows; a ``CREATE TABLE`` whose types widened is rewritten in its room."""
        if self.create_table and self.head:
            create = self._sql.create_statement(self.table, self.dialect)
            if not self.head.startswith(create):
                room = len(self.head.encode("utf-8")) - len(create.encode("utf-8"))
                if room < len(_padding(0)):
                    raise ExportError(f"the widened CREATE TABLE of {self.table.name!r} does not fit its room; "
                                      "give the column types (column_types=)")
                self.file.flush()
                self.head = create + _padding(room - len(_padding(0)))
                self.file.overwrite(0, self.head)
        return ""


def _padding(room: int) -> str:
    """A comment line that keeps ``room`` more bytes for a wider ``CREATE TABLE``."""
    return "-- room for wider column types" + " " * room + "\n"
