"""Requests sent ahead: a group's full chunks leave while later objects of the batch still resolve."""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any

import pytest

import forge_factories as factory
from forge_factories.errors import ProviderError
from forge_factories.pipeline import merge_results
from forge_factories.providers.anthropic import AnthropicProvider
from forge_factories.providers.base import FillResult, RequestPlan, request_plan
from forge_factories.providers.offline import OfflineProvider

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import make_request, user_factory


def _forge_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("forge-ahead")]


def test_first_chunk_is_sent_before_the_last_object_resolves(server: FakeLLMServer) -> None:
    provider = AnthropicProvider(base_url=server.url, api_key="test", max_concurrency=5)
    seen_by_last: list[int] = []

    def requests_seen(n: int) -> str:
        if n == 999:  # the last object: wait (bounded) for the first request to reach the server
            deadline = time.monotonic() + 5
            while server.count() == 0 and time.monotonic() < deadline:
                time.sleep(0.005)
            seen_by_last.append(server.count())
        return f"Person {n}"

    class UserFactory(user_factory(provider, "strict")):  # type: ignore[misc]
        name = factory.Sequence(requests_seen)

    users = UserFactory.build_batch(1000)
    assert seen_by_last and seen_by_last[0] >= 1  # without sending ahead, nothing is sent before all resolve
    assert server.count() == 10 and server.max_in_flight <= 5
    assert [u.name for u in users] == [f"Person {n}" for n in range(1000)]
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in users)  # answers land on their own objects


def test_sent_ahead_answers_are_merged_in_item_order(server: FakeLLMServer) -> None:
    provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=7, max_concurrency=3)
    users = user_factory(provider, "strict").build_batch(30)
    assert server.count() == 5  # 7 + 7 + 7 + 7 sent ahead, the last 2 at the fill
    assert server.max_in_flight <= 3
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in users)
    assert all(u.headline.endswith(f"{u.name}, {u.job}") for u in users)


class RepeatingServer(FakeLLMServer):
    """The first two requests number their values from 0: each reply is unique, together they repeat."""

    def __init__(self) -> None:
        super().__init__()
        self.replies = 0
        self._reply_lock = threading.Lock()

    def _render(self, items: list[dict[str, Any]], fault: Fault | None) -> tuple[str, bool]:
        with self._reply_lock:
            self.replies += 1
            repeat = self.replies <= 2
        if repeat:
            for position, item in enumerate(items):
                for name in item:
                    if name != "i":
                        item[name] = f"{name} {position}"
        return super()._render(items, fault)


def test_a_value_repeating_another_requests_is_asked_again_once() -> None:
    with RepeatingServer() as server:
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to offline text
            users = user_factory(provider, "strict").build_batch(10)
        assert server.count() == 3  # two chunks sent ahead, then one re-ask of the 5 repeated items
        assert len({u.bio for u in users}) == 10 and len({u.headline for u in users}) == 10
        assert [u.bio for u in users[:5]] == [f"bio {k}" for k in range(5)]  # the first request's answers stay


def test_a_failed_request_sent_ahead_fails_the_call_and_stops_the_workers(server: FakeLLMServer) -> None:
    server.inject(Fault(status=401, message="invalid x-api-key"))
    provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=10, max_concurrency=2)
    with pytest.raises(ProviderError, match="ANTHROPIC_API_KEY"):
        user_factory(provider, "strict").build_batch(50)
    assert _forge_threads() == []


def test_an_error_while_resolving_stops_the_requests_sent_ahead(server: FakeLLMServer) -> None:
    provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=10, max_concurrency=2)

    def job_of(n: int) -> str:
        if n == 45:
            raise LookupError("no job for 45")
        return "baker"

    class UserFactory(user_factory(provider, "strict")):  # type: ignore[misc]
        job = factory.Sequence(job_of)

    with pytest.raises(LookupError, match="no job for 45"):
        UserFactory.build_batch(100)
    assert 1 <= server.count() <= 4  # the chunks complete before object 45, and no more
    assert _forge_threads() == []


def test_offline_and_unplanned_providers_send_nothing_ahead() -> None:
    assert request_plan(OfflineProvider(), make_request(3)) is None
    assert request_plan(object(), make_request(3)) is None
    users = user_factory(OfflineProvider()).build_batch(300)
    assert len({u.bio for u in users}) == 300


def test_merge_results_shifts_indices_and_keeps_sources() -> None:
    first = FillResult({0: {"bio": "a"}, 1: {"bio": "b"}}, "anthropic:m", {1: "cached"})
    second = FillResult({0: {"bio": "c"}}, "offline")
    merged = merge_results([(2, first), (3, second)])
    assert merged.values == {0: {"bio": "a"}, 1: {"bio": "b"}, 2: {"bio": "c"}}
    assert merged.source == "anthropic:m"
    assert merged.item_sources == {1: "cached", 2: "offline"}


def test_the_planned_chunk_follows_the_fields_of_the_items(server: FakeLLMServer) -> None:
    provider = AnthropicProvider(base_url=server.url, api_key="test", output_budget=2000)
    plan = request_plan(provider, make_request(5))
    assert isinstance(plan, RequestPlan) and plan.concurrency == provider.max_concurrency
    assert 1 <= plan.items < 100  # a small budget gives a smaller chunk than the cap


def test_replayed_values_are_not_sent_ahead(tmp_path: Any, server: FakeLLMServer) -> None:
    from forge_factories.store import StoreProvider
    from forge_factories.store.lockfile import LockFile

    inner = AnthropicProvider(base_url=server.url, api_key="test")
    lock = LockFile(tmp_path / "forge.lock")
    assert request_plan(StoreProvider(inner, mode="record", lock=lock), make_request(2)) is not None
    assert request_plan(StoreProvider(inner, mode="replay", lock=lock), make_request(2)) is None
