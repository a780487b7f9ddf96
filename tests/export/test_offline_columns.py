"""The column-wise executor writes semantic fields with the offline writer a column at a time
when the provider is the plain offline one, and asks any other provider as before."""

from __future__ import annotations

import dataclasses
import random

import pytest

from forge_factories.core import engine
from forge_factories.datasets.stream import create_stream
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.column import offline_column
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec

from .models import MemberFactory


def _members(n: int, seed: int, provider: object, chunk_size: int | None = None) -> list[dict[str, object]]:
    stream = create_stream(MemberFactory, n, seed=seed, provider=provider, executor="columns", chunk_size=chunk_size)
    return [dataclasses.asdict(m) for m in stream]  # type: ignore[call-overload]


def test_offline_bios_are_deterministic_fit_and_name_the_member(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_request(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plain offline provider is not asked through a request")

    monkeypatch.setattr(engine, "fill_rows", no_request)
    first = _members(300, 7, OfflineProvider(), chunk_size=100)
    again = _members(300, 7, OfflineProvider(), chunk_size=100)
    other = _members(300, 8, OfflineProvider(), chunk_size=100)
    assert first == again
    assert [m["bio"] for m in first] != [m["bio"] for m in other]
    bios = [str(m["bio"]) for m in first]
    assert all(0 < len(b) <= 300 for b in bios)
    assert len(set(bios)) == len(bios)
    # conditioned on the row's own name: the writer names the member in most third-person bios
    named = sum(str(m["name"]).split()[0] in str(m["bio"]) for m in first)
    assert named > 30


@pytest.mark.parametrize(("spec", "conds", "context"), [
    (FieldSpec(name="bio", max_length=300), [{}], None),  # the bio composer, called directly
    (FieldSpec(name="bio", max_length=60), [{}], None),  # cut to fit
    (FieldSpec(name="bio", min_length=400, max_length=600), [{"name": "Al Green"}, {}], None),  # extended
    (FieldSpec(name="bio", max_length=120), [{"name": "Ada Lovelace"}, {"first_name": "Bo", "city": "Oslo",
                                                                      "job": "Nurse", "years_experience": 7}], None),
    (FieldSpec(name="about", instruction="a short bio of {name}", max_length=500), [{"name": "Ada Lovelace"}],
     "chess club"),
    (FieldSpec(name="review", max_length=300), [{"rating": 2}, {"rating": 5}], "holiday"),  # the general writer
])
def test_offline_column_writes_what_the_offline_writer_writes_from_one_generator(
        spec: FieldSpec, conds: list[dict[str, object]], context: str | None) -> None:
    rows = [conds[i % len(conds)] for i in range(400)]
    column = offline_column(spec, rows, context=context, locale=None, rng=random.Random(3), model="Member")
    rng, used, one_by_one = random.Random(3), set(), []
    for cond in rows:  # as the offline provider writes a request: re-drawn while a text repeats
        for _ in range(8):
            text = offline_text(spec, cond, context=context, locale=None, rng=rng, model="Member")
            if text not in used:
                break
        used.add(text)
        one_by_one.append(text)
    assert column == one_by_one
    assert all((spec.min_length or 0) <= len(text) <= (spec.max_length or 10**6) for text in column)


def test_offline_column_avoids_repeats_but_choices_may_repeat() -> None:
    spec = FieldSpec(name="status", choices=("open", "closed"))
    values = offline_column(spec, [{}] * 20, context=None, locale=None, rng=random.Random(1), model="Ticket")
    assert set(values) == {"open", "closed"}
    avoid = {"taken"}
    texts = offline_column(FieldSpec(name="bio", max_length=200), [{}] * 50, context=None, locale=None,
                           rng=random.Random(1), model="User", avoid=avoid)
    assert len(set(texts)) == 50
    assert avoid == {"taken", *texts}


class CountingOffline(OfflineProvider):
    """A subclass: not the plain offline provider, so it is asked through the request path."""

    def write(self, request: SemanticRequest, item: SemanticItem, spec: FieldSpec, used: set[str]) -> str:
        return f"asked {item.key}"


def test_other_providers_are_still_asked_per_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    fill_rows = engine.fill_rows

    def counted(*args: object, **kwargs: object) -> object:
        asked.append(1)
        return fill_rows(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "fill_rows", counted)
    members = _members(5, 7, CountingOffline())
    assert [m["bio"] for m in members] == [f"asked 0/{i}" for i in range(5)]
    assert asked == [1]


def test_streams_build_objects_through_an_overridden_build() -> None:
    import forge_factories as factory

    class Tagged(MemberFactory):
        @classmethod
        def _build(cls, model_class: type, *args: object, **kwargs: object) -> object:
            kwargs["city"] = "Built by _build"
            return model_class(*args, **kwargs)

    for executor in ("columns", "objects"):
        members = list(create_stream(Tagged, 3, seed=1, provider=OfflineProvider(), executor=executor))
        assert [m.city for m in members] == ["Built by _build"] * 3
    plain = list(create_stream(MemberFactory, 3, seed=1, provider=OfflineProvider(), executor="columns"))
    assert all(m.city != "Built by _build" for m in plain)
    assert factory.Factory._build is not Tagged._build
