"""Shared HTTP helpers: fault classification, retries with backoff, JSON POST over httpx2."""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from forge_factories.common.errors import ProviderError

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


_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*s\s*$")


def _duration(value: Any) -> float | None:
    """Seconds of a protobuf ``Duration`` as JSON: ``"2s"``, ``"1.5s"`` or ``{"seconds": 2, "nanos": 0}``."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        return float(match.group(1)) if match else None
    if isinstance(value, dict):
        try:
            return float(value.get("seconds", 0) or 0) + float(value.get("nanos", 0) or 0) / 1e9
        except (TypeError, ValueError):
            return None
    return None


def parse_retry_delay(body: str) -> float | None:
    """Seconds asked by a Google-style error body: ``error.details[]`` ``RetryInfo.retryDelay``.

    Gemini sends its retry delay in the body of a 429/503 (``{"@type":
    "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}``), not in a header.
    """
    if "retryDelay" not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    for detail in details if isinstance(details, list) else ():
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            seconds = _duration(detail.get("retryDelay"))
            if seconds is not None:
                return max(0.0, seconds)
    return None


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
    asked = parse_retry_delay(body) if status in RETRY_STATUSES or status >= 500 else None
    # A quota message with a retry delay (Gemini's per-minute limits say "exceeded your current
    # quota" and when to come back) is a rate limit, not an empty account.
    if status in (402,) or (asked is None and status in (400, 403, 429) and any(h in lowered for h in _QUOTA_HINTS)):
        return ProviderError(
            f"{who.name}: quota or spend limit reached (HTTP {status}) for the key{key_hint}; "
            f"not retrying. {snippet}"
        )
    if status in RETRY_STATUSES or status >= 500:
        retry_after = parse_retry_after(headers)
        if retry_after is None:
            retry_after = asked
        return TransientFault(f"{who.name}: HTTP {status}: {snippet}", status=status, retry_after=retry_after)
    if status == 404:
        return ProviderError(
            f"{who.name}: HTTP 404 (unknown model or endpoint; check the model name and "
            f"{who.base_url_env}). {snippet}"
        )
    return ProviderError(f"{who.name}: request refused (HTTP {status}). {snippet}")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a transient fault.

    Waits ``retry-after`` (or Gemini's ``RetryInfo.retryDelay`` in the error body) when the
    server sends one (capped at ``max_wait``), else
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


def async_http_client(timeout: float) -> Any:
    """A new ``httpx2.AsyncClient`` (for the async twins of the HTTP providers' ``send``)."""
    try:
        import httpx2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ProviderError('this provider needs httpx2: pip install "forge_factories[http]"') from exc
    return httpx2.AsyncClient(timeout=timeout)


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
    return _json_answer(response, who)


async def apost_json(
    client: Any, url: str, payload: Mapping[str, Any], *, headers: Mapping[str, str], who: ProviderIdentity,
) -> dict[str, Any]:
    """:func:`post_json` through an ``httpx2.AsyncClient``."""
    import httpx2

    try:
        response = await client.post(url, json=payload, headers=dict(headers))
    except httpx2.TimeoutException as exc:
        raise TransientFault(f"{who.name}: request timed out ({exc.__class__.__name__})") from exc
    except httpx2.TransportError as exc:
        raise TransientFault(f"{who.name}: connection failed ({exc.__class__.__name__})") from exc
    return _json_answer(response, who)


def _json_answer(response: Any, who: ProviderIdentity) -> dict[str, Any]:
    if response.status_code >= 400:
        raise classify_status(who, response.status_code, response.text, response.headers)
    try:
        data = response.json()
    except ValueError as exc:
        raise TransientFault(f"{who.name}: answer is not JSON") from exc
    if not isinstance(data, dict):
        raise TransientFault(f"{who.name}: answer is not a JSON object")
    return data
