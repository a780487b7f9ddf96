"""With the response cache and the lock file on: no API key anywhere, cache hits are accounted."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.anthropic import AnthropicProvider

from .fake_llm_server import FakeLLMServer
from .helpers import SECRET, user_factory


def test_no_key_in_cache_lock_file_or_logs(
    server: FakeLLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("forge_factories.store")
    cache_dir, lock = tmp_path / "cache", tmp_path / "forge.lock.jsonl"
    monkeypatch.setenv("FORGE_MODE", "record")
    monkeypatch.setenv("FORGE_CACHE", "1")
    monkeypatch.setenv("FORGE_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("FORGE_LOCK_FILE", str(lock))
    caplog.set_level(logging.DEBUG)
    provider = AnthropicProvider(base_url=server.url, api_key=SECRET)
    users = user_factory(provider).build_batch(5)
    assert server.count() == 1
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert lock in written and any(cache_dir in p.parents for p in written)
    for path in written:
        assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    assert SECRET not in caplog.text
    assert {u.bio for u in users} <= {line for line in lock.read_text().split('"') if line.startswith("Bio")}


def test_response_cache_hits_show_in_usage(
    server: FakeLLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = pytest.importorskip("forge_factories.store.cache")
    cache.reset_cache_stats()
    monkeypatch.setenv("FORGE_MODE", "live")
    monkeypatch.setenv("FORGE_CACHE", "1")
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
    provider = AnthropicProvider(base_url=server.url, api_key=SECRET)
    factory_cls = user_factory(provider)
    first = factory_cls.build_batch(4)  # even: the job Iterator is back at its start
    factory_cls.reset_sequence()
    second = factory_cls.build_batch(4)
    assert server.count() == 1
    assert [u.bio for u in first] == [u.bio for u in second]
    row = accounting.usage()["anthropic"][provider.model]
    assert row["requests"] == 1 and row["cache_hits"] >= 1
    cache.reset_cache_stats()


_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
import forge_factories
from forge_factories.llm.providers import accounting
from forge_factories.llm.providers.anthropic import AnthropicProvider
from tests.providers.helpers import user_factory
forge_factories.seed(7)
provider = AnthropicProvider(base_url={url!r}, api_key="sk-test", max_retries=0)
users = user_factory(provider, "strict").build_batch(6)
requests = sum(r["requests"] for m in accounting.usage().get("anthropic", {{}}).values() for r in [m])
print(json.dumps({{"users": [vars(u) for u in users], "requests": requests}}))
"""


def _run(mode: str, url: str, lock: Path, tmp_path: Path) -> dict[str, object]:
    import json
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "FORGE_MODE": mode, "FORGE_LOCK_FILE": str(lock), "FORGE_CACHE": "0",
           "FORGE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONHASHSEED": "123" if mode == "record" else "456"}
    out = subprocess.run([sys.executable, "-c", _SCRIPT.format(root=root, url=url)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_record_in_one_process_replay_in_another_with_the_server_stopped(tmp_path: Path) -> None:
    pytest.importorskip("forge_factories.store")
    lock = tmp_path / "forge.lock.jsonl"
    with FakeLLMServer() as server:
        url = server.url
        recorded = _run("record", url, lock, tmp_path)
        assert server.count() == 1
    assert recorded["requests"] == 1
    replayed = _run("replay", url, lock, tmp_path)  # nothing listens at url any more
    assert replayed["requests"] == 0
    assert replayed["users"] == recorded["users"]
    assert SECRET not in lock.read_text() and "sk-test" not in lock.read_text()
