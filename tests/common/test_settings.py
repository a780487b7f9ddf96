"""One settings object: the process default, scoped copies per block, thread and asyncio task."""

from __future__ import annotations

import asyncio
import threading
import warnings
from typing import Any

import pytest

import forge_factories
from forge_factories import AIFactory, SemanticAttribute, settings_scope
from forge_factories.common.config import current_settings, settings, store_settings
from forge_factories.common.errors import ForgeConfigError, SemanticResolutionError
from forge_factories.llm.providers.base import FillResult
from forge_factories.store import wrap_provider


class _Silent:
    """A provider that answers nothing: every value fails, so the failure policy decides."""

    name = "silent"

    def fill(self, request: Any) -> FillResult:
        return FillResult(values={}, source=self.name)


class NoteFactory(AIFactory):
    class Meta:
        model = dict
        forge_provider = _Silent()

    title = "t"
    body = SemanticAttribute("a short note")


def test_store_settings_is_the_store_section_of_the_one_settings_object() -> None:
    assert store_settings is settings.store
    assert current_settings() is settings


def test_a_scope_changes_the_policy_inside_the_block_only() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert NoteFactory.build()["body"]  # the default policy: offline text after a failure
    with settings_scope(policy="strict") as scoped:
        assert scoped is current_settings() and scoped.policy == "strict"
        assert settings.policy == "fallback"
        with pytest.raises(SemanticResolutionError, match="NoteFactory"):
            NoteFactory.build()
    assert current_settings() is settings


def test_scopes_nest_and_configure_inside_changes_only_the_default() -> None:
    with settings_scope(verbose=True):
        with settings_scope(max_concurrent_groups=2) as inner:
            assert inner.verbose is True and inner.max_concurrent_groups == 2
        assert current_settings().max_concurrent_groups == settings.max_concurrent_groups
        forge_factories.configure(max_concurrent_groups=3)
        try:
            assert current_settings().max_concurrent_groups == 4  # the block keeps its copy
            assert settings.max_concurrent_groups == 3
        finally:
            forge_factories.configure(max_concurrent_groups=4)


def test_a_store_option_in_a_scope_reaches_the_store_and_not_the_default(tmp_path: Any) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    with settings_scope(store={"mode": "replay", "lock_path": str(lock)}) as scoped:
        assert scoped.store is not store_settings and store_settings.mode is None
        wrapped = wrap_provider(_Silent())
        assert getattr(wrapped, "mode", None) == "replay"
    assert getattr(wrap_provider(_Silent()), "mode", None) != "replay"


def test_threads_and_tasks_see_their_own_settings() -> None:
    seen: dict[str, str] = {}

    def worker() -> None:
        seen["thread"] = current_settings().policy  # a new thread starts from the default
        with settings_scope(policy="strict"):
            seen["thread-inner"] = current_settings().policy

    async def task(name: str, policy: str, gate: asyncio.Event, other: asyncio.Event) -> None:
        with settings_scope(policy=policy):
            gate.set()
            await other.wait()  # both blocks are open at once
            seen[name] = current_settings().policy

    async def main() -> None:
        a, b = asyncio.Event(), asyncio.Event()
        await asyncio.gather(task("a", "strict", a, b), task("b", "fallback", b, a))

    with settings_scope(policy="strict"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert current_settings().policy == "strict"
    asyncio.run(main())
    assert seen == {"thread": "fallback", "thread-inner": "strict", "a": "strict", "b": "fallback"}
    assert current_settings() is settings


@pytest.mark.parametrize(("options", "message"), [
    ({"polcy": "strict"}, r"settings_scope\(\) got unknown option\(s\) polcy; known: .*policy"),
    ({"policy": "lenient"}, r"settings_scope\(\): policy must be one of fallback, strict, got 'lenient'"),
    ({"store": {"mod": "replay"}}, r"settings_scope\(\) got unknown store option\(s\) mod; known: .*mode"),
])
def test_bad_options_are_refused_naming_them(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ForgeConfigError, match=message), settings_scope(**options):
        pass
    assert current_settings() is settings
