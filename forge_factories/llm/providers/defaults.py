"""The one table of provider defaults: model, API-key variable, base URL, output budget.

Model names retire fast, so every default here can be overridden per call
(``AnthropicProvider(model=...)``, ``Meta.forge_provider = get_provider("openai", model=...)``)
or per environment (``FORGE_<PROVIDER>_MODEL``, e.g. ``FORGE_ANTHROPIC_MODEL``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderDefaults:
    """Defaults of one provider.

    ``key_env``: the API-key environment variable (``None``: no key needed);
    ``base_url_env``: the environment variable that overrides ``base_url``;
    ``output_budget``: ``max_tokens`` of one request (the planner fills 70% of it).
    """

    model: str
    key_env: str | None
    base_url: str
    base_url_env: str
    output_budget: int


#: provider name -> defaults. Keep this table (and docs/providers.md) current.
DEFAULTS: dict[str, ProviderDefaults] = {
    "anthropic": ProviderDefaults(
        model="claude-haiku-5-5", key_env="ANTHROPIC_API_KEY",
        base_url="https://api.anthropic.com", base_url_env="ANTHROPIC_BASE_URL",
        # non-streaming requests above ~21k max_tokens are refused by the SDK
        output_budget=20_000,
    ),
    "openai": ProviderDefaults(
        model="gpt-5.4-mini", key_env="OPENAI_API_KEY",
        base_url="https://api.openai.com/v1", base_url_env="OPENAI_BASE_URL",
        output_budget=20_000,
    ),
    "gemini": ProviderDefaults(
        model="gemini-2.5-flash", key_env="GOOGLE_API_KEY",
        base_url="https://generativelanguage.googleapis.com", base_url_env="GEMINI_BASE_URL",
        output_budget=20_000,
    ),
    "groq": ProviderDefaults(
        model="openai/gpt-oss-20b", key_env="GROQ_API_KEY",
        base_url="https://api.groq.com", base_url_env="GROQ_BASE_URL",
        output_budget=20_000,
    ),
    "ollama": ProviderDefaults(
        model="llama3.2", key_env=None,
        base_url="http://127.0.0.1:11434", base_url_env="OLLAMA_HOST",
        output_budget=8_000,
    ),
}

#: Order in which API keys are looked for by automatic selection.
KEY_ORDER: tuple[str, ...] = ("anthropic", "openai", "gemini", "groq")


def defaults_for(provider: str) -> ProviderDefaults:
    """The defaults of ``provider`` (``KeyError`` for an unknown name)."""
    return DEFAULTS[provider]


def model_env(provider: str) -> str:
    """The environment variable that overrides the default model of ``provider``."""
    return f"FORGE_{provider.upper()}_MODEL"


def resolve_model(provider: str, model: str | None = None) -> str:
    """``model`` if given, else ``$FORGE_<PROVIDER>_MODEL``, else the table's default."""
    return model or os.environ.get(model_env(provider)) or DEFAULTS[provider].model


def resolve_base_url(provider: str, base_url: str | None = None) -> str:
    """``base_url`` if given, else the provider's base-URL variable, else the table's default."""
    d = DEFAULTS[provider]
    url = base_url or os.environ.get(d.base_url_env) or d.base_url
    if "://" not in url:  # OLLAMA_HOST may be "host:port"
        url = "http://" + url
    return url.rstrip("/")
