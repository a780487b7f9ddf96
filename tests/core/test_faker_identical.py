"""Forge factories give stock factory_boy's Faker values, through the cached-weight Faker, and unpatch it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import factory
import pytest
from factory.faker import Faker as FakerDeclaration

import forge_factories
from forge_factories.core.fastfaker import shared_fakers_patched, shared_patch_active, tree_uses_faker
from forge_factories.datasets.stream import faker_weight_cache

#: Where forge's fast functions are defined.
FAST_MODULES = ("forge_factories.core.fastfaker", "forge_factories.core.fastfaker_extras")
PATCHED = ("random_elements", "random_element", "numerify", "parse", "_to_ascii", "_parse_date_time",
           "_parse_start_datetime", "_parse_end_datetime")


def user_declarations() -> dict[str, Any]:
    """The 10-field User of issue 17."""
    return {
        "name": factory.Faker("name"),
        "email": factory.Faker("email"),
        "username": factory.Faker("user_name"),
        "bio": factory.Faker("paragraph", nb_sentences=2),
        "address": factory.Faker("address"),
        "phone": factory.Faker("phone_number"),
        "company": factory.Faker("company"),
        "job": factory.Faker("job"),
        "birthdate": factory.Faker("date_of_birth", minimum_age=18, maximum_age=90),
        "signup": factory.Faker("date_time_between", start_date=dt.datetime(2020, 1, 1),
                                end_date=dt.datetime(2025, 12, 31)),
    }


def make(base: type, **extra: Any) -> Any:
    attrs: dict[str, Any] = {"Meta": type("Meta", (), {"model": dict}), **user_declarations(), **extra}
    return type(base)(f"{base.__name__}User", (base,), attrs)


def patched_attributes() -> list[tuple[str, str]]:
    """``(owner, name)`` of every fast function set on factory_boy's shared Faker instances."""
    found = []
    for fake in FakerDeclaration._FAKER_REGISTRY.values():
        for generator in fake._factory_map.values():
            for owner in (generator, *generator.providers):
                found += [(type(owner).__module__, name) for name, value in vars(owner).items()
                          if getattr(value, "__module__", None) in FAST_MODULES]
    return found


def test_build_batch_same_values_as_stock_factory_boy() -> None:
    stock, ours = make(factory.Factory), make(forge_factories.Factory)
    forge_factories.seed(17)
    expected = stock.build_batch(60)
    forge_factories.seed(17)
    got = ours.build_batch(60)
    assert got == expected
    assert len({u["name"] for u in got}) > 50  # real Faker values, not constants
    forge_factories.seed(17)
    assert [ours.build() for _ in range(60)] == expected  # one call at a time too
    assert patched_attributes() == []


def test_other_locales_and_subfactories_same_values() -> None:
    class Stock(factory.DictFactory):
        city = factory.Faker("city", locale="fr_FR")
        owner = factory.SubFactory(make(factory.Factory))

    class Ours(forge_factories.DictFactory):
        city = factory.Faker("city", locale="fr_FR")
        owner = factory.SubFactory(make(forge_factories.Factory))

    runs = []
    for fac in (Stock, Ours, Ours):  # the second forge run uses the now patched fr_FR instance
        forge_factories.seed(5)
        runs.append(fac.build_batch(30))
    assert runs[0] == runs[1] == runs[2]
    assert patched_attributes() == []


def test_block_open_during_forge_calls_then_closed() -> None:
    """The block really is open while a forge factory evaluates its Faker fields."""
    seen: list[bool] = []
    ours = make(forge_factories.Factory, probe=factory.LazyFunction(lambda: seen.append(shared_patch_active())))
    ours.build_batch(3)
    ours.build()
    assert seen == [True] * 4
    assert not shared_patch_active()
    assert patched_attributes() == []


def test_constant_factories_open_no_block() -> None:
    seen: list[bool] = []

    class Plain(forge_factories.DictFactory):
        a = 1
        b = factory.LazyFunction(lambda: seen.append(shared_patch_active()))

    assert not tree_uses_faker(Plain)
    Plain.build_batch(2)
    assert seen == [False, False]
    Plain.build(c=factory.Faker("name"))  # a Faker override opens one
    assert seen[-1] is True


def test_faker_weight_cache_removes_every_attribute_it_set() -> None:
    with faker_weight_cache():
        names = {n for _, n in patched_attributes()}
        assert names == set(PATCHED)
    assert patched_attributes() == []


def test_blocks_nest_and_leave_foreign_patches_alone() -> None:
    fake = FakerDeclaration._get_faker()
    provider = fake._factory_map["en_US"].providers[0]
    mine = provider.random_element  # the class's bound method, set on the instance by "someone else"
    provider.random_element = mine
    try:
        with shared_fakers_patched():
            with faker_weight_cache():
                assert shared_patch_active()
            assert shared_patch_active()  # the outer block still holds it
            assert vars(provider)["random_element"] is mine  # never overwritten
        assert not shared_patch_active()
        assert vars(provider)["random_element"] is mine
    finally:
        del provider.random_element
    assert patched_attributes() == []


def test_unpatched_after_an_error_inside_a_forge_call() -> None:
    ours = make(forge_factories.Factory, boom=factory.LazyFunction(lambda: 1 / 0))
    with pytest.raises(ZeroDivisionError):
        ours.build()
    assert not shared_patch_active()
    assert patched_attributes() == []


def test_threads_same_values_and_unpatched_at_the_end() -> None:
    ours = make(forge_factories.Factory)
    forge_factories.seed(3)
    expected = make(factory.Factory).build_batch(1)[0]
    results: list[Any] = []

    def work() -> None:
        for _ in range(20):
            ours.build_batch(5)
        results.append(True)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 3
    assert patched_attributes() == []
    forge_factories.seed(3)
    assert ours.build() == expected


@pytest.mark.parametrize("size", [1, 25])
def test_sequences_and_fuzzy_mixed_in(size: int) -> None:
    extra = {"n": factory.Sequence(lambda i: i * 7), "f": factory.fuzzy.FuzzyInteger(0, 10**6),
             "tag": factory.Iterator(["a", "b", "c"])}
    stock, ours = make(factory.Factory, **extra), make(forge_factories.Factory, **extra)
    forge_factories.seed(8)
    expected = stock.build_batch(size)
    forge_factories.seed(8)
    assert ours.build_batch(size) == expected


def test_stock_path_records_children_and_provenance() -> None:
    from forge_factories import provenance
    from forge_factories.core import registry

    def obj(name: str) -> type:
        return type(name, (), {"__init__": lambda self, **kw: self.__dict__.update(kw)})

    class Parent(forge_factories.Factory):
        class Meta:
            model = obj("ParentObj")

        name = factory.Faker("name")

    class Child(forge_factories.Factory):
        class Meta:
            model = obj("ChildObj")

        parent = factory.SubFactory(Parent)
        label = factory.Sequence(str)

    forge_factories.seed(2)
    kids = Child.build_batch(3, label="x")
    assert registry.counts() == {"ChildObj": 3, "ParentObj": 3}  # SubFactory parents too
    assert {p.field: p.source for p in provenance(kids[0]).values()} == {"parent": "subfactory", "label": "override"}
    assert provenance(kids[0].parent)["name"].source == "faker"
    assert provenance(Child.build()) and provenance(Child.stub()) and Child.stub() not in registry.instances(Child._meta.model)


def test_batch_engine_same_values_as_stock_factory_boy() -> None:
    """The batch engine (ORM creates, semantic trees) calls Faker itself for plain arguments: same values."""
    def declarations(base: type) -> dict[str, Any]:
        inner = type(base)(f"{base.__name__}Inner", (base,), {
            "Meta": type("Meta", (), {"model": dict}), "word": factory.Faker("word"),
            "city": factory.Faker("city", locale="fr_FR")})
        return {"Meta": type("Meta", (), {"model": dict}), **user_declarations(), "cap": 40,
                "small": factory.Faker("pyint", min_value=0, max_value=factory.SelfAttribute("..cap")),
                "inner": factory.SubFactory(inner), "inner__word": factory.Faker("color_name")}

    class EngineFactory(forge_factories.Factory):
        class Meta:
            abstract = True

        @classmethod
        def _forge_needs_engine(cls, strategy: str, params: dict[str, Any]) -> bool:
            return True  # what a bulk-capable ORM factory or a semantic tree gets

    stock = type(factory.Factory)("StockEngineUser", (factory.Factory,), declarations(factory.Factory))
    ours = type(EngineFactory)("OursEngineUser", (EngineFactory,), declarations(EngineFactory))
    forge_factories.seed(23)
    expected = stock.build_batch(40)
    forge_factories.seed(23)
    got = ours.build_batch(40)
    assert got == expected
    assert len({u["small"] for u in got}) > 10 and max(u["small"] for u in got) <= 40
    assert len({u["inner"]["word"] for u in got}) > 5


def test_batch_engine_calls_a_stand_in_faker_as_factory_boy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test suite that puts its own object in factory_boy's Faker registry (factory_boy's own
    suite does: a ``MockFaker`` with only ``format``) gets that object's values on the engine path."""

    class MockFaker:
        def format(self, provider: str, **kwargs: Any) -> str:
            return f"mock {provider} {sorted(kwargs.items())}"

    registry = dict(FakerDeclaration._FAKER_REGISTRY)
    registry["xx_XX"] = MockFaker()
    monkeypatch.setattr(FakerDeclaration, "_FAKER_REGISTRY", registry)

    class EngineMocked(forge_factories.Factory):
        class Meta:
            model = dict

        name = factory.Faker("first_name", locale="xx_XX")
        word = factory.Faker("word", locale="xx_XX", ext_word_list=None)

        @classmethod
        def _forge_needs_engine(cls, strategy: str, params: dict[str, Any]) -> bool:
            return True

    assert EngineMocked.build() == {"name": "mock first_name []", "word": "mock word [('ext_word_list', None)]"}
