"""The store: response cache and record/replay lock file around any semantic provider.

``wrap_provider(provider)`` is what the batch engine applies to every provider it uses. The
mode, lock path, cache use and replay fallback come from (first match wins) the call's
arguments, :func:`configure_store` (the pytest plugin sets it from its options), the
environment (``FORGE_MODE``, ``FORGE_LOCK_FILE``, ``FORGE_CACHE``, ``FORGE_CACHE_DIR``,
``FORGE_REPLAY_MISSING``) and the defaults described in ``docs/store.md``.
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from forge_factories.common.config import StoreSettings, current_settings, store_settings
from forge_factories.common.errors import ForgeConfigError
from forge_factories.llm.providers.base import SemanticProvider
from forge_factories.store.cache import (
    CacheCounts,
    CachingProvider,
    ResponseCache,
    cache_stats,
    default_cache_dir,
    is_offline,
    request_key,
    reset_cache_stats,
)
from forge_factories.store.keys import PROMPT_VERSION
from forge_factories.store.lockfile import (
    LockFile,
    LockFileError,
    LockKey,
    LockReport,
    check,
    open_lock,
    prune,
    stale_keys,
)
from forge_factories.store.modes import (
    MODES,
    ON_MISSING,
    ReplayMissingError,
    StoreProvider,
    check_mode,
    resolve_mode,
)

__all__ = [
    "MODES",
    "PROMPT_VERSION",
    "CacheCounts",
    "CachingProvider",
    "LockFile",
    "LockFileError",
    "LockKey",
    "LockReport",
    "ReplayMissingError",
    "ResponseCache",
    "StoreProvider",
    "StoreSettings",
    "cache_stats",
    "check",
    "configure_store",
    "default_cache_dir",
    "open_lock",
    "prune",
    "request_key",
    "reset_cache_stats",
    "resolve_mode",
    "stale_keys",
    "store_settings",
    "wrap_provider",
]


_FIELDS = {f.name for f in fields(StoreSettings)}


def configure_store(**options: Any) -> StoreSettings:
    """Set process-wide store defaults, e.g. ``configure_store(mode="replay", lock_path="x.jsonl")``.

    Pass ``None`` to go back to the environment/default for an option.
    """
    unknown = set(options) - _FIELDS
    if unknown:
        raise ForgeConfigError(f"configure_store() got unknown option(s) {', '.join(sorted(unknown))}")
    if options.get("mode") is not None:
        check_mode(options["mode"], where="configure_store()")
    if options.get("on_missing") is not None and options["on_missing"] not in ON_MISSING:
        raise ForgeConfigError(f"configure_store(): on_missing must be one of {', '.join(ON_MISSING)}")
    for key, value in options.items():
        setattr(store_settings, key, value)
    return store_settings


def _env_flag(name: str) -> bool | None:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    return raw.strip().lower() not in ("0", "false", "no", "off")


def wrap_provider(
    provider: SemanticProvider,
    *,
    mode: str | None = None,
    use_cache: bool | None = None,
    lock_path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    on_missing: str | None = None,
) -> SemanticProvider:
    """``provider`` seen through the store (cache, lock file, mode); see :class:`StoreProvider`.

    Returns ``provider`` itself when there is nothing to add (offline mode with the offline
    provider, or live mode without the cache). Nothing is created on disk until a value is
    written.
    """
    if isinstance(provider, StoreProvider):
        return provider
    options = current_settings().store
    mode = mode if mode is not None else options.mode
    lock_path = lock_path if lock_path is not None else options.lock_path
    if lock_path is None:
        lock_path = os.environ.get("FORGE_LOCK_FILE") or options.default_lock_path or "forge.lock.jsonl"
    offline = is_offline(provider)
    resolved = resolve_mode(mode, live_provider=not offline, lock_exists=Path(lock_path).is_file())
    if resolved == "offline" and offline:
        return provider
    if use_cache is None:
        use_cache = options.use_cache
    if use_cache is None:
        use_cache = _env_flag("FORGE_CACHE")
    if use_cache is None:
        use_cache = options.default_use_cache
    if use_cache is None:
        use_cache = True
    cache = None
    already_cached = isinstance(provider, CachingProvider)
    if use_cache and not offline and not already_cached and resolved in ("live", "record"):
        cache = ResponseCache(cache_dir if cache_dir is not None else options.cache_dir)
    if resolved == "live" and cache is None:
        return provider
    on_missing = on_missing or options.on_missing or os.environ.get("FORGE_REPLAY_MISSING") or "error"
    lock = open_lock(lock_path) if resolved in ("replay", "record") else None
    return StoreProvider(provider, mode=resolved, lock=lock, cache=cache, on_missing=on_missing)
