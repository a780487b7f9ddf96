"""The record/replay lock file: semantic values keyed at the field level, one sorted JSON object per line.

An entry looks like (one line, keys sorted)::

    {"context": "a bike shop", "factory": "tests.factories.ReviewFactory",
     "field": "body", "item": "3", "meta": {"conditioning": {"rating": 4}, "created": "2026-11-25",
     "model": "claude-haiku-4-5", "provider": "anthropic"}, "ordinal": 3, "prompt": "2", "seed": 42,
     "spec": "0c1f...", "value": "Solid frame, ..."}

The key is (factory, field, spec hash, normalised context, seed, item key, ordinal,
prompt version); provider, model and conditioning values are metadata. No prompt, header or
credential is ever written.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeError
from forge_factories.store._fs import atomic_write_text, file_lock
from forge_factories.store.keys import PROMPT_VERSION
from forge_factories.store.lockcheck import (
    configured_modules,
    current_spec_hash,
    import_modules,
    lookup_factory,
)

#: The lock file used when none is configured (relative to the current directory).
DEFAULT_LOCK_NAME = "forge.lock.jsonl"

_KEY_FIELDS = ("factory", "field", "spec", "context", "seed", "item", "ordinal", "prompt")


class LockFileError(ForgeError):
    """The lock file cannot be read or written (e.g. a merge conflict left in it)."""


@dataclass(frozen=True)
class LockKey:
    """Where a recorded value belongs."""

    factory: str
    field: str
    spec: str
    context: str
    seed: int | None
    item: str
    ordinal: int
    prompt: str = PROMPT_VERSION

    def as_dict(self) -> dict[str, Any]:
        """The key's fields, as written in the lock file."""
        return {name: getattr(self, name) for name in _KEY_FIELDS}

    def __str__(self) -> str:
        ctx = f" context={self.context!r}" if self.context else ""
        return (f"{self.factory}.{self.field} item={self.item!r} ordinal={self.ordinal} seed={self.seed}"
                f"{ctx} spec={self.spec} prompt={self.prompt}")

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> LockKey:
        """The key of a parsed lock line (raises ``KeyError``/``TypeError`` on a malformed one)."""
        seed = entry["seed"]
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError("seed must be an int or null")
        ordinal = entry["ordinal"]
        if isinstance(ordinal, bool) or not isinstance(ordinal, int):
            raise TypeError("ordinal must be an int")
        strings = {k: entry[k] for k in ("factory", "field", "spec", "context", "item", "prompt")}
        for name, value in strings.items():
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a string")
        return cls(seed=seed, ordinal=ordinal, **strings)


def _sort_key(key: LockKey) -> tuple[Any, ...]:
    return (key.factory, key.field, key.context, key.seed is not None, key.seed or 0,
            key.ordinal, key.item, key.spec, key.prompt)


def dump_line(entry: Mapping[str, Any]) -> str:
    """One lock line: compact-ish JSON with sorted keys, non-ASCII kept readable."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


@dataclass
class ParsedLock:
    """The content of a lock file: entries by key, plus the lines that could not be read."""

    entries: dict[LockKey, dict[str, Any]] = field(default_factory=dict)
    invalid: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[LockKey] = field(default_factory=list)


def parse_lock(text: str) -> ParsedLock:
    """Parse lock file text; later duplicates win and are reported."""
    parsed = ParsedLock()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict):
                raise TypeError("not a JSON object")
            key = LockKey.from_entry(entry)
            if "value" not in entry:
                raise KeyError("value")
        except (ValueError, KeyError, TypeError) as exc:
            parsed.invalid.append((lineno, f"{type(exc).__name__}: {exc}"))
            continue
        if key in parsed.entries:
            parsed.duplicates.append(key)
        parsed.entries[key] = entry
    return parsed


def render_lock(entries: Mapping[LockKey, Mapping[str, Any]]) -> str:
    """Lock file text: one line per entry, sorted by key (stable, merge-friendly)."""
    return "".join(dump_line(entries[k]) + "\n" for k in sorted(entries, key=_sort_key))


def refuse_symlink(path: Path) -> None:
    """Raise :class:`LockFileError` if the lock file or its ``.lock`` companion is a symbolic link."""
    for candidate in (path, path.with_name(path.name + ".lock")):
        if candidate.is_symlink():
            raise LockFileError(f"{candidate} is a symbolic link; forge does not read or write a lock file "
                                "through a link (use the real path)")


def default_lock_path() -> Path:
    """``$FORGE_LOCK_FILE``, else ``forge.lock.jsonl`` in the current directory."""
    return Path(os.environ.get("FORGE_LOCK_FILE") or DEFAULT_LOCK_NAME)


class LockFile:
    """A lock file on disk with an in-memory index, reloaded when the file changes.

    Writes merge with what is on disk under an inter-process file lock and replace the file
    atomically, so concurrent recorders (pytest-xdist workers) do not lose each other's entries.
    Use :func:`open_lock` to share one instance per path.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._entries: dict[LockKey, dict[str, Any]] = {}
        self._stamp: tuple[int, int, int] | None = None
        self.stale: dict[LockKey, tuple[Any, Any]] = {}
        self.missing: set[LockKey] = set()

    def _disk_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)  # every write is a rename: a new inode

    def _read(self) -> ParsedLock:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ParsedLock()
        return parse_lock(text)

    def refresh(self) -> None:
        """Reload the index if the file changed on disk since it was last read."""
        with self._lock:
            stamp = self._disk_stamp()
            if stamp == self._stamp:
                return
            self._entries = self._read().entries
            self._stamp = stamp

    def get(self, key: LockKey) -> dict[str, Any] | None:
        """The entry stored under ``key`` (call :meth:`refresh` first to see other writers)."""
        return self._entries.get(key)

    def entries(self) -> dict[LockKey, dict[str, Any]]:
        """A snapshot of every entry."""
        self.refresh()
        with self._lock:
            return dict(self._entries)

    def write(self, new: Mapping[LockKey, Mapping[str, Any]]) -> None:
        """Add or replace entries, merging with the file's current content."""
        if not new:
            return
        refuse_symlink(self.path)
        with self._lock, file_lock(self.path):
            parsed = self._read()
            if parsed.invalid:
                lineno, reason = parsed.invalid[0]
                raise LockFileError(
                    f"{self.path}: line {lineno} is not a lock entry ({reason}); fix the file "
                    f"(a merge conflict?) before recording into it"
                )
            parsed.entries.update({k: dict(v) for k, v in new.items()})
            atomic_write_text(self.path, render_lock(parsed.entries))
            self._entries = parsed.entries
            self._stamp = self._disk_stamp()
        for key in new:
            self.stale.pop(key, None)
            self.missing.discard(key)

    def remove(self, keys: Iterable[LockKey]) -> int:
        """Delete entries; returns how many were present."""
        drop = set(keys)
        if not drop:
            return 0
        refuse_symlink(self.path)
        with self._lock, file_lock(self.path):
            parsed = self._read()
            if parsed.invalid:
                lineno, reason = parsed.invalid[0]
                raise LockFileError(f"{self.path}: line {lineno} is not a lock entry ({reason})")
            before = len(parsed.entries)
            kept = {k: v for k, v in parsed.entries.items() if k not in drop}
            if len(kept) != before:
                atomic_write_text(self.path, render_lock(kept))
            self._entries = kept
            self._stamp = self._disk_stamp()
        return before - len(kept)


_open_lock = threading.Lock()
_OPEN: dict[str, LockFile] = {}


def open_lock(path: str | os.PathLike[str] | None = None) -> LockFile:
    """The shared :class:`LockFile` of ``path`` (default :func:`default_lock_path`)."""
    given = Path(path if path is not None else default_lock_path()).expanduser()
    refuse_symlink(given)
    resolved = str(given.resolve())
    with _open_lock:
        lock = _OPEN.get(resolved)
        if lock is None:
            lock = _OPEN[resolved] = LockFile(resolved)
        return lock


def stale_keys(path: str | os.PathLike[str] | None = None) -> list[LockKey]:
    """Entries this process found stale (conditioning values changed), for ``path`` or every lock."""
    locks = [open_lock(path)] if path is not None else list(_OPEN.values())
    return sorted({k for lock in locks for k in lock.stale}, key=_sort_key)


@dataclass(frozen=True)
class LockIssue:
    """A problem with one lock entry. ``kind``: ``"orphan"`` (its field or spec no longer exists),
    ``"unresolved"`` (its factory cannot be imported here), ``"stale"`` (conditioning changed)."""

    key: LockKey
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.key} ({self.reason})"


@dataclass
class LockReport:
    """What :func:`check` found."""

    path: Path
    entries: int = 0
    orphans: list[LockIssue] = field(default_factory=list)
    unresolved: list[LockIssue] = field(default_factory=list)
    stale: list[LockIssue] = field(default_factory=list)
    invalid_lines: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[LockKey] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No orphan, stale, invalid or duplicate entry (see :attr:`resolved` for unresolved ones)."""
        return not (self.orphans or self.stale or self.invalid_lines or self.duplicates)

    @property
    def resolved(self) -> bool:
        """Every entry's factory was found (``forge lock check`` fails otherwise)."""
        return not self.unresolved

    def lines(self) -> list[str]:
        """Human-readable report lines."""
        out = [f"{self.path}: {self.entries} entries"]
        out += [f"line {n}: invalid ({why})" for n, why in self.invalid_lines]
        out += [f"duplicate: {k}" for k in self.duplicates]
        out += [str(i) for i in self.orphans + self.stale + self.unresolved]
        return out


def _classify(key: LockKey, cache: dict[str, Any]) -> LockIssue | None:
    if key.prompt != PROMPT_VERSION:
        return LockIssue(key, "orphan", f"prompt version {key.prompt} is not the current {PROMPT_VERSION}")
    if key.factory not in cache:
        cache[key.factory] = lookup_factory(key.factory)
    factory_cls = cache[key.factory]
    if factory_cls is None:
        return LockIssue(key, "unresolved", "factory not found in the configured modules "
                         "([tool.forge_factories] lock-modules, or --module)")
    current = current_spec_hash(factory_cls, key.field)
    if current is None:
        return LockIssue(key, "orphan", f"{key.field!r} is no longer a SemanticAttribute of the factory")
    if current != key.spec:
        return LockIssue(key, "orphan", f"field spec changed (now {current})")
    return None


def check(
    path: str | os.PathLike[str] | None = None,
    *,
    stale: Iterable[LockKey] | None = None,
    resolve: bool = True,
    modules: Iterable[str] = (),
) -> LockReport:
    """Inspect a lock file: invalid lines, duplicates, orphan entries, stale entries.

    Orphans are entries no run can hit any more: an older prompt version, or (with
    ``resolve=True``) a field that is no longer a ``SemanticAttribute`` or whose spec changed.
    Resolving imports only ``modules`` and the project's ``[tool.forge_factories] lock-modules``
    (Django set up first when ``DJANGO_SETTINGS_MODULE`` is set), then looks factories up among
    loaded modules: a name from the lock file is never imported. Factories not found are
    ``unresolved``. ``stale`` are keys a replay found with different conditioning values
    (default: those seen in this process, :func:`stale_keys`).
    """
    lock_path = Path(path) if path is not None else default_lock_path()
    refuse_symlink(lock_path)
    if resolve:
        import_modules([*configured_modules(), *modules])
    try:
        text = lock_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    parsed = parse_lock(text)
    report = LockReport(path=lock_path, entries=len(parsed.entries), invalid_lines=parsed.invalid,
                        duplicates=parsed.duplicates)
    cache: dict[str, Any] = {}
    for key in sorted(parsed.entries, key=_sort_key):
        if not resolve:
            if key.prompt != PROMPT_VERSION:
                report.orphans.append(LockIssue(key, "orphan", f"prompt version {key.prompt} is not current"))
            continue
        issue = _classify(key, cache)
        if issue is not None:
            (report.unresolved if issue.kind == "unresolved" else report.orphans).append(issue)
    stale_set = set(stale) if stale is not None else set(stale_keys(lock_path) if lock_path.exists() else ())
    for key in sorted(stale_set & set(parsed.entries), key=_sort_key):
        lock = open_lock(lock_path)
        seen = lock.stale.get(key)
        why = f"recorded with {seen[0]!r}, now {seen[1]!r}" if seen else "conditioning values changed"
        report.stale.append(LockIssue(key, "stale", why))
    return report


def prune(
    path: str | os.PathLike[str] | None = None,
    *,
    orphans: bool = True,
    stale: bool | Iterable[LockKey] = True,
    unresolved: bool = False,
    keys: Iterable[LockKey] = (),
    modules: Iterable[str] = (),
) -> list[LockKey]:
    """Drop entries from a lock file; returns the removed keys.

    Removes orphan entries (``orphans=True``), stale ones (``stale=True``: those this process
    saw, or an explicit iterable of keys), entries of factories not found (see :func:`check`;
    ``modules`` as there) only when ``unresolved=True``, and any explicit ``keys``.
    """
    lock_path = Path(path) if path is not None else default_lock_path()
    explicit_stale = None if isinstance(stale, bool) else list(stale)
    report = check(lock_path, stale=explicit_stale, resolve=orphans or unresolved, modules=modules)
    drop: set[LockKey] = set(keys)
    if orphans:
        drop.update(i.key for i in report.orphans)
    if unresolved:
        drop.update(i.key for i in report.unresolved)
    if stale is not False:
        drop.update(i.key for i in report.stale)
    if not drop:
        return []
    lock = open_lock(lock_path)
    present = set(lock.entries())
    removed = sorted(drop & present, key=_sort_key)
    lock.remove(removed)
    return removed
