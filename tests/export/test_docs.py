"""Every code example of docs/export.md and docs/cli.md runs as documented, twice in a row
(the second run finds the first run's files, database and cache in place)."""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```(\w*)\n(.*?)^\s*```", re.S | re.M)
SCRIPT = Path(sys.executable).parent / "forge"


def blocks(doc: str, lang: str) -> list[str]:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    return [body for kind, body in BLOCK.findall(text) if kind == lang]


@pytest.mark.parametrize("index", range(len(blocks("export.md", "python"))))
def test_export_md_python_examples(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in _user_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    for name in _SESSION_ONLY:
        monkeypatch.delenv(name, raising=False)
    code = textwrap.dedent(blocks("export.md", "python")[index])
    for run in range(2):
        exec(compile(code, f"docs/export.md[{index}] run {run + 1}", "exec"), {"__name__": f"docs_export_{index}"})
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


#: What the test session sets and a user would not (tests/conftest.py): the docs run with the defaults.
_SESSION_ONLY = ("FORGE_MODE", "FORGE_CACHE", "FORGE_LOCK_FILE")


def _user_env(tmp_path: Path) -> dict[str, str]:
    """A user's defaults (the response cache on), with the cache kept inside ``tmp_path``."""
    return {"FORGE_CACHE_DIR": str(tmp_path / ".cache")}


def _forge() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "forge_factories.cli"]


def test_cli_md_commands(tmp_path: Path) -> None:
    (module,) = [b for b in blocks("cli.md", "python") if b.startswith("# file: shop_factories.py")]
    (tmp_path / "shop_factories.py").write_text(module)
    (tmp_path / "forge.lock.jsonl").write_text("")
    env = dict(os.environ, PYTHONPATH=str(ROOT), **_user_env(tmp_path))
    for name in _SESSION_ONLY:
        env.pop(name, None)
    commands = [line[2:] for block in blocks("cli.md", "console") for line in block.splitlines()
                if line.startswith("$ ")]
    assert len(commands) == 7
    for command in commands + commands:
        argv = shlex.split(command)
        assert argv[0] == "forge"
        out = subprocess.run([*_forge(), *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=600)
        assert out.returncode == 0, (command, out.stderr)
    assert len((tmp_path / "customers.jsonl").read_text().splitlines()) == 1000
    assert (tmp_path / "shop.db").exists() and (tmp_path / "big.json").exists()
    # the error line shown in the docs is the real one
    (refused,) = [b.strip() for b in blocks("cli.md", "text") if b.startswith("forge: error: table")]
    sqlite3.connect(tmp_path / "lacking.db").executescript(
        "CREATE TABLE customers (id INTEGER, name TEXT, email TEXT, joined TEXT)")
    out = subprocess.run([*_forge(), "seed", "sqlite:///lacking.db", "shop_factories:CustomerFactory=5@customers",
                          "--mode", "offline"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 3 and out.stderr.strip() == refused
    (shown,) = [b.strip() for b in blocks("cli.md", "") if b.startswith("forge: error")]
    out = subprocess.run([*_forge(), "generate", "shop_factories:CustomerFactory", "-n", "5", "-o", "customers.xml"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.strip() == shown
