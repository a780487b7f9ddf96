"""Test-session defaults: no user cache, no lock file in the checkout, live provider calls.

Tests that exercise the cache, the lock file or CI's replay default set their own
environment (monkeypatch) or pass explicit arguments.

This project's own suite opts in to the plugin's per-test seeding of every factory, sequences
reset (what ``forge_seed = true`` / ``forge_reset_sequences = true`` would say in an ini file),
so its data is the same under pytest-randomly, pytest-xdist and pytest-repeat.

pytest-randomly (in the dev extra) shuffles the test order only when a run names
``--randomly-seed``: a plain run (CI's) keeps the file order, so it does not pass or fail with
the day's random order; ``-p randomly --randomly-seed N`` checks that no test depends on it.
"""

from __future__ import annotations

import os
import tempfile

import pytest

_SESSION_DIR = tempfile.mkdtemp(prefix="forge-tests-")
os.environ["FORGE_MODE"] = "live"
os.environ["FORGE_CACHE"] = "0"
os.environ["FORGE_CACHE_DIR"] = os.path.join(_SESSION_DIR, "cache")
os.environ["FORGE_LOCK_FILE"] = os.path.join(_SESSION_DIR, "forge.lock.jsonl")
os.environ["FORGE_OLLAMA_PROBE"] = "0"  # never pick up a developer's running Ollama
for _key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GOOGLE_API_KEY", "GROQ_API_KEY", "FORGE_PROVIDER",
             "FORGE_ALLOW_PII", "FORGE_ALLOW_DANGEROUS"):
    os.environ.pop(_key, None)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Opt in before the forge plugin reads its options (a command-line ``--forge-seed`` still wins)."""
    if not config.pluginmanager.hasplugin("forge_factories"):
        return
    if config.getoption("forge_seed", None) is None:
        config.option.forge_seed = int(os.environ.get("FORGE_SEED", "0") or 0)
    config.option.forge_reset_sequences = True
    if config.pluginmanager.hasplugin("randomly") and config.getoption("randomly_seed", None) == "default":
        config.option.randomly_reorganize = False


@pytest.fixture(autouse=True)
def _forge_settings_restored() -> object:
    """Each test starts from the default process-wide forge settings and no recorded usage.

    Usage includes the response cache's hit counters (``forge.stats()["cache_hits"]``).
    """
    from forge_factories.common.config import settings
    from forge_factories.llm.providers import accounting
    from forge_factories.store import reset_cache_stats

    accounting.reset_usage()
    reset_cache_stats()
    saved = dict(vars(settings))
    yield
    for key, value in saved.items():
        setattr(settings, key, value)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which compiled row plans ran (by root factory name), to check the plan really was chosen."""
    from forge_factories.core import rowplan

    seen: list[str] = []
    original = rowplan.RowPlan.run

    def run(self: rowplan.RowPlan, size: int) -> object:
        seen.append(self.factory.__name__)
        return original(self, size)

    monkeypatch.setattr(rowplan.RowPlan, "run", run)
    return seen
