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


def test_offline_column_writes_what_the_offline_writer_writes_from_one_generator() -> None:
    spec = FieldSpec(name="bio", max_length=120)
    conds = [{"name": "Ada Lovelace"}, {"name": "Alan Turing"}, {}]
    column = offline_column(spec, conds, context="chess club", locale=None, rng=random.Random(3), model="Member")
    rng = random.Random(3)
    one_by_one = [offline_text(spec, c, context="chess club", locale=None, rng=rng, model="Member") for c in conds]
    assert column == one_by_one
    assert all(len(text) <= 120 for text in column)


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
