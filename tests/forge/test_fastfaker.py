"""The patched Faker gives exactly stock Faker's values; regex strings match their pattern."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import OrderedDict
from typing import Any

import factory.random
import pytest
from faker import Faker

from forge_factories.auto import PatternError, pattern_generator
from forge_factories.core.fastfaker import get_faker, patch_faker

METHODS = ("name", "first_name", "last_name", "email", "city", "address", "company", "phone_number",
           "user_name", "country", "url", "job", "postcode", "iban", "license_plate", "date_of_birth")


@pytest.mark.parametrize("locale", ["en_US", "fr_FR", "de_DE", "ja_JP", "pt_BR"])
def test_same_values_as_stock_faker(locale: str) -> None:
    outputs = []
    for fake in (Faker(locale), get_faker(locale)):
        factory.random.reseed_random(11)
        outputs.append([(m, str(getattr(fake, m)())) for _ in range(300) for m in METHODS]
                       + [("bothify", fake.bothify("??-##%!@$")) for _ in range(50)])
    assert outputs[0] == outputs[1]


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("paragraph", {"nb_sentences": 2}), ("sentence", {}), ("text", {"max_nb_chars": 120}), ("words", {"nb": 4}),
    ("random_element", {"elements": ["new", "paid", "shipped"]}), ("random_element", {"elements": "xyz"}),
    ("random_elements", {"elements": ("a", "b", "c"), "length": 5}), ("random_elements", {"elements": ["a"]}),
    ("random_elements", {"elements": "abcdef", "length": 3, "unique": True}),
    ("random_elements", {"elements": OrderedDict([("a", 0.2), ("b", 0.8)]), "length": 3}),
    ("random_element", {"elements": OrderedDict([("a", 0.5), ("b", 0.3), ("c", 0.2)])}),
    ("date_time_between", {"start_date": dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "end_date": dt.datetime(2025, 1, 1),
                           "tzinfo": dt.UTC}),
    ("date_time_between", {"start_date": dt.date(2001, 2, 3), "end_date": "+30d"}),
    ("date_between", {"start_date": "-3y"}), ("date_time_ad", {"start_datetime": dt.date(1990, 1, 1)}),
    ("date_of_birth", {"minimum_age": 18, "maximum_age": 90}), ("pydecimal", {"left_digits": 4, "right_digits": 2}),
    ("ascii_email", {}), ("free_email", {}), ("hostname", {}), ("slug", {}),
]


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "cs_CZ", "el_GR", "ja_JP"])
def test_same_values_with_arguments_and_random_state(locale: str) -> None:
    """Lists, weighted tables, constant dates and user names (transliterated or not) give Faker's
    values and leave its random generator in the very same state."""
    stock, fast = Faker(locale), patch_faker(Faker(locale))
    for fake in (stock, fast):
        fake.seed_instance(7)
    for name, kwargs in CALLS * 40:
        assert getattr(fast, name)(**kwargs) == getattr(stock, name)(**kwargs), name
        assert fast.random.getstate() == stock.random.getstate()


def test_only_its_own_instances_are_patched() -> None:
    fast = get_faker("en_US")
    stock = Faker("en_US")
    assert "random_elements" in vars(fast._factory_map["en_US"].providers[0])
    assert all("random_elements" not in vars(p) for p in stock._factory_map["en_US"].providers)
    assert get_faker("en_US") is fast


@pytest.mark.parametrize("pattern,lo,hi", [
    (r"^\d{3}-\d{4}$", None, None),
    (r"^[A-Z]{2}[0-9]+$", None, 5),
    (r"^(foo|bar)+x?$", 4, 9),
    (r"^[^@\s]+@[a-z]+\.(com|org)$", None, 20),
    (r"^(?P<w>[a-z]{2})-(?P=w)$", None, None),
    (r"^\w{3,5}\s?[.!]$", None, None),
])
def test_pattern_strings_match(pattern: str, lo: int | None, hi: int | None) -> None:
    gen = pattern_generator(pattern, lo, hi)
    rnd = random.Random(3)
    for _ in range(200):
        value = gen(rnd)
        assert re.search(pattern, value), value
        assert (lo or 0) <= len(value) <= (hi if hi is not None else 10**6)


def test_impossible_pattern_lengths() -> None:
    with pytest.raises(PatternError, match="shorter than 5"):
        pattern_generator(r"^\d{5}$", None, 3)
    with pytest.raises(PatternError, match="longer than 2"):
        pattern_generator(r"^[ab]{1,2}$", 4, None)


def test_a_stand_in_in_factory_boys_faker_registry_is_left_alone(monkeypatch: Any) -> None:
    """factory_boy's own tests register mock Fakers; forge calls must neither patch nor trip on them."""
    import factory as stock
    from factory.faker import Faker as FakerDeclaration

    import forge_factories as forge

    class StandIn:
        def format(self, name: str, **kwargs: Any) -> str:
            return f"stand-in {name}"

    monkeypatch.setitem(FakerDeclaration._FAKER_REGISTRY, "xx_XX", StandIn())

    class Named(forge.DictFactory):
        name = stock.Faker("name")
        word = stock.Faker("word", locale="xx_XX")

    forge.seed(1)
    rows = Named.build_batch(3)
    assert [r["word"] for r in rows] == ["stand-in word"] * 3 and all(r["name"] for r in rows)
    assert not vars(FakerDeclaration._FAKER_REGISTRY["xx_XX"])  # nothing was set on it
