"""Record against the Anthropic SDK talking to the loopback fake server; replay in another
process with the server stopped: identical objects, zero requests, no key anywhere."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .fakes import FAKE_KEY

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("anthropic")


def load_server_class():  # type: ignore[no-untyped-def]
    path = ROOT / "tests" / "providers" / "fake_llm_server.py"
    if not path.is_file():
        pytest.skip("the providers' fake LLM server is not available")
    spec = importlib.util.spec_from_file_location("forge_store_fake_llm_server", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.FakeLLMServer


FACTORIES = '''
from dataclasses import dataclass

import factory
import forge_factories
from forge_factories import SemanticAttribute


@dataclass
class User:
    name: str
    job: str
    bio: str
    headline: str


class UserFactory(forge_factories.Factory):
    class Meta:
        model = User
        forge_context = "a bakery app"

    name = factory.Faker("name")
    job = factory.Iterator(["baker", "pilot", "nurse"])
    bio = SemanticAttribute("A short bio of {name}, who works as a {job}.", max_length=300)
    headline = SemanticAttribute("A profile headline for {name}.", max_length=120)


def run(base_url, key):
    from dataclasses import asdict
    from forge_factories import configure, seed
    from forge_factories.llm.providers.anthropic import AnthropicProvider

    configure(provider=AnthropicProvider(base_url=base_url, api_key=key, max_retries=0, timeout=5))
    seed(2026)
    users = UserFactory.build_batch(20) + UserFactory.build_batch(5)
    return [asdict(u) for u in users]
'''

REPLAY = '''
import json, logging, sys
logging.basicConfig(filename=sys.argv[2], level=logging.DEBUG, force=True)
import server_factories
print(json.dumps(server_factories.run(sys.argv[1], sys.argv[3])))
'''


def test_record_with_the_sdk_then_replay_with_the_server_stopped(tmp_path: Path, monkeypatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    FakeLLMServer = load_server_class()
    (tmp_path / "server_factories.py").write_text(textwrap.dedent(FACTORIES), encoding="utf-8")
    (tmp_path / "replay.py").write_text(textwrap.dedent(REPLAY), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import server_factories  # type: ignore[import-not-found]

    lock = tmp_path / "forge.lock.jsonl"
    monkeypatch.setenv("FORGE_MODE", "record")
    monkeypatch.setenv("FORGE_LOCK_FILE", str(lock))
    caplog.set_level(logging.DEBUG)
    with FakeLLMServer() as server:
        try:
            recorded = server_factories.run(server.url, FAKE_KEY)
        finally:
            import forge_factories

            forge_factories.configure(provider=None)
        requests = server.count()
        url = server.url
    assert requests >= 2  # one per call (and per chunk), not one per record
    assert len(lock.read_text(encoding="utf-8").splitlines()) == 25 * 2
    assert len({u["bio"] for u in recorded}) == 25

    env = {k: v for k, v in os.environ.items() if not k.startswith("FORGE_") and k != "CI"}
    env.update(FORGE_MODE="replay", FORGE_LOCK_FILE=str(lock), FORGE_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONHASHSEED="99", PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    proc = subprocess.run([sys.executable, "replay.py", url, str(tmp_path / "replay.log"), FAKE_KEY],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout) == recorded  # the server is stopped: any request would have failed

    cached = list(Path(os.environ["FORGE_CACHE_DIR"]).rglob("*.json"))
    assert cached  # record mode went through the response cache
    texts = [caplog.text, lock.read_text(encoding="utf-8"), (tmp_path / "replay.log").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*.json")]
    texts += [p.read_text(encoding="utf-8") for p in cached]
    assert all(FAKE_KEY not in text for text in texts)
