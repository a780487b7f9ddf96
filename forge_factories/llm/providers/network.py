"""The generic LLM provider: plan -> concurrent chunk calls (transient faults retried) -> parse
-> match answers to items.

Subclasses only say how one chunk is sent (:meth:`LLMProvider.send`). Items are sent under
opaque keys; a reply with an unknown or repeated key, or a value naming another item, is not
trusted and none of its answers is used (:mod:`forge_factories.llm.identity`). One ``fill``
asks each item once and says, per item and field without a value, why
(:attr:`FillResult.reasons`). Validation and re-asks are the batch engine's
(:mod:`forge_factories.core.reask`): it asks failed items again up to :attr:`LLMProvider.max_rounds`
times, then applies the factory's policy (``strict`` raises, ``fallback`` writes offline
text and warns).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from forge_factories.common.async_bridge import send_reply
from forge_factories.common.budget import request_slot
from forge_factories.common.errors import ProviderError
from forge_factories.llm.identity import match_keys, misplaced_value, naming_refs
from forge_factories.llm.planner import (
    DEFAULT_CHUNK_CAP,
    PROMPT_VERSION,
    Prompt,
    build_prompt,
    chunk_size,
    plan_chunks,
)
from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.base import FillResult, RequestPlan
from forge_factories.llm.providers.defaults import defaults_for, resolve_model
from forge_factories.llm.providers.http import ProviderIdentity, RetryPolicy, TransientFault, with_retries
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.llm.validate import MISSING, MISSING_FIELD

log = logging.getLogger("forge_factories.llm.providers")

#: Default number of requests of one fill in flight at once.
DEFAULT_CONCURRENCY = 5
#: Default number of times the engine asks an item (the first ask plus re-asks of failed items).
DEFAULT_ROUNDS = 3


@dataclass(frozen=True)
class Reply:
    """What one API call produced: the model's text (or structured ``data``, e.g. a tool's
    input) and its bookkeeping."""

    text: str
    data: Any = None
    truncated: bool = False
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    refusal: str | None = None


class ReplyFormatError(ValueError):
    """The model's text holds no usable ``{"items": [...]}`` JSON."""


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


def parse_items(text: str) -> list[dict[str, Any]]:
    """The item objects of a reply, keeping every complete item of a truncated one.

    Accepts ``{"items": [...]}`` (optionally in a code fence) or a bare list. Raises
    :class:`ReplyFormatError` when no item can be read (prose, empty text).
    """
    body = text.strip()
    if body.startswith("```") or body.endswith("```"):  # the regex scans every whitespace run otherwise
        body = _FENCE.sub("", body)
    try:
        data = json.loads(body)
    except ValueError:
        return _salvage(body)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
    elif isinstance(data, list):
        items = data
    else:
        raise ReplyFormatError("reply JSON has no 'items' list")
    return [x for x in items if isinstance(x, dict)]


def _salvage(body: str) -> list[dict[str, Any]]:
    """Read the complete objects of a cut-off ``{"items": [ {...}, {...}, {..`` text."""
    match = re.search(r'"items"\s*:\s*\[', body) or re.search(r"^\s*\[", body)
    if match is None:
        raise ReplyFormatError("reply is not JSON")
    decoder = json.JSONDecoder()
    pos = match.end()
    items: list[dict[str, Any]] = []
    while True:
        while pos < len(body) and body[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(body) or body[pos] != "{":
            break
        try:
            obj, pos = decoder.raw_decode(body, pos)
        except ValueError:
            break
        if isinstance(obj, dict):
            items.append(obj)
    if not items:
        raise ReplyFormatError("reply holds no complete item")
    return items


def reply_items(reply: Reply) -> list[dict[str, Any]]:
    """The item objects of a reply: its structured ``data`` when it has some, else its text."""
    if reply.data is None:
        return parse_items(reply.text)
    data = reply.data
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return [x for x in data["items"] if isinstance(x, dict)]
    if reply.text.strip():
        return parse_items(reply.text)
    raise ReplyFormatError("structured reply has no 'items' list")


@dataclass(frozen=True)
class ChunkOutcome:
    """The parsed answer of one chunk; ``problem``: why none of its items has an answer."""

    values: dict[int, dict[str, Any]]
    truncated: bool
    problem: str | None = None


class LLMProvider:
    """Base class of the API-backed providers (Anthropic, OpenAI, Gemini, Groq, Ollama).

    ``output_budget`` is the ``max_tokens`` of each request (default: the provider's
    entry in :mod:`forge_factories.llm.providers.defaults`); ``chunk_cap`` the most items per
    request; ``max_concurrency`` how many requests of one fill run at once;
    ``max_rounds`` how many times the engine asks a failed item (first ask included);
    ``max_retries`` retries of a transient fault (429/529/5xx/timeout) per request.
    """

    #: Registry name (``"anthropic"``); also the key of the defaults table.
    provider: str = ""
    #: Put the JSON schema in the prompt too (providers without strict schema output).
    schema_in_prompt: bool = False
    #: Version of the planner's prompt; part of the response cache's key.
    prompt_version: str = PROMPT_VERSION

    def __init__(
        self,
        *,
        model: str | None = None,
        output_budget: int | None = None,
        chunk_cap: int = DEFAULT_CHUNK_CAP,
        max_concurrency: int = DEFAULT_CONCURRENCY,
        max_rounds: int = DEFAULT_ROUNDS,
        max_retries: int = 4,
        retry_base_delay: float = 0.5,
        timeout: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        d = defaults_for(self.provider)
        if max_concurrency < 1 or max_rounds < 1 or chunk_cap < 1:
            raise ValueError("max_concurrency, max_rounds and chunk_cap must be >= 1")
        self.model = resolve_model(self.provider, model)
        self.output_budget = output_budget or d.output_budget
        self.chunk_cap = chunk_cap
        self.max_concurrency = max_concurrency
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self.max_rounds = max_rounds
        self.timeout = timeout
        self.retry = RetryPolicy(max_retries=max_retries, base_delay=retry_base_delay)
        self.sleep = sleep
        self.identity = ProviderIdentity(self.provider, d.key_env, d.base_url_env)
        self._async_clients: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
        self._async_lock = threading.Lock()

    @property
    def name(self) -> str:
        """``"<provider>:<model>"``, the label of values this provider wrote."""
        return f"{self.provider}:{self.model}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r})"

    # -- one request ---------------------------------------------------------------------

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        """Send one planned chunk; raise TransientFault (retry) or ProviderError (fail)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the HTTP client (optional)."""

    # -- the async twin of send (used by forge_factories.aio) -------------------------------

    async def asend(self, client: Any, prompt: Prompt, max_tokens: int) -> Reply:
        """:meth:`send` through ``client`` (from :meth:`make_async_client`) on its event loop."""
        raise NotImplementedError

    def make_async_client(self) -> Any:
        """A new async client of the provider's API (SDK async client or ``httpx2.AsyncClient``)."""
        raise NotImplementedError

    def has_async_send(self) -> bool:
        """Whether this provider has an async twin of :meth:`send` (else async calls use ``send``
        in their worker thread)."""
        return type(self).asend is not LLMProvider.asend

    def async_client(self, loop: Any) -> Any:
        """The async client used on event loop ``loop`` (made on first use, kept while the loop lives)."""
        with self._async_lock:
            client = self._async_clients.get(loop)
            if client is None:
                client = self._async_clients[loop] = self.make_async_client()
            return client

    async def aclose(self) -> None:
        """Close the async client of the running event loop (if one was made)."""
        import asyncio

        with self._async_lock:
            client = self._async_clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await _aclose(client)

    def request_plan(self, request: SemanticRequest) -> RequestPlan:
        """Items per request for ``request`` (the planner's chunk size) and requests at once."""
        return RequestPlan(chunk_size(request, self.output_budget, self.chunk_cap), self.max_concurrency)

    def _attempt(self, prompt: Prompt) -> Reply:
        try:
            with request_slot(), self._slots:
                reply = send_reply(self, prompt, self.output_budget)
        except (TransientFault, ProviderError):
            accounting.record_request(self.provider, self.model, failed=True)
            raise
        accounting.record_request(
            self.provider, self.model, input_tokens=reply.input_tokens, output_tokens=reply.output_tokens,
            cached_input_tokens=reply.cached_input_tokens,
        )
        return reply

    def _run_chunk(self, request: SemanticRequest, chunk: tuple[SemanticItem, ...], stop: threading.Event,
                   notes: dict[int, list[str]], refs: tuple[str, ...] = ()) -> ChunkOutcome:
        if stop.is_set():
            raise ProviderError(f"{self.provider}: cancelled after an earlier request failed")
        prompt = build_prompt(request, chunk, schema_in_prompt=self.schema_in_prompt, notes=notes)
        try:
            reply = with_retries(lambda: self._attempt(prompt), policy=self.retry, who=self.identity,
                                 sleep=self.sleep)
        except ProviderError:
            stop.set()
            raise
        if reply.refusal:
            return ChunkOutcome({}, reply.truncated, f"refused: {reply.refusal}")
        try:
            parsed = reply_items(reply)
        except ReplyFormatError as exc:
            return ChunkOutcome({}, reply.truncated, f"unparseable reply: {exc}")
        keyed = match_keys(parsed, prompt.key_map())
        suspect = keyed.suspect or misplaced_value(chunk, keyed.values, refs)
        if suspect is not None:
            accounting.record_suspect_reply(self.provider, self.model)
            return ChunkOutcome({}, reply.truncated, f"wrong key: {suspect}")
        return ChunkOutcome(keyed.values, reply.truncated)

    def _run_round(self, request: SemanticRequest, chunks: list[tuple[SemanticItem, ...]],
                   notes: dict[int, list[str]], refs: tuple[str, ...] = ()) -> list[ChunkOutcome]:
        stop = threading.Event()
        if len(chunks) == 1 or self.max_concurrency == 1:
            return [self._run_chunk(request, c, stop, notes, refs) for c in chunks]
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(chunks)),
                                thread_name_prefix=f"forge-{self.provider}") as pool:
            futures: list[Future[ChunkOutcome]] = [
                pool.submit(contextvars.copy_context().run, self._run_chunk, request, c, stop, notes, refs)
                for c in chunks
            ]
            try:
                return [f.result() for f in futures]  # in chunk order: deterministic merging
            except BaseException:
                stop.set()
                for f in futures:
                    f.cancel()
                raise

    # -- one round of the group ----------------------------------------------------------

    def fill(self, request: SemanticRequest) -> FillResult:
        """Ask every item of ``request`` once: chunks sent concurrently, replies parsed and
        matched to their items by key.

        ``values`` holds what the replies said (the engine validates it and asks failed items
        again, up to :attr:`max_rounds`); ``reasons`` says why an item or field has no value
        (refused, unparseable, wrong key, missing, cut off); ``cut_off`` is the size of the
        largest chunk whose reply was cut off. Items carry their ``notes`` into the prompt;
        ``request.chunk_cap`` lowers the chunk size.
        """
        values: dict[int, dict[str, Any]] = {}
        reasons: dict[int, dict[str, str]] = {}
        pending = [item for item in request.items if item.fields]
        if not pending:
            return FillResult(values=values, source=self.name)
        refs = naming_refs(request.items)  # the given values that tell this request's items apart
        cap = self.chunk_cap if request.chunk_cap is None else max(1, min(self.chunk_cap, request.chunk_cap))
        chunks = plan_chunks(request, pending, self.output_budget, cap)
        notes = {item.index: list(item.notes) for item in pending if item.notes}
        outcomes = self._run_round(request, chunks, notes, refs)
        cut_off = 0
        for chunk, outcome in zip(chunks, outcomes, strict=True):
            if outcome.problem or outcome.truncated:
                log.log(logging.WARNING if outcome.problem and outcome.problem.startswith("wrong key")
                        else logging.INFO, "%s: %s for a chunk of %d items of %s", self.name,
                        outcome.problem or "truncated reply", len(chunk), request.factory)
            if outcome.truncated:
                cut_off = max(cut_off, len(chunk))
            for item in chunk:
                answer = outcome.values.get(item.index)
                if answer is not None:
                    values[item.index] = answer
                for name in item.fields:
                    if answer is None:
                        reason = outcome.problem or MISSING
                    elif name not in answer:
                        reason = MISSING_FIELD
                    else:
                        continue
                    if outcome.truncated:
                        reason += " (cut off at the output limit)"
                    reasons.setdefault(item.index, {})[name] = reason
        return FillResult(values=values, source=self.name, reasons=reasons, cut_off=cut_off)


async def _aclose(client: Any) -> None:
    """Close an SDK async client (``close()``) or an ``httpx2.AsyncClient`` (``aclose()``)."""
    close = getattr(client, "aclose", None) or client.close
    await close()


def import_sdk(module: str, extra: str) -> Any:
    """Import an optional SDK or fail with the ``pip install`` line that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ProviderError(
            f'the {extra} provider needs the {module!r} package: pip install "forge_factories[{extra}]"'
        ) from exc


def require_key(provider: str, api_key: str | None) -> str:
    """``api_key`` or the provider's environment variable; ProviderError naming it when missing."""
    import os

    env = defaults_for(provider).key_env
    key = api_key or (os.environ.get(env) if env else None)
    if not key:
        raise ProviderError(f"{provider}: no API key; pass api_key=... or set {env}")
    return key
