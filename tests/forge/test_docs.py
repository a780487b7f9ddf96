"""Every python block of docs/forge.md runs, in order, in one namespace, twice in a row (cache defaults on).

The Django many-to-many example (a ``# file: shop/models.py`` block and the block after it)
runs in a subprocess of its own, in a small Django project written to a temp directory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "forge.md"
ROOT = DOC.parents[1]
MODELS_MARK = "# file: shop/models.py"


def blocks() -> tuple[list[str], list[str]]:
    """(in-process blocks, the Django example's two blocks)."""
    found = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    start = next(i for i, b in enumerate(found) if b.startswith(MODELS_MARK))
    return found[:start] + found[start + 2:], found[start:start + 2]


def run_in_process(monkeypatch: pytest.MonkeyPatch, run: int) -> None:
    module = types.ModuleType(f"forge_docs_example_{run}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for i, block in enumerate(blocks()[0]):
        try:
            exec(compile(block, f"{DOC.name}[block {i}]", "exec"), module.__dict__)  # noqa: S102
        except Exception as exc:  # pragma: no cover - the message names the block
            raise AssertionError(f"docs/forge.md block {i} failed (run {run}): {exc!r}\n{block}") from exc


def test_docs_examples_run_twice(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                 tmp_path: Path) -> None:
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "0")
    monkeypatch.delenv("FORGE_CACHE", raising=False)  # the default: cache on
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
    assert len(blocks()[0]) >= 8
    outputs = []
    for run in range(2):
        run_in_process(monkeypatch, run)
        outputs.append(capsys.readouterr().out)
    out = outputs[0]
    assert "Invoice (pydantic)" in out and "computed" in out
    assert "Code.code: pattern" in out
    assert "[faker] name = 'Allison Hill'" in out
    assert outputs[1] == outputs[0]


SETTINGS = """
SECRET_KEY = "docs"
INSTALLED_APPS = ["django.contrib.contenttypes", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
"""

RUNNER = """
import django
django.setup()
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_app_config("shop").get_models():
        editor.create_model(model)
exec(compile(open("example.py").read(), "docs/forge.md[many-to-many]", "exec"), {"__name__": "__main__"})
print("ok")
"""


def test_django_many_to_many_example_runs_twice(tmp_path: Path) -> None:
    pytest.importorskip("django")
    models, example = blocks()[1]
    assert models.startswith(MODELS_MARK) and "create_batch" in example
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(models)
    (tmp_path / "docs_settings.py").write_text(SETTINGS)
    (tmp_path / "example.py").write_text(example)
    (tmp_path / "runner.py").write_text(textwrap.dedent(RUNNER))
    env = {k: v for k, v in os.environ.items() if k != "FORGE_CACHE"}
    env.update(DJANGO_SETTINGS_MODULE="docs_settings", PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
               FORGE_CACHE_DIR=str(tmp_path / "cache"), FORGE_OLLAMA_PROBE="0")
    for _ in range(2):
        done = subprocess.run([sys.executable, "runner.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith("ok")
