"""Transient faults are retried (honouring retry-after); auth/quota faults fail at once."""

from __future__ import annotations

import pytest

from forge_factories.common.errors import ProviderError
from forge_factories.llm.providers import accounting

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import KINDS, SECRET, make_request, provider_for


@pytest.mark.parametrize("kind", KINDS)
def test_429_with_retry_after_is_honoured(server: FakeLLMServer, sleeps: list[float], kind: str) -> None:
    server.inject(Fault(status=429, headers={"retry-after": "3"}, message="slow down"))
    result = provider_for(kind, server.url, sleep=sleeps.append).fill(make_request(4))
    assert sorted(result.values) == [0, 1, 2, 3]
    assert server.count() == 2
    assert sleeps == [3.0]


def test_retry_after_ms_wins(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(Fault(status=429, headers={"retry-after-ms": "250", "retry-after": "1"}))
    provider_for("openai", server.url, sleep=sleeps.append).fill(make_request(1))
    assert sleeps == [0.25]


@pytest.mark.parametrize("status", [529, 500, 503])
def test_overload_and_server_errors_are_retried_with_backoff(
    server: FakeLLMServer, sleeps: list[float], status: int,
) -> None:
    server.inject(Fault(status=status), Fault(status=status))
    provider = provider_for("anthropic", server.url, sleep=sleeps.append, retry_base_delay=1.0)
    result = provider.fill(make_request(3))
    assert sorted(result.values) == [0, 1, 2]
    assert server.count() == 3
    assert len(sleeps) == 2
    assert 0.75 <= sleeps[0] <= 1.25 and 1.5 <= sleeps[1] <= 2.5  # exponential, jittered
    row = accounting.usage()["anthropic"][provider.model]
    assert (row["requests"], row["failed_requests"]) == (3, 2)


def test_retries_are_bounded(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(*[Fault(status=500)] * 10)
    with pytest.raises(ProviderError, match="giving up after 3 attempts"):
        provider_for("gemini", server.url, sleep=sleeps.append, max_retries=2).fill(make_request(2))
    assert server.count() == 3


def test_timeout_is_retried(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(Fault(delay=1.0))
    result = provider_for("ollama", server.url, sleep=sleeps.append, timeout=0.3).fill(make_request(2))
    assert sorted(result.values) == [0, 1]
    assert server.count() == 2


def test_sdk_timeout_is_retried(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(Fault(delay=1.0))
    result = provider_for("anthropic", server.url, sleep=sleeps.append, timeout=0.3).fill(make_request(2))
    assert sorted(result.values) == [0, 1]
    assert server.count() == 2


@pytest.mark.parametrize(("kind", "env"), [("anthropic", "ANTHROPIC_API_KEY"), ("openai", "OPENAI_API_KEY"),
                                            ("gemini", "GOOGLE_API_KEY"), ("groq", "GROQ_API_KEY")])
def test_auth_failure_is_immediate_and_names_the_env_var(
    server: FakeLLMServer, sleeps: list[float], kind: str, env: str,
) -> None:
    server.inject(Fault(status=401, message="invalid x-api-key"))
    with pytest.raises(ProviderError) as info:
        provider_for(kind, server.url, sleep=sleeps.append).fill(make_request(3))
    message = str(info.value)
    assert kind in message and env in message and "authentication" in message
    assert SECRET not in message
    assert server.count() == 1
    assert sleeps == []


def test_openai_insufficient_quota_429_is_not_retried(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(Fault(status=429, code="insufficient_quota", headers={"retry-after": "1"},
                        message="You exceeded your current quota, please check your plan and billing details."))
    with pytest.raises(ProviderError, match="quota or spend limit.*OPENAI_API_KEY"):
        provider_for("openai", server.url, sleep=sleeps.append).fill(make_request(2))
    assert server.count() == 1


def test_anthropic_spend_limit_is_not_retried(server: FakeLLMServer, sleeps: list[float]) -> None:
    server.inject(Fault(status=400, message="You have reached your specified API usage limits."))
    with pytest.raises(ProviderError, match="anthropic: quota or spend limit.*ANTHROPIC_API_KEY"):
        provider_for("anthropic", server.url, sleep=sleeps.append).fill(make_request(2))
    assert server.count() == 1


def test_failure_in_one_chunk_stops_the_queued_ones(server: FakeLLMServer) -> None:
    server.inject(Fault(status=401))
    provider = provider_for("openai", server.url, chunk_cap=1, max_concurrency=1)
    with pytest.raises(ProviderError):
        provider.fill(make_request(5))
    assert server.count() == 1


def test_unknown_model_404_names_the_base_url_variable(server: FakeLLMServer) -> None:
    server.inject(Fault(status=404, message="model not found"))
    with pytest.raises(ProviderError, match="GROQ_BASE_URL"):
        provider_for("groq", server.url).fill(make_request(1))
    assert server.count() == 1


def test_missing_key_is_a_clear_error() -> None:
    from forge_factories.llm.providers.anthropic import AnthropicProvider

    with pytest.raises(ProviderError, match="set ANTHROPIC_API_KEY"):
        AnthropicProvider()


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from forge_factories.llm.providers.openai import OpenAIProvider

    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(ProviderError, match=r'pip install "forge_factories\[openai\]"'):
        OpenAIProvider(api_key="x")
