"""The offline writer a column at a time: one field's texts for many items in one call.

:func:`offline_column` writes what :func:`~forge_factories.text.offline.offline_text` writes for
each item (same composers, same fitting to the spec's bounds), but reads the field once for the
whole column and draws every text from one generator, instead of seeding a generator per value.
The same ``rng`` state and conditionings always give the same column.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec

#: Draws per item before a duplicate within the column is accepted (as the offline provider).
MAX_TRIES = 8


def offline_column(
    spec: FieldSpec,
    conditionings: Sequence[Mapping[str, Any]],
    *,
    context: str | None,
    locale: str | None,
    rng: random.Random,
    model: str,
    avoid: set[str] | None = None,
) -> list[str]:
    """One text of ``spec`` per conditioning, distinct within the column (and from ``avoid``,
    which receives the new texts) wherever the spec leaves room for it; ``choices`` repeat freely."""
    used: set[str] = avoid if avoid is not None else set()
    out: list[str] = []
    append, add = out.append, used.add
    repeatable = bool(spec.choices)
    for conditioning in conditionings:
        text = ""
        for _ in range(MAX_TRIES):
            text = offline_text(spec, conditioning, context=context, locale=locale, rng=rng, model=model)
            if repeatable or text not in used:
                break
        add(text)
        append(text)
    return out
