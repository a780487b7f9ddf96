"""One field model for every model kind: introspection, tiers and constraint-true generators.

Supported model kinds: pydantic v2 models, dataclasses, TypedDicts, attrs classes, Django
models and SQLAlchemy mapped classes. Each field gets a tier (structural, standard,
computed, semantic) and a constraint-true generator; see docs/forge.md.
"""

from forge_factories.auto.context import AutoFactoryError
from forge_factories.auto.fields import (
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
from forge_factories.auto.generators import register_type
from forge_factories.auto.introspect import model_info
from forge_factories.auto.time_values import WINDOW_END, WINDOW_START
from forge_factories.common.patterns import PatternError, pattern_generator

__all__ = [
    "COMPUTED", "SEMANTIC", "STANDARD", "STRUCTURAL", "TIERS", "WINDOW_END", "WINDOW_START", "AutoFactoryError",
    "Constraints", "FieldInfo", "ForeignKey", "ModelInfo", "PatternError", "model_info", "pattern_generator", "register_type",
]
