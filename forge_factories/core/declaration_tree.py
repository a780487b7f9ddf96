"""Does a factory tree declare something? One walk for every such question (semantic text, Faker).

A :class:`TreeQuery` answers "does this factory, or any factory its SubFactory /
RelatedFactory declarations reach (their defaults, ``Maybe`` branches, traits and
transformers included), declare a value matching ``leaf``?". Only the answer of a whole
walk is cached: inside a cycle (a User with a RelatedFactory Profile whose SubFactory is
User) a factory met again answers "not by this path", which is not its own answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factory import declarations as fb

from forge_factories._compat.factory_boy import declaration_arguments


class TreeQuery:
    """``query(factory_cls)``: whether the tree of ``factory_cls`` declares a value ``leaf`` accepts."""

    def __init__(self, leaf: Callable[[Any], bool]) -> None:
        self.leaf = leaf
        self.cache: dict[Any, bool] = {}

    def __call__(self, factory_cls: Any) -> bool:
        cached = self.cache.get(factory_cls)
        if cached is None:
            cached = self.cache[factory_cls] = self._factory(factory_cls, set())
        return cached

    def declaration(self, value: Any, seen: set[Any] | None = None) -> bool:
        """Whether one declaration (a call's override, say) is or reaches a matching value."""
        seen = set() if seen is None else seen
        if self.leaf(value):
            return True
        if isinstance(value, fb.SubFactory | fb.RelatedFactory):
            defaults = getattr(value, "defaults", None) or declaration_arguments(value) or {}
            if any(self.declaration(v, seen) for v in defaults.values()):
                return True
            try:
                target = value.get_factory()
            except Exception:  # noqa: BLE001 - an unresolvable path fails later with factory_boy's own error
                return False
            return self._factory(target, seen)
        if isinstance(value, fb.Maybe):
            return any(self.declaration(v, seen) for v in (value.decider, value.yes, value.no))
        if isinstance(value, fb.Trait):
            return any(self.declaration(v, seen) for v in value.overrides.values())
        if isinstance(value, fb.Transformer):
            return self.declaration(value.default, seen)
        return False

    def _factory(self, factory_cls: Any, seen: set[Any]) -> bool:
        if factory_cls in seen:
            return False
        cached = self.cache.get(factory_cls)
        if cached is not None:
            return cached
        seen.add(factory_cls)
        meta = getattr(factory_cls, "_meta", None)
        if meta is None:
            return False
        values = list(meta.declarations.values()) + list(meta.parameters.values())
        return any(self.declaration(v, seen) for v in values)
