"""Auto factories: an ``AIFactory`` built from a model's own type hints or ORM metadata.

Supported model kinds: pydantic v2 models, dataclasses, TypedDicts, attrs classes, Django
models and SQLAlchemy mapped classes; the field model lives in :mod:`forge_factories.auto`.
"""

from forge_factories.autofactory.build import (
    classify,
    clear_cache,
    describe,
    factory_for,
    find_parent_model,
    remember_models,
    reset_unique,
)

__all__ = ["classify", "clear_cache", "describe", "factory_for", "find_parent_model", "remember_models", "reset_unique"]
