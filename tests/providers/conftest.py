"""Fixtures of the provider tests: a fake LLM server, a clean environment, recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.selection import forget_probes

from .fake_llm_server import FakeLLMServer
from .helpers import ENV_VARS


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as s:
        yield s


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "0")
    accounting.reset_usage()
    forget_probes()
    yield
    accounting.reset_usage()
    forget_probes()


@pytest.fixture
def sleeps() -> list[float]:
    """Pass ``sleep=sleeps.append`` to a provider: retries wait no real time and are recorded."""
    return []
