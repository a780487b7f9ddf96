"""Groq over HTTP (httpx2), OpenAI-compatible Chat Completions at ``/openai/v1``."""

from __future__ import annotations

from typing import Any

from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.defaults import resolve_base_url
from forge_factories.llm.providers.http import apost_json, async_http_client, http_client, post_json
from forge_factories.llm.providers.network import LLMProvider, Reply, require_key

#: Groq models that accept ``response_format`` json_schema with ``strict: true``.
STRICT_SCHEMA_MODELS = frozenset({"openai/gpt-oss-20b", "openai/gpt-oss-120b"})


class GroqProvider(LLMProvider):
    """Groq via ``POST {base}/openai/v1/chat/completions`` (Bearer ``$GROQ_API_KEY``).

    Models in :data:`STRICT_SCHEMA_MODELS` get a strict json_schema; the others get
    ``json_object`` with the schema written in the prompt (answers are validated anyway).
    ``strict_schema`` forces either way. ``base_url`` defaults to ``$GROQ_BASE_URL``.
    """

    provider = "groq"

    def __init__(
        self, *, api_key: str | None = None, base_url: str | None = None, strict_schema: bool | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.base_url = resolve_base_url(self.provider, base_url)
        self.strict_schema = self.model in STRICT_SCHEMA_MODELS if strict_schema is None else strict_schema
        self.schema_in_prompt = not self.strict_schema
        self._key = require_key(self.provider, api_key)
        self.client = http_client(self.timeout)

    def _payload(self, prompt: Prompt, max_tokens: int) -> dict[str, Any]:
        response_format: dict[str, Any]
        if self.strict_schema:
            response_format = {"type": "json_schema",
                               "json_schema": {"name": "forge_items", "strict": True, "schema": prompt.schema}}
        else:
            response_format = {"type": "json_object"}
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}],
            "response_format": response_format,
            "max_completion_tokens": max_tokens,
        }

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """One chat completion for one chunk."""
        data = post_json(self.client, f"{self.base_url}/openai/v1/chat/completions", self._payload(prompt, max_tokens),
                         headers={"Authorization": f"Bearer {self._key}"}, who=self.identity)
        return openai_style_reply(data)

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through an ``httpx2.AsyncClient``."""
        data = await apost_json(client, f"{self.base_url}/openai/v1/chat/completions",
                                self._payload(prompt, max_tokens),
                                headers={"Authorization": f"Bearer {self._key}"}, who=self.identity)
        return openai_style_reply(data)

    def make_async_client(self) -> Any:
        """An ``httpx2.AsyncClient`` with the provider's timeout."""
        return async_http_client(self.timeout)

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


def openai_style_reply(data: dict[str, Any]) -> Reply:
    """A :class:`Reply` from an OpenAI-compatible chat completion JSON."""
    choices = data.get("choices") or []
    choice = choices[0] if choices else {}
    message = choice.get("message") or {}
    usage = data.get("usage") or {}
    details = usage.get("prompt_tokens_details") or {}
    return Reply(
        text=message.get("content") or "",
        truncated=choice.get("finish_reason") == "length",
        input_tokens=int(usage.get("prompt_tokens", 0) or 0),
        output_tokens=int(usage.get("completion_tokens", 0) or 0),
        cached_input_tokens=int(details.get("cached_tokens", 0) or 0),
        refusal=message.get("refusal") or (None if choices else "no choices"),
    )
