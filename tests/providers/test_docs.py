"""Every code example of docs/providers.md runs (in order, one namespace) against the fake server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .fake_llm_server import FakeLLMServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "providers.md"


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_doc_has_examples() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize("cache", ["off", "default cache on, run twice"])
def test_doc_examples_run(server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                          cache: str) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    runs = 1
    if cache != "off":  # a reader runs the examples again: the answers cached by the first run exist
        from forge_factories.store import configure_store, store_settings

        saved = vars(store_settings).copy()
        monkeypatch.setenv("FORGE_CACHE", "1")
        monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
        configure_store(use_cache=None, cache_dir=None)
        runs = 2
    try:
        for _ in range(runs):
            namespace: dict[str, object] = {"__name__": "docs_providers"}
            for code in examples():
                with monkeypatch.context() as m:
                    if "automatic_provider_name" not in code:  # the selection example sets its own keys
                        m.setenv("ANTHROPIC_API_KEY", "test-key")
                        m.setenv("OPENAI_API_KEY", "test-key")
                    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    finally:
        if cache != "off":
            configure_store(**saved)
    if cache == "off":
        assert server.count("/v1/messages") == 2  # build_batch(100) and build_batch(10): one request each
