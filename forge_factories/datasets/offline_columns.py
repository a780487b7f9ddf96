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
    rng_for: Any,
) -> list[dict[str, Any]]:
    """The semantic values of ``len(conditionings)`` rows of ``plan`` (a
    :class:`~forge_factories.datasets.columnar.ColumnPlan`); ``rng_for(name)`` gives the field's generator."""
    factory_cls = plan.factory
    meta = factory_cls._meta
    model = meta.get_model_class()
    model_name = getattr(model, "__name__", str(model))
    if context is None:
        context = getattr(meta, "forge_context", None)
    locale = getattr(meta, "forge_locale", None)
    columns: dict[str, list[str]] = {}
    for name, decl in plan.semantic.items():
        columns[name] = offline_column(decl.spec(name), conditionings, context=context, locale=locale,
                                       rng=rng_for(name), model=model_name)
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
