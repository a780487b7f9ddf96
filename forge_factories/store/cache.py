"""The local response cache: a provider's validated answers to whole requests, 7-day TTL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeWarning
from forge_factories.llm.providers.accounting import add_cache_hit_source
from forge_factories.llm.providers.base import (
    FillResult,
    RequestPlan,
    SemanticProvider,
    as_fill_result,
    max_rounds,
    request_plan,
)
from forge_factories.llm.request import SemanticRequest
from forge_factories.llm.validate import validate_answers
from forge_factories.store._fs import atomic_write_text
from forge_factories.store.keys import PROMPT_VERSION, canonical_json, model_of, provider_label

#: How long a cached answer is served.
DEFAULT_TTL = timedelta(days=7)


def default_cache_dir() -> Path:
    """Where the cache lives: ``$FORGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/forge_factories``,
    else ``~/.cache/forge_factories`` (``%LOCALAPPDATA%\\forge_factories\\cache`` on Windows).

    Only computed, never created: the directory appears when the first answer is written.
    """
    explicit = os.environ.get("FORGE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    if os.name == "nt":  # pragma: no cover - Windows only
        base = os.environ.get("LOCALAPPDATA")
        if base:
            return Path(base) / "forge_factories" / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "forge_factories"
    return Path.home() / ".cache" / "forge_factories"


def is_offline(provider: Any) -> bool:
    """Whether ``provider`` is the deterministic offline generator (never cached or recorded)."""
    from forge_factories.llm.providers.offline import OfflineProvider

    return isinstance(provider, OfflineProvider) or getattr(provider, "name", None) == "offline"


def request_key(provider: Any, request: SemanticRequest) -> str:
    """The cache key of ``request`` sent to ``provider``: sha256 over everything that shapes the answer.

    Covers the provider name and model, :data:`PROMPT_VERSION` (and the provider's own
    ``prompt_version`` if it has one), the factory and model, every field spec's hash, each
    item (index, key, fields, conditioning values, sequence), the context, rules, seed and
    locale. Two different records never share a key. An item's ``notes`` and the request's
    ``chunk_cap`` (how the engine re-asks) are left out: a re-ask of the same items in a
    later session finds the answer whatever reason the earlier one gave.
    """
    material = {
        "provider": getattr(provider, "name", type(provider).__name__),
        "model": model_of(provider),
        "prompt_version": PROMPT_VERSION,
        "provider_prompt_version": getattr(provider, "prompt_version", None),
        "factory": request.factory,
        "target": request.model,
        "context": request.context,
        "rules": list(request.rules),
        "seed": request.seed,
        "locale": request.locale,
        "call": getattr(request, "call", None),
        "specs": [[s.name, s.spec_hash()] for s in request.specs],
        "items": [
            [i.index, i.key, list(i.fields), i.conditioning, i.sequence] for i in request.items
        ],
    }
    return hashlib.sha256(canonical_json(material).encode("utf-8")).hexdigest()


@dataclass
class CacheCounts:
    """Counters of one (provider, model) pair."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    expired: int = 0


_stats_lock = threading.Lock()
_stats: dict[tuple[str, str], CacheCounts] = {}


def _count(provider: Any, what: str) -> None:
    key = (provider_label(provider), model_of(provider))
    with _stats_lock:
        counts = _stats.setdefault(key, CacheCounts())
        setattr(counts, what, getattr(counts, what) + 1)


def cache_stats() -> dict[tuple[str, str], CacheCounts]:
    """Process-wide cache counters per (provider, model), e.g. ``("anthropic", "claude-haiku-4-5")``.

    Counts are per request; ``forge_factories.llm.providers.accounting.usage()`` reads the hits
    from here into its ``cache_hits``.
    """
    with _stats_lock:
        return {k: CacheCounts(**vars(v)) for k, v in _stats.items()}


add_cache_hit_source(cache_stats)


def reset_cache_stats() -> None:
    """Zero the process-wide cache counters."""
    with _stats_lock:
        _stats.clear()


_warned_lock = threading.Lock()
_warned: set[str] = set()


def _warn_unusable(directory: Path, exc: OSError) -> None:
    """One :class:`ForgeWarning` per directory and process: the cache is off, generation goes on."""
    where = str(directory)
    with _warned_lock:
        if where in _warned:
            return
        _warned.add(where)
    reason = exc.strerror or type(exc).__name__
    warnings.warn(
        f"forge_factories: the response cache directory {where} is unusable ({reason}); "
        "going on without the cache (answers are still used, just not stored). "
        "Set FORGE_CACHE_DIR to a writable directory, or FORGE_CACHE=0.",
        ForgeWarning, stacklevel=2,
    )


class ResponseCache:
    """Answers stored as one JSON file per request key under ``directory`` (sharded by prefix).

    Each file holds only the values, their source label and the write time: no prompt, no
    headers, no key. Files older than ``ttl`` are ignored (and removed when next read).

    A directory that cannot be written (read-only, a file in its place, a full disk) turns
    the cache off for this instance after one :class:`ForgeWarning` per directory; the
    answer being stored is not lost (``put`` returns ``False``), and later ``get``/``put``
    calls do nothing.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        #: Why the cache was turned off (``None`` while it works).
        self.disabled: str | None = None
        try:
            self.directory = Path(directory) if directory is not None else default_cache_dir()
        except RuntimeError as exc:  # no home directory (a container user without one) and no variable set
            self.directory = Path("~")
            self.disabled = str(exc)
            _warn_unusable(Path("~/.cache/forge_factories"), OSError(0, str(exc)))

    def path(self, key: str) -> Path:
        """The file that holds (or would hold) the answer stored under ``key``."""
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry for ``key`` (``{"values", "source", "written"}``) or ``None``.

        Expired or unreadable entries count as absent.
        """
        if self.disabled is not None:
            return None
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        written = entry.get("written") if isinstance(entry, dict) else None
        if not isinstance(written, int | float) or self.clock() - written > self.ttl.total_seconds():
            with contextlib.suppress(OSError):
                path.unlink()
            entry = {"expired": True}
        return entry

    def put(self, key: str, values: Mapping[int, Mapping[str, Any]], source: str) -> bool:
        """Store ``values`` (item index -> field -> value) under ``key`` atomically.

        ``False`` when the directory is unusable: the cache is then off (one warning).
        """
        if self.disabled is not None:
            return False
        entry = {
            "values": {str(i): dict(v) for i, v in values.items()},
            "source": source,
            "written": self.clock(),
        }
        try:
            atomic_write_text(self.path(key), json.dumps(entry, sort_keys=True, ensure_ascii=False))
        except OSError as exc:
            self.disabled = f"{exc.strerror or type(exc).__name__} ({self.directory})"
            _warn_unusable(self.directory, exc)
            return False
        return True

    def clear(self) -> int:
        """Delete every cached answer; returns how many files were removed."""
        removed = 0
        if not self.directory.is_dir():
            return 0
        for path in self.directory.glob("*/*.json"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed


class CachingProvider:
    """Wraps a provider: identical requests are answered from a :class:`ResponseCache`.

    Only values that pass validation are stored (a cached answer never carries a value the
    engine would reject). The offline provider is passed through untouched.
    """

    def __init__(self, inner: SemanticProvider, cache: ResponseCache | None = None) -> None:
        self.inner = inner
        self.cache = cache if cache is not None else ResponseCache()
        self.name = inner.name
        self.hits = 0
        self.misses = 0

    @property
    def model(self) -> str:
        """The wrapped provider's model ('' when it has none)."""
        return model_of(self.inner)

    def request_plan(self, request: SemanticRequest) -> RequestPlan | None:
        """The wrapped provider's request plan (misses go to its API)."""
        return request_plan(self.inner, request)

    @property
    def max_rounds(self) -> int:
        """The wrapped provider's asks per item (each re-ask is a request of its own here)."""
        return max_rounds(self.inner)

    def fill(self, request: SemanticRequest) -> FillResult:
        """Serve ``request`` from the cache, else ask the wrapped provider and store its valid answers."""
        if is_offline(self.inner):
            return as_fill_result(self.inner, self.inner.fill(request))
        key = request_key(self.inner, request)
        entry = self.cache.get(key)
        if entry is not None and "values" in entry:
            self.hits += 1
            values = {int(i): dict(v) for i, v in entry["values"].items()}
            _count(self.inner, "hits")
            return FillResult(values=values, source=str(entry.get("source") or self.inner.name),
                              item_sources={i: "cached" for i in values})
        if entry is not None:
            _count(self.inner, "expired")
        self.misses += 1
        _count(self.inner, "misses")
        result = as_fill_result(self.inner, self.inner.fill(request))
        keep = {i: v for i, v in result.values.items()
                if not str(result.item_sources.get(i, result.source)).startswith("offline")}
        accepted, _ = validate_answers(request, keep)
        if accepted and self.cache.put(key, accepted, result.source):
            _count(self.inner, "writes")
        return result
