"""Async SQLAlchemy factory calls: the engine in a SQLAlchemy greenlet, requests in a worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from forge_factories.aio.sessions import factory_async_session
from forge_factories.common.async_bridge import AsyncCall, enter_call, exit_call
from forge_factories.core.async_threads import in_thread

T = TypeVar("T")


def _greenlet_await() -> Callable[[Any], Any]:
    """SQLAlchemy's "await from inside a greenlet" (``await_`` since 2.1, ``await_only`` before)."""
    from sqlalchemy import util

    found = getattr(util, "await_", None) or util.await_only
    return found


async def in_greenlet(async_session: Any, fn: Callable[[Any], T]) -> T:
    """Await ``fn(sync_session)`` run by ``async_session.run_sync``: its database I/O goes through the
    async driver, and the batch engine's waits for API answers run in a worker thread
    (:data:`forge_factories.core.provider_calls.PROVIDER_WAIT`), so the event loop is never held by a wait."""
    from forge_factories.core.provider_calls import PROVIDER_WAIT

    loop = asyncio.get_running_loop()
    await_ = _greenlet_await()
    call = AsyncCall(loop, greenlet_await=await_)

    def wait(work: Callable[[], Any]) -> Any:
        return await_(in_thread(work, call=call))

    def run(sync_session: Any) -> T:
        token = enter_call(call)
        wait_token = PROVIDER_WAIT.set(wait)
        try:
            return fn(sync_session)
        except BaseException:
            call.cancel()  # a failed or cancelled call: requests still in flight are dropped
            raise
        finally:
            PROVIDER_WAIT.reset(wait_token)
            exit_call(token)

    # Awaited in the caller's own task (an async_scoped_session keyed by the task finds its session);
    # a cancellation reaches the engine inside the greenlet, which rolls its SAVEPOINT back.
    return await async_session.run_sync(run)


async def run_alchemy(factory_cls: Any, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Await ``method(*args, **kwargs)`` (``create``, ``create_batch``) of a SQLAlchemy factory.

    With an ``AsyncSession`` (see :mod:`.sessions`) it runs in that session's greenlet; with a
    synchronous session, in a worker thread.
    """
    session = factory_async_session(factory_cls)
    if session is None:
        return await in_thread(method, *args, **kwargs)
    return await in_greenlet(session, lambda _sync_session: method(*args, **kwargs))
