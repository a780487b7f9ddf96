"""The column-wise path: which factories qualify, what values it draws, and the object fallback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pydantic
import pytest

import forge_factories as factory
from forge_factories.common.seeding import seed
from forge_factories.datasets.columnar import NotColumnar, plan_for
from forge_factories.datasets.stream import create_stream
from forge_factories.llm.providers import RecordingProvider
from forge_factories.samplers import REFERENCE_TIME, SamplerSet

from .models import Parent, UserFactory


def test_samplers_draw_from_fakers_tables_deterministically() -> None:
    from faker import Faker

    samplers = SamplerSet("en_US")
    first = samplers.sampler("first_name", {})
    assert first is not None
    a, b = first(500, random.Random("x")), first(500, random.Random("x"))
    assert a == b and len(set(a)) > 100
    provider = next(p for p in Faker("en_US")._factory_map["en_US"].providers if hasattr(p, "first_names"))
    assert set(a) <= set(provider.first_names)
    when = samplers.sampler("date_time_between", {"start_date": "-2y"})
    assert when is not None
    values = when(1000, random.Random(1))
    assert all(REFERENCE_TIME - dt.timedelta(days=731) <= v <= REFERENCE_TIME for v in values)
    ages = samplers.sampler("random_int", {"min": 18, "max": 20})
    assert ages is not None and set(ages(300, random.Random(2))) == {18, 19, 20}


def test_other_locales_use_their_own_tables() -> None:
    from faker import Faker

    fr = SamplerSet("fr_FR").sampler("last_name", {})
    assert fr is not None
    names = set(fr(300, random.Random(0)))
    provider = next(p for p in Faker("fr_FR")._factory_map["fr_FR"].providers if hasattr(p, "last_names"))
    assert names <= set(provider.last_names)


def test_unsupported_declarations_fall_back_to_objects() -> None:
    with pytest.raises(NotColumnar, match="SubFactory"):
        plan_for(Parent)

    class WithTrait(factory.DictFactory):
        class Params:
            vip = factory.Trait(level=3)

        level = 1

    with pytest.raises(NotColumnar, match="Params"):
        plan_for(WithTrait)
    assert [r["level"] for r in create_stream(WithTrait, 3)] == [1, 1, 1]


def test_object_path_is_faker_identical_to_factory_boy() -> None:
    streamed = [dataclasses.asdict(u) for u in create_stream(UserFactory, 20, seed=9, executor="objects")]
    seed(9)
    built = [dataclasses.asdict(u) for u in UserFactory.build_batch(20)]
    assert streamed == built


def test_lazy_values_see_semantic_fields() -> None:
    class Review(factory.DictFactory):
        rating = factory.Faker("random_int", min=1, max=5)
        body = factory.SemanticAttribute("a {rating}-star review", max_length=200)
        summary = factory.LazyAttribute(lambda o: f"{o.rating}: {o.body[:10]}")
        copy = factory.SelfAttribute("rating")

    rec = RecordingProvider()
    rows = list(create_stream(Review, 12, provider=rec, seed=2))
    assert len(rec.requests) == 1 and len(rec.requests[0].items) == 12
    for row, item in zip(rows, rec.requests[0].items, strict=True):
        assert item.conditioning == {"rating": row["rating"]}
        assert row["summary"] == f"{row['rating']}: {row['body'][:10]}"
        assert row["copy"] == row["rating"]
    assert list(rows[0]) == ["rating", "body", "summary", "copy"]


def test_plain_model_gets_its_auto_factory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("forge_factories.auto")

    class Customer(pydantic.BaseModel):
        id: int
        name: str
        created_at: dt.datetime

    rows = list(create_stream(Customer, 5, tmp_path / "c.jsonl", seed=1))
    assert all(isinstance(r, Customer) for r in rows)
    assert len((tmp_path / "c.jsonl").read_text().splitlines()) == 5


def test_faker_weight_cache_same_values_and_removed() -> None:
    from factory.faker import Faker as FakerDeclaration

    from forge_factories.datasets.stream import faker_weight_cache

    def names() -> list[str]:
        seed(4)
        return [UserFactory.build().last_name for _ in range(200)]

    plain = names()
    with faker_weight_cache():
        fake = FakerDeclaration._get_faker()
        assert any("random_elements" in vars(p) for g in fake._factory_map.values() for p in g.providers)
        cached = names()
    assert cached == plain
    fake = FakerDeclaration._get_faker()
    assert not any("random_elements" in vars(p) for g in fake._factory_map.values() for p in g.providers)


def test_sequences_continue_after_a_stream() -> None:
    seed(1)
    streamed = [u.id for u in create_stream(UserFactory, 25, chunk_size=10)]
    assert streamed == list(range(1, 26))
    assert UserFactory.build().id == 26
