"""Usage accounting: requests, tokens and cache hits per provider and model (thread-safe)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class ModelUsage:
    """Counters of one (provider, model) pair in this process."""

    requests: int = 0
    failed_requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cache_hits: int = 0
    suspect_replies: int = 0

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens


_LOCK = threading.Lock()
_USAGE: dict[tuple[str, str], ModelUsage] = {}


def _entry(provider: str, model: str) -> ModelUsage:
    return _USAGE.setdefault((provider, model), ModelUsage())


def record_request(
    provider: str, model: str, *, input_tokens: int = 0, output_tokens: int = 0,
    cached_input_tokens: int = 0, failed: bool = False,
) -> None:
    """Count one API request (``failed``: it got no usable answer, e.g. a retried 429)."""
    with _LOCK:
        e = _entry(provider, model)
        e.requests += 1
        e.failed_requests += int(failed)
        e.input_tokens += int(input_tokens or 0)
        e.output_tokens += int(output_tokens or 0)
        e.cached_input_tokens += int(cached_input_tokens or 0)


def record_suspect_reply(provider: str, model: str) -> None:
    """Count a reply not trusted (an unknown or repeated item key, a value of another item)."""
    with _LOCK:
        _entry(provider, model).suspect_replies += 1


def record_cache_hit(provider: str, model: str, items: int = 1) -> None:
    """Count values served by forge's response cache instead of the API."""
    with _LOCK:
        _entry(provider, model).cache_hits += items


_hit_sources: list[Callable[[], Mapping[tuple[str, str], Any]]] = []


def add_cache_hit_source(stats: Callable[[], Mapping[tuple[str, str], Any]]) -> None:
    """Count the hits of a response cache (``forge_factories.store`` registers its own) in :func:`usage`."""
    if stats not in _hit_sources:
        _hit_sources.append(stats)


def _store_cache_hits() -> dict[tuple[str, str], int]:
    """Hits of every registered response cache, by (provider, model)."""
    hits: dict[tuple[str, str], int] = {}
    for stats in tuple(_hit_sources):
        for (name, model), counts in stats().items():
            provider = str(name).split(":", 1)[0]
            hits[(provider, model)] = hits.get((provider, model), 0) + int(getattr(counts, "hits", 0))
    return hits


def usage() -> dict[str, dict[str, dict[str, int]]]:
    """``{provider: {model: {requests, failed_requests, input_tokens, output_tokens,
    cached_input_tokens, cache_hits, suspect_replies, total_tokens}}}`` for this process.

    ``cache_hits`` adds :func:`record_cache_hit` counts and the response cache's own hit
    counters (requests answered from ``forge_factories.store`` instead of the API).
    """
    out: dict[str, dict[str, dict[str, int]]] = {}
    store_hits = _store_cache_hits()
    with _LOCK:
        rows = {key: asdict(e) for key, e in _USAGE.items()}
    for key, hits in store_hits.items():
        rows.setdefault(key, asdict(ModelUsage()))["cache_hits"] += hits
    for (provider, model), row in sorted(rows.items()):
        row["total_tokens"] = row["input_tokens"] + row["output_tokens"]
        out.setdefault(provider, {})[model] = row
    return out


def session_tokens() -> int:
    """Input plus output tokens of every provider and model in this process."""
    with _LOCK:
        return sum(e.total_tokens for e in _USAGE.values())


def reset_usage() -> None:
    """Forget every counter (tests; a new session)."""
    with _LOCK:
        _USAGE.clear()
