"""Run the example offline: no key, no network, one seed per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import forge_factories
from forge_factories.llm.providers import OfflineProvider


@pytest.fixture(autouse=True)
def offline_and_seeded() -> Iterator[None]:
    previous = forge_factories.settings.provider
    forge_factories.configure(provider=OfflineProvider())
    forge_factories.seed(2026)
    yield
    forge_factories.configure(provider=previous)
