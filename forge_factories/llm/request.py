"""What the batch engine hands to a provider: one (factory, context) group of items."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forge_factories.text.spec import FieldSpec


@dataclass(frozen=True)
class SemanticItem:
    """One object of the batch that needs semantic values.

    ``index`` is the item's position inside its request (the model echoes it back);
    ``key`` a stable path of the object inside the call (``"3"``, ``"3/product"``,
    ``"3/reviews#1"``); ``fields`` the semantic fields it still needs;
    ``conditioning`` the resolved values (by reference name) its text must agree with;
    ``notes`` what was wrong with its previous answer, set by the engine when it asks the
    item again (``"bio: over max_length=300 by 12 characters"``; the prompt carries them).
    """

    index: int
    key: str
    fields: tuple[str, ...]
    conditioning: Mapping[str, Any] = field(default_factory=dict)
    sequence: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SemanticRequest:
    """All items of one (factory, context) group of one batch round.

    ``chunk_cap`` is the most items per API request the engine allows (``None``: the
    provider's own cap); the engine lowers it when a reply was cut off at the output limit.
    Neither it nor the items' ``notes`` is part of a cache or lock key: they shape how an
    answer is asked for, not which values are asked.
    """

    factory: str
    model: str
    context: str | None
    specs: tuple[FieldSpec, ...]
    items: tuple[SemanticItem, ...]
    seed: int | None = None
    locale: str | None = None
    rules: tuple[str, ...] = ()
    chunk_cap: int | None = None

    def spec(self, name: str) -> FieldSpec:
        """The spec of the field called ``name``."""
        for s in self.specs:
            if s.name == name:
                return s
        raise KeyError(name)


#: What a provider returns: item index -> field name -> value.
SemanticAnswers = dict[int, dict[str, Any]]
