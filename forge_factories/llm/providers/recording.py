"""A provider wrapper that records every request it receives (for tests and debugging)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forge_factories.llm.providers.base import FillResult, SemanticProvider, as_fill_result, max_rounds
from forge_factories.llm.request import SemanticRequest


class RecordingProvider:
    """Wraps another provider (offline by default) and keeps each request in ``requests``.

    ``RecordingProvider().requests`` is how tests assert that ``create_batch(50)`` made
    exactly one request of 50 items.
    """

    def __init__(self, inner: SemanticProvider | None = None) -> None:
        if inner is None:
            from forge_factories.llm.providers.offline import OfflineProvider

            inner = OfflineProvider()
        self.inner = inner
        self.name = inner.name
        self.requests: list[SemanticRequest] = []

    @property
    def max_rounds(self) -> int:
        """The wrapped provider's asks per item (re-asks are recorded too)."""
        return max_rounds(self.inner)

    def fill(self, request: SemanticRequest) -> FillResult | Mapping[int, Mapping[str, Any]]:
        """Record ``request`` and delegate it."""
        self.requests.append(request)
        return as_fill_result(self.inner, self.inner.fill(request))

    def reset(self) -> None:
        """Forget the recorded requests."""
        self.requests.clear()
