"""What every value generator is built with: the :class:`BuildContext` and the error it raises.

A generator is a zero-argument callable. Every draw comes from Faker's shared random (the
one :func:`forge_factories.seed` reseeds), so values are reproducible under a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from faker import Faker
from faker.generator import random as shared_random

Generator = Callable[[], Any]

__all__ = ["AutoFactoryError", "BuildContext", "Generator", "shared_random", "with_nulls"]


class AutoFactoryError(TypeError):
    """A model field cannot be generated; the message names model, field, type and the remedy."""


@dataclass
class BuildContext:
    """What a generator builder needs to know about where the field lives."""

    model_name: str
    field_name: str
    fake: Faker
    none_ratio: float = 0.1
    max_depth: int = 2
    nested: Callable[[Any], Callable[[], Any] | None] | None = None

    def fail(self, tp: Any, why: str = "") -> AutoFactoryError:
        """The error for a type we cannot generate."""
        type_name = getattr(tp, "__name__", None) or repr(tp)
        reason = f" ({why})" if why else ""
        return AutoFactoryError(
            f"{self.model_name}.{self.field_name}: cannot generate a value of type {type_name}{reason}. "
            f"Supply one: factory_for({self.model_name}, {self.field_name}=<value, callable or "
            f"factory declaration>), or forge_factories.auto.register_type({type_name}, generator)."
        )


def with_nulls(gen: Generator, ratio: float) -> Generator:
    """``None`` with probability ``ratio``, else ``gen()``."""
    if ratio <= 0:
        return gen
    rnd = shared_random

    def maybe_none() -> Any:
        return None if rnd.random() < ratio else gen()

    return maybe_none
