"""Semantic values over the SDKs' async clients (the fake API server on loopback): the event loop
is never blocked while a batch waits on the API, concurrent batches overlap their requests within
the providers' concurrency budget, and a cancelled batch writes nothing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterator
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from sqlalchemy import func, select

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.core import registry
from tests.orm import backends
from tests.providers.fake_llm_server import FakeLLMServer, Fault
from tests.providers.helpers import KINDS, provider_for, user_factory

from .conftest import async_engine
from .factories import DjMemberFactory, SAMemberFactory, SATeamFactory
from .models import AioDjMember, SATeam

pytestmark = pytest.mark.asyncio
T = TypeVar("T")

#: Longest the event loop may go without running a ready task while a batch waits on the API.
MAX_BLOCK = 0.050
#: How long the fake API takes to answer each request in the blocking and overlap tests.
API_DELAY = 0.3


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as s:
        yield s


def _no_sync_send(*args: Any) -> Any:
    raise AssertionError("the synchronous client was used inside an async factory call")


async def max_gap_during(work: Awaitable[T]) -> tuple[T, float]:
    """``work``'s result and the longest time the event loop kept a ticker task (sleeping 5 ms at a
    time) waiting past its wake-up, from the start of ``work`` to its end."""
    stop = asyncio.Event()
    last = [time.perf_counter()]
    gaps: list[float] = []

    async def tick() -> None:
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last[0] - 0.005)
            last[0] = now

    ticker = asyncio.create_task(tick())
    try:
        result = await work
    finally:
        gaps.append(time.perf_counter() - last[0] - 0.005)  # a loop blocked until the end counts too
        stop.set()
        await ticker
    return result, max(gaps)


@pytest.mark.parametrize("kind", KINDS)
async def test_semantic_fields_come_through_the_async_clients(kind: str, server: FakeLLMServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    provider = provider_for(kind, server.url)
    monkeypatch.setattr(provider, "send", _no_sync_send)
    users = await user_factory(provider, "strict").acreate_batch(12)
    assert server.count() == 1
    assert len({u.bio for u in users}) == 12
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in users)  # each answer on its own object
    assert asyncio.get_running_loop() in provider._async_clients
    if kind in ("anthropic", "openai"):  # the SDKs say which client sent the request
        assert server.requests[0].headers["x-stainless-async"].startswith("async:")
    await provider.aclose()


async def test_async_session_batch_gets_its_text_from_the_api(asession: Any, server: FakeLLMServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    provider = provider_for("anthropic", server.url)
    monkeypatch.setattr(provider, "send", _no_sync_send)
    factory.configure(provider=provider)
    members = await SAMemberFactory.acreate_batch(10, context="a rowing club")
    assert server.count() == 1
    assert all(m.bio.startswith("Bio no.") and m.bio.endswith(f"{m.name}, {m.team.name}") for m in members)
    stored = (await asession.scalars(select(SATeam.name))).all()
    assert sorted(stored) == sorted(m.team.name for m in members)
    await provider.aclose()


async def test_the_engines_reasks_go_through_the_async_client_too(asession: Any, server: FakeLLMServer,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    provider = provider_for("anthropic", server.url)
    monkeypatch.setattr(provider, "send", _no_sync_send)
    factory.configure(provider=provider)
    server.inject(Fault(overlong="bio", drop=2))
    members = await SAMemberFactory.acreate_batch(10, context="a rowing club")
    assert server.count() == 2  # the ask, then the engine's re-ask of the 3 failed items
    assert all(m.bio.startswith("Bio no.") and len(m.bio) <= 300 for m in members)
    await provider.aclose()


async def _warm_then_measure(make: Any, server: FakeLLMServer) -> tuple[Any, float, float]:
    """One small call first (imports, client set-up), then a batch that waits API_DELAY on the API."""
    await make(2)
    server.latency = API_DELAY
    started = time.perf_counter()
    result, gap = await max_gap_during(make(20))
    return result, gap, time.perf_counter() - started


async def test_a_plain_batch_never_blocks_the_event_loop(server: FakeLLMServer) -> None:
    users_factory = user_factory(provider_for("anthropic", server.url), "strict")
    users, gap, took = await _warm_then_measure(users_factory.acreate_batch, server)
    assert took >= API_DELAY and len(users) == 20  # the batch did wait on the API...
    assert gap < MAX_BLOCK, f"the event loop was blocked for {gap * 1000:.0f} ms"  # ...without blocking the loop


async def test_an_async_session_batch_never_blocks_the_event_loop(asession: Any, server: FakeLLMServer) -> None:
    factory.configure(provider=provider_for("openai", server.url))
    members, gap, took = await _warm_then_measure(SAMemberFactory.acreate_batch, server)
    assert took >= API_DELAY and all(m.bio.startswith("Bio no.") for m in members)
    assert gap < MAX_BLOCK, f"the event loop was blocked for {gap * 1000:.0f} ms"


async def test_a_django_batch_never_blocks_the_event_loop(dj_alias: str, server: FakeLLMServer) -> None:
    factory.configure(provider=provider_for("gemini", server.url))
    members, gap, took = await _warm_then_measure(DjMemberFactory.acreate_batch, server)
    assert took >= API_DELAY and all(m.bio.startswith("Bio no.") for m in members)
    assert gap < MAX_BLOCK, f"the event loop was blocked for {gap * 1000:.0f} ms"


async def test_two_concurrent_batches_overlap_their_requests(server: FakeLLMServer) -> None:
    first = user_factory(provider_for("anthropic", server.url), "strict")
    second = user_factory(provider_for("openai", server.url), "strict")
    server.latency = API_DELAY
    a, b = await asyncio.gather(first.acreate_batch(5), second.acreate_batch(5))
    assert server.count() == 2 and server.max_in_flight == 2  # both requests were in flight at once
    assert all(u.bio.endswith(f"{u.name}, {u.job}") for u in a + b)


async def test_concurrent_batches_share_one_providers_concurrency_budget(server: FakeLLMServer) -> None:
    provider = provider_for("anthropic", server.url, max_concurrency=1)
    first, second = user_factory(provider, "strict"), user_factory(provider, "strict")
    server.latency = 0.1
    await asyncio.gather(first.acreate_batch(5), second.acreate_batch(5))
    assert server.count() == 2 and server.max_in_flight == 1


# -- two AsyncSessions at once (PostgreSQL and MariaDB: SQLite has a single writer) ----------------


class TeamsA(SATeamFactory):
    name = SemanticAttribute("A rowing team's name.", max_length=60)


class TeamsB(SATeamFactory):
    name = SemanticAttribute("A chess club's name.", max_length=60)


@pytest_asyncio.fixture(params=("postgresql", "mariadb"))
async def two_sessions(request: pytest.FixtureRequest) -> Any:
    from sqlalchemy.ext.asyncio import AsyncSession

    from .conftest import sync_engine

    backends.require(request.param)
    sync_engine(request.param).dispose()
    opened = []
    for fac in (TeamsA, TeamsB):
        engine = async_engine(request.param)
        conn = await engine.connect()
        outer = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
        fac._meta.sqlalchemy_session = session
        opened.append((engine, conn, outer, session))
    try:
        yield [entry[3] for entry in opened]
    finally:
        for fac in (TeamsA, TeamsB):
            fac._meta.sqlalchemy_session = None
        for engine, conn, outer, session in opened:
            await session.close()
            await outer.rollback()
            await conn.close()
            await engine.dispose()


async def test_two_async_session_batches_overlap_their_requests(two_sessions: Any, server: FakeLLMServer) -> None:
    factory.configure(provider=provider_for("anthropic", server.url))
    server.latency = API_DELAY
    a, b = await asyncio.gather(TeamsA.acreate_batch(4), TeamsB.acreate_batch(4))
    assert server.max_in_flight == 2
    for session, teams in zip(two_sessions, (a, b), strict=True):
        names = (await session.scalars(select(SATeam.name))).all()
        assert sorted(names) == sorted(t.name for t in teams) and len(names) == 4


# -- cancellation -----------------------------------------------------------------------------------


async def _cancel_while_waiting_on_the_api(work: Awaitable[Any], server: FakeLLMServer) -> None:
    server.latency = 1.0
    task = asyncio.ensure_future(work)
    deadline = time.monotonic() + 10
    while server.in_flight == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert server.in_flight == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    while server.in_flight and time.monotonic() < deadline:  # the server gives up on the closed request
        await asyncio.sleep(0.01)


async def test_a_cancelled_async_session_batch_writes_nothing(asession: Any, server: FakeLLMServer) -> None:
    factory.configure(provider=provider_for("anthropic", server.url))
    before = registry.counts()
    await _cancel_while_waiting_on_the_api(SAMemberFactory.acreate_batch(6), server)
    assert await asession.scalar(select(func.count()).select_from(SATeam)) == 0
    assert registry.counts() == before


async def test_a_cancelled_django_batch_writes_nothing(dj_alias: str, server: FakeLLMServer) -> None:
    factory.configure(provider=provider_for("anthropic", server.url))
    before = registry.counts()
    await _cancel_while_waiting_on_the_api(DjMemberFactory.acreate_batch(6), server)
    assert await AioDjMember.objects.using(dj_alias).acount() == 0
    assert registry.counts() == before
