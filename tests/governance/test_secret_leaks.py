"""Secrets never leave the process: not in prompts, cache files, the lock file, nor logs.

Secrets are seeded in fields with harmless names (``notes``, ``misc``, ``config``...) and in
fields whose name says what they are (``database_url``, ``stripe_key``...); an instruction
references them all; record mode runs against the fake API of each provider with the
response cache on; then every file written, every log line, every warning and every request
the fake API received are searched.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.governance import redact_request
from forge_factories.governance.redaction import MASK
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.store import configure_store, reset_cache_stats, store_settings
from forge_factories.text.spec import FieldSpec
from tests.providers.fake_llm_server import FakeLLMServer
from tests.providers.helpers import KINDS, SECRET, provider_for

PG_PASSWORD = "S3cr3tPassw0rdXq"
#: field -> a secret value under a harmless name (only its value gives it away)
BY_VALUE = {
    "notes": f"prod db: postgresql://app:{PG_PASSWORD}@db.internal:5432/shop",
    "misc": "sk_live_51HcQxKJg8aXq2R7tYvB3nM9pL0wEzz",
    "config": "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq7Bf3rPq\n-----END RSA PRIVATE KEY-----",
    "extra": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiJ9.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "remark": "aws AKIAZ7QW3ERTY5UIOP12 in eu-west-1",
    "comment": "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5",
    "memo": "xoxb-928374650192-aZ8kQ2mW9xR4tY7u",
    "hint": "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
    "label": "Zx9Qm2Lp7Rt4Vb8Nc1Kd6Hf3Jg5Ws0YeR7u",
}
#: field -> a value that only its name marks as secret (or personal)
BY_NAME = {
    "database_url": "mysql-main-replica-7",
    "stripe_key": "stripe-key-plain-marker-4411",
    "credentials": "admin/horse-battery-staple",
    "connection_string": "conn-marker-server-main-92",
    "dsn": "dsn-marker-sentry-main-17",
    "cookie": "cookie-marker-session-x8",
    "license_number": "LIC-4481-9921-XK",
}
FIELDS = {**BY_VALUE, **BY_NAME}
NEEDLES = [*FIELDS.values(), PG_PASSWORD, "sk_live_51HcQxKJg8aXq2R7", "MIIEowIBAAKCAQEAq7Bf3rPq",
           "dozjgNryP4J3jVmNHl0w5N", "AKIAZ7QW3ERTY5UIOP12", "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5",
           "xoxb-928374650192", "AIzaSyA1b2C3d4E5f6G7h8I9j0", "Zx9Qm2Lp7Rt4Vb8Nc1Kd6Hf3Jg5Ws0YeR7u", SECRET]


@dataclass
class Server:
    name: str
    notes: str
    misc: str
    config: str
    extra: str
    remark: str
    comment: str
    memo: str
    hint: str
    label: str
    database_url: str
    stripe_key: str
    credentials: str
    connection_string: str
    dsn: str
    cookie: str
    license_number: str
    summary: str
    runbook: str


def server_factory(provider: object) -> type:
    refs = ", ".join("{" + name + "}" for name in FIELDS)

    class ServerFactory(factory.Factory):
        class Meta:
            model = Server
            forge_provider = provider
            forge_context = "an ops inventory"

        name = factory.Sequence(lambda n: f"web-{n:02d}")
        notes, misc, config, extra = BY_VALUE["notes"], BY_VALUE["misc"], BY_VALUE["config"], BY_VALUE["extra"]
        remark, comment, memo, hint = BY_VALUE["remark"], BY_VALUE["comment"], BY_VALUE["memo"], BY_VALUE["hint"]
        label = BY_VALUE["label"]
        database_url, stripe_key, credentials = BY_NAME["database_url"], BY_NAME["stripe_key"], BY_NAME["credentials"]
        connection_string, dsn = BY_NAME["connection_string"], BY_NAME["dsn"]
        cookie, license_number = BY_NAME["cookie"], BY_NAME["license_number"]
        summary = SemanticAttribute("A one-line summary of server {name} given " + refs, max_length=400)
        runbook = SemanticAttribute("A runbook line for {name} using {notes} and {misc}", max_length=400)

    return ServerFactory


@pytest.fixture
def record_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FORGE_MODE", "record")
    monkeypatch.setenv("FORGE_CACHE", "1")
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FORGE_LOCK_FILE", str(tmp_path / "forge.lock.jsonl"))
    monkeypatch.delenv("FORGE_ALLOW_PII", raising=False)
    saved = vars(store_settings).copy()
    configure_store(mode=None, use_cache=None, lock_path=None, cache_dir=None)  # the environment decides
    yield tmp_path
    configure_store(**saved)
    reset_cache_stats()  # process-wide counters, read by accounting.usage()


def _found(text: str, *allowed: str) -> list[str]:
    return [n for n in NEEDLES if n in text and n not in allowed]


@pytest.mark.parametrize("allow_pii", [False, True, "governance off"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_secret_in_prompts_cache_lock_file_or_logs(
    kind: str, allow_pii: bool | str, record_env: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if allow_pii == "governance off":  # gates and memory rules off: personal data goes, secrets still not
        monkeypatch.setenv("FORGE_FLAG_PERMISSIONS", "0")
        monkeypatch.setenv("FORGE_FLAG_MEMORY", "0")
    elif allow_pii:
        monkeypatch.setenv("FORGE_ALLOW_PII", "1")  # personal data may go out; secrets still not
    caplog.set_level(logging.DEBUG)
    with FakeLLMServer() as server, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        servers = server_factory(provider_for(kind, server.url)).build_batch(3)
        prompts = [json.dumps(r.body) + json.dumps(r.headers) for r in server.requests]
    assert prompts and len({s.summary for s in servers}) == 3
    assert all(s.summary.startswith("Summary no.") for s in servers)  # answered by the fake API
    written = [p for p in record_env.rglob("*") if p.is_file()]
    lock = record_env / "forge.lock.jsonl"
    assert lock in written and any("cache" in p.parts for p in written)
    assert "web-01" in "".join(prompts) and "web-01" in lock.read_text()  # the search is not vacuous
    assert MASK in "".join(prompts)
    # a licence number is personal data, allowed with FORGE_ALLOW_PII (it is not a secret)
    pii = (BY_NAME["license_number"],) if allow_pii else ()
    for path in written:
        assert _found(path.read_text(encoding="utf-8", errors="replace"), *pii) == [], path
    for prompt in prompts:  # the provider's own API key goes to the provider, in a header
        assert _found(prompt, SECRET, *pii) == []
    assert _found(caplog.text, *pii) == []  # the SDKs log their request bodies at DEBUG
    assert _found(" ".join(str(w.message) for w in caught)) == []
    assert servers[0].notes == BY_VALUE["notes"]  # the objects keep their values


def _request(conditioning: dict[str, object], context: str | None = "an ops inventory") -> SemanticRequest:
    item = SemanticItem(index=0, key="0", fields=("summary",), conditioning=conditioning)
    return SemanticRequest(factory="tests.ServerFactory", model="Server", context=context,
                           specs=(FieldSpec("summary", "about {x}"),), items=(item,))


@pytest.mark.parametrize(("name", "value"), list(BY_VALUE.items()))
def test_a_secret_value_is_masked_whatever_the_name(name: str, value: str) -> None:
    redaction = redact_request(_request({name: value, "name": "web-01"}), allowed={name, "name"})
    assert redaction.request is not None
    assert redaction.request.items[0].conditioning == {name: MASK, "name": "web-01"}
    assert redaction.masked == (name,)


def test_secret_names_are_masked_even_when_pii_is_allowed() -> None:
    conditioning = {"stripe_key": "plain", "license_number": "LIC-1", "tokens_used": 1200, "name": "web-01"}
    redaction = redact_request(_request(conditioning), allowed=set(conditioning))
    assert redaction.request is not None
    assert redaction.request.items[0].conditioning == {"stripe_key": MASK, "license_number": "LIC-1",
                                                       "tokens_used": 1200, "name": "web-01"}
    closed = redact_request(_request(conditioning))
    assert closed.request is not None
    assert closed.request.items[0].conditioning["license_number"] == MASK
    assert closed.request.items[0].conditioning["tokens_used"] == 1200


def test_a_context_holding_a_secret_is_masked() -> None:
    redaction = redact_request(_request({"name": "web-01"}, context=f"ops, key {BY_VALUE['misc']}"))
    assert redaction.request is not None and redaction.request.context == MASK
    plain = redact_request(_request({"name": "web-01"}))
    assert plain.request is not None and plain.request.context == "an ops inventory"
