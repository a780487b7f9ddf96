"""The response cache: keys, hits, TTL, opt-out, lazy directory, offline never cached."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.store import (
    CachingProvider,
    ResponseCache,
    cache_stats,
    default_cache_dir,
    request_key,
    wrap_provider,
)
from forge_factories.text.spec import FieldSpec

from .fakes import BIO, FakeLLM, make_request


def test_cache_hit_avoids_a_live_call(isolated_store: Path) -> None:
    live = FakeLLM()
    provider = wrap_provider(live, mode="live")
    first = provider.fill(make_request(["Ann", "Bob"]))
    second = provider.fill(make_request(["Ann", "Bob"]))
    assert live.calls == 1
    assert second.values == first.values
    assert second.item_sources == {0: "cached", 1: "cached"}
    assert cache_stats()[("fakellm", "fake-1")].hits == 1
    assert cache_stats()[("fakellm", "fake-1")].writes == 1
    assert accounting.usage()["fakellm"]["fake-1"]["cache_hits"] == 1  # read from cache_stats()


def test_cache_survives_a_new_provider_instance(isolated_store: Path) -> None:
    wrap_provider(FakeLLM(), mode="live").fill(make_request(["Ann"]))
    again = FakeLLM()
    result = wrap_provider(again, mode="live").fill(make_request(["Ann"]))
    assert again.calls == 0
    assert result.item_sources == {0: "cached"}


def test_key_covers_provider_model_request_and_records() -> None:
    live = FakeLLM()
    base = make_request(["Ann", "Bob"])
    key = request_key(live, base)
    assert key == request_key(FakeLLM(), make_request(["Ann", "Bob"]))
    variants = [
        request_key(FakeLLM(model="fake-2"), base),
        request_key(live, make_request(["Ann", "Bo"])),  # one record's conditioning differs
        request_key(live, make_request(["Ann", "Bob"], seed=8)),
        request_key(live, make_request(["Ann", "Bob"], context="a bakery")),
        request_key(live, make_request(["Ann", "Bob"], specs=(dataclasses.replace(BIO, max_length=199),))),
        request_key(live, dataclasses.replace(base, rules=("no emojis",))),
        request_key(live, dataclasses.replace(base, locale="fr_FR")),
        request_key(live, make_request(["Ann", "Bob"], first_sequence=5)),
    ]
    assert len({key, *variants}) == len(variants) + 1


def test_ttl_expiry(isolated_store: Path) -> None:
    now = [1_000_000.0]
    cache = ResponseCache(isolated_store, ttl=timedelta(days=7), clock=lambda: now[0])
    live = FakeLLM()
    provider = CachingProvider(live, cache)
    provider.fill(make_request(["Ann"]))
    now[0] += timedelta(days=6, hours=23).total_seconds()
    provider.fill(make_request(["Ann"]))
    assert live.calls == 1
    now[0] += timedelta(hours=2).total_seconds()
    result = provider.fill(make_request(["Ann"]))
    assert live.calls == 2
    assert result.item_sources == {}
    assert cache_stats()[("fakellm", "fake-1")].expired == 1


def test_use_cache_false_always_calls(isolated_store: Path) -> None:
    live = FakeLLM()
    provider = wrap_provider(live, mode="live", use_cache=False)
    assert provider is live
    provider.fill(make_request(["Ann"]))
    provider.fill(make_request(["Ann"]))
    assert live.calls == 2
    assert not isolated_store.exists()


def test_env_can_disable_the_cache(isolated_store: Path, monkeypatch) -> None:
    monkeypatch.setenv("FORGE_CACHE", "0")
    live = FakeLLM()
    assert wrap_provider(live, mode="live") is live


def test_directory_created_only_on_first_write(isolated_store: Path) -> None:
    live = FakeLLM()
    provider = wrap_provider(live, mode="live")
    assert not isolated_store.exists()
    provider.fill(make_request(["Ann"]))
    files = list(isolated_store.rglob("*"))
    assert [p for p in files if p.suffix == ".json"]
    assert not [p for p in files if p.name.endswith(".tmp")]


def test_offline_results_are_never_cached(isolated_store: Path) -> None:
    provider = CachingProvider(OfflineProvider(), ResponseCache(isolated_store))
    provider.fill(make_request(["Ann"]))
    assert not isolated_store.exists()
    assert wrap_provider(OfflineProvider(), mode="live").name == "offline"


def test_invalid_values_are_not_cached(isolated_store: Path) -> None:
    class TooLong(FakeLLM):
        def fill(self, request):  # type: ignore[no-untyped-def]
            result = super().fill(request)
            result.values[0]["bio"] = "x" * 500
            return result

    live = TooLong()
    spec = FieldSpec("bio", instruction="bio of {name}", max_length=200)
    provider = CachingProvider(live, ResponseCache(isolated_store))
    provider.fill(make_request(["Ann", "Bob"], specs=(spec,)))
    cached = provider.fill(make_request(["Ann", "Bob"], specs=(spec,)))
    assert live.calls == 1
    assert set(cached.values) == {1}  # the over-long value of item 0 was not stored


def test_default_cache_dir_resolution(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("FORGE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "forge_factories"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "forge_factories"
    assert not (tmp_path / "home").exists()


def test_cache_dir_argument_wins(tmp_path: Path) -> None:
    live = FakeLLM()
    wrap_provider(live, mode="live", cache_dir=tmp_path / "mine").fill(make_request(["Ann"]))
    assert list((tmp_path / "mine").rglob("*.json"))


def test_an_already_cached_provider_gets_no_second_cache(isolated_store: Path) -> None:
    inner = CachingProvider(FakeLLM(), ResponseCache(isolated_store))
    assert wrap_provider(inner, mode="live") is inner


def test_importing_creates_nothing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORGE_", "XDG_"))}
    env["HOME"] = str(home)
    code = ("import forge_factories.store, forge_factories.pytest_plugin\n"
            "from forge_factories.store import wrap_provider, ResponseCache, open_lock\n"
            "ResponseCache(); open_lock()\n")
    subprocess.run([sys.executable, "-c", code], cwd=home, env=env, check=True, timeout=120)
    assert list(home.iterdir()) == []


def test_offline_text_behind_another_name_is_not_cached(isolated_store: Path) -> None:
    class Wrapper:
        name = "wrapper"

        def fill(self, request):  # type: ignore[no-untyped-def]
            return OfflineProvider().fill(request)

    wrap_provider(Wrapper(), mode="live").fill(make_request(["Ann"]))
    assert not isolated_store.exists()
