"""A call larger than ``batch_window`` resolves window after window: one fill per window, the
engine never holds more than one window of waiting objects, values stay seeded and in order."""

from __future__ import annotations

from typing import Any

import pytest

import forge_factories as factory
from forge_factories import settings_scope
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core.steps import active_engine
from forge_factories.llm.providers import RecordingProvider
from forge_factories.llm.providers.base import FillResult
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.request import SemanticRequest

from .test_batching import make_factories


class WatchingProvider(OfflineProvider):
    """The offline writer, noting how many objects the engine holds whenever it is asked."""

    def __init__(self) -> None:
        self.held: list[int] = []
        self.sizes: list[int] = []

    def fill(self, request: SemanticRequest) -> FillResult:
        engine = active_engine()
        self.held.append(len(engine.states) if engine is not None else -1)
        self.sizes.append(len(request.items))
        return super().fill(request)


def review_factories(provider: Any) -> Any:
    """``test_batching``'s ReviewFactory (a SubFactory product, two semantic fields, a LazyAttribute
    reading one of them), on ``provider``."""
    return make_factories(provider)["ReviewFactory"]


def test_a_call_over_the_window_fills_once_per_window_and_holds_one_window() -> None:
    provider = WatchingProvider()
    reviews_f = review_factories(provider)
    reviews_f.reset_sequence()
    with settings_scope(batch_window=4):
        reviews = reviews_f.build_batch(10)
    # Per window: one fill for the products (children) and one for the reviews, in one round.
    assert provider.sizes == [4, 4, 4, 4, 2, 2]
    # A review and its product are two objects: never more than one window's worth is held.
    assert max(provider.held) <= 2 * 4
    assert [r.id for r in reviews] == list(range(1, 11))
    assert all(r.title and r.body and r.product.description for r in reviews)
    assert all(r.slug == r.title.lower().replace(" ", "-") for r in reviews)
    assert len({r.body for r in reviews}) == 10  # duplicates are checked across windows too


def test_the_default_window_keeps_a_usual_call_in_one_fill() -> None:
    rec = RecordingProvider()
    reviews_f = review_factories(rec)
    reviews_f.build_batch(50)
    assert sorted(len(r.items) for r in rec.requests) == [50, 50]


def test_windows_are_seeded_like_everything_else() -> None:
    def run() -> list[tuple[str, str, str]]:
        factory.seed(7)
        reviews_f = review_factories(OfflineProvider())
        reviews_f.reset_sequence()
        with settings_scope(batch_window=3):
            return [(r.author, r.title, r.body) for r in reviews_f.build_batch(8)]

    assert run() == run()


def test_a_bad_window_is_refused_naming_the_factory() -> None:
    reviews_f = review_factories(OfflineProvider())
    with settings_scope(batch_window=0), pytest.raises(ForgeConfigError, match="ReviewFactory: batch_window"):
        reviews_f.build_batch(2)
