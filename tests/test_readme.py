"""Every ```python block of README.md runs, in order, in one namespace."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def test_readme_python_blocks_run() -> None:
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    module = types.ModuleType("readme_example")  # dataclasses need a real module
    sys.modules[module.__name__] = module
    try:
        for block in blocks:
            exec(compile(block, str(README), "exec"), module.__dict__)  # noqa: S102 - the point of the test
    finally:
        del sys.modules[module.__name__]
