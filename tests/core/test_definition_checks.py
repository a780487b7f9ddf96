"""A SemanticAttribute that cannot work fails when its factory class is defined, naming factory, field and value."""

from __future__ import annotations

from typing import Any

import factory as factory_boy
import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.errors import ForgeConfigError
from forge_factories.text.spec import FieldSpec, instruction_references, template_problem

LONG = "a choice that is much longer than ten characters"


def _define(**kwargs: Any) -> type:
    class TicketFactory(factory.Factory):
        class Meta:
            model = dict
            forge_policy = "strict"

        name = "Ann"
        mood = SemanticAttribute(**kwargs)

    return TicketFactory


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"choices": ["calm", LONG], "max_length": 10},
     rf"TicketFactory\.mood: SemanticAttribute choice '{LONG}' is 48 characters long, over max_length=10"),
    ({"choices": ["ok", "calm"], "min_length": 3}, r"TicketFactory\.mood: .*choice 'ok' is 2 characters long, under min_length=3"),
    ({"min_length": 12, "max_length": 5}, r"TicketFactory\.mood: .*min_length=12 is greater than max_length=5"),
    ({"instruction": "the mood of {name"}, r"TicketFactory\.mood: .*'the mood of \{name' is not a valid template"),
    ({"instruction": "the mood of name}"}, r"TicketFactory\.mood: .*'the mood of name\}' is not a valid template"),
    ({"instruction": "the mood of {}"}, r"TicketFactory\.mood: .*placeholder '\{\}' does not name a field"),
    ({"instruction": "the mood of {0}"}, r"TicketFactory\.mood: .*placeholder '\{0\}' does not name a field"),
    ({"instruction": "the mood of {name[0]}"}, r"placeholder '\{name\[0\]\}' does not name a field"),
    ({"instruction": "the mood of {name!x}"}, r"TicketFactory\.mood: .*unknown conversion"),
    ({"instruction": "the mood of {name:>{w}}"}, r"TicketFactory\.mood: .*nested placeholder"),
])
def test_a_bad_declaration_fails_at_class_definition(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ForgeConfigError, match=message):
        _define(**kwargs)


@pytest.mark.parametrize("kwargs", [
    {"choices": ["calm", "angry"], "max_length": 5},
    {"choices": ["calm", "angry"], "min_length": 4, "max_length": 5},
    {"instruction": "a {{literal}} brace and {name}"},
    {"instruction": "rated {name!r} with {name:>10}"},
    {"instruction": "no placeholder at all"},
    {"min_length": 5, "max_length": 5},
])
def test_good_declarations_are_accepted(kwargs: dict[str, Any]) -> None:
    assert _define(**kwargs).build()["mood"]


def test_outside_a_class_the_error_is_raised_at_once() -> None:
    with pytest.raises(ForgeConfigError, match=rf"^SemanticAttribute: choice '{LONG}' is 48 characters long"):
        SemanticAttribute(choices=[LONG], max_length=10)
    with pytest.raises(ForgeConfigError, match="is not a valid template"):
        SemanticAttribute("a {broken")


def test_a_stock_factory_boy_factory_fails_at_definition_too() -> None:
    with pytest.raises((ForgeConfigError, RuntimeError)) as info:
        class Plain(factory_boy.Factory):
            class Meta:
                model = dict

            mood = SemanticAttribute(choices=[LONG], max_length=10)
    error = info.value if isinstance(info.value, ForgeConfigError) else info.value.__cause__
    assert isinstance(error, ForgeConfigError)  # Python 3.11 wraps it in a RuntimeError
    assert "Plain.mood" in str(error) and LONG in str(error)


def test_a_declaration_nested_in_a_dict_fails_when_used() -> None:
    class HolderFactory(factory.Factory):
        class Meta:
            model = dict

        name = "Ann"
        extra = factory.Dict({"note": SemanticAttribute("a note about {name")})

    with pytest.raises(ForgeConfigError, match="is not a valid template"):
        HolderFactory.build()


def test_a_subclass_of_semantic_attribute_is_checked_the_same_way() -> None:
    class Short(SemanticAttribute):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, max_length=4, **kwargs)

    with pytest.raises(ForgeConfigError, match=r"Sub\.mood: .*'angry' is 5 characters long"):
        class Sub(factory.Factory):
            class Meta:
                model = dict

            mood = Short(choices=["calm", "angry"])


def test_template_helpers() -> None:
    assert template_problem(None) is None and template_problem("") is None
    assert template_problem("{product.name} rated {rating}") is None
    assert instruction_references("a {broken") == ()
    assert FieldSpec("x", "a {broken").render_instruction({}) == "a {broken"
