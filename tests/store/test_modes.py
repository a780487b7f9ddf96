"""Modes: offline, replay, record, live; mode resolution; missing and stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forge_factories.common.errors import ForgeConfigError, ForgeWarning
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.store import (
    ReplayMissingError,
    StoreProvider,
    configure_store,
    resolve_mode,
    wrap_provider,
)

from .fakes import FakeLLM, MustNotCall, make_request


def lock_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_record_then_replay_serves_identical_values_without_live_calls(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    recorded = wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False).fill(make_request(["Ann", "Bob"]))
    assert len(lock_lines(lock)) == 4  # 2 items x 2 fields
    replay = wrap_provider(MustNotCall(), mode="replay", lock_path=lock)
    result = replay.fill(make_request(["Ann", "Bob"]))
    assert result.values == recorded.values
    assert result.item_sources == {0: "replayed", 1: "replayed"}


def test_replay_missing_entry_lists_the_keys(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False).fill(make_request(["Ann"]))
    replay = wrap_provider(MustNotCall(), mode="replay", lock_path=lock)
    with pytest.raises(ReplayMissingError) as info:
        replay.fill(make_request(["Ann", "Bob"]))
    message = str(info.value)
    assert "2 value(s) of tests.UserFactory are not in" in message
    assert "tests.UserFactory.bio item='1' ordinal=1 seed=7" in message
    assert "tests.UserFactory.tagline item='1' ordinal=1 seed=7" in message
    assert "item='0'" not in message
    assert {(k.field, k.item) for k in info.value.missing} == {("bio", "1"), ("tagline", "1")}


def test_replay_can_fall_back_offline_when_configured(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FORGE_REPLAY_MISSING", "offline")
    lock = tmp_path / "forge.lock.jsonl"
    wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False).fill(make_request(["Ann"]))
    replay = wrap_provider(MustNotCall(), mode="replay", lock_path=lock)
    with pytest.warns(ForgeWarning, match="not in .*item='1'"):
        result = replay.fill(make_request(["Ann", "Bob"]))
    assert result.item_sources == {0: "replayed", 1: "offline"}
    assert set(result.values[1]) == {"bio", "tagline"}


def test_stale_entry_is_reported_and_treated_as_missing(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False).fill(make_request(["Ann", "Bob"]))
    replay = wrap_provider(MustNotCall(), mode="replay", lock_path=lock)
    with pytest.raises(ReplayMissingError) as info:
        replay.fill(make_request(["Ann", "Robert"]))  # item 1 is now conditioned on another name
    assert "stale" in str(info.value)
    assert {(k.field, k.item) for k in info.value.stale} == {("bio", "1"), ("tagline", "1")}
    assert replay.lock.stale  # type: ignore[attr-defined]


def test_record_generates_only_missing_and_stale(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    live = FakeLLM()
    recorder = wrap_provider(live, mode="record", lock_path=lock, use_cache=False)
    first = recorder.fill(make_request(["Ann", "Bob"]))
    second = recorder.fill(make_request(["Ann", "Robert", "Cid"]))
    assert live.calls == 2
    asked = live.requests[1]
    assert [(i.index, i.key) for i in asked.items] == [(1, "1"), (2, "2")]
    assert second.values[0] == first.values[0]
    assert second.item_sources[0] == "replayed"
    assert second.values[1] != first.values[1]
    lines = lock_lines(lock)
    assert len(lines) == 6
    assert {line["meta"]["conditioning"]["name"] for line in lines} == {"Ann", "Robert", "Cid"}


def test_two_calls_with_the_same_seed_get_distinct_entries(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    recorder = wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False)
    a = recorder.fill(make_request(["Ann"], first_sequence=0))
    b = recorder.fill(make_request(["Ann"], first_sequence=1))  # same item key "0", next object
    assert a.values != b.values
    assert sorted(line["ordinal"] for line in lock_lines(lock)) == [0, 0, 1, 1]


def test_offline_mode_never_calls_the_live_provider(tmp_path: Path) -> None:
    provider = wrap_provider(MustNotCall(), mode="offline", lock_path=tmp_path / "x.jsonl")
    result = provider.fill(make_request(["Ann", "Bob"]))
    assert set(result.values) == {0, 1}
    assert not (tmp_path / "x.jsonl").exists()


def test_live_mode_calls_every_time_and_writes_no_lock(tmp_path: Path) -> None:
    live = FakeLLM()
    provider = wrap_provider(live, mode="live", use_cache=False, lock_path=tmp_path / "x.jsonl")
    provider.fill(make_request(["Ann"]))
    provider.fill(make_request(["Ann"]))
    assert live.calls == 2
    assert not (tmp_path / "x.jsonl").exists()


def test_record_with_the_cache_reuses_answers(tmp_path: Path, isolated_store: Path) -> None:
    live = FakeLLM()
    wrap_provider(live, mode="record", lock_path=tmp_path / "a.jsonl").fill(make_request(["Ann"]))
    wrap_provider(live, mode="record", lock_path=tmp_path / "b.jsonl").fill(make_request(["Ann"]))
    assert live.calls == 1
    assert lock_lines(tmp_path / "a.jsonl") == lock_lines(tmp_path / "b.jsonl")


def test_mode_resolution(monkeypatch, tmp_path: Path) -> None:
    assert resolve_mode(live_provider=True) == "live"
    assert resolve_mode(live_provider=False) == "offline"
    monkeypatch.setenv("CI", "true")
    assert resolve_mode(live_provider=True) == "replay"
    assert resolve_mode(live_provider=False, lock_exists=True) == "replay"
    assert resolve_mode(live_provider=False) == "offline"
    monkeypatch.setenv("FORGE_MODE", "record")
    assert resolve_mode(live_provider=True) == "record"
    assert resolve_mode("live", live_provider=True) == "live"
    monkeypatch.setenv("FORGE_MODE", "bogus")
    with pytest.raises(ForgeConfigError, match="FORGE_MODE"):
        resolve_mode(live_provider=True)


def test_ci_defaults_to_replay(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "1")
    provider = wrap_provider(MustNotCall())
    assert isinstance(provider, StoreProvider) and provider.mode == "replay"
    with pytest.raises(ReplayMissingError):
        provider.fill(make_request(["Ann"]))


def test_settings_and_env_precedence(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FORGE_LOCK_FILE", str(tmp_path / "env.jsonl"))
    provider = wrap_provider(FakeLLM(), mode="record")
    assert isinstance(provider, StoreProvider)
    assert provider.lock is not None and provider.lock.path == (tmp_path / "env.jsonl").resolve()
    configure_store(mode="offline", lock_path=tmp_path / "set.jsonl")
    assert wrap_provider(FakeLLM()).mode == "offline"  # type: ignore[attr-defined]
    provider = wrap_provider(FakeLLM(), mode="replay")
    assert provider.lock.path == (tmp_path / "set.jsonl").resolve()  # type: ignore[attr-defined]
    with pytest.raises(ForgeConfigError):
        configure_store(mode="sometimes")


def test_offline_provider_in_offline_mode_is_unwrapped() -> None:
    offline = OfflineProvider()
    assert wrap_provider(offline) is offline


def test_plugin_style_defaults_yield_to_the_environment(monkeypatch, tmp_path: Path) -> None:
    configure_store(default_lock_path=tmp_path / "default.jsonl", default_use_cache=False)
    provider = wrap_provider(FakeLLM(), mode="record")
    assert provider.lock.path == (tmp_path / "default.jsonl").resolve()  # type: ignore[attr-defined]
    assert provider.upstream is provider.inner  # type: ignore[attr-defined]  # no cache
    monkeypatch.setenv("FORGE_LOCK_FILE", str(tmp_path / "env.jsonl"))
    monkeypatch.setenv("FORGE_CACHE", "1")
    provider = wrap_provider(FakeLLM(), mode="record")
    assert provider.lock.path == (tmp_path / "env.jsonl").resolve()  # type: ignore[attr-defined]
    assert provider.upstream is not provider.inner  # type: ignore[attr-defined]


def test_record_asks_again_for_an_item_the_engine_rejected_and_replaces_its_entry(tmp_path: Path) -> None:
    """A re-asked item carries notes (its recorded value was rejected, e.g. as a repeat of another
    request's): recording asks the live provider anew and replay serves the new value."""
    import dataclasses

    lock = tmp_path / "forge.lock.jsonl"
    live = FakeLLM()
    recorder = wrap_provider(live, mode="record", lock_path=lock, use_cache=False)
    first = recorder.fill(make_request(["Ann", "Bob"]))
    request = make_request(["Ann", "Bob"])
    again = dataclasses.replace(request, items=(dataclasses.replace(
        request.items[1], fields=("bio",), notes=("bio: duplicate of another item's value",)),))
    second = recorder.fill(again)
    assert live.calls == 2 and second.values[1]["bio"] != first.values[1]["bio"]
    assert recorder.fill(request).values[1]["bio"] == second.values[1]["bio"]  # no notes: served as recorded
    assert live.calls == 2
    replayed = wrap_provider(MustNotCall(), mode="replay", lock_path=lock).fill(request)
    assert replayed.values == {0: first.values[0], 1: {"bio": second.values[1]["bio"],
                                                       "tagline": first.values[1]["tagline"]}}
    assert len(lock_lines(lock)) == 4  # replaced, not added
    assert wrap_provider(MustNotCall(), mode="replay", lock_path=lock).fill(again).values[1]["bio"] == \
        second.values[1]["bio"]  # replay serves a re-ask from the lock
