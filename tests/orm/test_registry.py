"""FK registry, parent reuse declarations, row location and constraint names (no database)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import seed
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core import registry
from forge_factories.core.declarations_registry import RegistrySubFactory
from forge_factories.orm.persist.errors import _name_from_message
from forge_factories.orm.persist.locate import first_failing_row


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
    registry.set_limit(50)
    made = ParentFactory.build_batch(1000)
    kept = registry.instances(Parent)
    assert len(kept) == 50 and set(map(id, kept)) <= set(map(id, made))
    # A uniform sample of all 1,000, not the first 50: the parents kept cover the whole range.
    positions = sorted(made.index(p) for p in kept)
    assert positions[-1] > 900 and sum(p >= 500 for p in positions) > 10
    with pytest.raises(ValueError):
        registry.set_limit(0)


class _Rows:
    """A row source whose rows are their keys, with some keys gone from the database."""

    token = "rows"

    def __init__(self, gone: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.gone = gone
        self.loads = 0

    def load(self, keys: Any) -> dict[int, int]:
        self.loads += 1
        return {k: k for k in keys if k not in self.gone}

    def scan(self) -> list[int]:
        return []


def test_saved_rows_have_no_cap_and_every_one_can_be_picked() -> None:
    reg = registry.Registry()
    for key in range(1, 12_001):
        reg.register_row(Parent, "db", key)
    assert reg.counts() == {"Parent": 12_000}
    source = _Rows()
    picked = [reg.pick_row(Parent, "db", source) for _ in range(20_000)]
    assert max(picked) > 11_900 and min(picked) < 100
    assert source.loads <= 20_000 // 256 + 2  # rows are loaded 256 draws at a time, not one query per pick


def test_rows_that_no_longer_load_are_dropped_and_never_handed_out() -> None:
    reg = registry.Registry()
    for key in range(10):
        reg.register_row(Parent, "db", key)
    source = _Rows(gone={0, 1, 2, 3, 4, 5, 6, 7})
    assert {reg.pick_row(Parent, "db", source) for _ in range(300)} == {8, 9}
    assert reg.row_keys(Parent, "db") == [8, 9]
    reg.forget_loaded()  # a factory call ended; in the next one the rows are gone too
    assert reg.pick_row(Parent, "db", _Rows(gone=set(range(10)))) is None


def test_rollback_to_a_mark_forgets_what_came_after() -> None:
    reg = registry.Registry()
    reg.register_row(Parent, "db", 1)
    mark = reg.mark()
    for key in (2, 3):
        reg.register_row(Parent, "db", key)
    reg.register(Parent, Parent("in memory"))
    reg.rollback_to(mark)
    assert reg.row_keys(Parent, "db") == [1] and reg.instances(Parent) == []


def test_picks_from_saved_rows_are_deterministic_under_the_seed() -> None:
    def run() -> list[int]:
        seed(9)
        reg = registry.Registry()
        for key in range(1000):
            reg.register_row(Parent, "db", key)
        return [reg.pick_row(Parent, "db", _Rows()) for _ in range(50)]

    assert run() == run()


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


def test_in_memory_objects_are_bounded_by_default_to_a_sample_of_the_whole_range() -> None:
    assert registry.DEFAULT_OBJECT_LIMIT == 10_000
    made = ParentFactory.build_batch(12_000)
    kept = registry.instances(Parent)
    assert len(kept) == 10_000  # a large build is not pinned in memory past the bound
    index = {id(p): i for i, p in enumerate(made)}
    assert sum(index[id(p)] >= 10_000 for p in kept) > 1_000  # later objects are kept too
