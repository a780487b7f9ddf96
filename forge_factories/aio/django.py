"""Async Django factory calls: the whole call in Django's sync thread, API requests on the loop.

Django has no async transactions ("write that piece as a single synchronous function and call
it using ``sync_to_async()``", Django's async docs). So ``acreate_batch`` runs the synchronous
bulk path, ``atomic`` block included, through ``asgiref.sync.sync_to_async(thread_sensitive=True)``:
the thread, and so the database connection and transaction, of the caller's other async ORM
calls. Its API requests run on the event loop through the SDKs' async clients.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from forge_factories.common.async_bridge import AsyncCall, enter_call, exit_call
from forge_factories.core.async_threads import guarded

T = TypeVar("T")


async def run_django(method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Await ``method(*args, **kwargs)`` (``create``, ``create_batch``) run in Django's sync thread."""
    from asgiref.sync import sync_to_async

    from forge_factories.core.provider_calls import PROVIDER_WAIT

    call = AsyncCall(asyncio.get_running_loop())

    def run() -> T:
        token = enter_call(call)
        wait_token = PROVIDER_WAIT.set(None)
        try:
            return method(*args, **kwargs)
        finally:
            PROVIDER_WAIT.reset(wait_token)
            exit_call(token)

    return await guarded(sync_to_async(run, thread_sensitive=True)(), call)
