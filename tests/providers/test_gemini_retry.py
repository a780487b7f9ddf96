"""Gemini's ``RetryInfo.retryDelay`` (sent in the error body, not a header) is honoured like retry-after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from forge_factories.common.errors import ProviderError
from forge_factories.llm.providers.http import (
    ProviderIdentity,
    TransientFault,
    classify_status,
    parse_retry_delay,
)

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import make_request, provider_for

QUOTA_MESSAGE = "You exceeded your current quota, please check your plan and billing details."


class GeminiDetailsServer(FakeLLMServer):
    """The fake API, whose Gemini errors carry ``details`` as Google's API sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.details: list[dict[str, Any]] = []

    def _error_body(self, kind: str, fault: Fault) -> Any:  # type: ignore[override]
        body = super()._error_body(kind, fault)
        if kind == "gemini":
            body["error"]["details"] = self.details
        return body


@pytest.fixture
def gemini_server() -> Iterator[GeminiDetailsServer]:
    with GeminiDetailsServer() as s:
        yield s


def _retry_info(delay: Any) -> list[dict[str, Any]]:
    return [
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
         "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests"}]},
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay},
    ]


@pytest.mark.parametrize(("delay", "expected"), [("2s", 2.0), ("1.5s", 1.5), ("34.074824224s", 34.074824224)])
def test_retry_delay_in_the_body_is_the_wait(
    gemini_server: GeminiDetailsServer, sleeps: list[float], delay: str, expected: float,
) -> None:
    gemini_server.details = _retry_info(delay)
    gemini_server.inject(Fault(status=429, message="Resource has been exhausted", code="RESOURCE_EXHAUSTED"))
    provider = provider_for("gemini", gemini_server.url, sleep=sleeps.append, retry_base_delay=0.3)
    result = provider.fill(make_request(3))
    assert sorted(result.values) == [0, 1, 2]
    assert gemini_server.count() == 2
    assert sleeps == [pytest.approx(expected)]  # not the 0.3 s backoff


def test_a_quota_message_with_a_retry_delay_is_a_rate_limit(
    gemini_server: GeminiDetailsServer, sleeps: list[float],
) -> None:
    gemini_server.details = _retry_info("2s")
    gemini_server.inject(Fault(status=429, message=QUOTA_MESSAGE, code="RESOURCE_EXHAUSTED"))
    result = provider_for("gemini", gemini_server.url, sleep=sleeps.append).fill(make_request(2))
    assert sorted(result.values) == [0, 1]
    assert sleeps == [2.0]


def test_a_quota_message_without_a_retry_delay_still_fails_at_once(
    gemini_server: GeminiDetailsServer, sleeps: list[float],
) -> None:
    gemini_server.inject(Fault(status=429, message=QUOTA_MESSAGE, code="RESOURCE_EXHAUSTED"))
    with pytest.raises(ProviderError, match="quota"):
        provider_for("gemini", gemini_server.url, sleep=sleeps.append).fill(make_request(2))
    assert sleeps == [] and gemini_server.count() == 1


def test_the_retry_delay_is_capped_like_retry_after(gemini_server: GeminiDetailsServer, sleeps: list[float]) -> None:
    gemini_server.details = _retry_info("3600s")
    gemini_server.inject(Fault(status=503, code="UNAVAILABLE"))
    provider_for("gemini", gemini_server.url, sleep=sleeps.append).fill(make_request(1))
    assert sleeps == [60.0]


WHO = ProviderIdentity("gemini", "GOOGLE_API_KEY", "GEMINI_BASE_URL")


def _body(details: list[dict[str, Any]]) -> str:
    return json.dumps({"error": {"code": 429, "message": "slow down", "status": "RESOURCE_EXHAUSTED",
                                 "details": details}})


def test_a_header_wins_over_the_body() -> None:
    fault = classify_status(WHO, 429, _body(_retry_info("9s")), {"retry-after": "1"})
    assert isinstance(fault, TransientFault) and fault.retry_after == 1.0


@pytest.mark.parametrize(("body", "expected"), [
    (_body(_retry_info({"seconds": 3, "nanos": 500_000_000})), 3.5),
    (_body(_retry_info("0s")), 0.0),
    (_body(_retry_info("soon")), None),
    (_body([{"@type": "type.googleapis.com/google.rpc.Help", "retryDelay": "5s"}]), None),
    (_body([]), None),
    ('{"error": "retryDelay"}', None),
    ("retryDelay: not json", None),
    (json.dumps([{"error": {"details": _retry_info("2s")}}]), None),
])
def test_parse_retry_delay(body: str, expected: float | None) -> None:
    assert parse_retry_delay(body) == expected
