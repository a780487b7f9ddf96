"""``create_large``: many records for the price of a few semantic values.

About ``seed_ratio * count`` semantic values are paid for (one provider request for the
pool); every record gets new keys and standard fields from the column-wise generator, and
semantic text drawn from the pool and varied: sentences of two pool values recombined, and
the values a pool text was conditioned on (e.g. its person's name) swapped for the
record's own. Varied text is validated against the field spec; when a variation breaks a
constraint the pool value itself is used. Deterministic under the seed.
"""

from __future__ import annotations

import os
from typing import Any

from forge_factories.datasets.semantic_pool import pool_size, split_sentences, swap_references, vary  # noqa: F401
from forge_factories.datasets.stream import create_stream


def create_large(
    target: Any,
    count: int,
    seed_ratio: float = 0.01,
    *,
    filename: str | os.PathLike[str] | None = None,
    seed: int | None = None,
    context: str | None = None,
    provider: Any = None,
    progress: bool | None = None,
    as_dicts: bool = False,
    **stream_options: Any,
) -> list[Any]:
    """``count`` distinct records paying for about ``seed_ratio * count`` semantic values.

    Returns the records (model instances, or dicts with ``as_dicts=True``); with
    ``filename`` they are also written there. For counts that should not be held in
    memory, use ``create_stream(target, count, filename, seed_ratio=...)`` instead.
    ``progress=None`` (default) draws a progress bar on stderr when it is a terminal.
    """
    pool_size(count, seed_ratio)
    stream = create_stream(target, count, filename, seed=seed, context=context, provider=provider,
                           seed_ratio=seed_ratio, progress=progress, as_dicts=as_dicts, **stream_options)
    with stream:
        return list(stream)
