"""Real suites migrated by ``forge migrate`` pass as before (slow: marked ``real_suite``).

* factory_boy 3.3.3's own test suite, from its published sdist: run as published, then
  migrated (``forge migrate --apply tests``); the same tests pass, none fails.
* pytest-factoryboy 2.8.1: its sdists (2.1.0 to 2.8.1) ship no tests, so the suite is
  ``data/pfb_suite`` (pytest-factoryboy's documented usage, written against factory_boy), run
  with the plugin from the published sdist, before and after both are migrated.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("libcst")

from .conftest import DATA, ROOT  # noqa: E402

pytestmark = pytest.mark.real_suite

PYTEST_FLAGS = ["-q", "-p", "no:cacheprovider", "-p", "no:django", "-p", "no:forge_factories", "-p", "no:randomly",
                "-p", "no:xdist", "-W", "ignore::pytest.PytestCollectionWarning"]


def forge(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "forge_factories.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=900)


def run_suite(cwd: Path, target: str, pythonpath: list[Path], extra_env: dict[str, str],
              extra_flags: list[str] = ()) -> dict[str, str]:  # type: ignore[assignment]
    """Run pytest on ``target``; the outcome of every test (``passed``/``failed``/``skipped``/``error``)."""
    report = cwd / f"junit-{len(list(cwd.glob('junit-*.xml')))}.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(extra_env, PYTHONPATH=os.pathsep.join(str(p) for p in [*pythonpath, ROOT]))
    out = subprocess.run([sys.executable, "-m", "pytest", target, *PYTEST_FLAGS, *extra_flags,
                          f"--junitxml={report}"], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert report.exists(), out.stdout[-3000:] + out.stderr[-3000:]
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    bad = {k: v for k, v in outcomes.items() if v in ("failure", "error")}
    assert not bad, (bad, out.stdout[-5000:])
    return outcomes


def test_factory_boy_own_suite(sdist: Callable[[str, str], Path], copy_tree: Callable[[Path, str], Path]) -> None:
    source = sdist("factory-boy", "3.3.3")
    env = {"DJANGO_SETTINGS_MODULE": "tests.djapp.settings"}
    published = copy_tree(source, "published")
    before = run_suite(published, "tests", [], env)

    migrated = copy_tree(source, "migrated")
    out = forge("migrate", "--apply", "tests", cwd=migrated)
    assert out.returncode == 0, out.stderr
    changed = sorted(line.removeprefix("migrated ") for line in out.stdout.splitlines())
    assert len(changed) >= 15 and "tests/test_using.py" in changed and "tests/test_alchemy.py" in changed
    assert (migrated / "tests/test_using.py").read_text().startswith(
        (source / "tests/test_using.py").read_text().split("import factory\n")[0])
    assert "\nimport forge_factories as factory\n" in (migrated / "tests/test_using.py").read_text()
    assert "from forge_factories.alchemy import SQLAlchemyModelFactory" in (migrated / "tests/test_alchemy.py").read_text()
    # factory_boy's internals (factory.base, factory.declarations...) stay where they are, with a note
    assert "tests/test_base.py:5: kept 'base' from factory" in out.stderr

    after = run_suite(migrated, "tests", [], env)
    assert after == before
    assert sum(v == "passed" for v in after.values()) >= 400

    again = forge("migrate", "--check", "tests", cwd=migrated)
    assert again.returncode == 0 and again.stdout == "", again.stdout[-2000:]

    # --semantic on the whole suite: valid Python, and a second run proposes nothing more
    proposed = forge("migrate", "--semantic", "--apply", "tests", cwd=migrated)
    assert proposed.returncode == 0, proposed.stderr
    assert "proposed SemanticAttribute" in proposed.stderr
    for path in (migrated / "tests").rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), str(path))
    assert forge("migrate", "--semantic", "--check", "tests", cwd=migrated).returncode == 0


def test_pytest_factoryboy_documented_suite(sdist: Callable[[str, str], Path], wheel: Callable[[str, str], Path],
                                            copy_tree: Callable[[Path, str], Path]) -> None:
    plugin_source = sdist("pytest-factoryboy", "2.8.1")
    inflection = wheel("inflection", "0.5.1")
    flags = ["-p", "pytest_factoryboy.plugin"]

    def prepare(name: str) -> Path:
        work = copy_tree(DATA / "pfb_suite", name)
        copy_tree(plugin_source / "src", f"{name}-plugin")
        (work / "pytest.ini").write_text("[pytest]\n")
        return work

    published = prepare("published")
    before = run_suite(published, ".", [published.parent / "published-plugin", inflection, published], {}, flags)

    migrated = prepare("migrated")
    plugin = migrated.parent / "migrated-plugin"
    out = forge("migrate", "--apply", ".", str(plugin), cwd=migrated)
    assert out.returncode == 0, out.stderr
    assert sorted(out.stdout.split()) == sorted(
        ["migrated"] * 3 + ["factories.py", "test_fixtures.py", f"{plugin}/pytest_factoryboy/fixture.py"])
    fixture_py = (plugin / "pytest_factoryboy/fixture.py").read_text()
    assert "import forge_factories as factory\n" in fixture_py
    assert "from factory.base import Factory\n" in fixture_py  # internals untouched
    assert "import forge_factories as factory\nfrom forge_factories import Faker, SubFactory\n" in (
        migrated / "factories.py").read_text()

    after = run_suite(migrated, ".", [plugin, inflection, migrated], {}, flags)
    assert after == before
    assert len(after) >= 14 and set(after.values()) == {"passed"}
    assert forge("migrate", "--check", ".", str(plugin), cwd=migrated).returncode == 0
