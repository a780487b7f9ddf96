"""SQLAlchemy adapter: ``AISQLAlchemyModelFactory`` (alias ``SQLAlchemyModelFactory``).

``create_batch(n)`` builds the n objects (and their SubFactory parents) unsaved, then adds
each factory's objects to the session and flushes them once (parents first), honouring
``sqlalchemy_session_persistence``, then runs post_generation and RelatedFactory.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from factory import alchemy as fb_alchemy
from factory import enums
from factory.alchemy import SQLAlchemyOptions
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable

from forge_factories.aio.sessions import sync_session_of
from forge_factories.common.gcpause import gc_paused
from forge_factories.core import registry as _registry
from forge_factories.core.base import AIFactory, ForgeOptionsMixin
from forge_factories.orm.executors import run_column_batch, wants_columns
from forge_factories.orm.persist import rows_alchemy
from forge_factories.orm.persist.alchemy_bulk import bulk_insert, commit_all, ensure_sqlite_transaction
from forge_factories.orm.persist.options import BulkOptionsMixin
from forge_factories.orm.seed_plan import SEEDING

T = TypeVar("T")


class AISQLAlchemyOptions(ForgeOptionsMixin, BulkOptionsMixin, SQLAlchemyOptions):
    """factory_boy's SQLAlchemy options plus forge's (``forge_bulk``, ``forge_reuse_parents``...).

    ``forge_batch_size`` is refused: SQLAlchemy sizes its own INSERT batches, so the option
    would do nothing.
    """

    def contribute_to_class(self, factory: Any, meta: Any = None, base_meta: Any = None, base_factory: Any = None,
                            params: Any = None) -> None:
        super().contribute_to_class(factory, meta=meta, base_meta=base_meta, base_factory=base_factory,
                                    params=params)
        if self.forge_batch_size is not None:  # type: ignore[attr-defined]
            from forge_factories.common.errors import ForgeConfigError

            raise ForgeConfigError(
                f"{factory.__name__}: Meta.forge_batch_size={self.forge_batch_size!r} does nothing for "  # type: ignore[attr-defined]
                "SQLAlchemy factories (SQLAlchemy sizes its own INSERT batches); remove it"
            )


_STOCK: Any = fb_alchemy.SQLAlchemyModelFactory


def _overrides(cls: Any, name: str, stock: Any) -> bool:
    impl = getattr(cls, name)
    return getattr(impl, "__func__", impl) is not stock


def bulk_capable_reason(factory_cls: Any) -> str | None:
    """``None`` when ``create`` may save this factory's objects in bulk, else why not."""
    meta = factory_cls._meta
    if not meta.forge_bulk:
        return "Meta.forge_bulk is False"
    if meta.sqlalchemy_get_or_create:
        return "Meta.sqlalchemy_get_or_create is set"
    if _overrides(factory_cls, "_create", _OWN_CREATE):
        return "the factory overrides _create"
    if _overrides(factory_cls, "_save", _STOCK._save.__func__):
        return "the factory overrides _save"
    if meta.sqlalchemy_session is None and meta.sqlalchemy_session_factory is None:
        return "no sqlalchemy_session / sqlalchemy_session_factory"
    try:
        inspect(meta.get_model_class())
    except NoInspectionAvailable:
        return "Meta.model is not a mapped class"
    return None


class AISQLAlchemyModelFactory(fb_alchemy.SQLAlchemyModelFactory, AIFactory[T]):
    """factory_boy's ``SQLAlchemyModelFactory`` with semantic fields and bulk ``create_batch``.

    Every factory_boy Meta option keeps its meaning. Forge options: ``forge_bulk``,
    ``forge_reuse_parents``, ``forge_existing_parents``, ``forge_executor`` (``forge_batch_size`` is refused:
    SQLAlchemy sizes its own batches).
    """

    _options_class = AISQLAlchemyOptions  # type: ignore[assignment]

    class Meta:
        abstract = True

    @classmethod
    def _forge_bulk_reason(cls) -> str | None:
        """Why ``create`` cannot save this factory's objects in bulk (``None``: it can)."""
        return bulk_capable_reason(cls)

    @classmethod
    def _forge_session(cls) -> Any:
        meta: Any = cls._meta
        session_factory = meta.sqlalchemy_session_factory
        if session_factory:
            meta.sqlalchemy_session = session_factory()
        session = meta.sqlalchemy_session
        if session is None:
            raise RuntimeError("No session provided.")
        return sync_session_of(session, cls)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        """factory_boy's ``_create``; an ``AsyncSession`` is used through its sync session (``acreate``)."""
        session = cls._forge_session()
        meta: Any = cls._meta
        if meta.sqlalchemy_get_or_create:
            return cls._get_or_create(model_class, session, args, kwargs)
        return cls._save(model_class, session, args, kwargs)

    @classmethod
    async def _forge_await(cls, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``acreate``/``acreate_batch``: an ``AsyncSession`` in ``Meta.sqlalchemy_session`` is written
        through its driver (same bulk insert, FK registry, SAVEPOINT and errors) without blocking
        the event loop (docs/async.md)."""
        from forge_factories.aio.alchemy import run_alchemy

        return await run_alchemy(cls, call, *args, **kwargs)

    @classmethod
    def _forge_generate_many(cls, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
        """A bulk ``create_batch`` with a fixed session and ``flush`` persistence runs in one SAVEPOINT
        (on either executor: ``Meta.forge_executor``)."""
        meta: Any = cls._meta
        if wants_columns(cls):
            return cls._forge_columns(strategy, size, params, context)
        if (strategy != enums.CREATE_STRATEGY or size < 2 or meta.sqlalchemy_session is None
                or meta.sqlalchemy_session_factory is not None
                or meta.sqlalchemy_session_persistence != fb_alchemy.SESSION_PERSISTENCE_FLUSH
                or not cls._forge_bulk_capable()):
            return super()._forge_generate_many(strategy, size, params, context)
        session = sync_session_of(meta.sqlalchemy_session, cls)
        ensure_sqlite_transaction(session)
        if SEEDING.get():  # the seeding run's own SAVEPOINT covers the batch
            return super()._forge_generate_many(strategy, size, params, context)
        with _registry.transaction(), session.begin_nested():
            return super()._forge_generate_many(strategy, size, params, context)

    @classmethod
    def _forge_columns(cls, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
        """A call on the column-wise executor: in one SAVEPOINT where the object executor opens one."""
        meta: Any = cls._meta
        if (strategy != enums.CREATE_STRATEGY or meta.sqlalchemy_session is None
                or meta.sqlalchemy_session_factory is not None
                or meta.sqlalchemy_session_persistence != fb_alchemy.SESSION_PERSISTENCE_FLUSH):
            with _registry.transaction():
                return run_column_batch(cls, strategy, size, params, context)
        session = sync_session_of(meta.sqlalchemy_session, cls)
        ensure_sqlite_transaction(session)
        if SEEDING.get():
            return run_column_batch(cls, strategy, size, params, context)
        with _registry.transaction(), session.begin_nested():
            return run_column_batch(cls, strategy, size, params, context)

    @classmethod
    def _forge_persist_bulk(cls, instances: list[Any]) -> None:
        session = cls._forge_session()
        persistence = getattr(cls._meta, "sqlalchemy_session_persistence", None)
        if persistence == fb_alchemy.SESSION_PERSISTENCE_COMMIT:
            # As factory_boy: add, then commit (which flushes the whole batch in one unit of work).
            with gc_paused():
                commit_all(session, instances, factory_name=cls.__name__)
            return
        with gc_paused():
            bulk_insert(session, instances, factory_name=cls.__name__, flush=persistence is not None)

    @classmethod
    def _forge_needs_saved_parent(cls, name: str) -> bool:
        """Whether setting ``name`` to an unsaved parent needs its key now (not a relationship,
        which the flush resolves)."""
        return name not in inspect(cls._meta.get_model_class()).relationships

    @classmethod
    def _forge_row_refs(cls, objs: Sequence[Any]) -> list[tuple[Hashable, Any] | None]:
        """Where created objects live, for the FK registry (``None`` for one not flushed yet)."""
        return rows_alchemy.row_refs(objs)

    @classmethod
    def _forge_row_source(cls) -> tuple[Hashable, Any] | None:
        """The registry location and row loader of this factory's current session (``None``: no session)."""
        meta: Any = cls._meta
        session = meta.sqlalchemy_session
        if session is None and meta.sqlalchemy_session_factory is not None:
            session = meta.sqlalchemy_session_factory()
        if session is None:
            return None
        source = rows_alchemy.AlchemyRows(sync_session_of(session, cls), meta.get_model_class())
        return source.location, source


_OWN_CREATE: Any = AISQLAlchemyModelFactory.__dict__["_create"].__func__

#: Drop-in name: ``from forge_factories.alchemy import SQLAlchemyModelFactory``.
SQLAlchemyModelFactory = AISQLAlchemyModelFactory

__all__ = ["AISQLAlchemyModelFactory", "AISQLAlchemyOptions", "SQLAlchemyModelFactory", "bulk_capable_reason"]
