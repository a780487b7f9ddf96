"""Each provider speaks its wire format to the fake server; the request shapes are asserted."""

from __future__ import annotations

import pytest

from forge_factories.llm.planner import DATA_OPEN, read_data_block
from forge_factories.llm.providers import accounting

from .fake_llm_server import FakeLLMServer, Recorded
from .helpers import KINDS, SECRET, make_request, provider_for

FORBIDDEN_SAMPLING = ("temperature", "top_p", "top_k")


@pytest.mark.parametrize("kind", KINDS)
def test_fill_returns_every_item_matched_by_echoed_index(server: FakeLLMServer, kind: str) -> None:
    provider = provider_for(kind, server.url)
    result = provider.fill(make_request(7))
    assert sorted(result.values) == list(range(7))
    for i, values in result.values.items():
        assert set(values) == {"bio", "headline"}
        assert values["bio"].endswith(f"Person {i}, {'baker' if i % 2 else 'pilot'}")
    assert result.source == f"{kind}:{provider.model}"
    assert server.count() == 1


def _only(server: FakeLLMServer) -> Recorded:
    assert len(server.requests) == 1
    return server.requests[0]


def test_anthropic_request_shape(server: FakeLLMServer) -> None:
    provider_for("anthropic", server.url).fill(make_request(3))
    req = _only(server)
    assert req.path == "/v1/messages"
    assert SECRET in req.headers.get("x-api-key", req.headers.get("authorization", ""))  # SDK 2.x: Bearer
    assert req.headers["anthropic-version"] >= "2026-10-21"
    assert "anthropic-version" in req.headers
    body = req.body
    assert not set(FORBIDDEN_SAMPLING) & set(body)
    assert body["model"] == "claude-haiku-5-5"
    assert body["max_tokens"] == 20_000
    assert "output_config" not in body
    [tool] = body["tools"]
    assert body["tool_choice"] == {"type": "tool", "name": tool["name"]}
    assert tool["strict"] is True
    item_schema = tool["input_schema"]["properties"]["items"]["items"]
    assert item_schema["required"] == ["_key", "bio", "headline"]
    assert item_schema["additionalProperties"] is False
    assert item_schema["properties"]["_key"] == {"type": "string"}
    assert "echoing each item's _key exactly" in body["system"]
    assert body["messages"] == [{"role": "user", "content": body["messages"][0]["content"]}]
    data = read_data_block(body["messages"][0]["content"])
    keys = [it["_key"] for it in data["items"]]
    assert len(set(keys)) == 3 and not any(k.isdigit() for k in keys)  # opaque, not positions
    assert data["items"][1]["given"] == {"name": "Person 1", "job": "baker"}


def test_openai_request_shape(server: FakeLLMServer) -> None:
    provider_for("openai", server.url, model="gpt-5.4-nano").fill(make_request(3))
    req = _only(server)
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {SECRET}"
    body = req.body
    assert body["model"] == "gpt-5.4-nano"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["max_completion_tokens"] == 20_000
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"].startswith(DATA_OPEN)
    assert not set(FORBIDDEN_SAMPLING) & set(body)


def test_gemini_request_shape(server: FakeLLMServer) -> None:
    provider_for("gemini", server.url).fill(make_request(3))
    req = _only(server)
    assert req.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert req.headers["x-goog-api-key"] == SECRET
    assert "authorization" not in req.headers
    cfg = req.body["generationConfig"]
    assert cfg["responseMimeType"] == "application/json"
    assert cfg["responseJsonSchema"]["required"] == ["items"]
    assert cfg["maxOutputTokens"] == 20_000
    assert req.body["systemInstruction"]["parts"][0]["text"].startswith("You write realistic")


def test_groq_strict_schema_model(server: FakeLLMServer) -> None:
    provider_for("groq", server.url).fill(make_request(2))
    req = _only(server)
    assert req.path == "/openai/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {SECRET}"
    assert req.body["response_format"]["json_schema"]["strict"] is True
    assert "must match this schema" not in req.body["messages"][0]["content"]


def test_groq_json_object_model_gets_schema_in_prompt(server: FakeLLMServer) -> None:
    result = provider_for("groq", server.url, model="llama-3.3-70b-versatile").fill(make_request(2))
    req = _only(server)
    assert req.body["response_format"] == {"type": "json_object"}
    assert "must match this schema" in req.body["messages"][0]["content"]
    assert sorted(result.values) == [0, 1]


def test_ollama_request_shape(server: FakeLLMServer) -> None:
    provider_for("ollama", server.url, num_ctx=4096).fill(make_request(2, seed=42))
    req = _only(server)
    assert req.path == "/api/chat"
    assert req.body["stream"] is False
    assert req.body["format"]["properties"]["items"]["type"] == "array"
    assert req.body["options"] == {"num_ctx": 4096, "num_predict": 8000, "seed": 42}
    assert "authorization" not in req.headers


def test_choices_field_uses_enum_and_is_validated(server: FakeLLMServer) -> None:
    from forge_factories.text.spec import FieldSpec

    specs = (FieldSpec("tone", choices=("friendly", "formal")),)
    result = provider_for("anthropic", server.url).fill(make_request(4, specs=specs))
    schema = server.requests[0].body["tools"][0]["input_schema"]
    assert schema["properties"]["items"]["items"]["properties"]["tone"]["enum"] == ["friendly", "formal"]
    assert [result.values[i]["tone"] for i in range(4)] == ["friendly", "formal", "friendly", "formal"]


@pytest.mark.parametrize("kind", KINDS)
def test_accounting_counts_requests_and_tokens(server: FakeLLMServer, kind: str) -> None:
    provider = provider_for(kind, server.url)
    provider.fill(make_request(5))
    provider.fill(make_request(5))
    row = accounting.usage()[kind][provider.model]
    assert row["requests"] == 2
    assert row["failed_requests"] == 0
    assert row["input_tokens"] > 0 and row["output_tokens"] > 0
    assert row["total_tokens"] == row["input_tokens"] + row["output_tokens"]
    assert accounting.session_tokens() == row["total_tokens"]


def test_no_key_in_request_body_or_errors(server: FakeLLMServer) -> None:
    provider_for("openai", server.url).fill(make_request(2))
    assert SECRET not in str(server.requests[0].body)
