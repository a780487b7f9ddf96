"""Helpers of the provider tests: requests to fill, providers pointed at the fake server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec

ENV_VARS = (
    "FORGE_PROVIDER", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GOOGLE_API_KEY", "GROQ_API_KEY",
    "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL", "GEMINI_BASE_URL", "GROQ_BASE_URL", "OLLAMA_HOST",
    "FORGE_ANTHROPIC_MODEL", "FORGE_OPENAI_MODEL", "FORGE_GEMINI_MODEL", "FORGE_GROQ_MODEL",
    "FORGE_OLLAMA_MODEL", "FORGE_OLLAMA_PROBE",
)

SECRET = "sk-test-secret-0123456789"

SPECS = (
    FieldSpec("bio", "A short bio of {name}, who works as a {job}.", max_length=300),
    FieldSpec("headline", "A profile headline for {name}.", max_length=120),
)


def make_request(n: int, specs: tuple[FieldSpec, ...] = SPECS, **kw: Any) -> SemanticRequest:
    """``n`` User items needing every field of ``specs``, each conditioned on a distinct name."""
    items = tuple(
        SemanticItem(index=i, key=str(i), fields=tuple(s.name for s in specs),
                     conditioning={"name": f"Person {i}", "job": "baker" if i % 2 else "pilot"})
        for i in range(n)
    )
    return SemanticRequest(factory="tests.UserFactory", model="User", context=kw.pop("context", "a bakery app"),
                           specs=specs, items=items, **kw)


def provider_for(kind: str, url: str, **options: Any) -> Any:
    """A provider of ``kind`` pointed at the fake server at ``url``."""
    if kind == "anthropic":
        from forge_factories.llm.providers.anthropic import AnthropicProvider

        return AnthropicProvider(base_url=url, api_key=SECRET, **options)
    if kind == "openai":
        from forge_factories.llm.providers.openai import OpenAIProvider

        return OpenAIProvider(base_url=url + "/v1", api_key=SECRET, **options)
    if kind == "gemini":
        from forge_factories.llm.providers.gemini import GeminiProvider

        return GeminiProvider(base_url=url, api_key=SECRET, **options)
    if kind == "groq":
        from forge_factories.llm.providers.groq import GroqProvider

        return GroqProvider(base_url=url, api_key=SECRET, **options)
    from forge_factories.llm.providers.ollama import OllamaProvider

    return OllamaProvider(base_url=url, **options)


KINDS = ("anthropic", "openai", "gemini", "groq", "ollama")


@dataclass
class User:
    name: str
    job: str
    bio: str
    headline: str


def user_factory(provider: object, policy: str = "fallback") -> Any:
    """A User factory whose two semantic fields (bio, headline) come from ``provider``."""
    class UserFactory(factory.Factory):
        class Meta:
            model = User
            forge_provider = provider
            forge_policy = policy
            forge_context = "a bakery app"

        name = factory.Sequence(lambda n: f"Person {n}")
        job = factory.Iterator(["baker", "pilot"])
        bio = SemanticAttribute("A short bio of {name}, who works as a {job}.", max_length=300)
        headline = SemanticAttribute("A profile headline for {name}.", max_length=120)

    return UserFactory
