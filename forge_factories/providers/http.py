"""Shared HTTP helpers: fault classification, retries with backoff, JSON POST over httpx2."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import ProviderError

T = TypeVar("T")

#: Statuses worth retrying: timeout, rate limit, server errors, Anthropic "overloaded".
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})

#: Phrases of error bodies that mean "no more money/quota": failing at once, no retry.
_QUOTA_HINTS = (
    "insufficient_quota", "exceeded your current quota", "credit balance", "spend limit",
    "spending limit", "usage limits", "billing",
)

#: Longest wait honoured from a ``retry-after`` header (seconds).
MAX_RETRY_AFTER = 60.0


class TransientFault(Exception):
    """A failure worth retrying (rate limit, overload, 5xx, timeout, connection)."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class ProviderIdentity:
    """Who we are talking to, for error messages."""

    name: str
    key_env: str | None
    base_url_env: str


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` / ``retry-after`` (seconds or HTTP date)."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    raw_ms = lower.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = lower.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def classify_status(
    who: ProviderIdentity, status: int, body: str, headers: Mapping[str, str] | None = None,
) -> Exception:
    """The exception for an HTTP error answer: :class:`TransientFault` or :class:`ProviderError`."""
    snippet = " ".join(body.split())[:300]
    lowered = snippet.lower()
    key_hint = f" (environment variable {who.key_env})" if who.key_env else ""
    if status in (401, 403):
        return ProviderError(
            f"{who.name}: authentication failed (HTTP {status}); check the API key{key_hint}. {snippet}"
        )
    if status in (402,) or (status in (400, 403, 429) and any(h in lowered for h in _QUOTA_HINTS)):
        return ProviderError(
            f"{who.name}: quota or spend limit reached (HTTP {status}) for the key{key_hint}; "
            f"not retrying. {snippet}"
        )
    if status in RETRY_STATUSES or status >= 500:
        return TransientFault(f"{who.name}: HTTP {status}: {snippet}", status=status,
                              retry_after=parse_retry_after(headers))
    if status == 404:
        return ProviderError(
            f"{who.name}: HTTP 404 (unknown model or endpoint; check the model name and "
            f"{who.base_url_env}). {snippet}"
        )
    return ProviderError(f"{who.name}: request refused (HTTP {status}). {snippet}")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a transient fault.

    Waits ``retry-after`` when the server sends one (capped at ``max_wait``), else
    ``base_delay * 2**attempt`` with +-25% jitter.
    """

    max_retries: int = 4
    base_delay: float = 0.5
    max_wait: float = MAX_RETRY_AFTER

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_wait)
        backoff = self.base_delay * (2 ** attempt)
        return min(self.max_wait, backoff * random.uniform(0.75, 1.25))  # noqa: S311 (timing only)


def with_retries(
    call: Callable[[], T], *, policy: RetryPolicy, who: ProviderIdentity,
    sleep: Callable[[float], None] = time.sleep, on_fault: Callable[[TransientFault], None] | None = None,
) -> T:
    """Run ``call``; retry it on :class:`TransientFault` per ``policy``; raise ProviderError at the end."""
    attempt = 0
    while True:
        try:
            return call()
        except TransientFault as fault:
            if on_fault is not None:
                on_fault(fault)
            if attempt >= policy.max_retries:
                raise ProviderError(
                    f"{who.name}: giving up after {attempt + 1} attempts: {fault}"
                ) from fault
            sleep(policy.delay(attempt, fault.retry_after))
            attempt += 1


def http_client(timeout: float) -> Any:
    """A new ``httpx2.Client`` (imported here: forge_factories does not import httpx2 on import)."""
    try:
        import httpx2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ProviderError('this provider needs httpx2: pip install "forge_factories[http]"') from exc
    return httpx2.Client(timeout=timeout)


def post_json(
    client: Any, url: str, payload: Mapping[str, Any], *, headers: Mapping[str, str], who: ProviderIdentity,
) -> dict[str, Any]:
    """POST ``payload`` as JSON and return the decoded JSON answer.

    Timeouts and connection failures become :class:`TransientFault`; HTTP errors are
    classified by :func:`classify_status`.
    """
    import httpx2

    try:
        response = client.post(url, json=payload, headers=dict(headers))
    except httpx2.TimeoutException as exc:
        raise TransientFault(f"{who.name}: request timed out ({exc.__class__.__name__})") from exc
    except httpx2.TransportError as exc:
        raise TransientFault(f"{who.name}: connection failed ({exc.__class__.__name__})") from exc
    if response.status_code >= 400:
        raise classify_status(who, response.status_code, response.text, response.headers)
    try:
        data = response.json()
    except ValueError as exc:
        raise TransientFault(f"{who.name}: answer is not JSON") from exc
    if not isinstance(data, dict):
        raise TransientFault(f"{who.name}: answer is not a JSON object")
    return data
