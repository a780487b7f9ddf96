"""Feature flags: defaults, FORGE_FLAG_<NAME> overrides read at call time, typo protection."""

from __future__ import annotations

import pytest

from forge_factories.common.errors import ForgeConfigError
from forge_factories.governance import FLAGS, flag_summary, is_enabled


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in FLAGS:
        monkeypatch.delenv("FORGE_FLAG_" + name[len("FORGE_"):], raising=False)


def test_defaults() -> None:
    summary = flag_summary()
    assert summary["FORGE_PERMISSIONS"] is True and summary["FORGE_DREAM"] is False
    assert set(summary) == set(FLAGS)


@pytest.mark.parametrize("name", ["dream", "DREAM", "FORGE_DREAM", "FORGE_FLAG_DREAM", "forge-dream"])
def test_names_and_env_at_call_time(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_enabled(name)
    monkeypatch.setenv("FORGE_FLAG_DREAM", "1")
    assert is_enabled(name) and flag_summary()["FORGE_DREAM"]
    monkeypatch.setenv("FORGE_FLAG_DREAM", "Off")
    assert not is_enabled(name)


def test_shipped_flags_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_FLAG_SWARMS", "false")
    assert not is_enabled("swarms")


def test_bad_values_and_unknown_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_FLAG_DREAM", "maybe")
    with pytest.raises(ForgeConfigError, match="FORGE_FLAG_DREAM='maybe'"):
        is_enabled("dream")
    with pytest.raises(ForgeConfigError, match="unknown feature flag 'dreem'"):
        is_enabled("dreem")
    assert is_enabled("permissions", environ={}) is True


def test_swarms_flag_off_switches_forge_swarm_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import BaseModel

    from forge_factories import Forge
    from forge_factories.common.errors import ForgeConfigError

    class Tag(BaseModel):
        id: int
        label: str

    forge = Forge(use_ai=False, seed=1)
    assert len(forge.swarm([Tag], counts=3)["Tag"]) == 3
    monkeypatch.setenv("FORGE_FLAG_SWARMS", "0")
    with pytest.raises(ForgeConfigError, match="FORGE_FLAG_SWARMS=0"):
        forge.swarm([Tag], counts=3)
