"""Automatic provider selection and the lazy registration of the built-in providers.

Order (first match wins):

1. an explicit provider: ``select_provider(provider=...)``, a factory's
   ``Meta.forge_provider`` or ``configure(provider=...)`` (``settings.provider``);
2. ``$FORGE_PROVIDER`` (a registered name such as ``"anthropic"`` or ``"offline"``);
3. the first API key found of ``ANTHROPIC_API_KEY``, ``OPENAI_API_KEY``,
   ``GOOGLE_API_KEY``, ``GROQ_API_KEY``;
4. a running Ollama (``GET /api/version`` answered with Ollama's JSON), probed the first
   time a provider is needed -- never on import -- and remembered per host;
   ``FORGE_OLLAMA_PROBE=0`` disables the probe, and it is never made when the store's mode
   cannot call a provider (``offline`` or ``replay``, set or implied by CI; see
   :func:`probe_allowed`): those modes open no socket;
5. offline.

A provider chosen in steps 3-4 is built once and reused while its environment variables
(key, base URL, model) stay the same.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from forge_factories.common.config import current_settings
from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.importing import resolve
from forge_factories.llm.providers.base import (
    _REGISTRY,
    SemanticProvider,
    register_provider,
    registered_providers,
)
from forge_factories.llm.providers.defaults import DEFAULTS, KEY_ORDER, resolve_base_url

#: name -> (module, class) of the built-in providers; modules import their SDK lazily.
BUILTIN: dict[str, tuple[str, str]] = {
    "offline": ("forge_factories.llm.providers.offline", "OfflineProvider"),
    "anthropic": ("forge_factories.llm.providers.anthropic", "AnthropicProvider"),
    "openai": ("forge_factories.llm.providers.openai", "OpenAIProvider"),
    "gemini": ("forge_factories.llm.providers.gemini", "GeminiProvider"),
    "groq": ("forge_factories.llm.providers.groq", "GroqProvider"),
    "ollama": ("forge_factories.llm.providers.ollama", "OllamaProvider"),
}


def _lazy(module: str, cls: str) -> Any:
    def factory(**options: Any) -> SemanticProvider:
        provider_cls = resolve(f"{module}:{cls}")
        if cls == "OfflineProvider":
            return provider_cls()
        return provider_cls(**options)

    factory.__qualname__ = factory.__name__ = f"create_{cls}"
    return factory


def register_builtin_providers() -> None:
    """Register every built-in provider name (no SDK is imported until one is created)."""
    for name, (module, cls) in BUILTIN.items():
        register_provider(name, _lazy(module, cls))


register_builtin_providers()

_PROBES: dict[str, str | None] = {}
#: Providers built by automatic selection, reused (with their HTTP connections) while the
#: environment they were built from stays the same.
_AUTO: dict[tuple[str, str, tuple[str | None, ...]], SemanticProvider] = {}
_PROBE_LOCK = threading.Lock()


def ollama_available(base_url: str | None = None) -> bool:
    """Whether a real Ollama answers at ``base_url`` (probed once per URL per process)."""
    from forge_factories.llm.providers.ollama import probe_ollama

    url = resolve_base_url("ollama", base_url)
    with _PROBE_LOCK:
        if url not in _PROBES:
            _PROBES[url] = probe_ollama(url)
        return _PROBES[url] is not None


def forget_probes() -> None:
    """Forget remembered Ollama probe results and automatically built providers (tests)."""
    with _PROBE_LOCK:
        _PROBES.clear()
        _AUTO.clear()


def _store_mode() -> str | None:
    """The store mode set by ``configure_store(mode=...)`` or ``$FORGE_MODE`` (``None``: not set)."""
    mode: str | None = current_settings().store.mode
    if mode is None:
        mode = os.environ.get("FORGE_MODE", "").strip().lower() or None
    return mode


def _truthy(raw: str | None) -> bool:
    return bool(raw and raw.strip()) and raw.strip().lower() not in ("0", "false", "no", "off")  # type: ignore[union-attr]


def probe_allowed() -> bool:
    """Whether looking for a local Ollama may open a socket now.

    Not when ``FORGE_OLLAMA_PROBE`` is off, nor when the store mode is ``offline`` or
    ``replay`` (set by ``configure_store``/``FORGE_MODE``, or implied by ``$CI`` when no mode
    is set): those modes never call a provider, so finding one is not worth a connection.
    """
    if not _truthy(os.environ.get("FORGE_OLLAMA_PROBE", "1")):
        return False
    mode = _store_mode()
    if mode is not None:
        return mode in ("live", "record")
    return not _truthy(os.environ.get("CI"))


def automatic_provider_name() -> str:
    """The provider name environment-based selection picks (steps 2-5 above)."""
    named = os.environ.get("FORGE_PROVIDER", "").strip()
    if named:
        return named
    for name in KEY_ORDER:
        env = DEFAULTS[name].key_env
        if env and os.environ.get(env):
            return name
    if probe_allowed() and ollama_available():
        return "ollama"
    return "offline"


def select_provider(**options: Any) -> SemanticProvider:
    """The provider to use when a factory names none (see the module docstring for the order).

    ``options`` (``model=``, ``base_url=``, ...) go to the provider's constructor;
    ``provider=`` names or passes the provider explicitly.
    """
    explicit = options.pop("provider", None)
    if explicit is not None:
        return get_provider(explicit, **options)
    configured = current_settings().provider
    if configured is not None:
        return get_provider(configured, **options)
    name = automatic_provider_name()
    if name not in DEFAULTS:  # offline or a user-registered name: no client to reuse
        return get_provider(name, **options)
    d = DEFAULTS[name]
    env = tuple(os.environ.get(v or "") for v in (d.key_env, d.base_url_env, f"FORGE_{name.upper()}_MODEL"))
    key = (name, repr(sorted(options.items())), env)
    with _PROBE_LOCK:
        provider = _AUTO.get(key)
    if provider is None:
        provider = get_provider(name, **options)
        with _PROBE_LOCK:
            _AUTO[key] = provider
    return provider


def get_provider(value: str | SemanticProvider | None = None, **options: Any) -> SemanticProvider:
    """Turn a provider name, instance or ``None`` (automatic selection) into a provider."""
    if value is None:
        return select_provider(**options)
    if isinstance(value, str):
        try:
            factory = _REGISTRY[value]
        except KeyError:
            raise ForgeConfigError(
                f"unknown semantic provider {value!r}; known providers: {', '.join(registered_providers())}"
            ) from None
        return factory(**options)
    if isinstance(value, SemanticProvider):
        return value
    raise ForgeConfigError(f"forge_provider must be a provider name or object, got {value!r}")
