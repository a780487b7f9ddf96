"""One concurrency budget per call: the API requests one factory call has in flight at once,
across all its (factory, context) groups, the requests it sends ahead and each request's chunks.

The engine opens :func:`call_budget` around a call (a call inside another shares the outer
one's budget); a provider holds :func:`request_slot` while one request is on the wire. The
budget lives in a context variable, so the worker threads a call starts with its context
(groups side by side, requests sent ahead, a provider's concurrent chunks) draw from it, and
two calls in two threads or asyncio tasks each have their own.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from forge_factories.common.errors import ForgeConfigError

_budget: contextvars.ContextVar[threading.BoundedSemaphore | None] = contextvars.ContextVar(
    "forge_call_budget", default=None)


@contextmanager
def call_budget(limit: int) -> Iterator[None]:
    """At most ``limit`` requests in flight inside this block (the outer block's budget if nested)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ForgeConfigError(f"max_concurrent_requests must be an int >= 1, got {limit!r}")
    if _budget.get() is not None:
        yield
        return
    token = _budget.set(threading.BoundedSemaphore(limit))
    try:
        yield
    finally:
        _budget.reset(token)


@contextmanager
def request_slot() -> Iterator[None]:
    """Hold one unit of the current call's budget (nothing to hold outside a call)."""
    budget = _budget.get()
    if budget is None:
        yield
        return
    with budget:
        yield
