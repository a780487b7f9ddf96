"""An unusable cache directory costs one warning; generation goes on; a paid answer is never lost.

Tests run as root, where ``chmod`` blocks nothing: the directory is made unusable by a file
in its place, or by a write that fails with ``EROFS`` / ``ENOSPC``.
"""

from __future__ import annotations

import errno
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forge_factories import AIDictFactory, SemanticAttribute
from forge_factories.common.errors import ForgeWarning
from forge_factories.store import ResponseCache, wrap_provider
from forge_factories.store import cache as cache_module
from forge_factories.store import lockfile as lockfile_module

from .fakes import FakeLLM, make_request


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    """The one warning per directory is per process: each test starts as a new process would."""
    cache_module._warned.clear()
    yield
    cache_module._warned.clear()


def _forge_warnings(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, ForgeWarning)]


def _fill_three(provider: Any) -> list[dict[int, dict[str, Any]]]:
    return [provider.fill(make_request(names)).values for names in (["Ann", "Bob"], ["Cy"], ["Ann", "Bob"])]


def test_a_file_in_place_of_the_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    live = FakeLLM()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        answers = _fill_three(wrap_provider(live, mode="live", cache_dir=blocker))
    assert live.calls == 3  # no cache: every request is asked (and answered)
    assert [sorted(a) for a in answers] == [[0, 1], [0], [0, 1]]
    assert all("written by the fake model" in v["bio"] for a in answers for v in a.values())
    messages = _forge_warnings(record)
    assert len(messages) == 1, messages
    assert str(blocker) in messages[0] and "without the cache" in messages[0]
    assert blocker.read_text() == "not a directory"


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_write_that_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    attempts: list[Path] = []

    def failing_write(path: Path, text: str) -> None:
        attempts.append(path)
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(cache_module, "atomic_write_text", failing_write)
    live = FakeLLM()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        answers = _fill_three(wrap_provider(live, mode="live", cache_dir=tmp_path / "cache"))
    assert live.calls == 3 and all(answers)
    assert len(attempts) == 1  # the cache is off after the first failure
    messages = _forge_warnings(record)
    assert len(messages) == 1 and os.strerror(code) in messages[0]


def test_put_reports_failure_and_the_cache_stays_off(tmp_path: Path) -> None:
    (tmp_path / "c").write_text("")
    cache = ResponseCache(tmp_path / "c")
    with pytest.warns(ForgeWarning, match="unusable"):
        assert cache.put("ab" * 32, {0: {"bio": "x"}}, "fakellm") is False
    assert cache.disabled is not None
    assert cache.get("ab" * 32) is None
    assert cache.put("cd" * 32, {0: {"bio": "y"}}, "fakellm") is False  # no second warning (see above)


def test_a_working_directory_still_caches(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "ok")
    assert cache.put("ab" * 32, {0: {"bio": "x"}}, "fakellm") is True
    assert cache.disabled is None and cache.get("ab" * 32)["values"] == {"0": {"bio": "x"}}  # type: ignore[index]


class NoteFactory(AIDictFactory):
    title = "A title"
    body = SemanticAttribute("a note titled {title}", max_length=300)


def test_a_factory_keeps_its_paid_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cachefile"
    blocker.write_text("")
    monkeypatch.setenv("FORGE_CACHE_DIR", str(blocker))
    live = FakeLLM()
    NoteFactory._meta.forge_provider = live
    try:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            notes = NoteFactory.build_batch(4)
            again = NoteFactory.build_batch(2)
    finally:
        NoteFactory._meta.forge_provider = None
    assert all("written by the fake model" in n["body"] for n in notes + again)
    assert live.calls == 2
    assert len([m for m in _forge_warnings(record) if "cache" in m]) == 1


def test_record_mode_keeps_answers_when_the_lock_file_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing_write(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(lockfile_module, "atomic_write_text", failing_write)
    monkeypatch.setattr(cache_module, "atomic_write_text", failing_write)
    live = FakeLLM()
    provider = wrap_provider(live, mode="record", lock_path=tmp_path / "forge.lock.jsonl")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        first = provider.fill(make_request(["Ann", "Bob"]))
        second = provider.fill(make_request(["Cy"]))
    assert live.calls == 2
    assert sorted(first.values) == [0, 1] and sorted(second.values) == [0]
    assert "written by the fake model" in first.values[0]["bio"]
    messages = _forge_warnings(record)
    assert len([m for m in messages if "not recorded" in m]) == 1, messages
    assert len([m for m in messages if "without the cache" in m]) == 1, messages
    assert not (tmp_path / "forge.lock.jsonl").exists()


def test_no_home_directory_and_no_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    for name in ("FORGE_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    live = FakeLLM()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        answers = _fill_three(wrap_provider(live, mode="live", use_cache=True))
    assert live.calls == 3 and all(answers)
    messages = _forge_warnings(record)
    assert len(messages) == 1 and "home directory" in messages[0]
