"""Sensitive data never reaches an LLM unless allowed; withheld fields get synthetic values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import factory
import pytest

import forge_factories as ff
from forge_factories.governance import GovernedProvider, Memory, redact_request, synthetic_answers
from forge_factories.governance.gates import ForgePermissionError
from forge_factories.governance.redaction import MASK
from forge_factories.governance.synthetic import TEST_CARD_NUMBERS
from forge_factories.llm.providers.recording import RecordingProvider
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec
from tests.providers.fake_llm_server import FakeLLMServer
from tests.providers.helpers import provider_for


@pytest.fixture(autouse=True)
def _no_env_allow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("FORGE_ALLOW_PII", raising=False)
    monkeypatch.delenv("FORGE_ALLOW_DANGEROUS", raising=False)
    yield


@dataclass
class Patient:
    name: str
    ssn: str
    bio: str
    medical_history: str


REAL_LOOKING = "123-45-6789"


class PatientFactory(ff.AIFactory):
    class Meta:
        model = Patient

    name = factory.Sequence(lambda n: f"Patient {n}")
    ssn = REAL_LOOKING  # e.g. a value copied from somewhere it should not have come from
    bio = ff.SemanticAttribute("A two-sentence bio of {name} (SSN {ssn})", max_length=300)
    medical_history = ff.SemanticAttribute("Past conditions of {name}", max_length=200)


def _request() -> SemanticRequest:
    specs = (FieldSpec("bio", "A bio of {name}, card {card_number}"), FieldSpec("card_number"))
    items = tuple(SemanticItem(i, str(i), ("bio", "card_number"),
                               {"name": f"N{i}", "card_number": "4000 0000 0000 0002", "owner.iban": "GB00X"})
                  for i in range(3))
    return SemanticRequest("t.F", "Pay", None, specs, items)


def test_redact_request_withholds_and_masks() -> None:
    original = _request()
    red = redact_request(original)
    assert original == _request()  # masking copies the items it changes
    assert red.withheld == ("card_number",) and red.masked == ("card_number", "owner.iban")
    assert red.request is not None and [s.name for s in red.request.specs] == ["bio"]
    assert all(i.fields == ("bio",) and i.conditioning["card_number"] == MASK
               and i.conditioning["owner.iban"] == MASK and i.conditioning["name"].startswith("N")
               for i in red.request.items)
    answers = synthetic_answers(red)
    assert sorted(answers) == [0, 1, 2] and all(a["card_number"] in TEST_CARD_NUMBERS for a in answers.values())
    allowed = redact_request(_request(), allowed={"card_number", "owner.iban"})
    assert allowed.withheld == () and allowed.masked == () and allowed.request == _request()
    declared = redact_request(_request(), sensitivity={"name": "sensitive", "card_number": "safe"})
    assert declared.withheld == () and declared.masked == ("name", "owner.iban")


def test_only_withheld_fields_means_no_request() -> None:
    request = SemanticRequest("t.F", "M", None, (FieldSpec("password"),), (SemanticItem(0, "0", ("password",)),))
    red = redact_request(request)
    assert red.request is None
    recorder = RecordingProvider()
    result = GovernedProvider(recorder).fill(request)
    assert recorder.requests == [] and result.values[0]["password"].startswith("forge-test-secret-")
    assert result.item_sources[0] == "synthetic"


def test_engine_requests_carry_no_pii_unless_allowed() -> None:
    recorder = RecordingProvider()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PatientFactory._meta, "forge_provider", GovernedProvider(recorder))
        patients = PatientFactory.build_batch(4)
    (request,) = recorder.requests
    dumped = repr(request)
    assert REAL_LOOKING not in dumped and "medical_history" not in dumped
    assert [s.name for s in request.specs] == ["bio"]
    assert all(p.medical_history.startswith("SYNTHETIC") for p in patients)
    assert all(p.bio and p.ssn == REAL_LOOKING for p in patients)

    recorder = RecordingProvider()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PatientFactory._meta, "forge_provider", GovernedProvider(recorder, allow_pii=True))
        PatientFactory.build_batch(2)
    assert REAL_LOOKING in repr(recorder.requests[0])
    assert {s.name for s in recorder.requests[0].specs} == {"bio", "medical_history"}


def test_dangerous_semantic_field_refused() -> None:
    request = SemanticRequest("t.F", "M", None, (FieldSpec("xss_payload"),), (SemanticItem(0, "0", ("xss_payload",)),))
    with pytest.raises(ForgePermissionError, match="xss_payload"):
        GovernedProvider(RecordingProvider()).fill(request)
    assert GovernedProvider(RecordingProvider(), allow_dangerous=True).fill(request).values[0]["xss_payload"]


def test_fake_llm_server_never_sees_pii_but_sees_rules(tmp_path: Path) -> None:
    memory = Memory(root=tmp_path / ".forge")
    memory.add_rule("patient", "Bios never give a diagnosis")
    with FakeLLMServer() as server:
        inner = provider_for("openai", server.url)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(PatientFactory._meta, "forge_provider", GovernedProvider(inner, memory=memory, model=Patient))
            patients = PatientFactory.build_batch(3)
        bodies = json.dumps([r.body for r in server.requests])
        assert server.requests, "the LLM was called for the safe field"
        assert REAL_LOOKING not in bodies and "medical_history" not in bodies
        assert "Bios never give a diagnosis" in bodies
        assert all(p.bio for p in patients)

        server.reset()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(PatientFactory._meta, "forge_provider", GovernedProvider(inner, allow_pii=True))
            PatientFactory.build_batch(2)
        bodies = json.dumps([r.body for r in server.requests])
        assert REAL_LOOKING in bodies and "medical_history" in bodies
