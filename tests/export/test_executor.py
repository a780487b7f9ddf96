"""One rule for which executor runs a factory's plan: the caller's choice, objects by default.

``build_batch``, ``create_stream``, ``create_large``, ``forge generate`` and ``forge seed`` all run
object by object unless ``executor="columns"`` is asked for; the column-wise executor refuses a
factory it cannot run instead of switching; provenance and the stream say which one ran.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import forge_factories as factory
from forge_factories import provenance
from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.seeding import seed
from forge_factories.datasets.columns import NotColumnar
from forge_factories.datasets.stream import create_stream

from .models import Parent, UserFactory

ROOT = Path(__file__).resolve().parents[2]


class TraitUserFactory(UserFactory):
    class Params:
        senior = factory.Trait(age=80)


def _dicts(objs: list[object]) -> list[dict[str, object]]:
    return [dataclasses.asdict(o) for o in objs]  # type: ignore[call-overload]


def test_the_default_stream_gives_what_build_batch_gives() -> None:
    streamed = _dicts(list(create_stream(UserFactory, 30, seed=5)))
    seed(5)
    assert streamed == _dicts(UserFactory.build_batch(30))


def test_adding_a_trait_changes_nothing_on_the_default_executor() -> None:
    plain = _dicts(list(create_stream(UserFactory, 10, seed=3)))
    with_trait = _dicts(list(create_stream(TraitUserFactory, 10, seed=3)))
    assert with_trait == plain


def test_the_column_wise_executor_refuses_instead_of_switching(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with pytest.raises(NotColumnar, match=r"TraitUserFactory cannot run on the column-wise executor: Params"):
        create_stream(TraitUserFactory, 10, path, executor="columns")
    with pytest.raises(NotColumnar, match=r"Parent cannot run on the column-wise executor: .*SubFactory"):
        create_stream(Parent, 10, executor="columns")
    assert not path.exists()
    assert isinstance(NotColumnar("x"), ForgeConfigError)


def test_an_unknown_executor_is_named() -> None:
    with pytest.raises(ForgeConfigError, match=r"executor must be 'objects' or 'columns', got 'fast'"):
        create_stream(UserFactory, 1, executor="fast")


def test_provenance_and_the_stream_say_which_executor_ran() -> None:
    objects_stream = create_stream(UserFactory, 3, seed=1)
    columns_stream = create_stream(UserFactory, 3, seed=1, executor="columns")
    assert (objects_stream.executor, columns_stream.executor) == ("objects", "columns")
    by_objects, by_columns = list(objects_stream), list(columns_stream)
    assert {p.executor for p in provenance(by_objects[0]).values()} == {"objects"}
    assert {p.executor for p in provenance(by_columns[0]).values()} == {"columns"}
    assert {p.executor for p in provenance(UserFactory.build()).values()} == {"objects"}
    assert provenance(by_columns[0])["first_name"].source == "faker"


def _forge(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "forge_factories.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_forge_generate_takes_the_same_rule(tmp_path: Path) -> None:
    default = _forge(tmp_path, "generate", "tests.export.models:UserFactory", "-n", "20", "--seed", "4",
                     "-o", "a.jsonl", "--quiet")
    objects = _forge(tmp_path, "generate", "tests.export.models:UserFactory", "-n", "20", "--seed", "4",
                     "-o", "b.jsonl", "--executor", "objects", "--quiet")
    columns = _forge(tmp_path, "generate", "tests.export.models:UserFactory", "-n", "20", "--seed", "4",
                     "-o", "c.jsonl", "--executor", "columns", "--quiet")
    assert default.returncode == objects.returncode == columns.returncode == 0, default.stderr + columns.stderr
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "c.jsonl").read_bytes()
    refused = _forge(tmp_path, "generate", "tests.export.models:Parent", "-n", "5", "-o", "d.jsonl",
                     "--executor", "columns")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert "Parent cannot run on the column-wise executor" in refused.stderr
    assert not (tmp_path / "d.jsonl").exists()
