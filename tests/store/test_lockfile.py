"""The lock file format, merging writers, check() and prune()."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from forge_factories.store import LockFileError, check, prune, wrap_provider
from forge_factories.store.keys import PROMPT_VERSION
from forge_factories.store.lockfile import LockFile, LockKey, parse_lock, render_lock, stale_keys

from .fakes import FakeLLM, MustNotCall, make_request


def record(lock: Path, names: list[str], **kw) -> None:  # type: ignore[no-untyped-def]
    wrap_provider(FakeLLM(), mode="record", lock_path=lock, use_cache=False).fill(make_request(names, **kw))


def test_format_one_sorted_object_per_line(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    record(lock, ["Ann", "Bob", "Cid"])
    text = lock.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == 6
    entries = [json.loads(line) for line in lines]
    for line, entry in zip(lines, entries, strict=True):
        assert line == json.dumps(entry, sort_keys=True, ensure_ascii=False)
    assert [(e["field"], e["item"]) for e in entries] == [
        ("bio", "0"), ("bio", "1"), ("bio", "2"), ("tagline", "0"), ("tagline", "1"), ("tagline", "2")]
    first = entries[0]
    assert set(first) == {"factory", "field", "spec", "context", "seed", "item", "ordinal", "prompt", "value",
                          "meta"}
    assert first["context"] == "a bike shop" and first["seed"] == 7 and first["prompt"] == PROMPT_VERSION
    assert first["meta"]["provider"] == "fakellm" and first["meta"]["model"] == "fake-1"
    assert first["meta"]["conditioning"] == {"name": "Ann"}
    # re-rendering is stable (byte-identical)
    assert render_lock(parse_lock(text).entries) == text


def test_context_is_normalised(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    record(lock, ["Ann"], context="  a   bike\tshop ")
    result = wrap_provider(MustNotCall(), mode="replay", lock_path=lock).fill(make_request(["Ann"]))
    assert set(result.values[0]) == {"bio", "tagline"}


def test_writers_merge_instead_of_overwriting(tmp_path: Path) -> None:
    path = tmp_path / "forge.lock.jsonl"
    a, b = LockFile(path), LockFile(path)  # two processes' views of the same file
    a.refresh()
    b.refresh()
    key_a = LockKey("f.F", "bio", "s", "", 1, "0", 0)
    key_b = LockKey("f.F", "bio", "s", "", 1, "1", 1)
    a.write({key_a: {**key_a.as_dict(), "value": "A", "meta": {}}})
    b.write({key_b: {**key_b.as_dict(), "value": "B", "meta": {}}})
    parsed = parse_lock(path.read_text(encoding="utf-8"))
    assert set(parsed.entries) == {key_a, key_b}
    a.refresh()
    assert a.get(key_b) is not None
    assert not list(tmp_path.glob("*.tmp"))


def test_refuses_to_record_into_a_conflicted_file(tmp_path: Path) -> None:
    path = tmp_path / "forge.lock.jsonl"
    record(path, ["Ann"])
    path.write_text(path.read_text(encoding="utf-8") + "<<<<<<< HEAD\n", encoding="utf-8")
    with pytest.raises(LockFileError, match="line 3"):
        record(path, ["Ann", "Bob"])
    assert check(path, resolve=False).invalid_lines[0][0] == 3


FACTORIES = '''
import factory
from forge_factories import AIDictFactory, SemanticAttribute

class UserFactory(AIDictFactory):
    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=BIO_MAX)
'''


def write_module(tmp_path: Path, name: str, bio_max: int) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(FACTORIES).replace("BIO_MAX", str(bio_max)))


def test_check_and_prune_orphans(tmp_path: Path, monkeypatch) -> None:
    from forge_factories.core.declarations import SemanticAttribute

    monkeypatch.syspath_prepend(str(tmp_path))
    write_module(tmp_path, "lockcheck_mod", 200)
    spec = SemanticAttribute("a short bio of {name}", max_length=200).spec("bio")
    path = tmp_path / "forge.lock.jsonl"
    lock = LockFile(path)
    good = LockKey("lockcheck_mod.UserFactory", "bio", spec.spec_hash(), "", 1, "0", 0)
    changed = LockKey("lockcheck_mod.UserFactory", "bio", "0000000000000000", "", 1, "1", 1)
    gone = LockKey("lockcheck_mod.UserFactory", "email", spec.spec_hash(), "", 1, "0", 0)
    old = LockKey("lockcheck_mod.UserFactory", "bio", spec.spec_hash(), "", 1, "2", 2, prompt="0")
    elsewhere = LockKey("not_a_module_anywhere.F", "bio", "x", "", 1, "0", 0)
    lock.write({k: {**k.as_dict(), "value": "v", "meta": {}} for k in (good, changed, gone, old, elsewhere)})

    assert {i.key for i in check(path).unresolved} == {good, changed, gone, elsewhere}  # nothing imported
    report = check(path, modules=["lockcheck_mod"])
    assert report.entries == 5 and not report.ok
    reasons = {i.key: i.reason for i in report.orphans}
    assert set(reasons) == {changed, gone, old}
    assert "spec changed" in reasons[changed]
    assert "no longer a SemanticAttribute" in reasons[gone]
    assert "prompt version" in reasons[old]
    assert [i.key for i in report.unresolved] == [elsewhere]
    assert any("orphan" in line for line in report.lines())

    removed = prune(path, modules=["lockcheck_mod"])
    assert set(removed) == {changed, gone, old}
    assert set(parse_lock(path.read_text(encoding="utf-8")).entries) == {good, elsewhere}
    assert check(path).ok
    assert prune(path, unresolved=True) == [elsewhere]


def test_check_and_prune_stale(tmp_path: Path) -> None:
    path = tmp_path / "forge.lock.jsonl"
    record(path, ["Ann", "Bob"])
    with pytest.raises(Exception, match="stale"):
        wrap_provider(MustNotCall(), mode="replay", lock_path=path).fill(make_request(["Ann", "Robert"]))
    seen = stale_keys(path)
    assert {(k.field, k.item) for k in seen} == {("bio", "1"), ("tagline", "1")}
    report = check(path, resolve=False)
    assert {i.key for i in report.stale} == set(seen)
    assert "Bob" in report.stale[0].reason and "Robert" in report.stale[0].reason
    assert set(prune(path, orphans=False)) == set(seen)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


WRITER = """
import sys
from forge_factories.store.lockfile import LockFile, LockKey
lock = LockFile(sys.argv[1])
for n in range(25):
    key = LockKey("f.F", "bio", "s", "", 1, sys.argv[2], n)
    lock.write({key: {**key.as_dict(), "value": f"{sys.argv[2]}-{n}", "meta": {}}})
"""


def test_concurrent_processes_lose_no_entry(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "forge.lock.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{i}"]) for i in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    parsed = parse_lock(path.read_text(encoding="utf-8"))
    assert not parsed.invalid
    assert len(parsed.entries) == 75
