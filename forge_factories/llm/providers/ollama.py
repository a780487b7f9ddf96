"""Ollama over HTTP (httpx2): ``/api/chat`` with a JSON-schema ``format``; and its probe."""

from __future__ import annotations

from typing import Any

from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.defaults import resolve_base_url
from forge_factories.llm.providers.http import apost_json, async_http_client, http_client, post_json
from forge_factories.llm.providers.network import LLMProvider, Reply


class OllamaProvider(LLMProvider):
    """A local Ollama via ``POST {host}/api/chat`` (``stream: false``, ``format`` = schema).

    ``done_reason == "length"`` marks a truncated reply. ``num_ctx`` sets the context
    window; the request's seed is passed as ``options.seed``. ``base_url`` defaults to
    ``$OLLAMA_HOST`` then ``http://127.0.0.1:11434``.
    """

    provider = "ollama"

    def __init__(self, *, base_url: str | None = None, num_ctx: int = 16_384, **options: Any) -> None:
        super().__init__(**options)
        self.base_url = resolve_base_url(self.provider, base_url)
        self.num_ctx = num_ctx
        self.client = http_client(self.timeout)

    def _payload(self, prompt: Prompt, max_tokens: int) -> dict[str, Any]:
        options: dict[str, Any] = {"num_ctx": self.num_ctx, "num_predict": max_tokens}
        if prompt.seed is not None:
            options["seed"] = prompt.seed
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}],
            "format": prompt.schema,
            "stream": False,
            "options": options,
        }

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """One chat call for one chunk."""
        data = post_json(self.client, f"{self.base_url}/api/chat", self._payload(prompt, max_tokens), headers={},
                         who=self.identity)
        return _reply(data)

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through an ``httpx2.AsyncClient``."""
        data = await apost_json(client, f"{self.base_url}/api/chat", self._payload(prompt, max_tokens), headers={},
                                who=self.identity)
        return _reply(data)

    def make_async_client(self) -> Any:
        """An ``httpx2.AsyncClient`` with the provider's timeout."""
        return async_http_client(self.timeout)

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


def _reply(data: dict[str, Any]) -> Reply:
    message = data.get("message") or {}
    return Reply(
        text=message.get("content") or "",
        truncated=data.get("done_reason") == "length",
        input_tokens=int(data.get("prompt_eval_count", 0) or 0),
        output_tokens=int(data.get("eval_count", 0) or 0),
    )


def probe_ollama(base_url: str | None = None, timeout: float = 0.5) -> str | None:
    """The version of a real Ollama answering at ``base_url`` (``GET /api/version``), else ``None``.

    Only a JSON object with a string ``version`` counts: something else listening on the
    port is not Ollama.
    """
    try:
        import httpx2
    except ImportError:
        return None
    url = resolve_base_url("ollama", base_url) + "/api/version"
    try:
        with httpx2.Client(timeout=timeout) as client:
            response = client.get(url)
        if response.status_code != 200:
            return None
        data = response.json()
    except (httpx2.HTTPError, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) and version else None
