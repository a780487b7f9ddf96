"""Auto factories: an ``AIFactory`` built from a model's own type hints or ORM metadata.

Supported model kinds: pydantic v2 models, dataclasses, TypedDicts, attrs classes, Django
models and SQLAlchemy mapped classes. Each field gets a tier (structural, standard,
computed, semantic) and a constraint-true generator; see docs/forge.md.
"""

from ..patterns import PatternError, pattern_generator
from .build import (
    classify,
    clear_cache,
    describe,
    factory_for,
    find_parent_model,
    remember_models,
    reset_unique,
)
from .fields import (
    COMPUTED,
    SEMANTIC,
    STANDARD,
    STRUCTURAL,
    TIERS,
    Constraints,
    FieldInfo,
    ForeignKey,
    ModelInfo,
)
from .generators import WINDOW_END, WINDOW_START, AutoFactoryError, register_type
from .introspect import model_info

__all__ = [
    "COMPUTED", "SEMANTIC", "STANDARD", "STRUCTURAL", "TIERS", "WINDOW_END", "WINDOW_START", "AutoFactoryError",
    "Constraints", "FieldInfo", "ForeignKey", "ModelInfo", "PatternError", "classify", "clear_cache", "describe",
    "factory_for", "find_parent_model", "model_info", "pattern_generator", "register_type", "remember_models", "reset_unique",
]
