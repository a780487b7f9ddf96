"""Every code block of docs/orm.md runs (or, for excerpts, is verbatim from a file that runs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "orm.md"
_BLOCK = re.compile(r"(?:<!-- run: (\w+) -->\n)?```python\n(.*?)```", re.S)

PRELUDE = {
    "django": (
        "import django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', run_syncdb=True, verbosity=0)\n"
    ),
    "sqlalchemy": "",
}
COMMON = (
    "import forge_factories\n"
    "from forge_factories.llm.providers import OfflineProvider\n"
    "forge_factories.configure(provider=OfflineProvider())\n"
    "forge_factories.seed(1)\n"
)
CWD = {"django": ROOT / "example_django", "sqlalchemy": ROOT / "example_sqlalchemy"}


def blocks() -> list[tuple[str | None, str]]:
    return [(kind, code) for kind, code in _BLOCK.findall(DOC.read_text())]


def test_the_doc_has_runnable_blocks_of_both_kinds() -> None:
    kinds = [k for k, _ in blocks()]
    assert kinds.count("django") >= 3 and kinds.count("sqlalchemy") >= 3


@pytest.mark.parametrize("index", range(len(blocks())))
def test_doc_block(index: int, tmp_path: Path) -> None:
    kind, code = blocks()[index]
    if not kind:
        first = code.splitlines()[0]
        match = re.match(r"# (\S+) \(abridged\)", first)
        assert match, f"block {index} is neither runnable nor an excerpt of a file: {first!r}"
        source = (ROOT / match.group(1)).read_text().splitlines()
        for line in code.splitlines()[1:]:
            if line.strip():
                assert line in source, f"{match.group(1)} has no line {line!r}"
        return
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.pop("FORGE_EXAMPLE_DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join([str(CWD[kind]), str(ROOT)])
    script = PRELUDE[kind] + COMMON + code
    # A reader runs an example again, with the default cache on (it lives on between runs). A
    # Django example runs as in a test: on the test database, new for each run.
    for run in ("first", "second"):
        if kind == "django":
            env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
            env["FORGE_EXAMPLE_SQLITE_PATH"] = str(tmp_path / f"doc_{run}.sqlite3")
        result = subprocess.run([sys.executable, "-c", script], cwd=CWD[kind], env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, f"{run} run: " + result.stderr[-3000:]
