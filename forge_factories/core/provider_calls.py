"""One provider call of the engine: the pending items of a (factory, context) group, the request,
and how the engine waits for the answer (inline, or off the event loop for an async call)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from forge_factories.common.errors import ProviderError
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.steps import StepState
from forge_factories.llm.failures import transport_failure
from forge_factories.llm.providers.base import FillResult, SemanticProvider, as_fill_result
from forge_factories.llm.request import SemanticRequest

_T = TypeVar("_T")

#: How the engine waits for provider calls (``None``: it makes them inline). An async factory
#: call whose engine runs on the event loop's own thread (a SQLAlchemy greenlet, see
#: :mod:`forge_factories.aio`) sets a runner that makes them in a worker thread and awaits it.
PROVIDER_WAIT: contextvars.ContextVar[Callable[[Callable[[], Any]], Any] | None] = contextvars.ContextVar(
    "forge_provider_wait", default=None)


def waited(call: Callable[[], _T]) -> _T:
    """``call()``, through the :data:`PROVIDER_WAIT` runner when one is set."""
    wait = PROVIDER_WAIT.get()
    return call() if wait is None else wait(call)


@dataclass(eq=False)
class _PendingItem:
    state: StepState
    fields: dict[str, SemanticAttribute]
    conditioning: dict[str, Any]


@dataclass(eq=False)
class _GroupCall:
    """One (factory, context) group's request, its provider and (once called) its result."""

    factory: Any
    context: str | None
    items: list[_PendingItem]
    decls: dict[str, SemanticAttribute]
    request: SemanticRequest
    provider: SemanticProvider
    result: FillResult | None = None


def _call_provider(call: _GroupCall, request: SemanticRequest | None = None) -> FillResult:
    """The provider's answer to ``request`` (default: the call's); a failed request names its group."""
    request = call.request if request is None else request
    try:
        return as_fill_result(call.provider, call.provider.fill(request))
    except ProviderError as exc:
        raise transport_failure(request, exc) from exc
