"""Every runnable block of docs/async.md runs, in a fresh interpreter (as a reader would run it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "async.md"
_BLOCK = re.compile(r"(?:<!-- run: (\w+) -->\n)?```python\n(.*?)```", re.S)
COMMON = (
    "import forge_factories\n"
    "from forge_factories.llm.providers import OfflineProvider\n"
    "forge_factories.configure(provider=OfflineProvider())\n"
    "forge_factories.seed(1)\n"
)
DJANGO = (
    "import django\n"
    "django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('migrate', run_syncdb=True, verbosity=0)\n"
)


def blocks() -> list[tuple[str, str]]:
    return [(kind, code) for kind, code in _BLOCK.findall(DOC.read_text(encoding="utf-8"))]


def test_every_python_block_is_runnable() -> None:
    kinds = [kind for kind, _ in blocks()]
    assert sorted(kinds) == ["django", "plain", "sqlalchemy"]


@pytest.mark.parametrize("index", range(len(blocks())))
def test_doc_block(index: int, tmp_path: Path) -> None:
    kind, code = blocks()[index]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    cwd = ROOT
    script = COMMON + code
    if kind == "django":
        cwd = ROOT / "example_django"
        env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
        env["FORGE_EXAMPLE_SQLITE_PATH"] = str(tmp_path / "doc.sqlite3")
        env.pop("FORGE_EXAMPLE_DATABASE_URL", None)
        script = DJANGO + script
    env["PYTHONPATH"] = os.pathsep.join([str(cwd), str(ROOT)])
    result = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
