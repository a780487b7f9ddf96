"""``RegistrySubFactory``: a ``SubFactory`` that reuses a parent created earlier."""

from __future__ import annotations

from typing import Any

from factory import declarations as fb_declarations
from factory import enums

from forge_factories.core import registry as _registry


class RegistrySubFactory(fb_declarations.SubFactory):
    """Like ``SubFactory``, but reuses an existing object of the target's model when there is one.

    "Existing" means recorded in the FK registry in the current scope: created (or, for
    ``build``, built) earlier by any factory call since the last :func:`forge_factories.seed`
    or :func:`forge_factories.core.registry.clear_registry`. With ``create``, a saved row is reused
    only in the database the child is saved to, and is loaded in the child's current session;
    with the child factory's ``Meta.forge_existing_parents``, every row of the parent's table
    is a candidate, not only those forge registered. The pick is deterministic under the seed.
    When nothing usable exists, or the call passes deep overrides (``parent__name="x"``), a
    new parent is created exactly as ``SubFactory`` would; an explicit ``parent=obj`` always wins.
    """

    def evaluate_pre(self, instance: Any, step: Any, overrides: dict[str, Any]) -> Any:
        """Return an existing parent, or build a new one like ``SubFactory``."""
        if not overrides and step.builder.strategy != enums.STUB_STRATEGY:
            child_meta = step.builder.factory_meta
            from_table = bool(getattr(child_meta, "forge_existing_parents", False))
            found = existing_parent(self.get_factory(), step.builder.strategy, from_table=from_table)
            if found is not None:
                return found
        return super().evaluate_pre(instance, step, overrides)


def row_source(factory_cls: Any) -> tuple[Any, Any] | None:
    """``(location, loader)`` of the rows ``factory_cls`` saves, or ``None`` (not an ORM factory, no session)."""
    source = getattr(factory_cls, "_forge_row_source", None)
    return source() if source is not None else None


def existing_parent(factory_cls: Any, strategy: str, *, from_table: bool = False) -> Any:
    """A registered object usable as ``factory_cls``'s product under ``strategy``, or ``None``.

    ``create`` with an ORM factory draws a saved row of the factory's database (all rows of
    the table with ``from_table``, read once by primary key); anything else draws an object
    kept in memory.
    """
    model = factory_cls._meta.get_model_class()
    if model is None:
        return None
    registry = _registry.current()
    if strategy == enums.CREATE_STRATEGY and hasattr(factory_cls, "_forge_row_source"):
        found = row_source(factory_cls)
        if found is None:
            return None
        location, source = found
        if from_table:
            pool = registry.row_pool(model, location)
            if not pool.scanned:
                pool.replace(source.scan())
        return registry.pick_row(model, location, source)
    return registry.pick(model)


def any_existing(factory_cls: Any) -> Any:
    """A registered parent for ``factory_cls``: a saved row of its database, else an in-memory object."""
    if hasattr(factory_cls, "_forge_row_source"):
        found = existing_parent(factory_cls, enums.CREATE_STRATEGY)
        if found is not None:
            return found
    return existing_parent(factory_cls, enums.BUILD_STRATEGY)


def existing_value(factory_cls: Any, attribute: str) -> Any:
    """``attribute`` of a registered parent for ``factory_cls`` (what a child reads by value), or ``None``.

    A saved row of the factory's database first (ORM factories), else an in-memory parent's
    value: the FK registry keeps it even when the caller dropped the object. The same draw as
    :func:`any_existing` while every in-memory parent is alive.
    """
    if hasattr(factory_cls, "_forge_row_source"):
        found = existing_parent(factory_cls, enums.CREATE_STRATEGY)
        if found is not None:
            return found.get(attribute) if isinstance(found, dict) else getattr(found, attribute, None)
    model = factory_cls._meta.get_model_class()
    if model is None:
        return None
    return _registry.current().pick_value(model, attribute)


def as_registry_subfactory(decl: fb_declarations.SubFactory) -> RegistrySubFactory:
    """A ``RegistrySubFactory`` copy of a plain ``SubFactory`` (same target, defaults, order)."""
    new = RegistrySubFactory.__new__(RegistrySubFactory)
    new.__dict__.update(decl.__dict__)
    return new
