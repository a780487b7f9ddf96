"""Every factory_boy declaration works in create_stream and ``forge generate``, or fails clearly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.columnar import try_plan
from forge_factories.datasets.columns import NotColumnar
from forge_factories.datasets.stream import create_stream

from . import decl_factories as m

ROOT = Path(__file__).resolve().parents[2]

CHECKS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "LazyFunctionF": lambda r: r["v"] == 7,
    "LazyAttributeF": lambda r: r["v"] == r["id"] * 2,
    "LazyAttributeSequenceF": lambda r: r["v"].startswith(f"{r['id']}-"),
    "SelfAttributeF": lambda r: r["v"] == r["id"],
    "IteratorF": lambda r: r["v"] in ("a", "b", "c"),
    "IteratorGetterF": lambda r: r["v"] in (1, 2),
    "IteratorNoCycleF": lambda r: r["v"] in "abcdefghij",
    "FakerF": lambda r: 1 <= r["v"] <= 9,
    "DictF": lambda r: r["v"] == {"a": 1, "b": r["id"]},
    "ListF": lambda r: r["v"] == [1, 2],
    "SubFactoryF": lambda r: r["v"] == {"label": "x", "parent_id": r["id"]},
    "MaybeF": lambda r: r["v"] == ("even" if r["flag"] else "odd"),
    "TraitF": lambda r: r["v"] == "quiet",
    "TransformerF": lambda r: r["v"] == "ABC",
    "FuzzyF": lambda r: 1 <= r["i"] <= 9 and r["c"] in ("x", "y") and len(r["t"]) == 5,
    "RelatedFactoryF": lambda r: set(r) == {"id"},
    "RelatedFactoryListF": lambda r: set(r) == {"id"},
    "PostGenerationF": lambda r: r["post"] == r["id"] + 100,
    "PostGenerationMethodCallF": lambda r: r["post"] == "called",
    "DecimalF": lambda r: str(r["v"]) == "3.14159",
}


def _reset_iterators() -> None:
    for name in m.ALL:
        for decl in getattr(m, name)._meta.declarations.values():
            if hasattr(decl, "reset"):
                decl.reset()


def test_every_declaration_is_covered() -> None:
    assert sorted(CHECKS) == sorted(m.ALL)


@pytest.mark.parametrize("executor", ["objects", "columns"])
@pytest.mark.parametrize("name", m.ALL)
def test_declaration_in_a_stream(tmp_path: Path, name: str, executor: str) -> None:
    _reset_iterators()
    path = tmp_path / "out.jsonl"
    if executor == "columns" and try_plan(getattr(m, name)) is None:
        # the column-wise executor is asked for, not fallen back from: a clear refusal, no file
        with pytest.raises(NotColumnar, match=rf"{name} cannot run on the column-wise executor"):
            create_stream(getattr(m, name), 7, path, as_dicts=True, executor=executor)
        assert list(tmp_path.iterdir()) == []
        return
    records = list(create_stream(getattr(m, name), 7, path, as_dicts=True, executor=executor))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == len(lines) == 7
    assert all(CHECKS[name](row) for row in lines), lines


@pytest.mark.parametrize("executor", ["objects", "columns"])
def test_iterator_without_cycle_running_out_is_a_clear_error(tmp_path: Path, executor: str) -> None:
    _reset_iterators()
    path = tmp_path / "out.jsonl"
    with pytest.raises(ForgeConfigError, match=r"IteratorNoCycleF.*ran out of values .*cycle=False"):
        create_stream(m.IteratorNoCycleF, 11, path, executor=executor, on_error="discard").drain()
    assert list(tmp_path.iterdir()) == []


def _forge(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "forge_factories.cli", "generate", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", m.ALL)
def test_declaration_in_forge_generate(tmp_path: Path, name: str) -> None:
    out = _forge(tmp_path, f"tests.export.decl_factories:{name}", "-n", "7", "-o", "out.jsonl", "--seed", "1")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(lines) == 7 and all(CHECKS[name](row) for row in lines)


@pytest.mark.parametrize("extra", [[], ["--executor", "columns"]])
def test_forge_generate_iterator_running_out(tmp_path: Path, extra: list[str]) -> None:
    out = _forge(tmp_path, "tests.export.decl_factories:IteratorNoCycleF", "-n", "11", "-o", "out.jsonl", *extra)
    assert out.returncode != 0
    assert "ran out of values" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
