"""Isolate every store test from the user's environment (cache dir, mode, CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forge_factories import store
from forge_factories.llm.providers import accounting
from forge_factories.store import lockfile

_ENV = ("CI", "FORGE_MODE", "FORGE_LOCK_FILE", "FORGE_CACHE", "FORGE_CACHE_DIR", "FORGE_REPLAY_MISSING",
        "XDG_CACHE_HOME", "FORGE_SEED")


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Clear store env vars, point the cache at a temp dir, reset process-wide store state."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("FORGE_CACHE_DIR", str(cache_dir))
    monkeypatch.chdir(tmp_path)
    saved = vars(store.store_settings).copy()
    store.configure_store(**{name: None for name in saved})  # what the pytest plugin set, too
    store.reset_cache_stats()
    accounting.reset_usage()
    yield cache_dir
    store.configure_store(**saved)
    lockfile._OPEN.clear()
