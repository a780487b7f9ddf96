"""OpenAI through the official ``openai`` SDK: Chat Completions with a strict json_schema."""

from __future__ import annotations

from typing import Any

from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.defaults import resolve_base_url
from forge_factories.llm.providers.network import LLMProvider, Reply, import_sdk, require_key
from forge_factories.llm.providers.sdk_faults import sdk_fault


class OpenAIProvider(LLMProvider):
    """OpenAI via ``POST /chat/completions`` with ``response_format`` = strict json_schema.

    ``finish_reason == "length"`` marks a truncated reply; a ``refusal`` is a failed chunk.
    The SDK's own retries are off: forge retries. ``base_url`` defaults to ``$OPENAI_BASE_URL``.
    """

    provider = "openai"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._sdk = import_sdk("openai", "openai")
        self.base_url = resolve_base_url(self.provider, base_url)
        self.client = self._sdk.OpenAI(
            api_key=require_key(self.provider, api_key), base_url=self.base_url,
            max_retries=0, timeout=self.timeout,
        )

    def _args(self, prompt: Prompt, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": prompt.system},
                         {"role": "user", "content": prompt.user}],
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "forge_items", "strict": True, "schema": prompt.schema}},
            "max_completion_tokens": max_tokens,
        }

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """One Chat Completions call for one chunk."""
        try:
            completion = self.client.chat.completions.create(**self._args(prompt, max_tokens))
        except self._sdk.OpenAIError as exc:
            raise sdk_fault(self._sdk, exc, self.identity) from exc
        return self._reply(completion)

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through ``openai.AsyncOpenAI``."""
        try:
            completion = await client.chat.completions.create(**self._args(prompt, max_tokens))
        except self._sdk.OpenAIError as exc:
            raise sdk_fault(self._sdk, exc, self.identity) from exc
        return self._reply(completion)

    def make_async_client(self) -> Any:
        """An ``openai.AsyncOpenAI`` with the sync client's key, base URL and timeout."""
        return self._sdk.AsyncOpenAI(api_key=self.client.api_key, base_url=self.base_url, max_retries=0,
                                     timeout=self.timeout)

    @staticmethod
    def _reply(completion: Any) -> Reply:
        choice = completion.choices[0] if completion.choices else None
        usage = completion.usage
        details = getattr(usage, "prompt_tokens_details", None) if usage else None
        return Reply(
            text=(choice.message.content or "") if choice else "",
            truncated=bool(choice and choice.finish_reason == "length"),
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            cached_input_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
            refusal=getattr(choice.message, "refusal", None) if choice else "no choices",
        )

    def close(self) -> None:
        """Close the SDK client."""
        self.client.close()
