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


def test_doc_examples_run(server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    namespace: dict[str, object] = {"__name__": "docs_providers"}
    for code in examples():
        with monkeypatch.context() as m:
            if "automatic_provider_name" not in code:  # the selection example sets its own keys
                m.setenv("ANTHROPIC_API_KEY", "test-key")
                m.setenv("OPENAI_API_KEY", "test-key")
            exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    assert server.count("/v1/messages") == 2  # build_batch(100) and build_batch(10): one request each
