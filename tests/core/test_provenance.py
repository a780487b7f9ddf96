"""Provenance: which source produced each field; verbose mode prints it."""

from __future__ import annotations

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute, configure, explain, provenance, seed

from .models import Customer, Product, Review


class ProductFactory(factory.Factory):
    class Meta:
        model = Product

    name = factory.Faker("catch_phrase")
    description = "A lamp."


class ReviewFactory(factory.Factory):
    class Meta:
        model = Review

    id = factory.Sequence(int)
    author = factory.Faker("name")
    rating = factory.Iterator([5, 4])
    product = factory.SubFactory(ProductFactory)
    title = SemanticAttribute("a review title", max_length=60)
    body = SemanticAttribute("a {rating}-star review")
    slug = factory.LazyAttribute(lambda o: o.title.lower())


def test_sources_of_every_field() -> None:
    review = ReviewFactory.build(author="Grace Hopper")
    sources = {name: p.source for name, p in provenance(review).items()}
    assert sources == {
        "id": "sequence", "author": "override", "rating": "iterator", "product": "subfactory",
        "title": "offline", "body": "offline", "slug": "lazy",
    }
    assert provenance(review)["author"].value == "Grace Hopper"
    assert {n: p.source for n, p in provenance(review.product).items()} == {
        "name": "faker", "description": "constant",
    }


def test_provider_name_in_semantic_source() -> None:
    class Acme:
        name = "acme"

        def fill(self, request: object) -> dict[int, dict[str, str]]:
            return {item.index: {"bio": f"Bio number {item.index}"} for item in request.items}  # type: ignore[attr-defined]

    class F(factory.Factory):
        class Meta:
            model = dict
            forge_provider = Acme()

        bio = SemanticAttribute("a bio")

    row = F.build()
    assert row["bio"] == "Bio number 0"
    assert provenance(row)["bio"].source == "semantic:acme"


def test_fast_path_objects_have_provenance_too() -> None:
    class F(factory.Factory):
        class Meta:
            model = Customer

        id = factory.Sequence(int)
        name = factory.Faker("name")
        bio = "-"

    obj = F.build()
    assert [p.source for p in provenance(obj).values()] == ["sequence", "faker", "constant"]
    assert provenance(object()) == {}


def test_verbose_mode_prints_provenance_lines(capsys: pytest.CaptureFixture[str]) -> None:
    seed(42)
    configure(verbose=True)
    review = ReviewFactory.build()
    out = capsys.readouterr().out
    assert f"[sequence] id = {review.id}" in out
    assert f"[faker] author = {review.author!r}" in out
    assert f"[offline] title = {review.title!r}" in out
    assert explain(review).splitlines()[0] == f"[sequence] id = {review.id}"


def test_provenance_does_not_keep_objects_alive() -> None:
    import gc
    import weakref

    class F(factory.Factory):
        class Meta:
            model = Customer  # an unhashable dataclass

        id = factory.Sequence(int)
        name = "x"
        bio = "-"

    from forge_factories.core.registry import paused

    with paused():  # the FK registry keeps parents alive on purpose; provenance must not
        obj = F.build()
    assert provenance(obj)["id"].source == "sequence"
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None
