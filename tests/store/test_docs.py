"""Every python example of docs/store.md runs (in order, in one namespace), twice in a row, with the default cache on."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from forge_factories import store

DOC = Path(__file__).resolve().parents[2] / "docs" / "store.md"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def run_examples() -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "docs_store_example"}
    try:
        for block in python_blocks(DOC):
            exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    finally:
        import forge_factories

        forge_factories.configure(provider=None)
    return namespace


def test_store_doc_examples_run_twice(tmp_path: Path, isolated_store: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(python_blocks(DOC)) == 3
    # the defaults a user gets: no FORGE_CACHE / FORGE_MODE / CI, store settings unset (conftest)
    assert store.store_settings.use_cache is None and store.store_settings.default_use_cache is None
    assert os.environ.get("FORGE_CACHE") is None and os.environ["FORGE_CACHE_DIR"] == str(isolated_store)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    workdirs = []
    for _ in range(2):
        namespace = run_examples()
        out = capsys.readouterr().out
        assert "UserFactory.bio item='0' ordinal=0 seed=7" in out
        assert "forge.lock.jsonl: 3 entries" in out
        workdir = Path(str(namespace["workdir"]))
        assert (workdir / "forge.lock.jsonl").is_file()
        assert list((workdir / "cache").rglob("*.json"))
        workdirs.append(workdir)
    assert workdirs[0] != workdirs[1]
