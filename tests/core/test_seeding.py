"""seed(): same seed, same data, in-process and across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute, seed

ROOT = Path(__file__).resolve().parents[2]


def run_script(seed_value: int, hashseed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=hashseed, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "tests.core.determinism_script", str(seed_value)],
        cwd=ROOT, env=env, capture_output=True, check=True,
    )
    return out.stdout


def test_two_processes_with_different_hash_seeds_produce_identical_bytes() -> None:
    first = run_script(42, "1")
    second = run_script(42, "987654")
    assert first == second
    assert b'"title"' in first and len(first) > 2000
    assert run_script(7, "1") != first


def make_factory() -> type:
    class F(factory.Factory):
        class Meta:
            model = dict

        n = factory.Sequence(int)
        name = factory.Faker("name")
        colour = factory.Iterator(["red", "green", "blue"])
        code = factory.LazyFunction(lambda: factory.Faker._get_faker().unique.pyint(min_value=0, max_value=5))
        size = factory.fuzzy.FuzzyInteger(0, 10**6)
        bio = SemanticAttribute("a bio of {name}")

    return F


def test_seed_resets_random_sequences_iterators_unique_and_offline_text() -> None:
    f = make_factory()
    seed(3)
    first = f.build_batch(5)
    second_call = f.build_batch(1)
    seed(3)
    again = f.build_batch(5)
    assert first == again
    assert [r["n"] for r in again] == [0, 1, 2, 3, 4]
    assert [r["colour"] for r in again] == ["red", "green", "blue", "red", "green"]
    assert len({r["code"] for r in again}) == 5  # Faker's unique memory was cleared, not exhausted
    assert second_call[0]["n"] == 5
    seed(4)
    assert f.build_batch(5) != first


def test_seed_as_context_manager_restores_the_random_state() -> None:
    f = make_factory()
    seed(10)
    before = factory.random.randgen.getstate()
    with seed(99) as scope:
        assert int(scope) == 99
        inside = f.build_batch(2)
    assert factory.random.randgen.getstate() == before
    with seed(99):
        assert f.build_batch(2) == inside


def test_seed_rejects_non_integers() -> None:
    with pytest.raises(TypeError, match="seed\\(\\) takes an int"):
        seed("42")  # type: ignore[arg-type]


def test_seed_does_not_depend_on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    f = make_factory()
    seed(5)
    today = f.build_batch(3)
    import datetime as dt

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: object = None) -> dt.datetime:  # type: ignore[override]
            return dt.datetime(2031, 1, 1)

    monkeypatch.setattr(dt, "datetime", Later)
    seed(5)
    assert f.build_batch(3) == today
