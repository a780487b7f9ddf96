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
    ``values``, why no value came (``"refused: ..."``, ``"unparseable reply: ..."``,
    ``"wrong key: ..."``, ``"... (cut off at the output limit)"``). ``cut_off`` is the item
    count of the largest API request whose reply was cut off at the output limit (0: none
    was); the engine asks those items again in smaller requests. ``values`` may hold invalid
    values: the engine validates every answer.
    """

    values: dict[int, dict[str, Any]]
    source: str
    item_sources: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, dict[str, str]] = field(default_factory=dict)
    cut_off: int = 0


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


def max_rounds(provider: Any) -> int:
    """How many times the engine asks an item of ``provider`` (the first ask included).

    A provider declares it as a ``max_rounds`` attribute (the API providers: 3 by default);
    wrappers (store, cache, governance) pass on their inner provider's. Without it (offline
    text, a user's own provider) an item is asked once.
    """
    rounds = getattr(provider, "max_rounds", None)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        return 1
    return rounds


@runtime_checkable
class SemanticProvider(Protocol):
    """Anything that can fill a :class:`SemanticRequest`.

    ``fill`` receives the items of one (factory, context) group and returns values for
    each; it may split the group into several API calls, and asks each item once. The
    engine validates what comes back (missing, invalid or duplicate values are reported,
    never used silently) and owns the re-asks: it sends the failed items again in a
    request of their own, up to the provider's ``max_rounds`` (optional attribute, see
    :func:`max_rounds`), each item carrying ``notes`` on what was wrong with its previous
    answer and the request a lower ``chunk_cap`` after a reply was cut off
    (:class:`~forge_factories.llm.request.SemanticRequest`). Optional too:
    ``request_plan(request)`` (see :func:`request_plan`).
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
