"""One topological sort (common.ordering on graphlib) for seeding, swarms and semantic fields."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

import forge_factories as factory
from forge_factories import Forge, SemanticAttribute
from forge_factories.common.errors import ForgeConfigError, SemanticDeclarationError
from forge_factories.common.ordering import dependency_levels, parents_first
from forge_factories.orm.seed_plan import order_plan

GRAPH = {"payment": ["order"], "order": ["customer", "product"], "review": ["product", "customer"],
         "customer": [], "product": [], "coupon": ["elsewhere"]}


def test_levels_keep_the_given_order_inside_each_level() -> None:
    nodes = ["review", "payment", "coupon", "order", "product", "customer"]
    assert dependency_levels(nodes, GRAPH.__getitem__) == [
        ["coupon", "product", "customer"], ["review", "order"], ["payment"]]
    assert parents_first(nodes, GRAPH.__getitem__) == ["coupon", "product", "customer", "review", "order", "payment"]


def test_a_cycle_is_one_error_naming_its_members() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": []}
    with pytest.raises(ForgeConfigError, match=r"^tables form a cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$"):
        parents_first(["d", "a", "b", "c"], graph.__getitem__, cycle_error="tables form a cycle")
    with pytest.raises(ForgeConfigError, match=r"cycle: x -> x"):
        parents_first(["x"], lambda n: [n])


def test_keeping_the_given_order_on_a_cycle_is_explicit() -> None:
    graph = {"a": ["b"], "b": ["a"], "c": ["b"]}
    assert parents_first(["a", "b", "c"], graph.__getitem__, keep_order_on_cycle=True) == ["a", "b", "c"]
    assert parents_first(["b", "a", "c"], graph.__getitem__, keep_order_on_cycle=True) == ["b", "a", "c"]


class Left(BaseModel):
    id: int
    right_id: int


class Right(BaseModel):
    id: int
    left_id: int


class Leaf(BaseModel):
    id: int
    left_id: int


def test_swarm_models_whose_keys_form_a_cycle_keep_the_given_order() -> None:
    forge = Forge(use_ai=False, seed=1)
    assert forge.dependency_order([Leaf, Right, Left]) == [Right, Left, Leaf]
    assert forge.dependency_order([Leaf, Left, Right]) == [Left, Leaf, Right]  # Leaf and Right need Left only


class Pair(BaseModel):
    name: str
    bio: str


def test_semantic_self_reference_is_a_cycle() -> None:
    with pytest.raises(SemanticDeclarationError, match=r"SelfFactory: semantic fields depend on each other in a "
                                                       r"cycle: bio -> bio"):
        class SelfFactory(factory.Factory):
            class Meta:
                model = Pair

            name = "x"
            bio = SemanticAttribute("a bio longer than {bio}")


class Hen:
    def __init__(self, **kwargs: object) -> None:
        self.__dict__.update(kwargs)


class Egg(Hen):
    pass


class HenFactory(factory.Factory):
    class Meta:
        model = Hen

    egg = factory.SubFactory("tests.core.test_ordering.EggFactory")


class EggFactory(factory.Factory):
    class Meta:
        model = Egg

    hen = factory.SubFactory(HenFactory)


class NestFactory(factory.Factory):
    class Meta:
        model = dict

    hen = factory.SubFactory(HenFactory)


def test_seeding_order_and_its_cycle_error_name_the_factories() -> None:
    assert order_plan({NestFactory: 1, HenFactory: 1}) == [HenFactory, NestFactory]
    assert order_plan({NestFactory: 1, EggFactory: 1}) == [NestFactory, EggFactory]  # independent: plan order
    with pytest.raises(ForgeConfigError, match=r"^seeding: required foreign keys form a cycle: "
                                               r"(HenFactory -> EggFactory -> HenFactory|EggFactory -> HenFactory -> EggFactory)$"):
        order_plan({EggFactory: 3, NestFactory: 1, HenFactory: 2})
