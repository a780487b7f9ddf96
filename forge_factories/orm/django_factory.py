"""Django adapter: ``AIDjangoModelFactory`` (alias ``DjangoModelFactory``) with bulk ``create_batch``.

``create_batch(n)`` builds the n objects (and their SubFactory parents) unsaved, then saves
each factory's objects with one ``bulk_create`` (parents first), then runs post_generation
and RelatedFactory with primary keys set. :func:`bulk_capable_reason` says why a factory
falls back to factory_boy's per-row ``_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, transaction
from django.db.models import signals
from factory import django as fb_django
from factory import enums
from factory.django import DjangoOptions, FileField, ImageField, Password, mute_signals  # noqa: F401

from forge_factories.common.gcpause import gc_paused
from forge_factories.core import registry as _registry
from forge_factories.core.base import AIFactory, ForgeOptionsMixin
from forge_factories.orm.executors import run_column_batch, wants_columns
from forge_factories.orm.persist import rows_django
from forge_factories.orm.persist.django_bulk import bulk_insert
from forge_factories.orm.persist.options import BulkOptionsMixin, _check_bool

T = TypeVar("T")

_SAVE_SIGNALS = (signals.pre_save, signals.post_save)
_STOCK_CREATE: Any = getattr(fb_django.DjangoModelFactory._create, "__func__", None)


class AIDjangoOptions(ForgeOptionsMixin, BulkOptionsMixin, DjangoOptions):
    """factory_boy's Django options plus forge's; ``forge_bulk_with_signals`` (default False):
    save in bulk even when ``pre_save``/``post_save`` receivers are connected (they will not run).
    """

    def _build_default_options(self) -> list[Any]:
        from factory import base as fb_base

        return super()._build_default_options() + [
            fb_base.OptionDefault("forge_bulk_with_signals", False, inherit=True, checker=_check_bool),
        ]


def _overrides(cls: Any, name: str, stock: Any) -> bool:
    impl = getattr(cls, name)
    return getattr(impl, "__func__", impl) is not stock


def _has_receivers(model: type) -> bool:
    # ``signal.receivers`` first: factory_boy's mute_signals empties it without clearing
    # Django's per-sender cache, which ``has_listeners`` would read.
    return any(sig.receivers and sig.has_listeners(model) for sig in _SAVE_SIGNALS)


def bulk_capable_reason(factory_cls: Any) -> str | None:
    """``None`` when ``create`` may save this factory's objects in bulk, else why not."""
    meta = factory_cls._meta
    if not meta.forge_bulk:
        return "Meta.forge_bulk is False"
    if meta.django_get_or_create:
        return "Meta.django_get_or_create is set"
    if _overrides(factory_cls, "_create", _STOCK_CREATE):
        return "the factory overrides _create"
    found = meta.get_model_class()
    if not isinstance(found, type) or not issubclass(found, models.Model):
        return "Meta.model is not a Django model"
    model: Any = found
    if model.save is not models.Model.save:
        return f"{model.__name__} overrides save()"
    manager_create = getattr(type(factory_cls._get_manager(model)), "create", None)
    if manager_create not in (models.Manager.create, models.QuerySet.create):
        return f"the manager of {model.__name__} overrides create()"
    concrete = model._meta.concrete_model
    if any(parent._meta.concrete_model is not concrete for parent in model._meta.get_parent_list()):
        return f"{model.__name__} uses multi-table inheritance"
    if not meta.forge_bulk_with_signals and _has_receivers(model):
        return f"pre_save/post_save receivers are connected for {model.__name__} (mute_signals or forge_bulk_with_signals)"
    connection = connections[meta.database]
    if model._meta.db_returning_fields and not connection.features.can_return_rows_from_bulk_insert:
        return f"the {connection.vendor} backend cannot return primary keys from a bulk insert"
    return None


class AIDjangoModelFactory(fb_django.DjangoModelFactory[T], AIFactory[T]):
    """factory_boy's ``DjangoModelFactory`` with semantic fields and bulk ``create_batch``.

    Every factory_boy Meta option keeps its meaning. Forge options: ``forge_bulk``,
    ``forge_batch_size``, ``forge_reuse_parents``, ``forge_bulk_with_signals``,
    ``forge_executor`` (see docs/orm.md).
    """

    _options_class = AIDjangoOptions  # type: ignore[assignment]

    class Meta:
        abstract = True

    @classmethod
    def _forge_bulk_reason(cls) -> str | None:
        """Why ``create`` cannot save this factory's objects in bulk (``None``: it can)."""
        return bulk_capable_reason(cls)

    @classmethod
    def _forge_generate_many(cls, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
        """A bulk ``create_batch`` runs in one ``atomic`` block: parents, children and hooks, or nothing.

        With ``Meta.forge_executor = "columns"`` the column-wise executor runs the call (same block)."""
        meta: Any = cls._meta
        if wants_columns(cls):
            if strategy != enums.CREATE_STRATEGY:
                return run_column_batch(cls, strategy, size, params, context)
            with _registry.transaction(), transaction.atomic(using=meta.database):
                return run_column_batch(cls, strategy, size, params, context)
        if strategy != enums.CREATE_STRATEGY or size < 2 or not cls._forge_bulk_capable():
            return super()._forge_generate_many(strategy, size, params, context)
        with _registry.transaction(), transaction.atomic(using=meta.database):
            return super()._forge_generate_many(strategy, size, params, context)

    @classmethod
    async def _forge_await(cls, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``acreate``/``acreate_batch`` run in Django's sync thread (``sync_to_async(thread_sensitive=True)``:
        Django has no async transactions), the same bulk path and ``atomic`` block, with API
        requests on the event loop (docs/async.md)."""
        from forge_factories.aio.django import run_django

        return await run_django(call, *args, **kwargs)

    @classmethod
    def _forge_persist_bulk(cls, instances: list[Any]) -> None:
        meta: Any = cls._meta
        manager = cls._get_manager(meta.get_model_class())
        with gc_paused():
            bulk_insert(manager, instances, using=meta.database, factory_name=cls.__name__,
                        batch_size=meta.forge_batch_size)

    @classmethod
    def _forge_needs_saved_parent(cls, name: str) -> bool:
        """Whether the model reads an unsaved parent's key when ``name`` is set (a generic relation,
        a property); a ForeignKey or OneToOneField is resolved by bulk saving itself."""
        from django.core.exceptions import FieldDoesNotExist

        try:
            found = cls._meta.get_model_class()._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        return not (found.concrete and found.is_relation)

    @classmethod
    def _forge_row_refs(cls, objs: Sequence[Any]) -> list[tuple[Hashable, Any] | None]:
        """Where created objects live, for the FK registry (``None`` for one still unsaved)."""
        return [rows_django.row_ref(obj) for obj in objs]

    @classmethod
    def _forge_row_source(cls) -> tuple[Hashable, Any] | None:
        """The registry location and row loader of this factory's database."""
        meta: Any = cls._meta
        source = rows_django.DjangoRows(meta.get_model_class(), meta.database)
        return source.token, source


#: Drop-in name: ``from forge_factories.django import DjangoModelFactory``.
DjangoModelFactory = AIDjangoModelFactory

__all__ = [
    "AIDjangoModelFactory",
    "AIDjangoOptions",
    "DjangoModelFactory",
    "FileField",
    "ImageField",
    "Password",
    "bulk_capable_reason",
    "mute_signals",
]
