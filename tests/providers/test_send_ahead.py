"""Requests sent ahead: a group's full chunks leave while later objects of the batch still resolve."""

from __future__ import annotations

import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.errors import ProviderError
from forge_factories.llm.providers.anthropic import AnthropicProvider
from forge_factories.llm.providers.base import RequestPlan, request_plan
from forge_factories.llm.providers.offline import OfflineProvider

from .fake_llm_server import FakeLLMServer, Fault, RepeatingServer
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


def test_a_value_repeating_another_requests_is_asked_again_once() -> None:
    with RepeatingServer() as server:
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to offline text
            users = user_factory(provider, "strict").build_batch(10)
        assert server.count() == 3  # two chunks sent ahead, then one re-ask of the 5 repeated items
        assert len({u.bio for u in users}) == 10 and len({u.headline for u in users}) == 10
        assert [u.bio for u in users[:5]] == [f"bio {k}" for k in range(5)]  # the first request's answers stay


class HoldingServer(FakeLLMServer):
    """Holds the reply about ``held`` (a name in the request) until ``release`` is set, at most ``wait`` s."""

    def __init__(self, held: str, wait: float = 5.0) -> None:
        super().__init__()
        self.held = held
        self.wait = wait
        self.release = threading.Event()
        self.released_in_time: bool | None = None

    def _render(self, items: list[dict[str, Any]], fault: Fault | None) -> tuple[str, bool]:
        if any(self.held in str(value) for item in items for value in item.values()):
            self.released_in_time = self.release.wait(self.wait)
        return super()._render(items, fault)


def _users_with_summary(provider: Any, summary: Any) -> Any:
    """A User factory (dict rows) with ``summary_line = LazyAttribute(summary)``."""

    class UserFactory(user_factory(provider, "strict")):  # type: ignore[misc]
        class Meta:
            model = dict

        summary_line = factory.LazyAttribute(summary)

    return UserFactory


def _resume_recording(provider: Any, resumed: list[str], *, then: threading.Event | None = None) -> Any:
    """A User factory whose ``summary`` (it needs ``bio``) notes, in order, the objects that resume."""

    def summary(user: Any) -> str:
        bio = user.bio  # pauses the object until its answer is in
        resumed.append(user.name)
        if then is not None:
            then.set()
        return bio[:12]

    return _users_with_summary(provider, summary)


def test_objects_resume_while_later_requests_are_still_out() -> None:
    with HoldingServer(held="Person 9") as server:
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
        resumed: list[str] = []
        users = _resume_recording(provider, resumed, then=server.release).build_batch(10)
    # The second reply waits for an object of the first request to resume: without resuming
    # early, nothing would release it for 5 s.
    assert server.released_in_time is True
    assert server.count() == 2
    assert resumed == [f"Person {n}" for n in range(10)]
    assert all(u["bio"].endswith(f"{u['name']}, {u['job']}") and u["summary_line"] == u["bio"][:12] for u in users)


def test_a_create_does_not_resume_objects_before_the_whole_fill() -> None:
    with HoldingServer(held="Person 9", wait=0.5) as server:
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
        resumed: list[str] = []
        users = _resume_recording(provider, resumed, then=server.release).create_batch(10)
    assert server.released_in_time is False  # no object resumed while the second request was out
    assert resumed == [f"Person {n}" for n in range(10)] and len(users) == 10


def test_objects_resume_in_order_when_a_later_request_lands_first() -> None:
    with HoldingServer(held="Person 0") as server:  # the first request answers last
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
        resumed: list[str] = []
        factory_cls = _resume_recording(provider, resumed)
        timer = threading.Timer(0.3, server.release.set)
        timer.start()
        users = factory_cls.build_batch(10)
        timer.cancel()
    assert server.released_in_time is True and server.count() == 2
    assert resumed == [f"Person {n}" for n in range(10)]  # not 5..9 first, though their answers came first
    assert all(u["bio"].endswith(f"{u['name']}, {u['job']}") for u in users)


def test_an_object_waiting_on_another_group_does_not_resume_early(server: FakeLLMServer) -> None:
    ahead = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)
    at_fill = AnthropicProvider(base_url=server.url, api_key="test")  # 10 items: no full chunk, nothing sent ahead

    @dataclass
    class Profile:
        motto: str

    class ProfileFactory(factory.Factory):
        class Meta:
            model = Profile
            forge_provider = at_fill
            forge_policy = "strict"

        motto = SemanticAttribute("A motto.", max_length=80)

    class UserFactory(user_factory(ahead, "strict")):  # type: ignore[misc]
        class Meta:
            model = dict

        profile = factory.SubFactory(ProfileFactory)

    users = UserFactory.build_batch(10)
    # Two requests for the users' group, one for the profiles': an object resumed before its
    # profile's answer would ask for that profile again.
    assert server.count() == 3
    assert len({u["profile"].motto for u in users}) == 10 and all(u["bio"] for u in users)


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


def test_an_error_in_an_object_resumed_early_stops_the_requests_still_out() -> None:
    with HoldingServer(held="Person 9") as server:  # the second request stays out
        provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)

        def summary(user: Any) -> str:
            if user.bio and user.name == "Person 2":
                server.release.set()
                raise LookupError("no summary for Person 2")
            return user.bio[:12]

        with pytest.raises(LookupError, match="Person 2"):
            _users_with_summary(provider, summary).build_batch(10)
    assert server.released_in_time is True  # raised while resuming early, with a request still out
    assert _forge_threads() == []


def test_a_dependent_round_resumed_early_keeps_the_request_count_and_the_limit(server: FakeLLMServer) -> None:
    provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_concurrency=2)

    class CustomerFactory(factory.Factory):
        class Meta:
            model = dict
            forge_provider = provider
            forge_policy = "strict"

        name = SemanticAttribute("A customer's full name.", max_length=60)
        bio = SemanticAttribute("A short bio of {name}.", max_length=200)

    customers = CustomerFactory.build_batch(20)
    assert server.count() == 8  # four requests of names, then four of bios conditioned on them
    assert server.max_in_flight <= 2  # the provider's limit holds across both rounds' requests
    assert all(c["bio"].endswith(c["name"]) for c in customers)
    assert len({c["name"] for c in customers}) == 20 and len({c["bio"] for c in customers}) == 20


def test_offline_and_unplanned_providers_send_nothing_ahead() -> None:
    assert request_plan(OfflineProvider(), make_request(3)) is None
    assert request_plan(object(), make_request(3)) is None
    users = user_factory(OfflineProvider()).build_batch(300)
    assert len({u.bio for u in users}) == 300


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


def test_a_persistently_bad_reply_costs_max_rounds_requests_per_item(server: FakeLLMServer) -> None:
    """Sent ahead or not, an item is asked max_rounds times; only values repeating another
    request's (which no single request could see) are asked again afterwards."""
    server.inject(*[Fault(overlong="headline")] * 20)
    provider = AnthropicProvider(base_url=server.url, api_key="test", chunk_cap=5, max_rounds=3)
    with pytest.warns(Warning, match="offline text"):
        users = user_factory(provider).build_batch(5)  # one chunk, sent ahead
    assert server.count() == 3  # not 3 asks by the request plus 3 by a second fill
    assert len(users[0].headline) <= 120
