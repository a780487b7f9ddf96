"""Factory trees without semantic fields: built exactly as factory_boy builds them, then recorded.

Recording (provenance, FK registry) is what forge adds per object on this path; what does not
change within a batch (the provenance entry, the registry and the model) is set up once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from factory import builder as fb_builder
from factory import enums

from forge_factories.core import registry as _registry
from forge_factories.core.provenance import entry as provenance_entry
from forge_factories.core.provenance import remember as remember_provenance
from forge_factories.core.provenance import remember_all


class RecordingStepBuilder(fb_builder.StepBuilder):
    """Stock factory_boy building, plus provenance and FK-registry bookkeeping."""

    def build(self, parent_step: Any = None, force_sequence: int | None = None) -> Any:
        instance = super().build(parent_step=parent_step, force_sequence=force_sequence)
        factory_cls = self.factory_meta.factory
        remember_provenance(instance, provenance_entry(factory_cls, tuple(self.extras)))
        if self.strategy != enums.STUB_STRATEGY:
            _registry.record(factory_cls, instance)
        return instance


def _registry_recorder(factory_cls: Any, strategy: str) -> Callable[[Any], None] | None:
    """What :func:`forge_factories.core.registry.record` does per object, set up once for a batch."""
    if strategy == enums.STUB_STRATEGY:
        return None
    if getattr(factory_cls, "_forge_row_refs", None) is not None:  # ORM factories: saved rows by key
        return partial(_registry.record, factory_cls)
    register = _registry.current().register
    model = getattr(factory_cls._meta, "model", None)
    model = model if isinstance(model, type) else None

    def record(obj: Any) -> None:
        if obj is not None and not isinstance(obj, (dict, list, tuple)):
            register(model if model is not None and isinstance(obj, model) else type(obj), obj)

    return record


def build_stock(factory_cls: Any, strategy: str, size: int, params: dict[str, Any]) -> list[Any]:
    """``size`` objects built as factory_boy builds them, each recorded (provenance, FK registry)."""
    meta = factory_cls._meta
    found = provenance_entry(factory_cls, tuple(params))
    record = _registry_recorder(factory_cls, strategy)
    # RecordingStepBuilder: SubFactory children are built by ``step.recurse`` (its class) and
    # record themselves; the top-level object is recorded here, with what was set up once.
    step, build = RecordingStepBuilder, fb_builder.StepBuilder.build
    objects = []
    for _ in range(size):
        instance = build(step(meta, dict(params), strategy))
        if record is not None:
            record(instance)
        objects.append(instance)
    remember_all(objects, found)  # nothing reads a top-level object's provenance before the call returns
    return objects
