"""Forge's one settings object: the process default (``configure()``, ``configure_store()``) and
scoped copies (``with settings_scope(policy="strict"): ...``), read at call time.

:func:`current_settings` is what a call reads: the innermost :func:`settings_scope` of this
thread or asyncio task (a context variable), else the process default :data:`settings`. The
store options are a section of the same object (``settings.store``; :data:`store_settings` is
that section).
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from forge_factories.common.errors import ForgeConfigError

Policy = Literal["fallback", "strict"]
POLICIES: tuple[str, ...] = ("fallback", "strict")


@dataclass
class StoreSettings:
    """The store section of :class:`Settings` (``None``: fall back to the environment / built-in default).

    ``mode``, ``use_cache``, ``lock_path``, ``cache_dir``, ``on_missing`` win over the
    environment; ``default_lock_path`` and ``default_use_cache`` only replace the built-in
    defaults (the environment still wins over them): the pytest plugin sets those two.
    """

    mode: str | None = None
    use_cache: bool | None = None
    lock_path: str | os.PathLike[str] | None = None
    cache_dir: str | os.PathLike[str] | None = None
    on_missing: str | None = None
    default_lock_path: str | os.PathLike[str] | None = None
    default_use_cache: bool | None = None


@dataclass
class Settings:
    """Defaults that a factory's ``Meta`` or a call can override.

    ``provider``: name or object of the default semantic provider (``None``: automatic
    selection, offline when nothing is configured). ``policy``: what to do with values a
    provider failed to produce: ``"fallback"`` writes offline text and warns, ``"strict"``
    raises. ``verbose``: print each built object's provenance lines.
    ``max_concurrent_groups``: how many (factory, context) groups of one batch round are sent
    to live providers at the same time. ``max_concurrent_requests``: the one concurrency
    budget of a call, API requests in flight at once across all its groups, requests sent
    ahead and chunks (each provider's own ``max_concurrency`` still applies within it).
    ``batch_window``: how many objects of one call resolve together. A call of more objects
    resolves (fills, saves, runs post-generation) window after window, so what the engine holds
    while objects wait for their text stays bounded; one provider fill per window. ``store``: the response store's options
    (:class:`StoreSettings`, set with ``configure_store()``).
    """

    provider: Any = None
    policy: str = "fallback"
    verbose: bool = False
    max_concurrent_groups: int = 4
    max_concurrent_requests: int = 8
    batch_window: int = 1000
    store: StoreSettings = field(default_factory=StoreSettings)

    def copy(self, **options: Any) -> Settings:
        """A copy with ``options`` changed (the store section is copied too, never shared)."""
        return replace(self, store=replace(self.store), **options)


#: The process default: what :func:`configure` changes and calls outside any scope read.
settings = Settings()
#: The store section of the process default (what ``configure_store()`` changes).
store_settings = settings.store

_FIELD_NAMES = {f.name for f in fields(Settings)} - {"store"}
_scoped: contextvars.ContextVar[Settings | None] = contextvars.ContextVar("forge_settings", default=None)


def current_settings() -> Settings:
    """The settings a call reads: the innermost :func:`settings_scope`, else the process default."""
    scoped = _scoped.get()
    return settings if scoped is None else scoped


def _check_options(options: dict[str, Any], where: str) -> None:
    unknown = set(options) - _FIELD_NAMES
    if unknown:
        raise ForgeConfigError(
            f"{where} got unknown option(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_FIELD_NAMES))}"
        )
    if "policy" in options:
        check_policy(options["policy"], where=where)


_STORE_NAMES = {f.name for f in fields(StoreSettings)}


@contextmanager
def settings_scope(*, store: dict[str, Any] | None = None, **options: Any) -> Iterator[Settings]:
    """Within this block (this thread or task only), calls read a copy of the current settings
    with ``options`` (and ``store`` options) changed; blocks nest, the process default is never
    touched, e.g. ``with settings_scope(policy="strict", store={"mode": "replay"}): ...``."""
    _check_options(options, "settings_scope()")
    unknown = set(store or ()) - _STORE_NAMES
    if unknown:
        raise ForgeConfigError(f"settings_scope() got unknown store option(s) {', '.join(sorted(unknown))}; "
                               f"known: {', '.join(sorted(_STORE_NAMES))}")
    scoped = current_settings().copy(**options)
    for key, value in (store or {}).items():
        setattr(scoped.store, key, value)
    token = _scoped.set(scoped)
    try:
        yield current_settings()
    finally:
        _scoped.reset(token)


def configure(**options: Any) -> Settings:
    """Change the process defaults, e.g. ``configure(provider="offline", policy="strict")``."""
    _check_options(options, "configure()")
    for key, value in options.items():
        setattr(settings, key, value)
    return settings


def check_policy(value: Any, *, where: str) -> None:
    """Raise a clear error for an unknown semantic failure policy."""
    if value not in POLICIES:
        raise ForgeConfigError(f"{where}: policy must be one of {', '.join(POLICIES)}, got {value!r}")


_provider_override: contextvars.ContextVar[Any] = contextvars.ContextVar("forge_provider_override", default=None)
_provider_forced: contextvars.ContextVar[Any] = contextvars.ContextVar("forge_provider_forced", default=None)


@contextmanager
def use_provider(provider: Any, *, over_meta: bool = False) -> Iterator[None]:
    """Within this block (this thread / task only), factories without ``Meta.forge_provider``
    use ``provider`` instead of ``settings.provider``; with ``over_meta=True`` every factory
    does (an explicit ``provider=`` argument of a stream or ``forge`` command)."""
    token = (_provider_forced if over_meta else _provider_override).set(provider)
    try:
        yield
    finally:
        (_provider_forced if over_meta else _provider_override).reset(token)


def forced_provider() -> Any:
    """The provider a ``use_provider(..., over_meta=True)`` block sets, else ``None``."""
    return _provider_forced.get()


def default_provider_choice() -> Any:
    """The provider a factory without ``Meta.forge_provider`` uses: a :func:`use_provider`
    override, else ``settings.provider`` (``None``: automatic selection)."""
    override = _provider_override.get()
    return override if override is not None else current_settings().provider


