"""Sharded runs on Dask: a lazy ``dask.dataframe`` or one file per partition.

The scheduler is a local cluster by default, a ``distributed`` scheduler when an address
(or a ``Client``) is given, or ``"sync"`` / ``"threads"`` for dask's in-process schedulers.
Rows are a function of (seed, row number), so the output is the same whichever one runs it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from forge_factories.datasets.sharded.blocks import (
    BLOCK_ROWS,
    ShardSpec,
    block,
    columns_of,
    layout,
    load_target,
)
from forge_factories.datasets.sharded.files import (
    MANIFEST,
    check_format,
    part_name,
    prepare_directory,
    remove_temporaries,
    write_partition,
)

#: Attempts Dask makes again for a failed partition.
RETRIES = 2


@dataclass
class ShardedResult:
    """What a sharded write produced (also written to ``_forge_manifest.json``)."""

    directory: str
    format: str
    count: int
    seed: int
    block_rows: int
    parts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        """The partition files, in row order."""
        return [os.path.join(self.directory, p["file"]) for p in self.parts]


def make_spec(target: Any, count: int, *, seed: int | None, parents: Mapping[Any, int] | None = None,
              block_rows: int = BLOCK_ROWS) -> ShardSpec:
    """The spec of a run; without a seed one is drawn here, once, for every partition."""
    if seed is None:
        seed = random.SystemRandom().randrange(2**63)
    return ShardSpec(target, count, seed, block_rows, tuple((parents or {}).items()))


def run_schema(spec: ShardSpec) -> Any:
    """The Arrow schema every partition of ``spec`` uses (model's declared types, block 0 for the rest)."""
    from forge_factories.datasets.sharded.arrow import schema_for

    # no rows: the types of rows that would be generated (a few, never written)
    sample = block(spec if spec.count else dataclasses.replace(spec, count=min(spec.block_rows, 100)), 0)
    return schema_for(load_target(spec.target), columns_of(spec), sample)


def _frame(part: tuple[int, int], spec: ShardSpec, schema: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    from forge_factories.datasets.sharded.arrow import to_frame, to_table
    from forge_factories.datasets.sharded.blocks import iter_blocks

    first, stop = part
    tables = [to_table(rows, schema) for rows in iter_blocks(spec, first, stop)]
    frame = to_frame(pa.concat_tables(tables) if tables else schema.empty_table())
    start, end = spec.rows_of(first, stop)
    frame.index = pd.RangeIndex(start, max(start, end))
    return frame


def to_dask(target: Any, count: int, *, seed: int | None = None, partitions: int = 1,
            parents: Mapping[Any, int] | None = None, block_rows: int = BLOCK_ROWS) -> Any:
    """``count`` rows of ``target`` as a lazy ``dask.dataframe`` of ``partitions`` partitions.

    The index is the row number; columns have the model's types (Arrow-backed dtypes).
    The rows depend on ``seed``, ``count`` and ``block_rows`` only, never on ``partitions``.
    """
    import dask.dataframe as dd

    from forge_factories.datasets.sharded.arrow import to_frame

    spec = make_spec(target, count, seed=seed, parents=parents, block_rows=block_rows)
    parts = layout(spec.blocks, partitions)
    schema = run_schema(spec)
    starts = [spec.rows_of(first, stop)[0] for first, stop in parts]
    divisions = (*starts, count - 1) if count else None
    return dd.from_map(_frame, parts, spec=spec, schema=schema, meta=to_frame(schema.empty_table()),
                       divisions=divisions, label="forge-rows", enforce_metadata=False)


@contextlib.contextmanager
def _client(scheduler: Any, workers: int | None) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, one connected to an address, or a local cluster."""
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if isinstance(scheduler, str) and scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or max(1, os.cpu_count() or 1)
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def write_dataset(target: Any, count: int, directory: str | os.PathLike[str], *, format: str = "parquet",  # noqa: A002
                  seed: int | None = None, partitions: int = 1, parents: Mapping[Any, int] | None = None,
                  scheduler: Any = None, workers: int | None = None, retries: int = RETRIES,
                  block_rows: int = BLOCK_ROWS) -> ShardedResult:
    """Write ``count`` rows of ``target`` to ``directory``, one ``part-NNNNN.<format>`` file per partition.

    ``scheduler``: ``None`` starts a local cluster of ``workers`` processes, an address or a
    ``distributed.Client`` uses that cluster (failed partitions are retried ``retries`` times),
    ``"sync"`` / ``"threads"`` run in this process. The directory must be empty or missing.
    """
    import dask

    check_format(format)
    spec = make_spec(target, count, seed=seed, parents=parents, block_rows=block_rows)
    parts = layout(spec.blocks, partitions)
    columns_of(spec)  # a factory that cannot be sharded fails here, before any directory or cluster
    schema = run_schema(spec) if format == "parquet" else None
    out = prepare_directory(directory)
    run = uuid.uuid4().hex  # task keys unique per run: a scheduler never hands back another run's result
    tasks = [dask.delayed(write_partition, pure=False)(spec, format, os.fspath(out), i, first, stop, schema,
                                                       dask_key_name=f"forge-part-{i}-{run}")
             for i, (first, stop) in enumerate(parts)]
    if scheduler in ("sync", "threads", "processes"):
        entries = list(dask.compute(*tasks, scheduler=scheduler))
    else:
        with _client(scheduler, workers) as client:
            entries = client.gather(client.compute(tasks, retries=retries))
    remove_temporaries(out)  # every part is in place: any temporary left is a dead attempt's
    result = ShardedResult(os.fspath(out), format, count, spec.seed, spec.block_rows, list(entries))
    _write_manifest(result, target)
    return result


def _write_manifest(result: ShardedResult, target: Any) -> None:
    name = target if isinstance(target, str) else f"{target.__module__}:{target.__qualname__}"
    data = {"target": name, "format": result.format, "count": result.count, "seed": result.seed,
            "block_rows": result.block_rows, "parts": result.parts}
    path = os.path.join(result.directory, MANIFEST)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


__all__ = ["RETRIES", "ShardedResult", "make_spec", "part_name", "run_schema", "to_dask", "write_dataset"]
