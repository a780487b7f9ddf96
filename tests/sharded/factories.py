"""Factories of the sharded tests (a real module: Dask workers import it by name)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import os
from pathlib import Path
from typing import Any

import factory

from forge_factories.datasets.sharded import ParentKey


class CustomerFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    email = factory.Faker("email")
    tier = factory.Iterator(["free", "pro", "team"])
    score = factory.Faker("pyint", min_value=0, max_value=100)
    joined = factory.Faker("date_time_between", start_date="-2y")
    active = factory.Faker("boolean")
    label = factory.LazyAttribute(lambda o: f"{o.name} <{o.email}>")


class OrderFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: 10_000 + n)
    customer_id = ParentKey(CustomerFactory)
    city = factory.Faker("city")


@dataclasses.dataclass
class Invoice:
    id: int
    number: str
    amount: decimal.Decimal
    issued: dt.date
    paid: bool
    ratio: float


class InvoiceFactory(factory.Factory):
    class Meta:
        model = Invoice

    id = factory.Sequence(lambda n: n)
    number = factory.Sequence(lambda n: f"INV-{n:06d}")
    amount = factory.LazyFunction(lambda: decimal.Decimal(factory.random.randgen.randrange(100, 99_999)) / 100)
    issued = factory.Faker("date_object")
    paid = factory.Faker("boolean")
    ratio = 1  # a float field holding a whole number: the model's type wins


def _fail_once(row: Any, n: int) -> int:
    """Fails the first time row 250 is generated in this test session (a marker file says it did)."""
    if n == 250:
        marker = Path(os.environ["FORGE_TEST_FLAKY_DIR"]) / "failed-once"
        if not marker.exists():
            marker.write_text("x")
            raise RuntimeError("worker lost (simulated)")
    return n * 2


class FlakyFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: n)
    word = factory.Faker("word")
    twice = factory.LazyAttributeSequence(_fail_once)


def _die_once(row: Any, n: int) -> int:
    """The worker process exits (no exception, no clean-up) the first time row 250 is generated."""
    if n == 250:
        marker = Path(os.environ["FORGE_TEST_FLAKY_DIR"]) / "died-once"
        if not marker.exists():
            marker.write_text("x")
            os._exit(1)
    return n


class DyingFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: n)
    word = factory.Faker("word")
    row = factory.LazyAttributeSequence(_die_once)


@dataclasses.dataclass
class Account:
    id: int
    owner: str


@dataclasses.dataclass
class Payment:
    id: int
    account_id: int  # an auto factory reads it as a key of Account
    amount: float
