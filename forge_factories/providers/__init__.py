"""Semantic providers: where SemanticAttribute values come from."""

from .base import FillResult, SemanticProvider, get_provider, register_provider
from .offline import OfflineProvider
from .recording import RecordingProvider

__all__ = [
    "FillResult",
    "OfflineProvider",
    "RecordingProvider",
    "SemanticProvider",
    "get_provider",
    "register_provider",
]
