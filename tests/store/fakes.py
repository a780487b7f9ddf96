"""Test doubles for the store tests: a 'live' provider that counts calls and one that must not be called."""

from __future__ import annotations

import logging
from typing import Any

from forge_factories.llm.providers.base import FillResult
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec

#: A fake credential; no file or log the store writes may contain it.
FAKE_KEY = "sk-forge-test-FAKE-9f8e7d6c5b4a39281706"

log = logging.getLogger("forge_factories.tests.fake")


class FakeLLM:
    """Stands in for a live provider: every call yields new text (so replay is distinguishable)."""

    name = "fakellm"

    def __init__(self, model: str = "fake-1", api_key: str = FAKE_KEY) -> None:
        self.model = model
        self.api_key = api_key
        self.calls = 0
        self.requests: list[SemanticRequest] = []

    def fill(self, request: SemanticRequest) -> FillResult:
        self.calls += 1
        self.requests.append(request)
        log.info("fakellm fill %s items=%d", request.factory, len(request.items))
        values: dict[int, dict[str, Any]] = {}
        for item in request.items:
            values[item.index] = {
                name: f"{name} #{self.calls} for {item.key} ({', '.join(map(str, item.conditioning.values()))}), "
                      f"written by the fake model"
                for name in item.fields
            }
        return FillResult(values=values, source=f"{self.name}:{self.model}")


class MustNotCall:
    """A live provider that is unavailable: any call fails the test."""

    name = "fakellm"
    model = "fake-1"

    def __init__(self) -> None:
        self.api_key = FAKE_KEY

    def fill(self, request: SemanticRequest) -> FillResult:
        raise AssertionError(f"the live provider was called for {request.factory}")


BIO = FieldSpec("bio", instruction="a short bio of {name}", max_length=200)
TAGLINE = FieldSpec("tagline", instruction="tagline for {name}", max_length=120)


def make_request(names: list[str], *, seed: int | None = 7, context: str | None = "a bike shop",
                 specs: tuple[FieldSpec, ...] = (BIO, TAGLINE), factory: str = "tests.UserFactory",
                 first_sequence: int = 0) -> SemanticRequest:
    """A request of one item per name, each conditioned on its name."""
    items = tuple(
        SemanticItem(index=i, key=str(i), fields=tuple(s.name for s in specs), conditioning={"name": n},
                     sequence=first_sequence + i)
        for i, n in enumerate(names)
    )
    return SemanticRequest(factory=factory, model="User", context=context, specs=specs, items=items, seed=seed,
                           locale=None)
