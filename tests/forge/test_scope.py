"""Two seeded ``Forge`` objects keep apart: used in turns, each gives the data it gives alone (issue 16)."""

from __future__ import annotations

from pydantic import BaseModel

import forge_factories as factory
from forge_factories import Forge
from forge_factories.core.scope import scope


class Customer(BaseModel):
    id: int
    name: str
    email: str


class Order(BaseModel):
    id: int
    customer_id: int
    total: float


def _dump(objs: list[BaseModel]) -> list[dict[str, object]]:
    return [o.model_dump() for o in objs]


def _alone(seed: int) -> list[list[dict[str, object]]]:
    forge = Forge(use_ai=False, seed=seed)
    return [_dump(forge.create_batch(Customer, 5)), _dump(forge.create_batch(Order, 10)),
            _dump(forge.create_batch(Customer, 3))]


def test_interleaved_forges_give_what_each_gives_alone() -> None:
    a_alone, b_alone = _alone(1), _alone(2)
    assert a_alone != b_alone
    a, b = Forge(use_ai=False, seed=1), Forge(use_ai=False, seed=2)
    turns = [
        ("a", _dump(a.create_batch(Customer, 5))), ("b", _dump(b.create_batch(Customer, 5))),
        ("b", _dump(b.create_batch(Order, 10))), ("a", _dump(a.create_batch(Order, 10))),
        ("a", _dump(a.create_batch(Customer, 3))), ("b", _dump(b.create_batch(Customer, 3))),
    ]
    assert [v for k, v in turns if k == "a"] == a_alone
    assert [v for k, v in turns if k == "b"] == b_alone


def test_a_second_forge_or_plain_factories_do_not_change_the_first() -> None:
    expected = _alone(7)
    forge = Forge(use_ai=False, seed=7)
    first = _dump(forge.create_batch(Customer, 5))
    Forge(use_ai=False, seed=99).create_batch(Customer, 4)  # built and used in between
    factory.seed(123)  # the process's own seed moves too

    class Plain(factory.DictFactory):
        n = factory.Sequence(lambda n: n)
        name = factory.Faker("name")

    Plain.build_batch(3)
    assert [first, _dump(forge.create_batch(Order, 10)), _dump(forge.create_batch(Customer, 3))] == expected


def test_orders_point_at_the_customers_of_their_own_forge() -> None:
    a, b = Forge(use_ai=False, seed=1), Forge(use_ai=False, seed=2)
    a_customers = {c.id for c in a.create_batch(Customer, 3)}
    b.create_batch(Customer, 50)
    assert {o.customer_id for o in a.create_batch(Order, 20)} <= a_customers
    assert a.stats()["registry"]["Customer"] == 3


def test_a_scope_block_leaves_the_process_as_it_was() -> None:
    class Plain(factory.DictFactory):
        n = factory.Sequence(lambda n: n)
        word = factory.Faker("word")

    factory.seed(5)
    outside = Plain.build_batch(3)
    factory.seed(5)
    with scope(42) as inner:
        first = Plain.build_batch(2)
    assert Plain.build_batch(3) == outside  # the block changed nothing outside it
    with inner:
        second = Plain.build_batch(2)  # re-entered: goes on where it stopped
    with scope(42):
        both = Plain.build_batch(4)
    assert first + second == both
