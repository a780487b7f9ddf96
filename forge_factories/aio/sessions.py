"""SQLAlchemy ``AsyncSession`` in a factory's ``Meta``: what the synchronous engine writes through.

``Meta.sqlalchemy_session`` may hold an ``AsyncSession`` (or an ``async_scoped_session``), and
``Meta.sqlalchemy_session_factory`` an ``async_sessionmaker``. The engine is synchronous: inside
``await Factory.acreate...`` it runs in a SQLAlchemy greenlet and writes through the
``AsyncSession``'s own ``sync_session``, whose I/O SQLAlchemy hands to the async driver.
"""

from __future__ import annotations

from typing import Any

from forge_factories.common.async_bridge import current_call


def _is_async_kind(obj: Any) -> bool:
    return type(obj).__module__.startswith("sqlalchemy.ext.asyncio")


def async_session_of(session: Any) -> Any:
    """The ``AsyncSession`` that ``session`` is or stands for (an ``async_scoped_session``'s
    current one), or ``None`` for a synchronous session."""
    if session is None or not _is_async_kind(session):
        return None
    from sqlalchemy.ext.asyncio import AsyncSession, async_scoped_session

    if isinstance(session, async_scoped_session):
        session = session()
    return session if isinstance(session, AsyncSession) else None


def sync_session_of(session: Any, factory_cls: Any) -> Any:
    """The session the engine uses for ``session``: itself, or an ``AsyncSession``'s sync session.

    An ``AsyncSession`` is usable only inside an async factory call (``acreate``,
    ``acreate_batch``, ``aseed_session``); elsewhere a :class:`ForgeConfigError` says so.
    """
    found = async_session_of(session)
    if found is None:
        return session
    if current_call() is None:
        from forge_factories.common.errors import ForgeConfigError

        name = getattr(factory_cls, "__name__", factory_cls)
        raise ForgeConfigError(
            f"{name}: Meta.sqlalchemy_session is an AsyncSession; create with "
            f"`await {name}.acreate(...)` or `await {name}.acreate_batch(n, ...)` (see docs/async.md)"
        )
    return found.sync_session


def factory_async_session(factory_cls: Any) -> Any:
    """The ``AsyncSession`` an async call of ``factory_cls`` writes through (``None``: a sync session).

    ``Meta.sqlalchemy_session_factory`` (an ``async_sessionmaker``, or any callable) is called and
    its session kept in ``Meta.sqlalchemy_session``, as factory_boy's ``_create`` does.
    """
    meta: Any = factory_cls._meta
    session_factory = getattr(meta, "sqlalchemy_session_factory", None)
    if session_factory is not None:
        meta.sqlalchemy_session = session_factory()
    return async_session_of(getattr(meta, "sqlalchemy_session", None))
