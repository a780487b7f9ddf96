"""Factory trees without semantic fields: built exactly as factory_boy builds them, then recorded.

Recording (provenance, FK registry) goes through the call's :class:`~forge_factories.core.recording.Recording`:
SubFactory children are registered as they are built (a later object of the call may pick
them as parents) and every object's provenance is stored per batch when the call ends.
"""

from __future__ import annotations

from typing import Any

from factory import builder as fb_builder
from factory import enums

from forge_factories.core import recording as _recording


class RecordingStepBuilder(fb_builder.StepBuilder):
    """Stock factory_boy building, plus recording (provenance, FK registry) of what it builds."""

    def build(self, parent_step: Any = None, force_sequence: int | None = None) -> Any:
        instance = super().build(parent_step=parent_step, force_sequence=force_sequence)
        factory_cls = self.factory_meta.factory
        register = self.strategy != enums.STUB_STRATEGY
        active = _recording.ACTIVE.get()
        if active is not None:
            active.add(factory_cls, instance, tuple(self.extras), register=register)
        else:
            _recording.record_batch(factory_cls, [instance], tuple(self.extras), strategy=self.strategy,
                                    register=register, print_verbose=False)
        return instance


def build_stock(factory_cls: Any, strategy: str, size: int, params: dict[str, Any],
                recording: _recording.Recording | None = None) -> list[Any]:
    """``size`` objects built as factory_boy builds them, each recorded in ``recording``."""
    meta = factory_cls._meta
    recording = recording if recording is not None else _recording.Recording(factory_cls, strategy)
    overrides = tuple(params)
    register = strategy != enums.STUB_STRATEGY
    # RecordingStepBuilder: SubFactory children are built by ``step.recurse`` (its class) and
    # record themselves in the active recording; the top-level objects are added here.
    step, build = RecordingStepBuilder, fb_builder.StepBuilder.build
    add = recording.adder(factory_cls, overrides, register=register)
    token = _recording.ACTIVE.set(recording)
    try:
        objects = []
        for _ in range(size):
            instance = build(step(meta, dict(params), strategy))
            add(instance)
            objects.append(instance)
    finally:
        _recording.ACTIVE.reset(token)
    return objects
