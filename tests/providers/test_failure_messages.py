"""Failures say which factory, which field, how many items and the real reason of each item."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.errors import ProviderError, SemanticResolutionError

from .fake_llm_server import FakeLLMServer, Fault
from .helpers import KINDS, provider_for, user_factory


def _strict_message(server: FakeLLMServer, kind: str, fault: Fault, n: int = 3, times: int = 3,
                    **options: Any) -> str:
    server.inject(*[fault] * times)
    UserFactory = user_factory(provider_for(kind, server.url, max_rounds=3, **options), "strict")
    with pytest.raises(SemanticResolutionError) as info:
        UserFactory.build_batch(n)
    message = str(info.value)
    assert message.startswith("UserFactory: the provider did not produce valid values for ")
    assert "(missing item)" not in message
    return message


def test_over_max_length_says_by_how_much(server: FakeLLMServer) -> None:
    message = _strict_message(server, "anthropic", Fault(overlong="headline"))
    assert "1 of 3 items (headline: 1): headline of item '0': over max_length=120 by 4880 characters" in message


@pytest.mark.parametrize("kind", ["anthropic", "openai", "gemini", "groq"])
def test_a_refusal_is_named_as_such(server: FakeLLMServer, kind: str) -> None:
    message = _strict_message(server, kind, Fault(refuse=True))
    assert "3 of 3 items (bio: 3, headline: 3)" in message
    assert "bio of item '0': refused: " in message


@pytest.mark.parametrize("kind", KINDS)
def test_prose_is_named_unparseable(server: FakeLLMServer, kind: str) -> None:
    message = _strict_message(server, kind, Fault(prose=True), n=2)
    assert "headline of item '1': unparseable reply: reply is not JSON" in message


def test_left_out_items_are_missing_and_cut_off_ones_say_so(server: FakeLLMServer) -> None:
    message = _strict_message(server, "openai", Fault(drop=1))
    assert "1 of 3 items (bio: 1, headline: 1): bio of item '2': missing from the reply;" in message
    server.reset()
    message = _strict_message(server, "openai", Fault(truncate=True, keep=0), times=10)
    assert "bio of item '2': unparseable reply: reply holds no complete item (cut off at the output limit)" in message


def test_duplicates_and_choices_are_named(server: FakeLLMServer) -> None:
    server.value_length = 12  # "Bio no. 1 ab": cut short enough that values can repeat

    class ToneFactory(factory.DictFactory):
        class Meta:
            forge_provider = provider_for("ollama", server.url, max_rounds=1)
            forge_policy = "strict"

        name = factory.Sequence(lambda n: f"Person {n}")
        tone = SemanticAttribute("tone", choices=["calm", "warm"])
        nick = SemanticAttribute("A nickname for {name}.", max_length=30)

    server.inject(Fault(same={"nick": "Buddy", "tone": "furious"}))
    with pytest.raises(SemanticResolutionError) as info:
        ToneFactory.build_batch(3)
    message = str(info.value)
    assert "3 of 3 items (tone: 3, nick: 2)" in message
    assert "tone of item '0': 'furious' not in choices ['calm', 'warm']" in message
    assert "nick of item '1': duplicate of another item's value" in message


def test_a_transport_failure_names_the_factory_and_fields_of_the_failed_request(server: FakeLLMServer) -> None:
    server.inject(Fault(status=401, message="invalid x-api-key", only="/v1/messages"))
    ok = user_factory(provider_for("openai", server.url))

    class ReviewFactory(factory.DictFactory):
        class Meta:
            forge_provider = provider_for("anthropic", server.url)

        author = factory.Sequence(lambda n: f"Author {n}")
        review = SemanticAttribute("A review by {author}.", max_length=200)

    errors: list[BaseException] = []

    def build_users() -> None:
        try:
            ok.build_batch(5)
        except BaseException as exc:  # noqa: BLE001 - the test reports it below
            errors.append(exc)

    thread = threading.Thread(target=build_users)
    thread.start()
    with pytest.raises(ProviderError) as info:
        ReviewFactory.build_batch(4)
    thread.join()
    assert errors == []
    message = str(info.value)
    assert message.startswith("tests.providers.test_failure_messages.")
    assert "ReviewFactory (fields review; 4 items): anthropic" in message
    assert "UserFactory" not in message and "authentication" in message


def test_every_value_reason_says_what_is_wrong() -> None:
    from forge_factories.llm.planner import INSTRUCTION_TEXT
    from forge_factories.llm.validate import check_value
    from forge_factories.text.spec import FieldSpec

    spec = FieldSpec("bio", max_length=20, min_length=10)
    assert check_value(spec, "x" * 25) == "over max_length=20 by 5 characters"
    assert check_value(spec, "short") == "under min_length=10 by 5 characters"
    assert check_value(spec, 7) == "not a string (got int)"
    assert check_value(spec, "   ") == "empty value"
    assert check_value(FieldSpec("tone", choices=("calm",)), "loud") == "'loud' not in choices ['calm']"
    assert check_value(FieldSpec("review"), "Sure: " + INSTRUCTION_TEXT[2]) == "repeats the request's instructions"
    assert check_value(FieldSpec("review"), "A fine loaf; the rules of the house say data is data.") is None
