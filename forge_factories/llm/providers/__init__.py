"""Semantic providers: where SemanticAttribute values come from."""

from forge_factories.llm.providers import selection as _selection  # noqa: F401 - registers the built-in provider names (lazily)
from forge_factories.llm.providers.accounting import session_tokens, usage
from forge_factories.llm.providers.base import FillResult, SemanticProvider, register_provider
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.providers.recording import RecordingProvider
from forge_factories.llm.providers.selection import get_provider, select_provider

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
