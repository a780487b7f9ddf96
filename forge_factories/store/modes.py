"""Store modes (offline / replay / record / live) and the provider wrapper that applies them."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import os
import warnings
from pathlib import Path
from typing import Any, Literal

from forge_factories.common.errors import ForgeConfigError, ForgeError, ForgeWarning
from forge_factories.llm.providers.base import (
    FillResult,
    RequestPlan,
    SemanticProvider,
    as_fill_result,
    max_rounds,
    request_plan,
)
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.llm.validate import validate_answers
from forge_factories.store.cache import CachingProvider, ResponseCache, is_offline
from forge_factories.store.keys import (
    PROMPT_VERSION,
    call_ordinal,
    field_conditioning,
    model_of,
    normalise_context,
    provider_label,
)
from forge_factories.store.lockfile import LockFile, LockKey

Mode = Literal["offline", "replay", "record", "live"]
MODES: tuple[str, ...] = ("offline", "replay", "record", "live")
OnMissing = Literal["error", "offline"]
ON_MISSING: tuple[str, ...] = ("error", "offline")

#: How many missing keys a replay error lists before summarising.
_MAX_KEYS_SHOWN = 20


class ReplayMissingError(ForgeError):
    """Replay found no (or only stale) recorded values for some fields; ``missing`` lists their keys."""

    def __init__(self, message: str, *, missing: tuple[LockKey, ...], stale: tuple[LockKey, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing
        self.stale = stale


def check_mode(value: Any, *, where: str) -> str:
    """``value`` if it is a known mode, else a clear error."""
    if value not in MODES:
        raise ForgeConfigError(f"{where}: mode must be one of {', '.join(MODES)}, got {value!r}")
    return str(value)


def resolve_mode(mode: str | None = None, *, live_provider: bool, lock_exists: bool = False) -> str:
    """The mode to use: ``mode`` if given, else ``$FORGE_MODE``, else a default.

    Default: under CI (``$CI`` set and not ``0``/``false``) ``replay`` when a live provider is
    configured or a lock file exists, else ``offline``; outside CI ``live`` with a live
    provider, else ``offline``.
    """
    if mode is not None:
        return check_mode(mode, where="mode")
    env = os.environ.get("FORGE_MODE")
    if env:
        return check_mode(env.strip().lower(), where="FORGE_MODE")
    if _truthy(os.environ.get("CI")):
        return "replay" if (live_provider or lock_exists) else "offline"
    return "live" if live_provider else "offline"


def _truthy(value: str | None) -> bool:
    return bool(value) and value.strip().lower() not in ("0", "false", "no", "off")  # type: ignore[union-attr]


def _rules_hash(rules: tuple[str, ...]) -> str | None:
    if not rules:
        return None
    return hashlib.sha256("\n".join(rules).encode("utf-8")).hexdigest()[:16]


class StoreProvider:
    """A provider seen through the store: lock-file replay/record, response cache, offline mode.

    * ``offline``: the offline generator answers; the wrapped provider is never called.
    * ``replay``: values come from the lock file; missing or stale entries raise
      :class:`ReplayMissingError` listing their keys (``on_missing="offline"``: offline text
      and a :class:`ForgeWarning` instead).
    * ``record``: recorded values are served; missing or stale ones are asked of the wrapped
      provider (through the cache) and the valid answers are written to the lock file.
    * ``live``: every request goes to the wrapped provider (through the cache); no lock file.
    """

    def __init__(
        self,
        inner: SemanticProvider,
        *,
        mode: str,
        lock: LockFile | None = None,
        cache: ResponseCache | None = None,
        on_missing: str = "error",
    ) -> None:
        self.mode = check_mode(mode, where="StoreProvider")
        if on_missing not in ON_MISSING:
            raise ForgeConfigError(f"on_missing must be one of {', '.join(ON_MISSING)}, got {on_missing!r}")
        if self.mode in ("replay", "record") and lock is None:
            raise ForgeConfigError(f"mode {self.mode!r} needs a lock file")
        self.inner = inner
        self.name = inner.name
        self.lock = lock
        self.on_missing = on_missing
        self.upstream: SemanticProvider = inner
        if cache is not None and not is_offline(inner):
            self.upstream = CachingProvider(inner, cache)
        self.live_calls = 0
        self._lock_warned = False

    @property
    def model(self) -> str:
        """The wrapped provider's model ('' when it has none)."""
        return model_of(self.inner)

    def __repr__(self) -> str:
        where = f", lock={str(self.lock.path)!r}" if self.lock is not None else ""
        return f"StoreProvider({self.inner.name!r}, mode={self.mode!r}{where})"

    # -- modes --------------------------------------------------------------------------------

    def request_plan(self, request: SemanticRequest) -> RequestPlan | None:
        """The API's request plan when this mode may call it (``live``, ``record``), else ``None``."""
        if self.mode in ("live", "record"):
            return request_plan(self.upstream, request)
        return None

    @property
    def max_rounds(self) -> int:
        """The wrapped provider's asks per item (1 in ``offline`` mode): the engine's re-asks
        come through here, so ``record`` writes their answers and ``replay`` serves them."""
        return 1 if self.mode == "offline" else max_rounds(self.inner)

    def fill(self, request: SemanticRequest) -> FillResult:
        """Answer ``request`` according to the mode."""
        if self.mode == "offline":
            return self._offline(request)
        if self.mode == "live":
            return self._ask(request)
        return self._from_lock(request)

    def _offline(self, request: SemanticRequest) -> FillResult:
        from forge_factories.llm.providers.offline import OfflineProvider

        provider = self.inner if is_offline(self.inner) else OfflineProvider()
        return as_fill_result(provider, provider.fill(request))

    def _ask(self, request: SemanticRequest) -> FillResult:
        if not is_offline(self.inner):
            self.live_calls += 1
        return as_fill_result(self.upstream, self.upstream.fill(request))

    def _from_lock(self, request: SemanticRequest) -> FillResult:
        assert self.lock is not None
        self.lock.refresh()
        context = normalise_context(request.context)
        hashes = {s.name: s.spec_hash() for s in request.specs}
        rules = _rules_hash(request.rules)
        values: dict[int, dict[str, Any]] = {}
        wanted: dict[int, list[str]] = {}
        keys: dict[tuple[int, str], tuple[LockKey, dict[str, Any]]] = {}
        missing: list[LockKey] = []
        stale: list[LockKey] = []
        for item in request.items:
            ordinal = call_ordinal(request, item)
            # The engine asks an item again with notes when it rejected its value (a repeat of
            # another request's): recording asks the API for a new one, which replaces the entry.
            rerecord = self.mode == "record" and bool(item.notes)
            for name in item.fields:
                key = LockKey(request.factory, name, hashes[name], context, request.seed, item.key, ordinal,
                              PROMPT_VERSION)
                cond = field_conditioning(request.spec(name), item)
                keys[(item.index, name)] = (key, cond)
                entry = None if rerecord else self.lock.get(key)
                if entry is not None:
                    meta = entry.get("meta") or {}
                    recorded = (meta.get("conditioning", {}), meta.get("locale"), meta.get("rules"))
                    if recorded == (cond, request.locale, rules):
                        values.setdefault(item.index, {})[name] = entry["value"]
                        continue
                    self.lock.stale[key] = (recorded, (cond, request.locale, rules))
                    stale.append(key)
                elif not rerecord:
                    self.lock.missing.add(key)
                missing.append(key)
                wanted.setdefault(item.index, []).append(name)
        sources = {i: "replayed" for i in values}
        if not wanted:
            return FillResult(values=values, source="replayed", item_sources=sources)
        sub = _subrequest(request, wanted)
        if self.mode == "replay":
            if self.on_missing == "error":
                raise ReplayMissingError(_missing_message(request, self.lock.path, missing, stale),
                                         missing=tuple(missing), stale=tuple(stale))
            warnings.warn(
                f"{request.factory}: {len(missing)} value(s) not in {self.lock.path} (replay); "
                f"writing offline text instead: {_list_keys(missing)}",
                ForgeWarning, stacklevel=3,
            )
            return _merge(values, sources, self._offline(sub), "offline")
        # record
        answer = self._offline(sub) if is_offline(self.inner) else self._ask(sub)
        if not is_offline(self.inner):
            self._write(sub, answer, keys)
        return _merge(values, sources, answer, None)

    def _write(self, request: SemanticRequest, answer: FillResult,
               keys: dict[tuple[int, str], tuple[LockKey, dict[str, Any]]]) -> None:
        assert self.lock is not None
        usable = {i: v for i, v in answer.values.items()
                  if not str(answer.item_sources.get(i, answer.source)).startswith("offline")}
        accepted, _ = validate_answers(request, usable)
        today = _dt.date.today().isoformat()
        rules = _rules_hash(request.rules)
        new: dict[LockKey, dict[str, Any]] = {}
        for index, fields in accepted.items():
            for name, value in fields.items():
                key, cond = keys[(index, name)]
                meta: dict[str, Any] = {"provider": provider_label(self.inner), "model": self.model,
                                        "conditioning": cond, "created": today}
                if request.locale is not None:
                    meta["locale"] = request.locale
                if rules is not None:
                    meta["rules"] = rules
                new[key] = {**key.as_dict(), "value": value, "meta": meta}
        try:
            self.lock.write(new)
        except OSError as exc:  # the answers were paid for: use them, say they were not recorded
            if not self._lock_warned:
                self._lock_warned = True
                warnings.warn(
                    f"record: cannot write {self.lock.path} ({exc.strerror or type(exc).__name__}); "
                    f"{len(new)} value(s) of {request.factory} are used but not recorded",
                    ForgeWarning, stacklevel=4,
                )


def _subrequest(request: SemanticRequest, wanted: dict[int, list[str]]) -> SemanticRequest:
    items: list[SemanticItem] = [
        dataclasses.replace(item, fields=tuple(wanted[item.index])) for item in request.items if item.index in wanted
    ]
    names = {n for fields in wanted.values() for n in fields}
    return dataclasses.replace(request, items=tuple(items), specs=tuple(s for s in request.specs if s.name in names))


def _merge(values: dict[int, dict[str, Any]], sources: dict[int, str], answer: FillResult,
           label: str | None) -> FillResult:
    out = {i: dict(v) for i, v in values.items()}
    item_sources = dict(sources)
    for index, fields in answer.values.items():
        out.setdefault(index, {}).update(fields)
        item_sources[index] = label or answer.item_sources.get(index, answer.source)
    return FillResult(values=out, source=label or answer.source, item_sources=item_sources,
                      reasons=dict(answer.reasons), cut_off=answer.cut_off)


def _list_keys(keys: list[LockKey]) -> str:
    shown = "; ".join(str(k) for k in keys[:_MAX_KEYS_SHOWN])
    if len(keys) > _MAX_KEYS_SHOWN:
        shown += f"; and {len(keys) - _MAX_KEYS_SHOWN} more"
    return shown


def _missing_message(request: SemanticRequest, path: Path, missing: list[LockKey], stale: list[LockKey]) -> str:
    parts = [f"replay: {len(missing)} value(s) of {request.factory} are not in {path}"]
    if stale:
        parts.append(f" ({len(stale)} recorded with different conditioning values: stale)")
    parts.append(". Record them with FORGE_MODE=record (or --forge-mode=record), or allow offline text "
                 "with FORGE_REPLAY_MISSING=offline. Missing:\n  ")
    shown = [f"{k}{' [stale]' if k in stale else ''}" for k in missing[:_MAX_KEYS_SHOWN]]
    parts.append("\n  ".join(shown))
    if len(missing) > _MAX_KEYS_SHOWN:
        parts.append(f"\n  ... and {len(missing) - _MAX_KEYS_SHOWN} more")
    return "".join(parts)
