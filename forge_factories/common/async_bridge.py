"""The bridge from the synchronous engine to the event loop of an ``await Factory.acreate...`` call.

An async factory call runs forge's synchronous engine off the event loop (a worker thread,
Django's sync thread, or a SQLAlchemy greenlet) and marks its context with an
:class:`AsyncCall`. When that engine sends a request to an LLM API, :func:`send_reply` runs
the provider's ``asend`` (the SDK's async client) as a coroutine on the call's event loop
and waits for it from the engine's thread; the loop itself never waits. This module imports
nothing of forge_factories: the providers import it.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class AsyncCallCancelled(Exception):
    """The awaiting task of an async factory call was cancelled: its remaining requests are refused."""


class AsyncCall:
    """One top-level async factory call: its event loop and whether it was cancelled.

    ``greenlet_await`` is set while the engine runs in a SQLAlchemy greenlet on the loop's
    own thread: it awaits a coroutine from there without blocking the loop.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop,
                 greenlet_await: Callable[[Awaitable[Any]], Any] | None = None) -> None:
        self.loop = loop
        self.greenlet_await = greenlet_await
        self._lock = threading.Lock()
        self._cancelled = False
        self._futures: set[Future[Any]] = set()

    @property
    def cancelled(self) -> bool:
        """Whether the awaiting task was cancelled (no new request is sent after that)."""
        return self._cancelled

    def cancel(self) -> None:
        """Refuse new requests and cancel those in flight (the engine then fails and rolls back)."""
        with self._lock:
            self._cancelled = True
            futures = list(self._futures)
        for future in futures:
            future.cancel()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the call's loop and wait for its result from this (non-loop) thread."""
        if _on_loop_thread(self.loop):
            if self.greenlet_await is None:
                coro.close()
                raise RuntimeError("forge_factories.aio: an API request was made on the event loop's own "
                                   "thread outside a SQLAlchemy greenlet; it would block the loop")
            return self.greenlet_await(coro)
        with self._lock:
            if self._cancelled:
                coro.close()
                raise AsyncCallCancelled("the async factory call was cancelled")
            future = asyncio.run_coroutine_threadsafe(coro, self.loop)
            self._futures.add(future)
        try:
            return future.result()
        except BaseException as exc:
            if future.cancelled() or self._cancelled:
                raise AsyncCallCancelled("the async factory call was cancelled") from exc
            raise
        finally:
            with self._lock:
                self._futures.discard(future)


_CALL: contextvars.ContextVar[AsyncCall | None] = contextvars.ContextVar("forge_async_call", default=None)


def current_call() -> AsyncCall | None:
    """The async factory call this code runs for (``None``: a plain synchronous call)."""
    return _CALL.get()


def enter_call(call: AsyncCall) -> contextvars.Token[AsyncCall | None]:
    """Mark the current context as running for ``call`` (reset with :func:`exit_call`)."""
    return _CALL.set(call)


def exit_call(token: contextvars.Token[AsyncCall | None]) -> None:
    """Undo :func:`enter_call`."""
    _CALL.reset(token)


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def send_reply(provider: Any, prompt: Any, max_tokens: int) -> Any:
    """``provider.send(prompt, max_tokens)``, or, inside an async factory call, its ``asend``
    on the call's event loop through the SDK's async client (made for that loop on first use)."""
    call = _CALL.get()
    if call is None or not provider.has_async_send():
        return provider.send(prompt, max_tokens)
    client = provider.async_client(call.loop)
    return call.run(provider.asend(client, prompt, max_tokens))
