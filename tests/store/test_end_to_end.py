"""Through real factories: record in one process, replay in another; no secrets anywhere."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import factory
import pytest

import forge_factories
from forge_factories import AIDictFactory, SemanticAttribute, seed
from forge_factories.store import ReplayMissingError, wrap_provider

from .fakes import FAKE_KEY, FakeLLM, MustNotCall

ROOT = Path(__file__).resolve().parents[2]

FACTORIES = '''
import factory
from forge_factories import AIDictFactory, SemanticAttribute


class AuthorFactory(AIDictFactory):
    name = factory.Faker("name")
    bio = SemanticAttribute("a short bio of {name}", max_length=300)


class ReviewFactory(AIDictFactory):
    class Meta:
        forge_context = "a bike shop"

    author = factory.SubFactory(AuthorFactory)
    rating = factory.Sequence(lambda n: n % 5 + 1)
    body = SemanticAttribute("a {rating}-star review by {author.name}", max_length=300)
'''

SCRIPT = '''
import json, logging, sys
import forge_factories
from forge_factories import seed
from forge_factories.llm.providers.base import FillResult

logging.basicConfig(filename=sys.argv[2], level=logging.DEBUG, force=True)
KEY = "FAKE_KEY"


class Live:
    name = "fakellm"
    model = "fake-1"

    def __init__(self):
        self.api_key = KEY
        self.calls = 0

    def fill(self, request):
        self.calls += 1
        logging.getLogger("fake").info("fill %s (%d items)", request.factory, len(request.items))
        return FillResult(values={i.index: {f: f"{f} {self.calls}/{i.key}: {dict(i.conditioning)}" for f in i.fields}
                                  for i in request.items}, source="fakellm:fake-1")


class Dead(Live):
    def fill(self, request):
        raise SystemExit("live provider called during replay")


provider = Live() if sys.argv[1] == "live" else Dead()
forge_factories.configure(provider=provider)
import e2e_factories as f

seed(42)
out = {"reviews": f.ReviewFactory.build_batch(4), "more": f.ReviewFactory.build_batch(2),
       "authors": f.AuthorFactory.build_batch(3), "calls": provider.calls}
print(json.dumps(out, sort_keys=True))
'''


def run(tmp_path: Path, which: str, mode: str, hashseed: str) -> dict:
    (tmp_path / "e2e_factories.py").write_text(textwrap.dedent(FACTORIES), encoding="utf-8")
    (tmp_path / "script.py").write_text(textwrap.dedent(SCRIPT).replace("FAKE_KEY", FAKE_KEY), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORGE_") and k != "CI"}
    env.update(FORGE_MODE=mode, FORGE_CACHE_DIR=str(tmp_path / "cache"), PYTHONHASHSEED=hashseed,
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    proc = subprocess.run([sys.executable, "script.py", which, str(tmp_path / f"{mode}.log")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_record_in_one_process_replay_in_another(tmp_path: Path) -> None:
    recorded = run(tmp_path, "live", "record", "1")
    assert recorded["calls"] >= 3  # author bios, review bodies (two rounds), second call, authors
    lock = tmp_path / "forge.lock.jsonl"
    lines = lock.read_text(encoding="utf-8").splitlines()
    # 6 reviews x (body + author bio) + 3 authors x bio
    assert len(lines) == 15
    entries = [json.loads(line) for line in lines]
    keys = {(e["factory"].rsplit(".", 1)[1], e["field"], e["item"]) for e in entries}
    assert ("AuthorFactory", "bio", "0/author") in keys and ("ReviewFactory", "body", "3") in keys
    # the two ReviewFactory calls share item keys "0" and "1": the ordinal tells them apart
    first_items = [(e["item"], e["ordinal"]) for e in entries if e["field"] == "body" and e["item"] == "0"]
    assert len(first_items) == 2 and first_items[0][1] != first_items[1][1]

    replayed = run(tmp_path, "dead", "replay", "2")
    assert replayed.pop("calls") == 0
    recorded.pop("calls")
    assert replayed == recorded
    bodies = [r["body"] for r in recorded["reviews"] + recorded["more"]]
    assert len(set(bodies)) == 6

    # no secret in the lock, the cache or the logs of either process
    written = [lock, *(tmp_path / "cache").rglob("*"), tmp_path / "record.log", tmp_path / "replay.log"]
    assert (tmp_path / "record.log").read_text(encoding="utf-8")  # logging did capture something
    for path in written:
        if path.is_file():
            assert FAKE_KEY not in path.read_text(encoding="utf-8"), path


class Author(AIDictFactory):
    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=300)


def test_in_process_factory_round_trip_and_no_secret_in_logs(tmp_path: Path, isolated_store: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    lock = tmp_path / "forge.lock.jsonl"
    live = FakeLLM()
    forge_factories.configure(provider=wrap_provider(live, mode="record", lock_path=lock))
    try:
        seed(3)
        first = Author.build_batch(3)
        forge_factories.configure(provider=wrap_provider(MustNotCall(), mode="replay", lock_path=lock))
        seed(3)
        again = Author.build_batch(3)
        assert again == first
        seed(4)  # another seed was never recorded
        with pytest.raises(ReplayMissingError, match="Author.bio item='0' ordinal=0 seed=4"):
            Author.build_batch(1)
    finally:
        forge_factories.configure(provider=None)
    assert live.calls == 1
    assert any(r.name == "forge_factories.tests.fake" for r in caplog.records)
    haystack = [caplog.text, lock.read_text(encoding="utf-8")]
    haystack += [p.read_text(encoding="utf-8") for p in isolated_store.rglob("*.json")]
    assert len(haystack) >= 3
    assert all(FAKE_KEY not in text for text in haystack)
