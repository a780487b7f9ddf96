"""End to end: factories whose Meta names an API provider pointed at the fake server."""

from __future__ import annotations

import pytest

from forge_factories.common.errors import ForgeWarning, SemanticResolutionError
from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.anthropic import AnthropicProvider
from forge_factories.llm.providers.openai import OpenAIProvider

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import user_factory


def test_build_batch_of_100_is_one_anthropic_request(server: FakeLLMServer) -> None:
    UserFactory = user_factory(AnthropicProvider(base_url=server.url, api_key="test"))
    users = UserFactory.build_batch(100)
    assert server.count() == 1
    assert len({u.bio for u in users}) == 100
    for u in users:
        assert u.bio.endswith(f"{u.name}, {u.job}")  # each text agrees with its own record
    body = server.requests[0].body
    assert "temperature" not in body
    assert accounting.usage()["anthropic"]["claude-haiku-5-5"]["requests"] == 1


def test_repairs_are_invisible_to_the_factory(server: FakeLLMServer) -> None:
    server.inject(Fault(status=429, headers={"retry-after": "0"}), Fault(truncate=True, keep=4),
                  Fault(duplicate="headline"))
    UserFactory = user_factory(OpenAIProvider(base_url=server.url + "/v1", api_key="test"), policy="strict")
    users = UserFactory.build_batch(10)
    assert len({u.bio for u in users}) == 10 and len({u.headline for u in users}) == 10
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in users)
    # 429, truncated (4 of 10 kept), the 6 missing in chunks of 5 + 1 (one with duplicates), the last re-ask
    assert server.count() == 5


def test_strict_policy_raises_naming_factory_field_and_items(server: FakeLLMServer) -> None:
    server.inject(*[Fault(overlong="headline")] * 3)
    UserFactory = user_factory(AnthropicProvider(base_url=server.url, api_key="test", max_rounds=3), "strict")
    with pytest.raises(SemanticResolutionError) as info:
        UserFactory.build_batch(3)
    assert "UserFactory" in str(info.value) and "headline" in str(info.value)
    assert [(f.field, f.index) for f in info.value.failures] == [("headline", 0)]
    assert server.count() == 3


def test_fallback_policy_writes_offline_text_and_warns(server: FakeLLMServer) -> None:
    server.inject(*[Fault(prose=True)] * 2)
    UserFactory = user_factory(AnthropicProvider(base_url=server.url, api_key="test", max_rounds=2))
    with pytest.warns(ForgeWarning, match="offline"):
        users = UserFactory.build_batch(3)
    assert server.count() == 2
    assert all(u.bio and len(u.bio) <= 300 for u in users)
    assert not any("no." in u.bio for u in users)  # none of the fake server's texts was used


def test_build_batch_of_1000_is_the_planners_chunk_count(server: FakeLLMServer) -> None:
    from forge_factories.llm.planner import chunk_size

    from .helpers import make_request

    provider = AnthropicProvider(base_url=server.url, api_key="test", max_concurrency=5)
    users = user_factory(provider, "strict").build_batch(1000)
    assert server.count() == 1000 // chunk_size(make_request(1), provider.output_budget) == 10
    assert server.max_in_flight <= 5
    assert len({u.bio for u in users}) == 1000
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in users)
