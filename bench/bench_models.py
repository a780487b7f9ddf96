"""The 10-field User used by the export/stream/seed benchmarks."""

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
    """10 standard fields (the column-wise path applies)."""

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
