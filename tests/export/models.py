"""Models and factories used by the export / stream / CLI tests and the benchmarks."""

from __future__ import annotations

import dataclasses
import datetime

import forge_factories as factory


@dataclasses.dataclass
class User:
    """A 10-field user."""

    id: int
    first_name: str
    last_name: str
    email: str
    city: str
    country: str
    age: int
    is_active: bool
    created_at: datetime.datetime
    score: int


class UserFactory(factory.Factory):
    """10 standard fields: the column-wise fast path applies."""

    class Meta:
        model = User

    id = factory.Sequence(lambda n: n + 1)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.first_name}.{o.last_name}.{o.id}@example.com".lower())
    city = factory.Faker("city")
    country = factory.Faker("country")
    age = factory.Faker("random_int", min=18, max=90)
    is_active = factory.Faker("boolean")
    created_at = factory.Faker("date_time_between", start_date="-2y")
    score = factory.Faker("random_int", min=0, max=1000)


@dataclasses.dataclass
class Member:
    """A user with a semantic bio."""

    id: int
    name: str
    city: str
    bio: str


class MemberFactory(factory.Factory):
    """Standard fields plus one ``SemanticAttribute`` conditioned on the name."""

    class Meta:
        model = Member

    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    city = factory.Faker("city")
    bio = factory.SemanticAttribute("a two-sentence bio of {name}", max_length=300)


class Explodes(Exception):
    """Raised by :class:`FragileFactory` on purpose."""


def _boom_after(limit: int):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def value() -> int:
        calls["n"] += 1
        if calls["n"] > limit:
            raise Explodes(f"record {calls['n']}")
        return calls["n"]

    return value


class FragileFactory(factory.DictFactory):
    """Fails while producing its 501st record (only on the per-object path, one at a time)."""

    id = factory.Sequence(lambda n: n)
    name = factory.Faker("name")
    value = factory.LazyFunction(_boom_after(500))


class Parent(factory.DictFactory):
    """A factory with a SubFactory: not eligible for the column-wise path."""

    id = factory.Sequence(lambda n: n)
    child = factory.SubFactory(factory.DictFactory, label="x")
