"""The engine puts memory rules into live requests and keeps PII out of them, by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.governance.memory import Memory
from forge_factories.llm.request import SemanticRequest

SSN = "123-45-6789"


@dataclass
class Patient:
    name: str
    ssn: str
    bio: str


class LiveFake:
    """Stands for a live LLM provider: records what it would send."""

    name = "livefake"

    def __init__(self) -> None:
        self.requests: list[SemanticRequest] = []

    def fill(self, request: SemanticRequest) -> dict[int, dict[str, str]]:
        self.requests.append(request)
        return {i.index: {f: f"{f} number {i.index}, written for the record" for f in i.fields} for i in request.items}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORGE_ALLOW_PII", raising=False)
    return tmp_path


def make(provider: LiveFake) -> type:
    class PatientFactory(factory.Factory):
        class Meta:
            model = Patient
            forge_provider = provider

        name = factory.Sequence(lambda n: f"Patient {n}")
        ssn = SSN
        bio = SemanticAttribute("a short bio of {name}", depends_on=["ssn"])

    return PatientFactory


def test_rules_added_between_calls_reach_the_next_request(project: Path) -> None:
    provider = LiveFake()
    patient_factory = make(provider)
    patient_factory.build_batch(2)
    assert provider.requests[0].rules == ()
    Memory().add_rule("patient", "Bios never mention a diagnosis")
    patient_factory.build_batch(2)
    assert any("Bios never mention a diagnosis" in rule for rule in provider.requests[1].rules)
    assert (project / ".forge").is_dir()


def test_sensitive_conditioning_is_masked_unless_allowed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    provider = LiveFake()
    patients = make(provider).build_batch(3)
    assert SSN not in repr(provider.requests[0])
    assert all(p.ssn == SSN and p.bio for p in patients)
    monkeypatch.setenv("FORGE_ALLOW_PII", "1")
    make(provider).build_batch(1)
    assert SSN in repr(provider.requests[1])


def test_offline_text_is_not_governed(project: Path) -> None:
    class F(factory.Factory):
        class Meta:
            model = Patient

        name = "Ada"
        ssn = SSN
        bio = SemanticAttribute("a bio of {name}")

    assert F.build().bio
    assert not (project / ".forge").exists()


def test_explicit_offline_skips_replay_but_automatic_offline_replays(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forge_factories.store import ReplayMissingError

    monkeypatch.setenv("FORGE_MODE", "replay")
    monkeypatch.setenv("FORGE_LOCK_FILE", str(project / "forge.lock.jsonl"))

    class Explicit(factory.Factory):
        class Meta:
            model = dict
            forge_provider = "offline"

        bio = SemanticAttribute("a bio")

    class Automatic(factory.Factory):
        class Meta:
            model = dict

        bio = SemanticAttribute("a bio")

    assert Explicit.build()["bio"]
    with pytest.raises(ReplayMissingError):
        Automatic.build()
