"""``Forge.create_stream`` takes the column-wise plan: an auto factory's standard fields draw whole
columns (same ranges, providers, length bounds and share of ``None`` as the per-value generators),
only fields without a column form are called per value, and a seed gives the same stream."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Literal

from pydantic import BaseModel, Field

from forge_factories import Forge
from forge_factories.auto.columns import ColumnFunction
from forge_factories.autofactory import factory_for
from forge_factories.datasets.columnar import plan_for


class Tier(enum.Enum):
    FREE = "free"
    PRO = "pro"


class Account(BaseModel):
    id: int
    name: str = Field(max_length=12)
    email: str = Field(max_length=60)
    username: str = Field(min_length=4, max_length=20)
    address: str = Field(max_length=200)
    phone: str
    company: str
    job: str
    city: str
    postcode: str
    sku: str
    age: int = Field(ge=21, le=30)
    score: float = Field(ge=0, le=1)
    active: bool
    tier: Tier
    plan: Literal["a", "b", "c"]
    nickname: str | None = Field(default=None, max_length=20)
    birthdate: dt.date
    joined_at: dt.datetime
    token: uuid.UUID


def _rows(seed: int, n: int = 2000) -> list[dict[str, object]]:
    return [row for _, row in zip(range(n), Forge(use_ai=False, seed=seed, allow_pii=True).create_stream(
        Account, n, as_dicts=True, executor="columns"), strict=False)]


def test_auto_fields_carry_their_column_form() -> None:
    factory_cls = factory_for(Account)
    plan = plan_for(factory_cls)
    declarations = factory_cls._meta.pre_declarations
    per_value = {name for name in plan.columns if not isinstance(declarations[name].declaration, ColumnFunction)
                 or declarations[name].declaration.forge_column is None}
    assert per_value == {"id", "score"}  # a Sequence, and floats (no column form yet)
    assert all(plan.columns[name] is declarations[name].declaration.forge_column
               for name in plan.columns if name not in per_value)


def test_column_values_keep_the_fields_constraints() -> None:
    rows = _rows(4)
    objects = [Account(**row) for row in rows]  # pydantic accepts every row
    assert len(objects) == 2000
    assert all(len(r["name"]) <= 12 and 4 <= len(r["username"]) <= 20 for r in rows)
    assert all(21 <= r["age"] <= 30 for r in rows) and {r["age"] for r in rows} == set(range(21, 31))
    assert {r["tier"] for r in rows} == {Tier.FREE, Tier.PRO}  # members, not their names
    assert {r["plan"] for r in rows} == {"a", "b", "c"}
    nones = sum(r["nickname"] is None for r in rows)
    assert 100 < nones < 320  # none_ratio 0.1
    assert all(dt.date(1950, 1, 1) <= r["birthdate"] <= dt.date(2005, 12, 31) for r in rows)
    assert all(dt.datetime(2020, 1, 1) <= r["joined_at"] <= dt.datetime(2025, 12, 31, 23, 59, 59) for r in rows)
    assert all(isinstance(r["token"], uuid.UUID) and r["token"].version == 4 for r in rows)
    assert all(r["sku"][:2].isupper() and r["sku"][3:].isdigit() for r in rows)  # bothify:??-#####, upper
    assert len({r["address"] for r in rows}) > 1900 and len({r["email"] for r in rows}) > 1500


def test_the_same_seed_gives_the_same_stream() -> None:
    first = _rows(9, 500)
    assert _rows(9, 500) == first
    assert _rows(10, 500) != first


def test_the_facade_and_the_factory_stream_take_the_same_plan(tmp_path: object) -> None:
    from forge_factories.datasets.stream import create_stream

    forge = Forge(use_ai=False, seed=3, allow_pii=True)
    via_facade = list(forge.create_stream(Account, 300, as_dicts=True, executor="columns"))
    via_factory = list(create_stream(forge.factory(Account), 300, seed=3, as_dicts=True, provider=forge.provider,
                                     executor="columns"))
    assert via_facade == via_factory
