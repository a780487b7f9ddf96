"""Recording in one place: every path stores provenance per batch and keeps nothing alive."""

from __future__ import annotations

import gc
import importlib
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute, provenance, seed
from forge_factories.autofactory import factory_for
from forge_factories.core import registry
from forge_factories.core.declarations_registry import RegistrySubFactory
from forge_factories.datasets.stream import create_stream

prov = importlib.import_module("forge_factories.core.provenance")


@dataclass
class Note:
    id: int
    title: str
    body: str = ""


class PlainNoteFactory(factory.Factory[Note]):
    class Meta:
        model = Note

    id = factory.Sequence(int)
    title = factory.Faker("sentence")


class SemanticNoteFactory(factory.Factory[Note]):
    class Meta:
        model = Note

    id = factory.Sequence(int)
    title = factory.Faker("sentence")
    body = SemanticAttribute("a short note about {title}", max_length=80)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    seed(3)
    yield
    registry.clear_registry()


def _drop_and_check(make: Any) -> None:
    objs = make()
    assert objs and all(provenance(o) for o in objs)
    refs = [weakref.ref(o) for o in objs]
    before = prov.batch_count()
    del objs
    gc.collect()
    assert [r() for r in refs] == [None] * len(refs)  # neither provenance nor the registry kept them
    assert prov.batch_count() < before  # and the batch record went with its last object


@pytest.mark.parametrize("path", ["stock", "engine", "fast", "stream"])
def test_objects_of_a_batch_are_collected_once_the_caller_drops_them(path: str) -> None:
    makers = {
        "stock": lambda: PlainNoteFactory.build_batch(200),
        "engine": lambda: SemanticNoteFactory.build_batch(50),
        "fast": lambda: factory_for(Note).build_batch(200),
        "stream": lambda: list(create_stream(PlainNoteFactory, 200, executor="columns")),
    }
    _drop_and_check(makers[path])
    assert registry.instances(Note) == []


def test_every_path_records_the_same_provenance_form() -> None:
    """One batch record per (factory, overrides) of a call; per object only its position in it."""
    kept = {
        "stock": (PlainNoteFactory.build_batch(3), "objects"),
        "engine": (SemanticNoteFactory.build_batch(3, title="given"), "objects"),
        "fast": (factory_for(Note).build_batch(3), "objects"),
        "stream": (list(create_stream(PlainNoteFactory, 3, executor="columns")), "columns"),
    }
    for path, (objs, executor) in kept.items():
        found = [prov._lookup(o) for o in objs]
        batches = {id(batch) for batch, _ in found}  # type: ignore[misc]
        assert len(batches) == 1, path
        assert [pos for _, pos in found] == [0, 1, 2], path  # type: ignore[misc]
        for obj in objs:
            lines = provenance(obj)
            assert set(lines) == {"id", "title", "body"} - ({"body"} if path in ("stock", "stream") else set())
            assert all(isinstance(p, prov.FieldProvenance) and p.executor == executor for p in lines.values())
    engine_objs = kept["engine"][0]
    assert {n: p.source for n, p in provenance(engine_objs[0]).items()} == {
        "id": "sequence", "title": "override", "body": "offline"}
    assert provenance(kept["fast"][0][1])["id"].source == "structural"  # the auto factory's tier label
    assert provenance(kept["stock"][0][2])["title"].source == "faker"
    assert provenance(kept["stream"][0][0])["title"].source == "faker"


def test_labels_that_vary_within_a_batch_are_kept_per_object() -> None:
    shared, columns = prov.label_columns([{"body": "offline"}, {"body": "fallback"}, None, {"body": "offline"}])
    assert dict(shared) == {} and columns == {"body": ["offline", "fallback", None, "offline"]}
    shared, columns = prov.label_columns([{"body": "offline"}] * 3)
    assert dict(shared) == {"body": "offline"} and columns == {}


def test_dicts_are_held_for_provenance_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    class Row(factory.DictFactory):
        n = factory.Sequence(int)

    monkeypatch.setattr(prov, "MAX_HELD", 5)
    first = Row.build_batch(4)
    assert provenance(first[0])["n"].source == "sequence"
    later = Row.build_batch(4)  # 8 held: the 3 oldest are let go
    assert provenance(first[0]) == {} and provenance(first[3])["n"].source == "sequence"
    assert all(provenance(r)["n"].source == "sequence" for r in later)


class Owner:
    def __init__(self, name: str) -> None:
        self.name = name


class Pet:
    def __init__(self, owner: Owner) -> None:
        self.owner = owner


class OwnerFactory(factory.Factory[Owner]):
    class Meta:
        model = Owner

    name = factory.Sequence(lambda n: f"owner {n}")


class PetFactory(factory.Factory[Pet]):
    class Meta:
        model = Pet

    owner = RegistrySubFactory(OwnerFactory)


def test_picks_skip_dropped_parents_and_do_not_depend_on_them_while_kept() -> None:
    def run(drop_some: bool) -> list[str]:
        seed(11)
        registry.clear_registry()
        owners = OwnerFactory.build_batch(6)
        if drop_some:
            del owners[::2]  # owners 0, 2 and 4 die
            gc.collect()
        return [p.owner.name for p in PetFactory.build_batch(40)]

    kept = run(False)
    assert kept == run(False)  # the caller kept them: the same picks for the seed
    assert len(set(kept)) == 6
    dropped = run(True)
    assert dropped == run(True)
    assert set(dropped) == {"owner 1", "owner 3", "owner 5"}  # dead parents are never handed out
