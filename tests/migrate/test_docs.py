"""Every example of docs/migrate.md runs, in order, in one directory, and shows what happens.

``# file: PATH`` blocks are written; ``console`` blocks are run (``$ forge ...``) and their
output (stdout and stderr, in order) compared with the lines shown; ``# result: PATH`` blocks
are compared with the file; other ``python`` blocks are executed there.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("libcst")

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "migrate.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _transcript(body: str) -> list[tuple[str, str]]:
    """``[(command, expected output)]`` of a console block."""
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return [(cmd, "".join(f"{line}\n" for line in lines)) for cmd, lines in out]


def _forget_blog() -> None:
    """The example's ``blog`` package is this test's own: never one imported before or kept after."""
    for name in [m for m in sys.modules if m == "blog" or m.startswith("blog.")]:
        del sys.modules[name]


def test_migrate_md_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sqlalchemy")
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ran = {"file": 0, "result": 0, "python": 0, "console": 0}
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    _forget_blog()
    try:
        for lang, body in blocks:
            first, _, rest = body.partition("\n")
            if lang == "python" and first.startswith("# file: "):
                path = tmp_path / first.removeprefix("# file: ")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(rest)
                ran["file"] += 1
            elif lang == "python" and first.startswith("# result: "):
                assert (tmp_path / first.removeprefix("# result: ")).read_text() == rest
                ran["result"] += 1
            elif lang == "python":
                exec(compile(body, f"{DOC}", "exec"), {"__name__": "docs_migrate"})  # noqa: S102
                ran["python"] += 1
            elif lang == "console":
                for command, expected in _transcript(body):
                    argv = shlex.split(command)
                    assert argv[0] == "forge"
                    out = subprocess.run([sys.executable, "-m", "forge_factories.cli", *argv[1:]], cwd=tmp_path,
                                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    assert out.stdout == expected, command
                    assert out.returncode == (1 if "would be migrated" in expected else 0), command
                    ran["console"] += 1
            else:
                # the install line: the extra it names exists and brings libcst
                assert body.strip() == "pip install 'forge_factories[migrate]'"
                extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
                assert any(dep.startswith("libcst") for dep in extras["migrate"])
                assert any(dep.startswith("libcst") for dep in extras["all"])
    finally:
        _forget_blog()
    assert ran == {"file": 3, "result": 1, "python": 1, "console": 5}


def test_readme_links_the_page() -> None:
    assert "[docs/migrate.md](docs/migrate.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
