"""One validation and re-ask loop, in the engine: a provider's ``fill`` asks each item once;
the engine validates and asks failed items again, through the whole wrapper chain."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.config import store_settings
from forge_factories.common.errors import ForgeWarning
from forge_factories.core.reask import ask_until_valid
from forge_factories.llm.planner import read_data_block
from forge_factories.llm.providers.anthropic import AnthropicProvider
from forge_factories.llm.providers.base import FillResult, max_rounds
from forge_factories.llm.request import SemanticRequest

from .fake_llm_server import FakeLLMServer, Fault, RepeatingServer
from .helpers import make_request, provider_for, user_factory


def _asked(server: FakeLLMServer, n: int) -> list[dict[str, Any]]:
    return read_data_block(server.requests[n].body["messages"][0]["content"])["items"]


def test_the_network_fill_asks_each_item_once_and_says_why_values_are_missing(server: FakeLLMServer) -> None:
    server.inject(Fault(overlong="headline", drop=2))
    result = provider_for("anthropic", server.url).fill(make_request(5))
    assert server.count() == 1  # no re-ask inside the provider
    assert len(result.values[0]["headline"]) > 120  # reported as the model wrote it: the engine validates
    assert sorted(result.values) == [0, 1, 2]
    assert result.reasons == {i: {"bio": "missing from the reply", "headline": "missing from the reply"}
                              for i in (3, 4)}
    assert result.cut_off == 0


def test_a_cut_off_reply_is_reported_with_the_size_of_its_request(server: FakeLLMServer) -> None:
    server.inject(Fault(truncate=True, keep=3))
    result = provider_for("anthropic", server.url, chunk_cap=8).fill(make_request(8))
    assert server.count() == 1 and sorted(result.values) == [0, 1, 2]
    assert result.cut_off == 8
    assert result.reasons[7]["bio"] == "missing from the reply (cut off at the output limit)"


def test_the_request_carries_the_notes_and_the_chunk_cap_of_a_reask(server: FakeLLMServer) -> None:
    request = make_request(4)
    request = replace(request, chunk_cap=2, items=tuple(
        replace(item, notes=("bio: over max_length=300 by 9 characters",) if item.index == 1 else ())
        for item in request.items))
    provider_for("anthropic", server.url, chunk_cap=100, max_concurrency=1).fill(request)
    assert server.count() == 2  # two requests of two items: the request's cap wins
    first = _asked(server, 0)
    assert first[1]["rejected"] == ["bio: over max_length=300 by 9 characters"]
    assert "rejected" not in first[0]


class Scripted:
    """A user's own provider: the first answer of item 0's bio is too long, later ones fit."""

    name = "scripted"

    def __init__(self, rounds: int | None) -> None:
        if rounds is not None:
            self.max_rounds = rounds
        self.requests: list[SemanticRequest] = []

    def fill(self, request: SemanticRequest) -> FillResult:
        self.requests.append(request)
        first = len(self.requests) == 1
        values = {item.index: {name: ("x" * 500 if first and item.key == "0" and name == "bio"
                                      else f"{name} of item {item.key}, ask {len(self.requests)}")
                               for name in item.fields}
                  for item in request.items}
        return FillResult(values=values, source=self.name)


@dataclass
class Card:
    bio: str
    motto: str


def _cards(provider: Any, policy: str) -> Any:
    class CardFactory(factory.Factory):
        class Meta:
            model = Card
            forge_provider = provider
            forge_policy = policy

        bio = SemanticAttribute("A short bio.", max_length=300)
        motto = SemanticAttribute("A motto.", max_length=80)

    return CardFactory


def test_a_custom_provider_declaring_max_rounds_is_asked_again_by_the_engine_with_notes() -> None:
    provider = Scripted(rounds=3)
    cards = _cards(provider, "strict").build_batch(3)
    assert len(provider.requests) == 2  # the first ask, then one re-ask of what failed
    again = provider.requests[1]
    assert [(item.key, item.fields, item.notes) for item in again.items] == [
        ("0", ("bio",), ("bio: over max_length=300 by 200 characters",))]
    assert cards[0].bio == "bio of item 0, ask 2" and cards[0].motto == "motto of item 0, ask 1"
    assert [c.bio for c in cards[1:]] == ["bio of item 1, ask 1", "bio of item 2, ask 1"]


def test_a_provider_without_max_rounds_is_asked_once() -> None:
    provider = Scripted(rounds=None)
    assert max_rounds(provider) == 1
    with pytest.warns(ForgeWarning, match="offline text"):
        cards = _cards(provider, "fallback").build_batch(2)
    assert len(provider.requests) == 1
    assert len(cards[0].bio) <= 300 and cards[1].bio == "bio of item 1, ask 1"


def test_the_loop_alone_asks_again_for_the_providers_max_rounds(server: FakeLLMServer) -> None:
    server.inject(*[Fault(overlong="bio")] * 2)
    result = ask_until_valid(provider_for("anthropic", server.url, max_rounds=2), make_request(3))
    assert server.count() == 2  # one request per round, the second for the failed field only
    assert result.reasons == {0: {"bio": "over max_length=300 by 4700 characters"}}
    assert [it["given"]["name"] for it in _asked(server, 1)] == ["Person 0"]


def test_record_then_replay_of_a_session_with_reasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-asks go through the store: recording writes their answers (a value the engine
    rejected is recorded anew), replay serves the same values without a request."""
    monkeypatch.setattr(store_settings, "lock_path", str(tmp_path / "forge.lock.jsonl"))
    monkeypatch.setattr(store_settings, "use_cache", False)

    def session(mode: str, url: str) -> list[tuple[str, str]]:
        monkeypatch.setattr(store_settings, "mode", mode)
        factory.seed(7)
        provider = AnthropicProvider(base_url=url, api_key="test", chunk_cap=5, max_concurrency=1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # strict, and no fallback anywhere
            users = user_factory(provider, "strict").build_batch(10)
        return [(u.bio, u.headline) for u in users]

    with RepeatingServer() as server:  # one request at a time: the first reply is item 0's
        server.inject(Fault(overlong="headline"))  # and item 0's headline is too long in the first reply
        recorded = session("record", server.url)
        asked = server.count()
        assert asked == 4  # two chunks sent ahead, then the 6 failed items asked again (chunks of 5: 2 requests)
        assert len(set(recorded)) == 10 and recorded[0][1] != "headline 0"
        replayed = session("replay", server.url)
        assert server.count() == asked  # no request on replay
    assert replayed == recorded
