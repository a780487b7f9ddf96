"""The provider protocol and the name -> provider registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from forge_factories.llm.request import SemanticRequest


@dataclass
class FillResult:
    """A provider's answer to one request.

    ``values`` maps item index -> field -> value. ``source`` labels where the values came
    from (``"offline"``, ``"anthropic:claude-haiku-4-5"``); ``item_sources`` overrides it per
    item (``"replayed"``, ``"cached"``). ``reasons`` says, per item index and field left out of
    ``values``, why no valid value came (``"over max_length=300 by 12 characters"``, ``"refused: ..."``).
    """

    values: dict[int, dict[str, Any]]
    source: str
    item_sources: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestPlan:
    """How a provider sends a group: ``items`` per request, ``concurrency`` requests at once."""

    items: int
    concurrency: int


def request_plan(provider: Any, request: SemanticRequest) -> RequestPlan | None:
    """The provider's plan for ``request`` (``None``: it does not plan network requests).

    Providers that call an API over the network define ``request_plan(request)``; wrappers
    (store, cache, governance) pass it on when their answer would come from that API.
    """
    plan = getattr(provider, "request_plan", None)
    if plan is None:
        return None
    result = plan(request)
    if result is None or result.items < 1 or result.concurrency < 1:
        return None
    return result


@runtime_checkable
class SemanticProvider(Protocol):
    """Anything that can fill a :class:`SemanticRequest`.

    ``fill`` receives every item of one (factory, context) group and returns values for
    each; it may split the group into several API calls. The engine validates what comes
    back (missing, invalid or duplicate values are reported, never used silently).
    """

    name: str

    def fill(self, request: SemanticRequest) -> FillResult | Mapping[int, Mapping[str, Any]]: ...


ProviderFactory = Callable[..., SemanticProvider]

_REGISTRY: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make ``name`` usable as ``Meta.forge_provider = name`` / ``configure(provider=name)``."""
    _REGISTRY[name] = factory


def registered_providers() -> tuple[str, ...]:
    """The provider names that can be selected by name."""
    return tuple(sorted(_REGISTRY))


def as_fill_result(provider: SemanticProvider, answer: FillResult | Mapping[int, Mapping[str, Any]]) -> FillResult:
    """Normalise a provider's return value."""
    if isinstance(answer, FillResult):
        return answer
    if not isinstance(answer, Mapping):
        raise TypeError(f"provider {provider.name!r} returned {type(answer).__name__}, expected a mapping")
    return FillResult(values={k: dict(v) if isinstance(v, Mapping) else v for k, v in answer.items()},
                      source=provider.name)
