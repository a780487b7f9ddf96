"""Validation and repair: only missing/invalid/duplicate items are asked again, in bounded rounds."""

from __future__ import annotations

import pytest

from forge_factories.core.reask import ask_until_valid
from forge_factories.llm.planner import read_data_block
from forge_factories.llm.validate import normalise
from forge_factories.text.spec import FieldSpec

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import KINDS, make_request, provider_for


def _asked(server: FakeLLMServer, n: int) -> list[int]:
    """Items of the n-th request (Anthropic format), told by their name (item i is "Person i")."""
    items = read_data_block(server.requests[n].body["messages"][0]["content"])["items"]
    return [int(it["given"]["name"].removeprefix("Person ")) for it in items]


def _asked_fields(server: FakeLLMServer, n: int) -> list[str]:
    schema = server.requests[n].body["tools"][0]["input_schema"]
    return [k for k in schema["properties"]["items"]["items"]["properties"] if k != "_key"]


def _assert_complete(values: dict[int, dict[str, str]], n: int) -> None:
    assert sorted(values) == list(range(n))
    for field in ("bio", "headline"):
        texts = [normalise(values[i][field]) for i in range(n)]
        assert len(set(texts)) == n, f"repeated {field}"
    for i in range(n):
        assert f"Person {i}," in values[i]["bio"]  # matched to its own item, not by position


@pytest.mark.parametrize("kind", KINDS)
def test_truncation_keeps_complete_items_and_reasks_the_rest(server: FakeLLMServer, kind: str) -> None:
    server.inject(Fault(truncate=True, keep=6))
    result = ask_until_valid(provider_for(kind, server.url), make_request(10))
    _assert_complete(result.values, 10)
    assert server.count() == 2


def test_truncation_reasks_only_missing_items_in_smaller_chunks(server: FakeLLMServer) -> None:
    server.inject(Fault(truncate=True, keep=3))
    result = ask_until_valid(provider_for("anthropic", server.url, chunk_cap=8), make_request(8))
    _assert_complete(result.values, 8)
    assert _asked(server, 0) == list(range(8))
    # cap halves to 4 after the truncation: the 5 missing items go out as 3 + 2
    assert sorted([_asked(server, 1), _asked(server, 2)]) == [[3, 4, 5], [6, 7]]
    assert server.count() == 3


def test_prose_instead_of_json_is_asked_again(server: FakeLLMServer) -> None:
    server.inject(Fault(prose=True))
    result = ask_until_valid(provider_for("anthropic", server.url), make_request(5))
    _assert_complete(result.values, 5)
    assert server.count() == 2
    assert _asked(server, 1) == [0, 1, 2, 3, 4]


def test_too_few_items_reasks_the_missing_ones(server: FakeLLMServer) -> None:
    server.inject(Fault(drop=3))
    result = ask_until_valid(provider_for("anthropic", server.url), make_request(10))
    _assert_complete(result.values, 10)
    assert server.count() == 2
    assert _asked(server, 1) == [7, 8, 9]


def test_duplicates_are_asked_again_and_never_kept(server: FakeLLMServer) -> None:
    server.inject(Fault(duplicate="bio"))
    result = ask_until_valid(provider_for("anthropic", server.url), make_request(6))
    assert result.values[0]["bio"] == "Bio written the same for every item"
    assert len({normalise(result.values[i]["bio"]) for i in range(6)}) == 6
    assert all(f"Person {i}," in result.values[i]["bio"] for i in range(1, 6))
    assert server.count() == 2
    assert _asked(server, 1) == [1, 2, 3, 4, 5]  # item 0 keeps the first copy
    assert _asked_fields(server, 1) == ["bio"]  # headlines were fine: not asked again


def test_overlong_value_is_asked_again_for_that_field_only(server: FakeLLMServer) -> None:
    server.inject(Fault(overlong="headline"))
    result = ask_until_valid(provider_for("anthropic", server.url), make_request(4))
    _assert_complete(result.values, 4)
    assert all(len(v["headline"]) <= 120 for v in result.values.values())
    assert server.count() == 2
    assert _asked(server, 1) == [0]
    assert _asked_fields(server, 1) == ["headline"]


def test_items_still_failing_after_the_last_round_are_left_out(server: FakeLLMServer) -> None:
    server.inject(Fault(overlong="bio"), Fault(overlong="bio"), Fault(overlong="bio"))
    result = ask_until_valid(provider_for("anthropic", server.url, max_rounds=3), make_request(3))
    assert server.count() == 3
    assert "bio" not in result.values[0]  # never a silently wrong value
    assert len(result.values[0]["headline"]) <= 120
    assert set(result.values[1]) == set(result.values[2]) == {"bio", "headline"}


def test_prose_every_time_leaves_everything_out(server: FakeLLMServer) -> None:
    server.inject(Fault(prose=True), Fault(prose=True))
    result = ask_until_valid(provider_for("openai", server.url, max_rounds=2), make_request(4))
    assert result.values == {}
    assert server.count() == 2


def test_duplicates_across_chunks_are_caught(server: FakeLLMServer) -> None:
    same = "A baker who loves sourdough and long walks by the river."
    server.inject(Fault(same={"bio": same}), Fault(same={"bio": same}))
    result = ask_until_valid(provider_for("anthropic", server.url, chunk_cap=2, max_concurrency=1), make_request(4))
    bios = [normalise(result.values[i]["bio"]) for i in range(4)]
    assert len(set(bios)) == 4 and bios[0] == normalise(same)
    # both chunks say the same bio: one copy kept, 3 items re-asked in 2 requests (cap 2)
    assert server.count() == 4
    assert _asked(server, 2) + _asked(server, 3) == [1, 2, 3]


def test_min_length_violation_is_asked_again(server: FakeLLMServer) -> None:
    specs = (FieldSpec("bio", max_length=300, min_length=45),)
    server.value_length = 30
    result = ask_until_valid(provider_for("anthropic", server.url, max_rounds=2), make_request(2, specs=specs))
    assert result.values == {}
    assert server.count() == 2


def test_reasks_tell_the_model_what_was_rejected(server: FakeLLMServer) -> None:
    server.inject(Fault(overlong="bio", drop=1))
    ask_until_valid(provider_for("anthropic", server.url), make_request(3))
    second = read_data_block(server.requests[1].body["messages"][0]["content"])["items"]
    assert [it["given"]["name"] for it in second] == ["Person 0", "Person 2"]
    assert second[0]["rejected"] == ["bio: over max_length=300 by 4700 characters"]
    assert "rejected" not in second[1]  # simply missing: nothing to say


def test_a_bad_reply_is_logged_without_secrets(server: FakeLLMServer, caplog: pytest.LogCaptureFixture) -> None:
    from .helpers import SECRET

    caplog.set_level("INFO", logger="forge_factories.llm.providers")
    caplog.set_level("INFO", logger="forge_factories.core.reask")
    server.inject(Fault(prose=True))
    ask_until_valid(provider_for("anthropic", server.url), make_request(2))
    assert "unparseable reply: reply is not JSON for a chunk of 2 items of tests.UserFactory" in caplog.text
    assert ("asking again 2 of 2 items of tests.UserFactory (ask 2 of 3): unparseable reply: reply is not JSON"
            in caplog.text)  # the engine's loop says it asks again, and why
    assert SECRET not in caplog.text


@pytest.mark.parametrize(("a", "b"), [
    ("Bakes  bread\tat night.", "bakes bread at night"),
    ("\u00a0Bakes\u2003bread\u2028at\x1cnight!", "bakes bread at night"),
    ("ﬁne ＢＲＥＡＤ", "fine bread"),  # NFKC: ligature and full-width forms
    ("STRASSE", "straße"),  # casefold
])
def test_duplicates_are_spotted_across_case_spacing_and_compatibility_forms(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_accents_and_inner_punctuation_still_distinguish_values() -> None:
    assert normalise("café") != normalise("cafe")
    assert normalise("bread, then cake") != normalise("bread then cake")


def test_short_fields_are_checked_for_duplicates_unless_declared_unique_false(server: FakeLLMServer) -> None:
    specs = (FieldSpec("nick", "A nickname.", max_length=30), FieldSpec("city", "A city.", max_length=30, unique=False))
    server.value_length = 28
    server.inject(Fault(same={"nick": "Buddy", "city": "Paris"}))
    result = ask_until_valid(provider_for("anthropic", server.url), make_request(3, specs=specs))
    assert [result.values[i]["city"] for i in range(3)] == ["Paris"] * 3  # opted out: repeats are fine
    nicks = [result.values[i]["nick"] for i in range(3)]
    assert nicks[0] == "Buddy" and len({normalise(n) for n in nicks}) == 3  # 5 characters, still unique
    assert server.count() == 2 and _asked_fields(server, 1) == ["nick"]
    system = server.requests[0].body["system"]
    assert '"city": a string, at most 30 characters (hard limit, count them), values may repeat' in system
    assert '"nick": a string, at most 30 characters (hard limit, count them). Brief' in system


def test_unique_is_a_bool_and_the_default_keeps_spec_hashes() -> None:
    from forge_factories import SemanticAttribute
    from forge_factories.common.errors import ForgeConfigError

    with pytest.raises(ForgeConfigError, match="unique"):
        SemanticAttribute("x", unique="no")  # type: ignore[arg-type]
    assert "unique" not in FieldSpec("bio").as_dict()  # lock files and caches keep their keys
    assert FieldSpec("bio", unique=False).spec_hash() != FieldSpec("bio").spec_hash()
    assert SemanticAttribute("x", unique=False).spec("city").unique is False
