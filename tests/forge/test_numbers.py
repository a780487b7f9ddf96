"""The one numeric-bounds sampler (forge_factories.auto.numbers) and the three places that use it."""

from __future__ import annotations

import decimal
import random
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from forge_factories import seed
from forge_factories.auto import numbers
from forge_factories.auto.fields import Constraints
from forge_factories.autofactory import factory_for
from forge_factories.governance import FieldConstraint, edge_cases


def test_limits_step_strict_bounds_inside_per_kind() -> None:
    strict = Constraints(gt=2.5, lt=7)
    assert numbers.limits(strict, "int") == (3, 6)
    assert numbers.limits(Constraints(gt=2, lt=7), "decimal", places=1) == (decimal.Decimal("2.1"),
                                                                          decimal.Decimal("6.9"))
    lo, hi = numbers.limits(Constraints(gt=0, lt=1), "float")
    assert 0 < lo < 1e-300 and 1 - 1e-15 < hi < 1
    assert numbers.limits(Constraints(ge=3, gt=3), "int") == (4, None)  # the tighter bound wins
    assert numbers.limits(Constraints(), "float") == (None, None)


def test_draw_range_prefers_the_hint_inside_the_bounds_and_widens_open_sides() -> None:
    assert numbers.draw_range(Constraints(ge=0, le=200), (18, 90), (1, 10), integer=True) == (18, 90)
    assert numbers.draw_range(Constraints(ge=50, le=60), (18, 90), (1, 10), integer=True) == (50, 60)
    assert numbers.draw_range(Constraints(le=-5), None, (0, 100), integer=True) == (-105, -5)
    assert numbers.draw_range(Constraints(ge=200), None, (0, 100), integer=True) == (200, 300)


@pytest.mark.parametrize("cons", [Constraints(gt=2.5, lt=7), Constraints(ge=-3, le=-1),
                                  Constraints(multiple_of=5, ge=1, le=40)])
def test_int_sampler_stays_inside(cons: Constraints) -> None:
    draw, rng = numbers.int_sampler(cons), random.Random(1)
    values = {draw(rng) for _ in range(300)}
    lo, hi = numbers.limits(cons, "int")
    assert all(lo <= v <= hi for v in values) and len(values) > 1
    if cons.multiple_of:
        assert all(v % 5 == 0 for v in values)


def test_decimal_and_float_samplers_respect_places_digits_and_strict_bounds() -> None:
    rng = random.Random(2)
    dec = numbers.decimal_sampler(Constraints(gt=1, max_digits=4, decimal_places=2))
    values = [dec(rng) for _ in range(200)]
    assert all(decimal.Decimal("1") < v <= decimal.Decimal("99.99") for v in values)
    assert all(v.as_tuple().exponent == -2 for v in values)
    flo = numbers.float_sampler(Constraints(gt=0, lt=0.01))
    assert all(0 < flo(rng) < 0.01 for _ in range(200))


def test_an_empty_range_names_the_bounds() -> None:
    with pytest.raises(numbers.EmptyRange, match="no integer satisfies"):
        numbers.int_sampler(Constraints(gt=0.2, lt=0.8))
    with pytest.raises(numbers.EmptyRange, match="no multiple of 7"):
        numbers.int_sampler(Constraints(multiple_of=7, ge=1, le=6))
    with pytest.raises(numbers.EmptyRange, match="max_digits=1 < decimal_places=2"):
        numbers.decimal_sampler(Constraints(max_digits=1))


class Bounded(BaseModel):
    count: Annotated[int, Field(gt=2, lt=7)]


def test_auto_generators_rules_and_edge_cases_agree_on_one_range() -> None:
    seed(3)
    generated = {o.count for o in factory_for(Bounded).build_batch(200)}
    repaired = {FieldConstraint("count", gt=2, lt=7).sample(random.Random(i), 100) for i in range(200)}
    cases = {c.case: c.values["count"] for c in edge_cases(Bounded) if c.field == "count"}
    assert generated == repaired == {3, 4, 5, 6}
    assert (cases["min"], cases["max"]) == (3, 6)


def test_rules_fill_an_open_side_from_the_default_range() -> None:
    rng = random.Random(4)
    values = [FieldConstraint("n", le=40).sample(rng, 1000) for _ in range(300)]
    assert min(values) >= 0 and max(values) <= 40 and len(set(values)) > 10
    floats = [FieldConstraint("x", gt=0, lt=1).sample(rng, 5.0) for _ in range(100)]
    assert all(isinstance(v, float) and 0 < v < 1 for v in floats)
    with pytest.raises(ValueError, match="n: no integer satisfies"):
        FieldConstraint("n", gt=0.2, lt=0.8).sample(rng, 1)
