"""One partition, one file: written under a temporary name and renamed into place.

A partition's file name depends only on its index, so a partition Dask runs again (a
worker lost, a task retried) overwrites its own file atomically: never a duplicated row,
never a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from forge_factories.common.atomic_files import temp_name
from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.sharded.blocks import ShardSpec, columns_of, iter_blocks

FORMATS = ("parquet", "jsonl", "csv")
MANIFEST = "_forge_manifest.json"


def check_format(fmt: str) -> str:
    """``fmt`` if sharded output supports it."""
    if fmt not in FORMATS:
        raise ForgeConfigError(f"sharded output is one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def part_name(index: int, fmt: str) -> str:
    """The file name of partition ``index``."""
    return f"part-{index:05d}.{fmt}"


def prepare_directory(directory: str | os.PathLike[str]) -> Path:
    """``directory``, created if missing; an existing one must be empty (old parts would mix in)."""
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise ForgeConfigError(f"cannot write {os.fspath(directory)!r}: not a directory")
    if path.is_dir() and any(path.iterdir()):
        raise ForgeConfigError(f"cannot write {os.fspath(directory)!r}: the directory is not empty")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ForgeConfigError(f"cannot write {os.fspath(directory)!r}: {exc.strerror or exc}") from None
    return path


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_parquet(spec: ShardSpec, path: Path, first: int, stop: int, schema: Any) -> int:
    import pyarrow.parquet as pq

    from forge_factories.datasets.sharded.arrow import to_table

    tmp = temp_name(path)
    count = 0
    try:
        with pq.ParquetWriter(tmp, schema) as writer:  # one row group per block
            for rows in iter_blocks(spec, first, stop):
                writer.write_table(to_table(rows, schema))
                count += len(rows)
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync(path.parent)
    return count


def _write_text(spec: ShardSpec, path: Path, fmt: str, first: int, stop: int) -> int:
    from forge_factories.datasets.export import open_writer

    writer = open_writer(path, fmt, columns=columns_of(spec) if fmt == "csv" else None)
    try:
        for rows in iter_blocks(spec, first, stop):
            for row in rows:
                writer.write(row)
    except BaseException:
        writer.discard()
        raise
    writer.close()
    return int(writer.count)


def remove_temporaries(directory: str | os.PathLike[str]) -> list[str]:
    """Delete the temporaries of part files left in ``directory`` (a worker that died mid-write)."""
    removed = []
    for entry in os.scandir(directory):
        if entry.name.startswith(".part-") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def write_partition(spec: ShardSpec, fmt: str, directory: str, index: int, first: int, stop: int,
                    schema: Any = None) -> dict[str, Any]:
    """Write blocks ``[first, stop)`` to partition ``index``'s file; returns its manifest entry."""
    path = Path(directory) / part_name(index, check_format(fmt))
    if fmt == "parquet":
        rows = _write_parquet(spec, path, first, stop, schema)
    else:
        rows = _write_text(spec, path, fmt, first, stop)
    start, _stop = spec.rows_of(first, stop)
    return {"file": path.name, "first_row": start, "rows": rows}
