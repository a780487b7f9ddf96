"""Every python block of docs/forge.md runs, in order, in one namespace."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "forge.md"


def test_docs_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "0")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 8
    module = types.ModuleType("forge_docs_example")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"{DOC.name}[block {i}]", "exec"), module.__dict__)  # noqa: S102
        except Exception as exc:  # pragma: no cover - the message names the block
            raise AssertionError(f"docs/forge.md block {i} failed: {exc!r}\n{block}") from exc
    out = capsys.readouterr().out
    assert "Invoice (pydantic)" in out and "computed" in out
    assert "Code.code: pattern" in out
    assert "[faker] name = 'Allison Hill'" in out
