"""Semantic providers: where SemanticAttribute values come from."""

from . import selection as _selection  # noqa: F401 - registers the built-in provider names (lazily)
from .accounting import session_tokens, usage
from .base import FillResult, SemanticProvider, get_provider, register_provider
from .offline import OfflineProvider
from .recording import RecordingProvider
from .selection import select_provider

__all__ = [
    "FillResult",
    "OfflineProvider",
    "RecordingProvider",
    "SemanticProvider",
    "get_provider",
    "register_provider",
    "select_provider",
    "session_tokens",
    "usage",
]
