"""``RegistrySubFactory``: a ``SubFactory`` that reuses a parent created earlier."""

from __future__ import annotations

from typing import Any

from factory import declarations as fb_declarations
from factory import enums

from . import registry as _registry


class RegistrySubFactory(fb_declarations.SubFactory):
    """Like ``SubFactory``, but reuses an existing object of the target's model when there is one.

    "Existing" means recorded in the FK registry in the current scope: created (or, for
    ``build``, built) earlier by any factory call since the last :func:`forge_factories.seed`
    or :func:`forge_factories.registry.clear_registry`, in this batch's earlier calls, other
    fixtures or a seeding run. The pick is deterministic under the seed. When nothing usable
    exists, or the call passes deep overrides (``parent__name="x"``), a new parent is
    created exactly as ``SubFactory`` would; an explicit ``parent=obj`` always wins.
    """

    def evaluate_pre(self, instance: Any, step: Any, overrides: dict[str, Any]) -> Any:
        """Return an existing parent, or build a new one like ``SubFactory``."""
        if not overrides and step.builder.strategy != enums.STUB_STRATEGY:
            found = existing_parent(self.get_factory(), step.builder.strategy)
            if found is not None:
                return found
        return super().evaluate_pre(instance, step, overrides)


def existing_parent(factory_cls: Any, strategy: str) -> Any:
    """A registered object usable as ``factory_cls``'s product under ``strategy``, or ``None``."""
    model = factory_cls._meta.get_model_class()
    if model is None:
        return None
    check = getattr(factory_cls, "_forge_registry_usable", None)
    usable = None if check is None else (lambda obj: bool(check(obj, strategy)))
    return _registry.pick(model, usable=usable)


def as_registry_subfactory(decl: fb_declarations.SubFactory) -> RegistrySubFactory:
    """A ``RegistrySubFactory`` copy of a plain ``SubFactory`` (same target, defaults, order)."""
    new = RegistrySubFactory.__new__(RegistrySubFactory)
    new.__dict__.update(decl.__dict__)
    return new
