"""Every python example of docs/store.md runs (in order, in one namespace) and its asserts hold."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "store.md"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_store_doc_examples_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    blocks = python_blocks(DOC)
    assert len(blocks) == 3
    namespace: dict[str, object] = {"__name__": "docs_store_example"}
    try:
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    finally:
        import forge_factories

        forge_factories.configure(provider=None)
    out = capsys.readouterr().out
    assert "UserFactory.bio item='0' ordinal=0 seed=7" in out
    assert "forge.lock.jsonl: 3 entries" in out
    assert (tmp_path / "forge.lock.jsonl").is_file()
    assert list((tmp_path / "cache-dir").rglob("*.json"))
