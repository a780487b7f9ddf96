"""What failed and why, in words a user can act on: per item and field, and per request group.

Content failures name the factory, how many items failed (per field) and each item's real
reason (over ``max_length`` by N, not in ``choices``, refused, unparseable, missing,
duplicate, wrong key); transport failures name the factory, fields and items of the
request that failed.
"""

from __future__ import annotations

from collections.abc import Sequence

from forge_factories.common.errors import ProviderError, SemanticFailure
from forge_factories.llm.request import SemanticRequest
from forge_factories.llm.validate import MISSING, MISSING_FIELD

#: Items listed one by one in a message; the rest are counted.
MAX_SHOWN = 12


def with_reasons(failures: Sequence[SemanticFailure], reasons: dict[int, dict[str, str]],
                 offset: int = 0) -> list[SemanticFailure]:
    """``failures`` with "missing" replaced by the provider's own reason, when it gave one.

    ``reasons`` are a :class:`~forge_factories.llm.providers.base.FillResult`'s (by the
    provider's item index: the engine's index minus ``offset``).
    """
    out: list[SemanticFailure] = []
    for failure in failures:
        reason = failure.reason
        if reason in (MISSING, MISSING_FIELD):
            reason = reasons.get(failure.index - offset, {}).get(failure.field, reason)
        out.append(failure if reason == failure.reason else
                   SemanticFailure(failure.factory, failure.field, failure.index, reason))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe_failures(request: SemanticRequest, failures: Sequence[SemanticFailure]) -> str:
    """``"2 of 10 items (bio: 2, headline: 1): bio of item '3': over max_length=300 by 12
    characters; ..."``: how many items failed, per field, then each failure and its reason."""
    items = {f.index for f in failures}
    per_field: dict[str, int] = {}
    for failure in failures:
        per_field[failure.field] = per_field.get(failure.field, 0) + 1
    counts = ", ".join(f"{name}: {n}" for name, n in per_field.items())
    parts = [f"{f.field} of item {request.items[f.index].key!r}: {f.reason}" for f in failures[:MAX_SHOWN]]
    if len(failures) > MAX_SHOWN:
        parts.append(f"and {len(failures) - MAX_SHOWN} more")
    return f"{len(items)} of {_plural(len(request.items), 'item')} ({counts}): " + "; ".join(parts)


def transport_failure(request: SemanticRequest, exc: ProviderError) -> ProviderError:
    """``exc`` with the factory, fields and item count of the request that failed in front."""
    fields = ", ".join(spec.name for spec in request.specs)
    return ProviderError(f"{request.factory} (fields {fields}; {_plural(len(request.items), 'item')}): {exc}")

