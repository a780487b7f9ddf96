"""Every example of docs/dask.md runs as documented: the python blocks in order in one script,
then the console example in a directory where its ``myapp.factories`` holds the docs' factories."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from forge_factories.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "dask.md"
PYTHON = re.compile(r"```python\n(.*?)```", re.S)
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def test_python_examples_run(tmp_path: Path) -> None:
    """As a script of their own: in this process a session-wide ``Client`` would be dask's default."""
    blocks = PYTHON.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 3
    script = tmp_path / "docs_dask_example.py"
    script.write_text("\n".join(blocks) + "\nprint('examples ran')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("examples ran")


def test_console_example_runs_and_prints_what_the_doc_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: Any) -> None:
    import pyarrow.parquet as pq

    text = DOC.read_text(encoding="utf-8")
    factories = PYTHON.findall(text)[0]
    (tmp_path / "myapp").mkdir()
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (tmp_path / "myapp" / "factories.py").write_text(factories)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (console,) = CONSOLE.findall(text)
    command, expected = console.strip().split("\n", 1)
    assert command.startswith("$ forge ")
    assert main(shlex.split(command[len("$ forge "):])) == 0
    assert capsys.readouterr().out.strip() == expected.strip()
    table = pq.read_table(tmp_path / "orders")
    assert table.num_rows == 100_000
    assert set(table.column("customer_id").to_pylist()) <= set(range(1, 30_001))
    sys.modules.pop("myapp.factories", None)
    sys.modules.pop("myapp", None)
