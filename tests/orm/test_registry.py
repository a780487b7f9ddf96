"""FK registry, parent reuse declarations, row location and constraint names (no database)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import registry, seed
from forge_factories.declarations_registry import RegistrySubFactory
from forge_factories.errors import ForgeConfigError
from forge_factories.persist.errors import _name_from_message
from forge_factories.persist.locate import first_failing_row


class Parent:
    def __init__(self, name: str) -> None:
        self.name = name


class Child:
    def __init__(self, parent: Parent, label: str) -> None:
        self.parent = parent
        self.label = label


class ParentFactory(factory.Factory[Parent]):
    class Meta:
        model = Parent

    name = factory.Sequence(lambda n: f"p{n}")


class ChildFactory(factory.Factory[Child]):
    class Meta:
        model = Child

    parent = RegistrySubFactory(ParentFactory)
    label = factory.Sequence(lambda n: f"c{n}")


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    seed(5)
    yield
    registry.set_limit(10_000)
    registry.clear_registry()


def test_record_keeps_each_object_once_under_its_model() -> None:
    a, b = Parent("a"), Parent("b")
    registry.record(ParentFactory, a)
    registry.record(ParentFactory, a)
    registry.register(Parent, b)
    registry.record(ParentFactory, {"not": "a model object"})
    assert registry.instances(Parent) == [a, b]
    assert registry.counts() == {"Parent": 2}


def test_registry_subfactory_reuses_built_parents_and_overrides_win() -> None:
    parents = ParentFactory.build_batch(3)
    children = ChildFactory.build_batch(30)
    assert {id(c.parent) for c in children} <= {id(p) for p in parents}
    assert len({id(c.parent) for c in children}) == 3
    mine = Parent("explicit")
    assert ChildFactory.build(parent=mine).parent is mine
    assert ChildFactory.build(parent__name="deep").parent.name == "deep"


def test_without_parents_a_new_one_is_made_and_then_reused() -> None:
    first = ChildFactory.build()
    second = ChildFactory.build()
    assert second.parent is first.parent


def test_picks_are_deterministic_under_the_seed() -> None:
    def run() -> list[str]:
        seed(9)
        ParentFactory.build_batch(5)
        return [c.parent.name for c in ChildFactory.build_batch(25)]

    assert run() == run()


def test_seed_and_clear_registry_empty_it() -> None:
    ParentFactory.build_batch(2)
    seed(1)
    assert registry.instances(Parent) == []
    ParentFactory.build()
    registry.clear_registry()
    assert registry.counts() == {}


def test_paused_and_limit() -> None:
    with registry.paused():
        ParentFactory.build_batch(3)
    assert registry.instances(Parent) == []
    registry.set_limit(2)
    kept = ParentFactory.build_batch(4)
    assert registry.instances(Parent) == kept[:2]
    with pytest.raises(ValueError):
        registry.set_limit(0)


def test_pick_filters_with_usable() -> None:
    registry.register(Parent, Parent("skip"))
    keep = Parent("keep")
    registry.register(Parent, keep)
    assert registry.pick(Parent, usable=lambda p: p.name == "keep") is keep
    assert registry.pick(Parent, usable=lambda p: False) is None


def test_forge_reuse_parents_names_must_be_subfactories() -> None:
    from forge_factories.django import DjangoModelFactory

    from .djapp.models import Member

    with pytest.raises(ForgeConfigError, match="not SubFactory fields"):
        type("BadFactory", (DjangoModelFactory,), {
            "Meta": type("Meta", (), {"model": Member, "forge_reuse_parents": ["name"]}),
            "name": "x",
        })
    with pytest.raises(ForgeConfigError):
        type("BadBulk", (DjangoModelFactory,), {"Meta": type("Meta", (), {"model": Member, "forge_bulk": "yes"})})


@pytest.mark.parametrize(
    ("size", "bad", "expected"),
    [(10, {7}, 7), (10, {0}, 0), (10, {9}, 9), (1, {0}, 0), (10, set(), None), (1000, {3, 600}, 3)],
)
def test_first_failing_row(size: int, bad: set[int], expected: int | None) -> None:
    calls: list[int] = []

    def prefix_fails(k: int) -> bool:
        calls.append(k)
        return any(i < k for i in bad)

    assert first_failing_row(size, prefix_fails) == expected
    assert len(calls) <= size.bit_length() + 2


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ('duplicate key value violates unique constraint "djapp_coded_code_key"', "djapp_coded_code_key"),
        ("(1062, \"Duplicate entry 'x' for key 'code'\")", "code"),
        ("UNIQUE constraint failed: djapp_coded.code", "UNIQUE djapp_coded.code"),
        ("NOT NULL constraint failed: t.c", "NOT NULL t.c"),
        ("something else", None),
    ],
)
def test_constraint_names_from_driver_messages(message: str, name: Any) -> None:
    assert _name_from_message(message) == name
