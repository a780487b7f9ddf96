"""Write records as JSON, JSONL, CSV or SQL: ``DataExporter`` and the streaming writers.

Every writer writes to a temporary file next to the target, fsyncs it and moves it into
place when closed, so a reader never sees half a file (:mod:`forge_factories.common.atomic_files`;
the writers are in :mod:`forge_factories.datasets.writers`, value conversion in
:mod:`forge_factories.datasets.records`). SQL literals are rendered by SQLAlchemy's dialect
compiler (``literal_binds``), never by hand-made escaping; identifiers are always quoted;
lists and dicts become JSON text; datetimes ISO 8601.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from forge_factories.common.atomic_files import AtomicFile, ExportError, is_special_file
from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.records import csv_cell, dumps, plain, to_record
from forge_factories.datasets.writers import (  # noqa: F401 - part of the export API
    DIALECTS,
    CSVWriter,
    JSONLWriter,
    JSONWriter,
    RecordWriter,
    SQLWriter,
    check_dialect,
)

__all__ = ["AtomicFile", "CSVWriter", "DataExporter", "ExportError", "JSONLWriter", "JSONWriter", "RecordWriter",
           "SQLWriter", "csv_cell", "dumps", "export", "is_special_file", "open_writer", "plain", "to_record"]

FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "sql")


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


def open_writer(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    table_name: str | None = None,
    dialect: str = "sqlite",
    batch_size: int = 500,
    create_table: bool = False,
    columns: Sequence[str] | None = None,
    declared: Mapping[str, tuple[str, int | None]] | None = None,
) -> RecordWriter:
    """A writer for ``path`` in ``fmt`` (default: from the extension); ``declared`` gives SQL
    columns their declared kinds (see :func:`forge_factories.datasets.declared.declared_kinds`)."""
    kind = format_for(path, fmt)
    if kind == "sql":
        check_dialect(dialect)
        return SQLWriter(path, table_name=table_name or Path(path).stem, dialect=dialect,
                         batch_size=batch_size, create_table=create_table, declared=declared)
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

        Column types come from the objects' declared field types and all their values (or
        from ``column_types``).
        """
        from forge_factories.datasets import sql as _sql
        from forge_factories.datasets.declared import declared_kinds

        objects = list(objects)
        records = cls.records(objects)
        columns = cls._columns(records)
        rows = [{c: r.get(c) for c in columns} for r in records]
        declared = declared_kinds(type(objects[0])) if objects else {}
        with SQLWriter(path, table_name=table_name, dialect=dialect, batch_size=batch_size,
                       create_table=create_table, column_types=column_types, declared=declared) as writer:
            if rows:
                writer.types.add(rows)
                if create_table:
                    writer.start(_sql.create_statement(writer.table, writer.dialect))
            writer.write_many(rows)
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
