"""Exceptions and warnings raised by forge_factories."""

from __future__ import annotations

from factory.errors import FactoryError


class ForgeError(FactoryError):
    """Base class of every forge_factories error (a factory_boy ``FactoryError``)."""


class ForgeConfigError(ForgeError, TypeError):
    """A factory, Meta option or call argument is invalid."""


class SemanticDeclarationError(ForgeError):
    """A ``SemanticAttribute`` is declared wrongly (unknown reference, dependency cycle)."""


class SemanticResolutionError(ForgeError):
    """A provider could not produce valid values; names the factory, field and items."""

    def __init__(self, message: str, *, failures: tuple[SemanticFailure, ...] = ()) -> None:
        super().__init__(message)
        self.failures = failures


class ProviderError(ForgeError):
    """A semantic provider failed (network, authentication, quota, malformed reply)."""


class ForgeWarning(UserWarning):
    """Something was done in a degraded way (e.g. an LLM value replaced by offline text)."""


class SemanticFailure:
    """One item/field a provider did not answer validly."""

    __slots__ = ("factory", "field", "index", "reason")

    def __init__(self, factory: str, field: str, index: int, reason: str) -> None:
        self.factory = factory
        self.field = field
        self.index = index
        self.reason = reason

    def __repr__(self) -> str:
        return f"SemanticFailure({self.factory}.{self.field}[{self.index}]: {self.reason})"


# factory_boy's own errors, so ``import forge_factories as factory; factory.errors.X`` keeps working.
from factory.errors import (  # noqa: E402
    AssociatedClassError,
    CyclicDefinitionError,
    InvalidDeclarationError,
    UnknownStrategy,
    UnsupportedStrategy,
)

__all__ = [
    "AssociatedClassError",
    "CyclicDefinitionError",
    "FactoryError",
    "ForgeConfigError",
    "ForgeError",
    "ForgeWarning",
    "InvalidDeclarationError",
    "ProviderError",
    "SemanticDeclarationError",
    "SemanticFailure",
    "SemanticResolutionError",
    "UnknownStrategy",
    "UnsupportedStrategy",
]
