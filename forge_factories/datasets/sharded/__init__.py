"""Sharded generation on Dask: datasets past one machine, identical whatever the partitioning.

Rows are a function of (seed, row number): see :mod:`.blocks`. Foreign keys reference
parent row numbers through the parent's key function: see :mod:`.keys`. Dask, distributed
and pyarrow (the ``dask`` extra) are imported only when a run starts.
"""

from __future__ import annotations

from typing import Any

from forge_factories.datasets.sharded.blocks import BLOCK_ROWS, ShardSpec, block, layout
from forge_factories.datasets.sharded.keys import ParentKey, key_function

__all__ = ["BLOCK_ROWS", "ParentKey", "ShardSpec", "ShardedResult", "block", "key_function", "layout",
           "to_dask", "write_dataset"]


def __getattr__(name: str) -> Any:
    if name in ("to_dask", "write_dataset", "ShardedResult"):
        from forge_factories.datasets.sharded import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
