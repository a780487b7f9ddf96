"""Semantic columns from the offline writer, without a provider request per chunk.

When the column-wise executor's provider is the plain :class:`OfflineProvider` (chosen
explicitly: ``use_ai=False``, ``provider="offline"``; never a store-wrapped automatic fallback,
which may replay recorded values), each semantic field of a chunk is written by
:func:`~forge_factories.text.column.offline_column`: the offline writer's own texts, one seeded
generator per field and chunk instead of one per value, and none of the request, validation
and retry machinery that exists for live providers (offline text is written to fit the spec).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from forge_factories.datasets.rowbuild import chunk_rng, row_builder, take_sequences
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.text.column import offline_column


def is_plain_offline(provider: Any) -> bool:
    """Whether ``provider`` is the bare offline provider (not a subclass, not wrapped)."""
    return type(provider) is OfflineProvider


def offline_semantic(
    plan: Any,
    conditionings: Sequence[Mapping[str, Any]],
    *,
    context: str | None,
    base_seed: Any,
    chunk: Any,
) -> dict[str, list[str]]:
    """The values of each semantic field of ``plan`` (a :class:`~forge_factories.datasets.columnar.ColumnPlan`)
    for rows with these conditionings, by field name; one generator per field and chunk."""
    factory_cls = plan.factory
    meta = factory_cls._meta
    model = meta.get_model_class()
    model_name = getattr(model, "__name__", str(model))
    if context is None:
        context = getattr(meta, "forge_context", None)
    locale = getattr(meta, "forge_locale", None)
    path = plan.path
    return {
        name: offline_column(decl.spec(name), conditionings, context=context, locale=locale,
                             rng=chunk_rng(base_seed, "semantic", path, chunk, name), model=model_name)
        for name, decl in plan.semantic.items()
    }


def offline_chunk(plan: Any, n: int, *, chunk: Any, base_seed: Any, context: str | None) -> list[dict[str, Any]]:
    """``n`` finished rows of a plan whose fields are all columns or semantic fields that refer to
    nothing: every column drawn, the semantic ones written, then one row dict each, in field order."""
    seqs = take_sequences(plan.factory, n)
    cols = plan.standard_columns(n, base_seed, chunk, seqs)
    cols.update(offline_semantic(plan, [{}] * n, context=context, base_seed=base_seed, chunk=chunk))
    order = [name for name in plan.order if name not in plan.exclude]
    return row_builder(order)([cols[name] for name in order])
