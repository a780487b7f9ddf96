"""The compiled row plan (core/rowplan.py): chosen by itself, factory_boy's values and sequences, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import factory
import pytest

import forge_factories
from forge_factories import SemanticAttribute, provenance
from forge_factories.core import base as forge_base
from forge_factories.core import registry, rowplan
from forge_factories.core.declarations_registry import RegistrySubFactory


class Obj:
    """A plain model class: keeps its keyword arguments."""

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = object.__hash__


class Person(Obj):
    pass


class Shipment(Obj):
    pass


def tree(base: type) -> tuple[Any, Any]:
    """A person factory and a shipment factory holding two people (the same factory twice)."""
    person = type(base)(f"{base.__module__}Person", (base,), {
        "Meta": type("Meta", (), {"model": Person}),
        "ident": factory.Sequence(lambda n: f"P{n:04d}"),
        "name": factory.Faker("name"),
        "email": factory.Faker("email"),
        "city": factory.Faker("city", locale="fr_FR"),
        "kind": "person",
        "tags": factory.LazyFunction(list),
    })
    shipment = type(base)(f"{base.__module__}Shipment", (base,), {
        "Meta": type("Meta", (), {"model": Shipment, "exclude": ("internal",)}),
        "number": factory.Sequence(lambda n: n * 10),
        "sender": factory.SubFactory(person, kind="sender"),
        "status": factory.Faker("random_element", elements=["new", "paid", "shipped"]),
        "recipient": factory.SubFactory(person),
        "internal": factory.Faker("pyint"),
        "weight": factory.Faker("pydecimal", left_digits=2, right_digits=1, positive=True),
        "note": factory.Faker("paragraph", nb_sentences=2),
    })
    return person, shipment


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    forge_factories.seed(4)
    yield
    registry.clear_registry()


def fields(obj: Any) -> dict[str, Any]:
    """An object's attributes, nested objects (model objects or stubs) as their attributes."""
    return {k: fields(v) if isinstance(v, (Obj, factory.base.StubObject)) else v for k, v in vars(obj).items()}


def only_name(name: str) -> None:
    """A model that takes nothing but ``name``."""


@pytest.mark.parametrize("strategy", ["build", "stub"])
def test_values_and_sequences_as_stock_factory_boy(strategy: str, runs: list[str]) -> None:
    stock_person, stock = tree(factory.Factory)
    ours_person, ours = tree(forge_factories.Factory)
    results = []
    for person, fac in ((stock_person, stock), (ours_person, ours)):
        forge_factories.seed(11)
        person.reset_sequence(5)
        fac.reset_sequence(100)
        batch = getattr(fac, f"{strategy}_batch")(7, status="fixed", recipient__name="Ann")
        batch.append(getattr(fac, strategy)())
        results.append(([fields(o) for o in batch],
                        person._meta.next_sequence(), fac._meta.next_sequence()))
    assert results[0] == results[1]
    made, person_seq, shipment_seq = results[1]
    assert (person_seq, shipment_seq) == (5 + 16, 108)  # two people per shipment, numbered in build order
    assert len({m["sender"]["name"] for m in made}) > 4 and made[0]["recipient"]["name"] == "Ann"
    assert runs == [ours.__name__, ours.__name__]


def test_same_objects_provenance_and_registry_as_the_path_it_replaces(monkeypatch: pytest.MonkeyPatch) -> None:
    _, ours = tree(forge_factories.Factory)
    outcomes = []
    for plan in (True, False):
        if not plan:
            monkeypatch.setattr(forge_base, "compile_plan", lambda *args: None)
        registry.clear_registry()
        forge_factories.seed(12)
        ours.reset_sequence()
        batch = ours.build_batch(5, note="fixed")
        people = registry.instances(Person)
        outcomes.append((
            [fields(o) for o in batch],
            [{name: (p.source, p.executor) for name, p in provenance(o).items()} for o in batch],
            [{name: p.source for name, p in provenance(o.sender).items()} for o in batch],
            [fields(p) for p in people], [fields(s) for s in registry.instances(Shipment)],
        ))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1][0]["note"] == ("override", "objects")
    assert outcomes[0][2][0]["kind"] == "override" and outcomes[0][2][0]["name"] == "faker"
    assert len(outcomes[0][3]) == 10  # parents registered, in build order


def test_a_plain_factory_create_is_left_to_factory_boy(runs: list[str]) -> None:
    """``create`` of a non-ORM factory builds per object (its ``_create``): not a bulk call, no plan."""
    stock_person, _ = tree(factory.Factory)
    ours_person, _ = tree(forge_factories.Factory)
    forge_factories.seed(1)
    expected = [fields(p) for p in stock_person.create_batch(3)]
    forge_factories.seed(1)
    assert [fields(p) for p in ours_person.create_batch(3)] == expected
    assert runs == []


def test_errors_as_factory_boy(runs: list[str]) -> None:
    stock_person, _ = tree(factory.Factory)
    ours_person, _ = tree(forge_factories.Factory)
    for fac in (stock_person, ours_person):
        fac._meta.model = only_name
    try:
        caught = []
        for fac in (stock_person, ours_person):
            fac.reset_sequence()
            with pytest.raises(TypeError) as info:
                fac.build_batch(2)
            caught.append((str(info.value), fac._meta.next_sequence()))
        assert caught[0] == caught[1] and caught[0][1] == 1  # the first object failed, after its sequence
        assert runs == [ours_person.__name__]
    finally:
        for fac in (stock_person, ours_person):
            fac._meta.model = Person


def test_bad_deep_override_same_error_as_factory_boy() -> None:
    messages = []
    for fac in (tree(factory.Factory)[1], tree(forge_factories.Factory)[1]):
        with pytest.raises(factory.errors.InvalidDeclarationError) as info:
            fac.build_batch(2, nowhere__name="x")
        messages.append(str(info.value))
    assert messages[0] == messages[1]


class Base(forge_factories.Factory):
    class Meta:
        model = Obj

    name = factory.Faker("name")


def _subclass(**attrs: Any) -> Any:
    return type(Base)("Refused", (Base,), attrs)


class _Trait(Base):
    class Params:
        loud = factory.Trait(name="LOUD")


class _Hooked(Base):
    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        return kwargs


REFUSED = {
    "LazyAttribute subclass": lambda: _subclass(upper=type("Upper", (factory.LazyAttribute,), {})(str)),
    "ContainerAttribute": lambda: _subclass(up=factory.ContainerAttribute(lambda o, containers: 1)),
    "Iterator": lambda: _subclass(tag=factory.Iterator(["a", "b"])),
    "Maybe": lambda: _subclass(maybe=factory.Maybe("name", 1, 2)),
    "post_generation": lambda: _subclass(after=factory.PostGeneration(lambda obj, create, extracted: None)),
    "RelatedFactory": lambda: _subclass(other=factory.RelatedFactory(Base)),
    "Trait": lambda: _Trait,
    "_adjust_kwargs": lambda: _Hooked,
    "rename": lambda: _subclass(Meta=type("Meta", (), {"rename": {"name": "full_name"}})),
    "inline_args": lambda: _subclass(Meta=type("Meta", (), {"inline_args": ("name",)})),
    "Dict": lambda: _subclass(data=factory.Dict({"a": 1})),
    "RegistrySubFactory": lambda: _subclass(parent=RegistrySubFactory(Base)),
    "SubFactory of a refused factory": lambda: _subclass(parent=factory.SubFactory(_Trait)),
    "lazy Faker argument": lambda: _subclass(n=factory.Faker("pyint", max_value=factory.SelfAttribute("..x"))),
    "SemanticAttribute": lambda: _subclass(bio=SemanticAttribute("a short bio of {name}")),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_refusals_leave_the_call_to_the_engine(kind: str) -> None:
    fac = REFUSED[kind]()
    assert rowplan.compile_plan(fac, "build", 3, {}) is None
    assert rowplan.compile_plan(Base, "build", 3, {}) is not None


@pytest.mark.parametrize("params", [{"name": factory.Faker("city")}, {"__sequence": 3}, {"name": factory.LazyAttribute(str)}])
def test_declaration_overrides_are_refused(params: dict[str, Any]) -> None:
    assert rowplan.compile_plan(Base, "build", 3, params) is None


def test_lazy_function_overrides_run_in_the_fields_place(runs: list[str]) -> None:
    """How seeding hands over parents: ``LazyFunction`` overrides, called once per object in order."""
    stock_person, stock = tree(factory.Factory)
    ours_person, ours = tree(forge_factories.Factory)
    results = []
    for fac in (stock, ours):
        counter = iter(range(100))
        forge_factories.seed(13)
        batch = fac.build_batch(4, status=factory.LazyFunction(lambda it=counter: f"s{next(it)}"),
                                recipient__email=factory.LazyFunction(lambda it=counter: f"r{next(it)}"))
        results.append([fields(o) for o in batch])
    assert results[0] == results[1]
    assert [(r["status"], r["recipient"]["email"]) for r in results[1][:2]] == [("s0", "r1"), ("s2", "r3")]
    assert runs == [ours.__name__]


def test_refused_trees_still_give_factory_boys_values(runs: list[str]) -> None:
    extra = {"tag": factory.Iterator(["a", "b", "c"]), "n": factory.Sequence(int)}
    stock = type(factory.Factory)("StockRefused", (factory.Factory,), {
        "Meta": type("Meta", (), {"model": Obj}), "name": factory.Faker("name"), **extra})
    ours = type(Base)("OursRefused", (Base,), dict(extra))
    forge_factories.seed(9)
    expected = [vars(o) for o in stock.build_batch(6)]
    forge_factories.seed(9)
    assert [vars(o) for o in ours.build_batch(6)] == expected
    assert runs == []


def lazy_tree(base: type) -> Any:
    """Shipments whose people have lazy fields: read before their declaration, from the parent,
    with a sequence, with a default, and one excluded field they read."""
    person = type(base)(f"{base.__module__}LazyPerson", (base,), {
        "Meta": type("Meta", (), {"model": Person, "exclude": ("first",)}),
        "email": factory.LazyAttribute(lambda o: f"{o.first}.{o.last}@example.org".lower()),
        "first": factory.Faker("first_name"),
        "last": factory.Faker("last_name"),
        "code": factory.LazyAttributeSequence(lambda o, n: f"{o.last[:3]}-{n}"),
        "country": factory.SelfAttribute("..country", default="nowhere"),
        "surname": factory.SelfAttribute("last"),
        "ident": factory.Sequence(int),
    })
    return type(base)(f"{base.__module__}LazyShipment", (base,), {
        "Meta": type("Meta", (), {"model": Shipment}),
        "label": factory.LazyAttribute(lambda o: f"to {o.recipient.email}"),  # builds the recipient early
        "country": factory.Faker("country"),
        "recipient": factory.SubFactory(person),
        "sender": factory.SubFactory(person, country="fixed"),
        "note": factory.Faker("sentence"),
        "deep": factory.SelfAttribute("sender.surname"),
    })


@pytest.mark.parametrize("strategy", ["build", "stub"])
def test_lazy_fields_same_values_and_order_as_stock_factory_boy(strategy: str, runs: list[str]) -> None:
    results = []
    for base in (factory.Factory, forge_factories.Factory):
        fac = lazy_tree(base)
        forge_factories.seed(31)
        batch = getattr(fac, f"{strategy}_batch")(6, note="fixed")
        batch.append(getattr(fac, strategy)(sender__last="Override"))
        results.append([fields(o) for o in batch])
    assert results[0] == results[1]
    first = results[1][0]
    assert first["label"] == f"to {first['recipient']['email']}" and "first" not in first["recipient"]
    assert first["recipient"]["country"] == first["country"] and first["sender"]["country"] == "fixed"
    assert first["deep"] == first["sender"]["surname"] and results[1][-1]["deep"] == "Override"
    assert runs == [f"{forge_factories.Factory.__module__}LazyShipment"] * 2


LAZY_ERRORS = {
    "cycle": {"a": factory.LazyAttribute(lambda o: o.b), "b": factory.LazyAttribute(lambda o: o.a)},
    "unknown": {"a": factory.LazyAttribute(lambda o: o.missing)},
    "too deep": {"a": factory.SelfAttribute("...x")},
    "raises": {"a": factory.LazyAttribute(lambda o: 1 / 0)},
}


@pytest.mark.parametrize("kind", sorted(LAZY_ERRORS))
def test_lazy_errors_as_factory_boy(kind: str, runs: list[str]) -> None:
    caught = []
    for base in (factory.Factory, forge_factories.Factory):
        fac = type(base)(f"{base.__module__}Broken", (base,), {"Meta": type("Meta", (), {"model": Obj}),
                                                            "n": factory.Sequence(int), **LAZY_ERRORS[kind]})
        with pytest.raises(Exception) as info:
            fac.build_batch(2)
        caught.append((type(info.value), str(info.value).split(" Evaluated")[0], fac._meta.next_sequence()))
    assert caught[0] == caught[1]
    assert runs == [f"{forge_factories.Factory.__module__}Broken"]


def test_lazy_fields_provenance_and_registry_as_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    fac = lazy_tree(forge_factories.Factory)
    outcomes = []
    for plan in (True, False):
        if not plan:
            monkeypatch.setattr(forge_base, "compile_plan", lambda *args: None)
        registry.clear_registry()
        forge_factories.seed(32)
        batch = fac.build_batch(4)
        outcomes.append(([fields(o) for o in batch],
                         [{name: p.source for name, p in provenance(o).items()} for o in batch],
                         [{name: p.source for name, p in provenance(o.sender).items()} for o in batch],
                         [fields(p) for p in registry.instances(Person)]))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][3]) == 8
