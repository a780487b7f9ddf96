"""Which provider a factory's semantic values come from, wrapped by the store and governance."""

from __future__ import annotations

from typing import Any

from forge_factories.common.config import default_provider_choice
from forge_factories.llm.providers.base import SemanticProvider
from forge_factories.llm.providers.selection import get_provider


def wrap_provider(provider: SemanticProvider) -> SemanticProvider:
    """Apply the cache / record-replay layer when it is available."""
    try:
        from forge_factories.store import wrap_provider as store_wrap
    except ImportError:
        return provider
    return store_wrap(provider)


def resolve_provider(factory_cls: Any, choice: Any = None) -> SemanticProvider:
    """The provider a factory's semantic values come from, ready to call.

    ``choice`` (a name, object or ``None``) defaults to ``Meta.forge_provider``, then a
    :func:`~forge_factories.common.config.use_provider` override, then ``settings.provider``, then
    automatic selection. A live provider is wrapped by the store (cache, record/replay) and,
    outermost, by governance (memory rules into the request, PII withheld unless allowed),
    so neither the cache nor the lock file ever sees what was withheld. Explicitly chosen
    offline text is never replayed from a lock file; an automatic choice that fell back to
    offline (no key in CI) is, so CI serves recorded values.
    """
    if choice is None:
        choice = getattr(factory_cls._meta, "forge_provider", None)
    explicit = choice is not None
    if choice is None:
        choice = default_provider_choice()
        explicit = choice is not None
    chosen = get_provider(choice)
    if explicit and getattr(chosen, "name", None) == "offline":
        return chosen
    provider = wrap_provider(chosen)
    if _is_governed(chosen):  # a user's own GovernedProvider keeps its settings
        return provider
    return govern(provider, factory_cls)


def _is_governed(provider: SemanticProvider) -> bool:
    from forge_factories.governance.provider import GovernedProvider

    return isinstance(provider, GovernedProvider)


def govern(provider: SemanticProvider, factory_cls: Any) -> SemanticProvider:
    """Wrap a live provider in the governance layer (offline text never leaves the process).

    With the permission gates off (``FORGE_FLAG_PERMISSIONS=0``) personal data is allowed
    through, but secrets are still masked: they never leave the process.
    """
    if getattr(provider, "name", None) == "offline":
        return provider
    from forge_factories.governance.flags import is_enabled
    from forge_factories.governance.memory import Memory
    from forge_factories.governance.provider import GovernedProvider

    permissions, memory = is_enabled("permissions"), is_enabled("memory")
    ungated: dict[str, Any] = {} if permissions else {"allow_pii": True, "allow_dangerous": True}
    return GovernedProvider(provider, model=factory_cls, memory=Memory() if memory else None, **ungated)
