"""Bad input gets a clear error naming the factory, field and value."""

from __future__ import annotations

from typing import Any

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.errors import (
    ForgeConfigError,
    ForgeWarning,
    SemanticDeclarationError,
    SemanticResolutionError,
)
from forge_factories.llm.providers import FillResult
from forge_factories.llm.request import SemanticRequest

from .models import Customer


def test_reference_to_an_undeclared_field_fails_at_class_definition() -> None:
    with pytest.raises(SemanticDeclarationError, match=r"BadFactory\.bio: .*'nickname'"):
        class BadFactory(factory.Factory):
            class Meta:
                model = Customer

            id = 1
            name = "x"
            bio = SemanticAttribute("a bio of {nickname}")


def test_cycle_through_semantic_fields_fails_at_class_definition() -> None:
    with pytest.raises(SemanticDeclarationError, match=r"CycleFactory: .*cycle: (name -> bio -> name|bio -> name -> bio)"):
        class CycleFactory(factory.Factory):
            class Meta:
                model = Customer

            id = 1
            name = SemanticAttribute("a name matching {bio}")
            bio = SemanticAttribute("a bio of {name}")


def test_nested_reference_that_does_not_resolve_fails_at_first_use() -> None:
    class ProductFactory(factory.Factory):
        class Meta:
            model = dict

        name = "Lamp"

    class ReviewFactory(factory.Factory):
        class Meta:
            model = dict

        product = factory.SubFactory(ProductFactory)
        body = SemanticAttribute("a review of {product.colour}")

    with pytest.raises(SemanticDeclarationError, match=r"ReviewFactory\.body: .*'product\.colour'"):
        ReviewFactory.build()


@pytest.mark.parametrize("size", [-1, 2.5, "3", True])
def test_bad_batch_size(size: Any) -> None:
    class F(factory.Factory):
        class Meta:
            model = dict

        a = 1

    with pytest.raises(ForgeConfigError, match=r"F\.create_batch\(\): size must be a non-negative int, got"):
        F.create_batch(size)


def test_zero_batch_is_empty() -> None:
    class F(factory.Factory):
        class Meta:
            model = dict

        a = SemanticAttribute("x")

    assert F.build_batch(0) == []


def test_non_string_context_is_rejected() -> None:
    class F(factory.Factory):
        class Meta:
            model = dict

        a = 1
        text = SemanticAttribute("a short note")

    with pytest.raises(ForgeConfigError, match=r"F: context must be a string or None, got 42"):
        F.build(forge_context=42)
    with pytest.raises(ForgeConfigError, match=r"F: context must be a string or None, got 42"):
        F.build(context=42)
    with pytest.raises(ForgeConfigError, match="either context= or forge_context="):
        F.build(context="a", forge_context="b")


def test_unknown_forge_meta_option_names_it_and_suggests() -> None:
    with pytest.raises(ForgeConfigError, match=r"unknown attribute\(s\) forge_contxt \(did you mean forge_context\?\)"):
        class F(factory.Factory):
            class Meta:
                model = dict
                forge_contxt = "typo"


def test_bad_meta_values_are_rejected() -> None:
    with pytest.raises(ForgeConfigError, match=r"F\.Meta\.forge_policy: policy must be one of fallback, strict, got 'lenient'"):
        class F(factory.Factory):
            class Meta:
                model = dict
                forge_policy = "lenient"
    with pytest.raises(ForgeConfigError, match=r"G\.Meta\.forge_context must be a string or None, got \['x'\]"):
        class G(factory.Factory):
            class Meta:
                model = dict
                forge_context = ["x"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_length": -1}, "max_length=...\\) must be a non-negative int"),
        ({"min_length": 10, "max_length": 5}, "min_length=10 is greater than max_length=5"),
        ({"choices": "abc"}, "choices=...\\) must be a sequence of strings"),
        ({"choices": []}, "must not be empty"),
        ({"examples": [1]}, "must hold strings, got 1"),
    ],
)
def test_bad_semantic_attribute_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ForgeConfigError, match=message):
        SemanticAttribute("x", **kwargs)


class ScriptedProvider:
    """Answers with whatever ``answer(request)`` returns."""

    name = "scripted"

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls = 0

    def fill(self, request: SemanticRequest) -> FillResult:
        self.calls += 1
        return FillResult(values=self.answer(request), source="scripted")


def _factory(provider: Any, policy: str) -> type:
    class TicketFactory(factory.Factory):
        class Meta:
            model = dict
            forge_provider = provider
            forge_policy = policy

        n = factory.Sequence(int)
        message = SemanticAttribute("a support message", max_length=80)
        mood = SemanticAttribute("the mood", choices=["angry", "calm"])

    return TicketFactory


def _bad_answers(request: SemanticRequest) -> dict[int, dict[str, Any]]:
    values: dict[int, dict[str, Any]] = {}
    for item in request.items:
        if item.index == 1:
            continue  # missing item
        values[item.index] = {"message": f"Message number {item.index} about my order", "mood": "angry"}
    values[2]["message"] = "x" * 200  # too long
    values[3]["mood"] = "furious"  # not a choice
    values[4]["message"] = values[0]["message"].upper()  # duplicate (normalised)
    values[99] = {"message": "extra item nobody asked for", "mood": "calm"}
    return values


def test_strict_policy_names_factory_field_and_items() -> None:
    provider = ScriptedProvider(_bad_answers)
    with pytest.raises(SemanticResolutionError) as info:
        _factory(provider, "strict").build_batch(6)
    text = str(info.value)
    assert text.startswith("TicketFactory: the provider did not produce valid values for 4 of 6 items "
                           "(message: 3, mood: 2): ")
    assert "message of item '1': missing from the reply" in text
    assert "message of item '2': over max_length=80 by 120 characters" in text
    assert "mood of item '3': 'furious' not in choices ['angry', 'calm']" in text
    assert "message of item '4': duplicate of another item's value" in text
    assert {(f.field, f.index) for f in info.value.failures} == {
        ("message", 1), ("mood", 1), ("message", 2), ("mood", 3), ("message", 4),
    }


def test_fallback_policy_fills_failed_items_offline_and_warns() -> None:
    provider = ScriptedProvider(_bad_answers)
    with pytest.warns(ForgeWarning, match="replaced invalid or missing provider values") as caught:
        rows = _factory(provider, "fallback").build_batch(6)
    assert "message of item '2'" in str(caught[0].message)
    assert provider.calls == 1
    assert rows[0]["message"] == "Message number 0 about my order"
    assert rows[5]["message"] == "Message number 5 about my order"
    for row in rows:
        assert len(row["message"]) <= 80
        assert row["mood"] in ("angry", "calm")
    assert len({r["message"].upper() for r in rows}) == 6
    assert factory.provenance(rows[2])["message"].source == "offline"
    assert factory.provenance(rows[0])["message"].source == "semantic:scripted"


def test_custom_fallback_value_is_used_for_failed_items() -> None:
    class F(factory.Factory):
        class Meta:
            model = dict
            forge_provider = ScriptedProvider(lambda request: {})

        name = "Ada"
        bio = SemanticAttribute("a bio of {name}", fallback=lambda cond: f"{cond['name']} writes software.")

    with pytest.warns(ForgeWarning):
        row = F.build()
    assert row["bio"] == "Ada writes software."
    assert factory.provenance(row)["bio"].source == "fallback"


def test_non_string_values_are_rejected_not_coerced() -> None:
    provider = ScriptedProvider(lambda r: {i.index: {"message": 123, "mood": "calm"} for i in r.items})
    with pytest.raises(SemanticResolutionError, match=r"not a string \(got int\)"):
        _factory(provider, "strict").build()
