"""Async factories: ``await Factory.acreate(...)``, ``await Factory.acreate_batch(n, ...)``, ``aseed_session``.

The planning and filling are the synchronous engine's (:mod:`forge_factories.core.engine`); only the
I/O is awaited: API requests run on the caller's event loop through the SDKs' async clients
(:mod:`forge_factories.common.async_bridge`), database writes through the async driver of a SQLAlchemy ``AsyncSession``
(:mod:`.alchemy`) or Django's sync thread (:mod:`.django`). See docs/async.md.
"""

from __future__ import annotations

__all__: list[str] = []
