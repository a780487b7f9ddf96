"""A SemanticAttribute on a stock factory_boy factory warns once per factory, naming the fix."""

from __future__ import annotations

import warnings

import factory as stock
import pytest

import forge_factories as forge
from forge_factories.common.config import use_provider
from forge_factories.common.errors import ForgeWarning
from forge_factories.core.stock import forge_base_for
from forge_factories.llm.providers.base import FillResult
from forge_factories.llm.request import SemanticRequest


class Counting:
    """Answers every item; counts the requests."""

    name = "counting"

    def __init__(self) -> None:
        self.requests = 0

    def fill(self, request: SemanticRequest) -> FillResult:
        self.requests += 1
        values = {i.index: {n: f"{n} {self.requests}-{i.index}" for n in i.fields} for i in request.items}
        return FillResult(values=values, source="counting")


def _stock_factory() -> type:
    class HalfMigrated(stock.DictFactory):
        name = stock.Sequence(lambda n: f"Person {n}")
        bio = forge.SemanticAttribute("a bio of {name}", max_length=80)

    return HalfMigrated


def test_a_stock_factory_warns_once_naming_the_factory_and_its_forge_base() -> None:
    provider = Counting()
    HalfMigrated = _stock_factory()
    with use_provider(provider), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = HalfMigrated.build_batch(10)
        HalfMigrated.build_batch(2)
    ours = [w for w in caught if issubclass(w.category, ForgeWarning)]
    assert len(ours) == 1  # once per factory, however many objects and calls
    message = str(ours[0].message)
    assert "test_stock_factories" in message and "HalfMigrated" in message
    assert "one provider request per object" in message
    assert "Derive it from forge_factories.DictFactory" in message
    assert len({row["bio"] for row in rows}) == 10
    assert provider.requests == 12  # what the warning is about: one request per object


def test_each_stock_factory_gets_its_own_warning() -> None:
    with use_provider(Counting()):
        with pytest.warns(ForgeWarning, match="HalfMigrated"):
            _stock_factory().build()
        with pytest.warns(ForgeWarning, match="HalfMigrated"):
            _stock_factory().build()  # a new class


def test_a_forge_factory_resolves_the_batch_in_one_request_without_warning() -> None:
    provider = Counting()

    class Migrated(forge.DictFactory):
        class Meta:
            forge_provider = provider

        name = forge.Sequence(lambda n: f"Person {n}")
        bio = forge.SemanticAttribute("a bio of {name}", max_length=80)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Migrated.build_batch(10)
    assert provider.requests == 1


def test_the_fix_names_the_matching_forge_base() -> None:
    class Plain(stock.Factory):
        class Meta:
            model = dict

    class Listy(stock.ListFactory):
        pass

    assert forge_base_for(Plain) == "forge_factories.Factory"
    assert forge_base_for(Listy) == "forge_factories.ListFactory"
    assert forge_base_for(stock.DictFactory) == "forge_factories.DictFactory"


def test_a_forge_factory_under_a_stock_parent_names_the_parent() -> None:
    provider = Counting()

    class Child(forge.DictFactory):
        class Meta:
            forge_provider = provider

        bio = forge.SemanticAttribute("a bio", max_length=80)

    class StockParent(stock.DictFactory):
        child = stock.SubFactory(Child)

    with pytest.warns(ForgeWarning) as caught:
        StockParent.build_batch(3)
    [warning] = [w for w in caught if issubclass(w.category, ForgeWarning)]
    message = str(warning.message)
    assert ".StockParent is a plain factory_boy factory" in message
    assert "Child, one of its SubFactory children" in message
    assert "Derive it from forge_factories.DictFactory" in message
    assert provider.requests == 3
