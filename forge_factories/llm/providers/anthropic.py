"""Anthropic (Claude) through the official ``anthropic`` SDK: Messages API, forced tool use."""

from __future__ import annotations

from typing import Any

from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.defaults import resolve_base_url
from forge_factories.llm.providers.network import LLMProvider, Reply, import_sdk, require_key
from forge_factories.llm.providers.sdk_faults import sdk_fault

#: The tool the model must call; its input schema is the items JSON schema.
TOOL_NAME = "forge_items"


class AnthropicProvider(LLMProvider):
    """Claude via ``POST /v1/messages`` with one strict tool whose ``input_schema`` is the items
    JSON schema, and ``tool_choice`` forcing it: the answer is the tool call's input. A text
    answer (no tool call) is parsed as text.

    No ``temperature``/``top_p``/``top_k`` are sent (current API versions reject them):
    variety comes from each item's conditioning values. ``stop_reason == "max_tokens"``
    marks a truncated reply. The SDK's own retries are off: forge retries (see
    :mod:`forge_factories.llm.providers.http`). ``base_url`` defaults to ``$ANTHROPIC_BASE_URL``.
    """

    provider = "anthropic"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._sdk = import_sdk("anthropic", "anthropic")
        self.base_url = resolve_base_url(self.provider, base_url)
        self.client = self._sdk.Anthropic(
            api_key=require_key(self.provider, api_key), base_url=self.base_url,
            max_retries=0, timeout=self.timeout,
        )

    def _args(self, prompt: Prompt, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": max_tokens,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
            "tools": [{"name": TOOL_NAME, "description": "Record the values of every item.",
                       "input_schema": prompt.schema, "strict": True}],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
        }

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """One Messages call for one chunk."""
        try:
            message = self.client.messages.create(**self._args(prompt, max_tokens))
        except self._sdk.AnthropicError as exc:
            raise sdk_fault(self._sdk, exc, self.identity) from exc
        return self._reply(message)

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through ``anthropic.AsyncAnthropic``."""
        try:
            message = await client.messages.create(**self._args(prompt, max_tokens))
        except self._sdk.AnthropicError as exc:
            raise sdk_fault(self._sdk, exc, self.identity) from exc
        return self._reply(message)

    def make_async_client(self) -> Any:
        """An ``anthropic.AsyncAnthropic`` with the sync client's key, base URL and timeout."""
        return self._sdk.AsyncAnthropic(api_key=self.client.api_key, base_url=self.base_url, max_retries=0,
                                        timeout=self.timeout)

    @staticmethod
    def _reply(message: Any) -> Reply:
        text = "".join(getattr(block, "text", "") for block in message.content if block.type == "text")
        calls = [block.input for block in message.content if block.type == "tool_use" and block.name == TOOL_NAME]
        usage = message.usage
        return Reply(
            text=text,
            data=calls[0] if calls else None,
            truncated=message.stop_reason == "max_tokens",
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cached_input_tokens=usage.cache_read_input_tokens or 0,
            refusal="model refused" if message.stop_reason == "refusal" else None,
        )

    def close(self) -> None:
        """Close the SDK client."""
        self.client.close()
