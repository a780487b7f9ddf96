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


def user_declarations() -> dict[str, object]:
    """The 10 standard fields (shared with the stock factory_boy peer of bench_seed_pg.py)."""
    import factory as stock

    return {
        "id": stock.Sequence(lambda n: n + 1),
        "first_name": stock.Faker("first_name"),
        "last_name": stock.Faker("last_name"),
        "email": stock.LazyAttribute(lambda o: f"{o.first_name}.{o.last_name}.{o.id}@example.com".lower()),
        "city": stock.Faker("city"),
        "country": stock.Faker("country"),
        "age": stock.Faker("random_int", min=18, max=90),
        "is_active": stock.Faker("boolean"),
        "created_at": stock.Faker("date_time_between", start_date="-2y"),
        "score": stock.Faker("random_int", min=0, max=1000),
    }


UserFactory = type(factory.Factory)(
    "UserFactory",
    (factory.Factory,),
    {
        "__doc__": "10 standard fields (the column-wise path applies).",
        "__module__": __name__,
        "Meta": type("Meta", (), {"model": User}),
        **user_declarations(),
    },
)
