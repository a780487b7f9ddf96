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


def test_doc_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for var in ("FORGE_ALLOW_PII", "FORGE_ALLOW_DANGEROUS", "FORGE_FLAG_DREAM", "FORGE_FLAG_PERMISSIONS",
                "FORGE_FLAG_EDGE_CASES"):
        monkeypatch.delenv(var, raising=False)
    module = types.ModuleType("governance_doc")
    monkeypatch.setitem(sys.modules, "governance_doc", module)
    namespace = module.__dict__
    text = DOC.read_text()
    for i, block in enumerate(BLOCK.findall(text)):
        exec(compile(block, f"{DOC.name}[block {i}]", "exec", dont_inherit=True), namespace)  # noqa: S102
    printed = capsys.readouterr().out
    expected = text.split("prints\n\n```text\n", 1)[1].split("```", 1)[0]
    assert expected in printed
    assert list(tmp_path.iterdir()) == []  # the examples wrote only under their own temp .forge
