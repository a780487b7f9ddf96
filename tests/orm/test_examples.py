"""The runnable examples: example_django's pytest-django suite and example_sqlalchemy's seed script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import backends

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.update(env or {})
    return subprocess.run(args, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_example_django_suite_passes(backend: str, tmp_path: Path) -> None:
    env = {}
    if backend == "postgresql":
        backends.require("postgresql")
        env["FORGE_EXAMPLE_DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/test"
    result = _run([PYTHON, "-m", "pytest", "-q", "-p", "no:randomly"], ROOT / "example_django", env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout


def test_example_sqlalchemy_seeds_sqlite_reproducibly(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        result = _run([PYTHON, str(ROOT / "example_sqlalchemy" / "seed.py"), url, "--reviews", "30"], tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append(result.stdout)
    assert "rows: Customer=50, Product=20, Order=200, Review=30" in outputs[0]
    assert outputs[0] == outputs[1]


def test_example_sqlalchemy_seeds_postgresql(tmp_path: Path) -> None:
    backends.require("postgresql")
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    schema = f"{backends.PRIVATE}_example"
    result = _run([PYTHON, str(ROOT / "example_sqlalchemy" / "seed.py"), url, "--schema", schema, "--drop",
                   "--orders", "80", "--reviews", "40"], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rows: Customer=50, Product=20, Order=80, Review=40" in result.stdout
