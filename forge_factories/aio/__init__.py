"""Async factories: ``await Factory.acreate(...)``, ``await Factory.acreate_batch(n, ...)``, ``aseed_session``.

The planning and filling are the synchronous engine's (:mod:`forge_factories.batch`); only the
I/O is awaited: API requests run on the caller's event loop through the SDKs' async clients
(:mod:`.bridge`), database writes through the async driver of a SQLAlchemy ``AsyncSession``
(:mod:`.alchemy`) or Django's sync thread (:mod:`.django`). See docs/async.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["aseed_session"]


def __getattr__(name: str) -> Any:
    """``aseed_session`` on first use (importing this package imports nothing of SQLAlchemy)."""
    if name == "aseed_session":
        from .seed import aseed_session

        return aseed_session
    raise AttributeError(f"module 'forge_factories.aio' has no attribute {name!r}")
