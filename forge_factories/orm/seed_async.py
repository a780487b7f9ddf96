"""``aseed_session``: :func:`~forge_factories.orm.seed_schema.seed_session` on an ``AsyncSession``."""

from __future__ import annotations

from typing import Any

from forge_factories.aio.alchemy import in_greenlet


async def aseed_session(session: Any, plan: Any, **options: Any) -> dict[Any, list[Any]]:
    """Seed ``plan`` (``{SQLAlchemyFactory: count}``) through ``session``, an ``AsyncSession``.

    The same run as :func:`~forge_factories.orm.seed_schema.seed_session` (same options: ``context``,
    ``commit``, ``chunk_size``, ``progress``, ``reset``, ``existing_parents``): parents first, one
    SAVEPOINT, all or nothing, the FK registry rolled back with it; its SQL goes through the async
    driver and its API requests through the SDKs' async clients, never blocking the event loop.
    """
    from sqlalchemy.ext.asyncio import AsyncSession

    from forge_factories.common.errors import ForgeConfigError
    from forge_factories.orm.seed_schema import seed_session

    if not isinstance(session, AsyncSession):
        raise ForgeConfigError(f"aseed_session: expected an sqlalchemy AsyncSession, got {session!r} "
                               "(use seed_session for a synchronous Session)")
    return await in_greenlet(session, lambda sync_session: seed_session(sync_session, plan, **options))
