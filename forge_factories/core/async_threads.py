"""Running forge's synchronous engine off the event loop, and awaiting it."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from forge_factories.common.async_bridge import AsyncCall, enter_call

T = TypeVar("T")

#: Most worker threads of async factory calls at once (each waits on its own call's I/O).
MAX_WORKERS = 64

_EXECUTOR: ThreadPoolExecutor | None = None
_LOCK = threading.Lock()


def executor() -> ThreadPoolExecutor:
    """The worker threads of async factory calls (made on first use, not on import)."""
    global _EXECUTOR
    with _LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="forge-aio")
        return _EXECUTOR


def call_context(call: AsyncCall, *values: tuple[contextvars.ContextVar[Any], Any]) -> contextvars.Context:
    """A copy of the current context marked as running for ``call`` (``values``: more variables to set)."""
    context = contextvars.copy_context()
    context.run(enter_call, call)
    for var, value in values:
        context.run(var.set, value)
    return context


async def in_thread(fn: Callable[..., T], *args: Any, call: AsyncCall | None = None, **kwargs: Any) -> T:
    """Await ``fn(*args, **kwargs)`` run in a worker thread for ``call`` (default: a new call on the
    running loop). The thread's API requests run on this loop through the SDKs' async clients."""
    from forge_factories.core.provider_calls import PROVIDER_WAIT

    loop = asyncio.get_running_loop()
    call = call if call is not None else AsyncCall(loop)
    context = call_context(call, (PROVIDER_WAIT, None))  # the thread waits inline, never through a greenlet
    future = loop.run_in_executor(executor(), context.run, partial(fn, *args, **kwargs))
    return await guarded(future, call)


async def guarded(work: Awaitable[T], call: AsyncCall) -> T:
    """Await ``work``; if the awaiting task is cancelled, refuse the call's further requests, cancel
    those in flight, let the work unwind (its transaction rolls back) and re-raise the cancellation."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        call.cancel()
        with contextlib.suppress(BaseException):  # the work fails because it was cancelled: expected
            await task
        raise
