"""Item identity: answers under shifted, repeated, unknown or swapped keys never land on the
wrong object; such replies are asked again (counted, bounded). Echoed prompts are rejected."""

from __future__ import annotations

import pytest

from forge_factories.common.errors import SemanticResolutionError
from forge_factories.core.reask import ask_until_valid
from forge_factories.llm.planner import read_data_block
from forge_factories.llm.providers import accounting
from forge_factories.text.spec import FieldSpec

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import KINDS, make_request, provider_for, user_factory

KEY_FAULTS = {
    "shifted": Fault(shift=True),
    "shifted, last dropped": Fault(shift_drop=True),
    "repeated": Fault(repeat=True),
    "unknown": Fault(unknown=True),
    "swapped": Fault(swap=True),
}


def _own(values: dict[int, dict[str, str]], n: int) -> None:
    """Every item has both fields, each written about that item (the fake names it in the text)."""
    assert sorted(values) == list(range(n))
    for i in range(n):
        for field in ("bio", "headline"):
            assert values[i][field].endswith(f"Person {i}, {'baker' if i % 2 else 'pilot'}"), (i, field)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", list(KEY_FAULTS), ids=list(KEY_FAULTS))
def test_a_reply_with_wrong_keys_is_asked_again_and_lands_on_no_wrong_object(
    server: FakeLLMServer, kind: str, fault: str,
) -> None:
    server.inject(KEY_FAULTS[fault])
    provider = provider_for(kind, server.url)
    result = ask_until_valid(provider, make_request(10))
    _own(result.values, 10)
    assert server.count() == 2  # the suspect reply, then all its items asked again
    assert accounting.usage()[kind][provider.model]["suspect_replies"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_persistently_shifted_reply_is_bounded_and_says_wrong_key(server: FakeLLMServer, kind: str) -> None:
    server.inject(*[Fault(shift=True)] * 3)
    provider = provider_for(kind, server.url, max_rounds=3)
    result = ask_until_valid(provider, make_request(6))
    assert result.values == {}  # nothing lands anywhere
    assert server.count() == 3
    assert accounting.usage()[kind][provider.model]["suspect_replies"] == 3
    assert set(result.reasons) == set(range(6))
    assert all(r.startswith("wrong key: an answer under key 'zz9999x', which was not asked")
               for fields in result.reasons.values() for r in fields.values())


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_keys_through_a_factory_fail_strictly_with_the_reason(server: FakeLLMServer, kind: str) -> None:
    server.inject(*[Fault(repeat=True)] * 3)
    UserFactory = user_factory(provider_for(kind, server.url), "strict")
    with pytest.raises(SemanticResolutionError) as info:
        UserFactory.build_batch(4)
    message = str(info.value)
    assert "UserFactory" in message and "4 items" in message
    assert "bio" in message and "headline" in message
    assert "wrong key: key " in message and "answered twice" in message
    assert "missing" not in message


def test_the_second_ask_of_a_suspect_reply_holds_every_item_under_new_positions(server: FakeLLMServer) -> None:
    server.inject(Fault(unknown=True))
    ask_until_valid(provider_for("anthropic", server.url), make_request(4))
    first, second = (read_data_block(r.body["messages"][0]["content"])["items"] for r in server.requests)
    assert [it["given"]["name"] for it in second] == [f"Person {i}" for i in range(4)]
    assert [it["_key"] for it in first] == [it["_key"] for it in second]  # a key belongs to its item


@pytest.mark.parametrize("kind", KINDS)
def test_an_echoed_system_prompt_is_rejected_and_asked_again(server: FakeLLMServer, kind: str) -> None:
    specs = (FieldSpec("review", "A review by {name}."),)  # no max_length: length cannot catch it
    server.inject(Fault(echo="review"))
    result = ask_until_valid(provider_for(kind, server.url), make_request(3, specs=specs))
    assert sorted(result.values) == [0, 1, 2]
    assert all("You write realistic" not in v["review"] for v in result.values.values())
    assert result.values[0]["review"].endswith("Person 0, pilot")
    assert server.count() == 2


def test_an_echo_that_persists_fails_with_its_reason(server: FakeLLMServer) -> None:
    server.inject(*[Fault(echo="review")] * 2)
    specs = (FieldSpec("review", "A review by {name}."),)
    result = ask_until_valid(provider_for("ollama", server.url, max_rounds=2), make_request(2, specs=specs))
    assert result.reasons == {0: {"review": "repeats the request's instructions"}}
    assert sorted(result.values) == [1]


@pytest.mark.parametrize("kind", KINDS)
def test_build_batch_sent_ahead_never_puts_a_shifted_answer_on_the_wrong_object(
    server: FakeLLMServer, kind: str,
) -> None:
    server.inject(Fault(shift=True), Fault(shift_drop=True))  # the first two requests of the batch
    provider = provider_for(kind, server.url, chunk_cap=10)
    users = user_factory(provider, "strict").build_batch(30)  # three chunks sent ahead
    assert all(u.bio.endswith(f"{u.name}, {u.job}") and u.headline.endswith(f"{u.name}, {u.job}") for u in users)
    assert server.count() == 5  # three chunks, two of them asked again
    assert accounting.usage()[kind][provider.model]["suspect_replies"] == 2


def test_an_echo_through_a_factory_fails_strictly_with_its_reason(server: FakeLLMServer) -> None:
    import forge_factories as factory
    from forge_factories import SemanticAttribute

    class ReviewFactory(factory.DictFactory):
        class Meta:
            forge_provider = provider_for("groq", server.url, max_rounds=2)
            forge_policy = "strict"

        author = factory.Sequence(lambda n: f"Author {n}")
        review = SemanticAttribute("A review by {author}.")

    server.inject(*[Fault(echo="review")] * 2)
    with pytest.raises(SemanticResolutionError) as info:
        ReviewFactory.build_batch(3)
    assert "1 of 3 items (review: 1): review of item '0': repeats the request's instructions" in str(info.value)
