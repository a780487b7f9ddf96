"""One factory per factory_boy declaration, for the stream and CLI tests (importable by ``forge``)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import factory
from factory import fuzzy


class Base(factory.DictFactory):
    """Every factory below adds one declaration to this one."""

    id = factory.Sequence(lambda n: n)


class LazyFunctionF(Base):
    v = factory.LazyFunction(lambda: 7)


class LazyAttributeF(Base):
    v = factory.LazyAttribute(lambda o: o.id * 2)


class LazyAttributeSequenceF(Base):
    v = factory.LazyAttributeSequence(lambda o, n: f"{o.id}-{n}")


class SelfAttributeF(Base):
    v = factory.SelfAttribute("id")


class IteratorF(Base):
    v = factory.Iterator(["a", "b", "c"])


class IteratorGetterF(Base):
    v = factory.Iterator([("a", 1), ("b", 2)], getter=lambda pair: pair[1])


class IteratorNoCycleF(Base):
    v = factory.Iterator(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], cycle=False)


class FakerF(Base):
    v = factory.Faker("random_int", min=1, max=9)


class DictF(Base):
    v = factory.Dict({"a": 1, "b": factory.SelfAttribute("..id")})


class ListF(Base):
    v = factory.List([1, factory.LazyFunction(lambda: 2)])


class Child(factory.DictFactory):
    label = "x"
    parent_id = factory.ContainerAttribute(lambda obj, containers: containers[0].id if containers else None)


class SubFactoryF(Base):
    v = factory.SubFactory(Child)


class MaybeF(Base):
    flag = factory.LazyAttribute(lambda o: o.id % 2 == 0)
    v = factory.Maybe("flag", yes_declaration="even", no_declaration="odd")


class TraitF(Base):
    class Params:
        loud = factory.Trait(v="LOUD")

    v = "quiet"


class TransformerF(Base):
    v = factory.Transformer("abc", transform=str.upper)


class FuzzyF(Base):
    i = fuzzy.FuzzyInteger(1, 9)
    c = fuzzy.FuzzyChoice(["x", "y"])
    t = fuzzy.FuzzyText(length=5)
    d = fuzzy.FuzzyDecimal(1, 2, precision=3)
    day = fuzzy.FuzzyDate(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    at = fuzzy.FuzzyDateTime(dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 12, 31, tzinfo=dt.UTC))


_seen: list[Any] = []


class RelatedFactoryF(Base):
    v = factory.RelatedFactory(Child, label="related")


class RelatedFactoryListF(Base):
    v = factory.RelatedFactoryList(Child, size=2)


class PostGenerationF(Base):
    @factory.post_generation
    def v(obj: dict[str, Any], create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj["post"] = obj["id"] + 100


class PostGenerationMethodCallF(Base):
    v = factory.PostGenerationMethodCall("update", post="called")


class DecimalF(Base):
    v = factory.LazyFunction(lambda: decimal.Decimal("3.14159"))


#: Factory name -> what one record's ``v`` (or the named field) looks like, checked by the tests.
ALL = ["LazyFunctionF", "LazyAttributeF", "LazyAttributeSequenceF", "SelfAttributeF", "IteratorF",
       "IteratorGetterF", "IteratorNoCycleF", "FakerF", "DictF", "ListF", "SubFactoryF", "MaybeF", "TraitF",
       "TransformerF", "FuzzyF", "RelatedFactoryF", "RelatedFactoryListF", "PostGenerationF",
       "PostGenerationMethodCallF", "DecimalF"]


class PriceF(Base):
    """Whole prices and dates for 600 records, then cents, a datetime and more decimal places."""

    price = factory.LazyAttribute(lambda o: 10 if o.id < 600 else 10.99)
    when = factory.LazyAttribute(lambda o: dt.date(2024, 1, 1) if o.id < 600 else dt.datetime(2024, 1, 1, 13, 45))
    amount = factory.LazyAttribute(lambda o: decimal.Decimal("3.1") if o.id < 600 else decimal.Decimal("3.14159"))
