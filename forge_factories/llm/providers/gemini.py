"""Google Gemini over HTTP (httpx2): ``generateContent`` with ``responseJsonSchema``."""

from __future__ import annotations

from typing import Any

from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.defaults import resolve_base_url
from forge_factories.llm.providers.http import (
    TransientFault,
    apost_json,
    async_http_client,
    http_client,
    post_json,
)
from forge_factories.llm.providers.network import LLMProvider, Reply, require_key


class GeminiProvider(LLMProvider):
    """Gemini via ``POST {base}/{api_version}/models/{model}:generateContent``.

    Key in the ``x-goog-api-key`` header (``$GOOGLE_API_KEY``); JSON output through
    ``generationConfig.responseMimeType`` + ``responseJsonSchema``;
    ``finishReason == "MAX_TOKENS"`` marks a truncated reply. ``base_url`` defaults to
    ``$GEMINI_BASE_URL``.
    """

    provider = "gemini"

    def __init__(
        self, *, api_key: str | None = None, base_url: str | None = None, api_version: str = "v1beta",
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.base_url = resolve_base_url(self.provider, base_url)
        self.api_version = api_version
        self._key = require_key(self.provider, api_key)
        self.client = http_client(self.timeout)

    def _post(self, prompt: Prompt, max_tokens: int) -> tuple[str, dict[str, Any], dict[str, str]]:
        url = f"{self.base_url}/{self.api_version}/models/{self.model}:generateContent"
        payload = {
            "systemInstruction": {"parts": [{"text": prompt.system}]},
            "contents": [{"role": "user", "parts": [{"text": prompt.user}]}],
            "generationConfig": {
                "responseMimeType": "application/json",
                "responseJsonSchema": prompt.schema,
                "maxOutputTokens": max_tokens,
            },
        }
        return url, payload, {"x-goog-api-key": self._key}

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """One generateContent call for one chunk."""
        url, payload, headers = self._post(prompt, max_tokens)
        return self._reply(post_json(self.client, url, payload, headers=headers, who=self.identity))

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through an ``httpx2.AsyncClient``."""
        url, payload, headers = self._post(prompt, max_tokens)
        return self._reply(await apost_json(client, url, payload, headers=headers, who=self.identity))

    def make_async_client(self) -> Any:
        """An ``httpx2.AsyncClient`` with the provider's timeout."""
        return async_http_client(self.timeout)

    def _reply(self, data: dict[str, Any]) -> Reply:
        candidates = data.get("candidates") or []
        usage = data.get("usageMetadata") or {}
        if not candidates:
            blocked = (data.get("promptFeedback") or {}).get("blockReason")
            if blocked:
                return Reply(text="", refusal=f"prompt blocked: {blocked}")
            raise TransientFault(f"{self.provider}: answer without candidates")
        first = candidates[0]
        parts = (first.get("content") or {}).get("parts") or []
        reason = first.get("finishReason")
        return Reply(
            text="".join(p.get("text", "") for p in parts if isinstance(p, dict)),
            truncated=reason == "MAX_TOKENS",
            input_tokens=int(usage.get("promptTokenCount", 0) or 0),
            output_tokens=int(usage.get("candidatesTokenCount", 0) or 0),
            cached_input_tokens=int(usage.get("cachedContentTokenCount", 0) or 0),
            refusal=f"finishReason {reason}" if reason in ("SAFETY", "RECITATION", "PROHIBITED_CONTENT") else None,
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()
