"""Offline, replay and CI runs open no socket: a guard fails any ``socket.connect``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import forge_factories
from forge_factories.common.config import settings
from forge_factories.llm.providers.anthropic import AnthropicProvider
from forge_factories.llm.providers.selection import automatic_provider_name, forget_probes, probe_allowed
from forge_factories.store import configure_store, store_settings

from .fake_llm_server import FakeLLMServer
from .helpers import SECRET, user_factory


def forbid_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """From now on every socket connection attempt is refused and listed in the returned list."""
    seen: list[Any] = []

    def connect(self: socket.socket, address: Any) -> None:
        seen.append(address)
        raise ConnectionRefusedError(f"test guard: no socket may be opened (connect to {address!r})")

    def connect_ex(self: socket.socket, address: Any) -> int:
        seen.append(address)
        return 111

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        seen.append(address)
        raise ConnectionRefusedError(f"test guard: no socket may be opened (create_connection {address!r})")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return seen


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Sockets forbidden for the whole test; the connection attempts seen."""
    return forbid_sockets(monkeypatch)


@pytest.fixture
def automatic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No provider configured anywhere, the Ollama probe on (as for a new user)."""
    monkeypatch.setattr(settings, "provider", None)
    monkeypatch.delenv("FORGE_OLLAMA_PROBE", raising=False)
    for name in ("FORGE_MODE", "CI", "FORGE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    saved = store_settings.mode
    configure_store(mode=None)
    forget_probes()
    yield
    configure_store(mode=saved)
    forget_probes()


def _record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    lock = tmp_path / "forge.lock.jsonl"
    with FakeLLMServer() as server, monkeypatch.context() as m:
        m.setenv("FORGE_MODE", "record")
        m.setenv("FORGE_LOCK_FILE", str(lock))
        m.setenv("FORGE_CACHE", "0")
        forge_factories.seed(7)
        users = user_factory(AnthropicProvider(base_url=server.url, api_key=SECRET)).build_batch(5)
        assert server.count() == 1
    return lock, [u.bio for u in users]


@pytest.mark.usefixtures("automatic")
def test_the_guard_sees_the_probe_of_a_live_run(attempts: list[Any]) -> None:
    assert probe_allowed()
    assert automatic_provider_name() == "offline"  # the probe was refused by the guard
    assert attempts, "the guard must catch the Ollama probe, else the tests below prove nothing"


@pytest.mark.usefixtures("automatic")
def test_replay_in_ci_without_key_or_provider_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock, recorded = _record(tmp_path, monkeypatch)
    attempts = forbid_sockets(monkeypatch)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("FORGE_LOCK_FILE", str(lock))
    forge_factories.seed(7)
    users = user_factory(None, "strict").build_batch(5)
    assert [u.bio for u in users] == recorded
    assert attempts == []


@pytest.mark.usefixtures("automatic")
@pytest.mark.filterwarnings("ignore:.*value\\(s\\) not in .*\\(replay\\); writing offline text")
@pytest.mark.parametrize("env", [
    {"FORGE_MODE": "offline"},
    {"FORGE_MODE": "replay", "FORGE_REPLAY_MISSING": "offline"},
    {"CI": "1"},
    {"CI": "1", "ANTHROPIC_API_KEY": SECRET, "FORGE_REPLAY_MISSING": "offline"},
    {"FORGE_MODE": "offline", "ANTHROPIC_API_KEY": SECRET},
])
def test_offline_replay_and_ci_modes_open_no_socket(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attempts: list[Any],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FORGE_LOCK_FILE", str(tmp_path / "forge.lock.jsonl"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
    users = user_factory(None).build_batch(3)
    assert all(u.bio for u in users)
    assert attempts == []
    assert not probe_allowed()


@pytest.mark.usefixtures("automatic")
def test_configure_store_mode_also_skips_the_probe(attempts: list[Any]) -> None:
    configure_store(mode="replay")
    try:
        assert automatic_provider_name() == "offline"
    finally:
        configure_store(mode=None)
    assert attempts == []
