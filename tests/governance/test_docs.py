"""Every ```python block of docs/governance.md runs (in order, one namespace, in a temp dir)."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_doc_has_examples() -> None:
    assert len(BLOCK.findall(DOC.read_text())) >= 8


def test_doc_examples_run_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """All blocks, in order, in one namespace; then again from the start in the same directory."""
    monkeypatch.chdir(tmp_path)
    for var in ("FORGE_ALLOW_PII", "FORGE_ALLOW_DANGEROUS", "FORGE_FLAG_DREAM", "FORGE_FLAG_PERMISSIONS",
                "FORGE_FLAG_EDGE_CASES", "FORGE_CACHE"):
        monkeypatch.delenv(var, raising=False)  # FORGE_CACHE: the default (on)
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    text = DOC.read_text()
    expected = text.split("prints\n\n```text\n", 1)[1].split("```", 1)[0]
    for run in range(2):
        module = types.ModuleType("governance_doc")
        monkeypatch.setitem(sys.modules, "governance_doc", module)
        namespace = module.__dict__
        for i, block in enumerate(BLOCK.findall(text)):
            exec(compile(block, f"{DOC.name}[block {i}, run {run}]", "exec", dont_inherit=True), namespace)  # noqa: S102
        printed = capsys.readouterr().out
        assert expected in printed, f"run {run}"
        assert list(tmp_path.iterdir()) == []  # the examples wrote only under their own temp .forge
