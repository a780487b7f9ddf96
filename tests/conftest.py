"""Test-session defaults: no user cache, no lock file in the checkout, live provider calls.

Tests that exercise the cache, the lock file or CI's replay default set their own
environment (monkeypatch) or pass explicit arguments.
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


@pytest.fixture(autouse=True)
def _forge_settings_restored() -> object:
    """Each test starts from the default process-wide forge settings and no recorded usage."""
    from forge_factories.config import settings
    from forge_factories.providers import accounting

    accounting.reset_usage()
    saved = dict(vars(settings))
    yield
    for key, value in saved.items():
        setattr(settings, key, value)
