"""One batched resolution per call: request counts, dependent declarations, fast path."""

from __future__ import annotations

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.core.engine import BatchEngine
from forge_factories.llm.providers import RecordingProvider

from .models import Customer, Product, Reply, Review, Ticket


@pytest.fixture
def rec() -> RecordingProvider:
    return RecordingProvider()


def make_factories(rec: RecordingProvider) -> dict[str, type]:
    class ProductFactory(factory.Factory):
        class Meta:
            model = Product
            forge_provider = rec

        name = factory.Faker("catch_phrase")
        description = SemanticAttribute("a product description of {name}", max_length=200)

    class ReviewFactory(factory.Factory):
        class Meta:
            model = Review
            forge_provider = rec

        id = factory.Sequence(lambda n: n + 1)
        author = factory.Faker("name")
        rating = factory.Faker("pyint", min_value=1, max_value=5)
        product = factory.SubFactory(ProductFactory)
        title = SemanticAttribute("a short review title", max_length=60)
        body = SemanticAttribute("a {rating}-star review of {product.name}")
        slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))

    return {"ProductFactory": ProductFactory, "ReviewFactory": ReviewFactory}


def test_two_semantic_fields_of_fifty_objects_make_one_request(rec: RecordingProvider) -> None:
    class CustomerFactory(factory.Factory):
        class Meta:
            model = Customer
            forge_provider = rec

        id = factory.Sequence(int)
        name = SemanticAttribute("a customer's full name", max_length=80)
        bio = SemanticAttribute("a short bio of {name}")

    class TwoFields(factory.Factory):
        class Meta:
            model = Product
            forge_provider = rec

        name = SemanticAttribute("a product name", max_length=80)
        description = SemanticAttribute("a product description")

    products = TwoFields.create_batch(50)
    assert len(rec.requests) == 1
    (request,) = rec.requests
    assert len(request.items) == 50
    assert {s.name for s in request.specs} == {"name", "description"}
    assert all(set(item.fields) == {"name", "description"} for item in request.items)
    assert len({p.description for p in products}) == 50
    assert all(isinstance(p.name, str) and p.name for p in products)

    rec.reset()
    # A field conditioned on another semantic field needs a second round, never one per object.
    CustomerFactory.create_batch(50)
    assert [len(r.items) for r in rec.requests] == [50, 50]


def test_subfactory_child_semantic_fields_add_exactly_one_request(rec: RecordingProvider) -> None:
    f = make_factories(rec)
    reviews = f["ReviewFactory"].create_batch(50, context="angry holiday customers")
    by_factory = {r.factory.rsplit(".", 1)[-1]: r for r in rec.requests}
    assert len(rec.requests) == 2
    assert len(by_factory["ProductFactory"].items) == 50
    assert len(by_factory["ReviewFactory"].items) == 50
    assert by_factory["ReviewFactory"].context == "angry holiday customers"
    # body is conditioned on the child's resolved name and the parent's rating.
    item = by_factory["ReviewFactory"].items[0]
    assert item.conditioning == {"rating": reviews[0].rating, "product.name": reviews[0].product.name}
    assert all(len(r.product.description) <= 200 for r in reviews)


def test_related_factory_list_children_are_resolved_in_one_request(rec: RecordingProvider) -> None:
    class ReplyFactory(factory.Factory):
        class Meta:
            model = Reply
            forge_provider = rec

        ticket = None
        text = SemanticAttribute("a support agent's reply")

    class CustomerFactory(factory.Factory):
        class Meta:
            model = Customer

        id = factory.Sequence(int)
        name = factory.Faker("name")
        bio = "n/a"

    class TicketFactory(factory.Factory):
        class Meta:
            model = Ticket
            forge_provider = rec

        id = factory.Sequence(int)
        customer = factory.SubFactory(CustomerFactory)
        subject = factory.Faker("sentence")
        message = SemanticAttribute("an angry support ticket from {customer.name}")
        replies = factory.RelatedFactoryList(ReplyFactory, factory_related_name="ticket", size=3)

        @factory.post_generation
        def seen_message(obj, create, extracted, **kwargs):  # noqa: N805
            obj.replies = [obj.message]  # a hook reading a semantic field sees the final value

    tickets = TicketFactory.create_batch(5)
    sizes = sorted((r.factory.rsplit(".", 1)[-1], len(r.items)) for r in rec.requests)
    assert sizes == [("ReplyFactory", 15), ("TicketFactory", 5)]
    assert all(t.replies == [t.message] for t in tickets)
    assert all(t.message and "n/a" not in t.message for t in tickets)


def test_lazy_self_maybe_trait_and_post_generation_see_final_values(rec: RecordingProvider) -> None:
    seen: list[str] = []

    class ReviewFactory(factory.Factory):
        class Meta:
            model = dict
            forge_provider = rec

        class Params:
            shouting = factory.Trait(title_shout=factory.LazyAttribute(lambda o: o.title.upper()))

        title = SemanticAttribute("a review title", max_length=60)
        slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
        copy = factory.SelfAttribute("title")
        long = factory.Maybe(factory.LazyAttribute(lambda o: len(o.title) > 20), "long", "short")
        title_shout = None

        @factory.post_generation
        def hook(obj, create, extracted, **kwargs):  # noqa: N805
            seen.append(obj["title"])

    rows = ReviewFactory.build_batch(10, shouting=True)
    assert len(rec.requests) == 1
    for row in rows:
        assert row["slug"] == row["title"].lower().replace(" ", "-")
        assert row["copy"] == row["title"]
        assert row["long"] == ("long" if len(row["title"]) > 20 else "short")
        assert row["title_shout"] == row["title"].upper()
    assert seen == [row["title"] for row in rows]


def test_single_build_is_a_batch_of_one(rec: RecordingProvider) -> None:
    f = make_factories(rec)
    review = f["ReviewFactory"].build()
    assert isinstance(review, Review)
    assert sorted(len(r.items) for r in rec.requests) == [1, 1]


def test_tree_without_semantic_fields_takes_the_stock_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the batch engine must not run for a tree without semantic fields")

    monkeypatch.setattr(BatchEngine, "run", boom)

    class PlainFactory(factory.Factory):
        class Meta:
            model = Customer

        id = factory.Sequence(int)
        name = factory.Faker("name")
        bio = factory.LazyAttribute(lambda o: f"I am {o.name}")

    people = PlainFactory.create_batch(5)
    assert [p.id for p in people] == [0, 1, 2, 3, 4]
    assert people[0].bio == f"I am {people[0].name}"


def test_semantic_override_in_call_uses_the_engine(rec: RecordingProvider) -> None:
    class PlainFactory(factory.Factory):
        class Meta:
            model = Customer
            forge_provider = rec

        id = factory.Sequence(int)
        name = factory.Faker("name")
        bio = "fixed"

    people = PlainFactory.build_batch(4, bio=SemanticAttribute("a bio of {name}"))
    assert len(rec.requests) == 1 and len(rec.requests[0].items) == 4
    assert all(p.bio != "fixed" for p in people)


def test_sequences_are_not_consumed_twice_by_pauses(rec: RecordingProvider) -> None:
    f = make_factories(rec)
    f["ReviewFactory"].reset_sequence()
    reviews = f["ReviewFactory"].build_batch(5)
    assert [r.id for r in reviews] == [1, 2, 3, 4, 5]
    assert f["ReviewFactory"].build().id == 6


def test_user_except_exception_does_not_swallow_the_pause(rec: RecordingProvider) -> None:
    def careful(o: object) -> str:
        try:
            return o.title + "!"  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the point of the test
            return "swallowed"

    class F(factory.Factory):
        class Meta:
            model = dict
            forge_provider = rec

        title = SemanticAttribute("a title", max_length=40)
        loud = factory.LazyAttribute(careful)

    rows = F.build_batch(3)
    assert all(r["loud"] == r["title"] + "!" for r in rows)


def test_live_groups_of_one_round_are_requested_concurrently() -> None:
    import threading

    barrier = threading.Barrier(2, timeout=20)

    class Waiting:
        """Both groups' requests must be in flight at once, or the barrier breaks."""

        name = "waiting"

        def fill(self, request: object) -> dict[int, dict[str, str]]:
            barrier.wait()
            return {i.index: {f: f"{f} text {i.index} of {request.factory}" for f in i.fields}  # type: ignore[attr-defined]
                    for i in request.items}  # type: ignore[attr-defined]

    provider = Waiting()

    class ProductFactory(factory.Factory):
        class Meta:
            model = Product
            forge_provider = provider

        name = "Lamp"
        description = SemanticAttribute("a description")

    class ReviewFactory(factory.Factory):
        class Meta:
            model = Review
            forge_provider = provider

        id = 1
        author = "A"
        rating = 5
        product = factory.SubFactory(ProductFactory)
        title = SemanticAttribute("a title")
        body = "b"
        slug = "s"

    review = ReviewFactory.build()
    assert review.title.startswith("title text 0")
    assert review.product.description.startswith("description text 0")


def test_a_subclass_overriding_evaluate_keeps_its_evaluate_in_a_batch(rec: RecordingProvider) -> None:
    class Shouted(SemanticAttribute):
        def evaluate(self, instance, step, extra):  # type: ignore[no-untyped-def]
            return super().evaluate(instance, step, extra).upper()

    class CustomerFactory(factory.Factory):
        class Meta:
            model = Customer
            forge_provider = rec

        id = factory.Sequence(int)
        name = Shouted("a customer's full name", max_length=80)
        bio = SemanticAttribute("a short bio of {name}")

    customers = CustomerFactory.build_batch(20)
    assert len(rec.requests) == 2  # name, then the bio conditioned on it
    assert all(c.name == c.name.upper() and c.name != c.name.lower() for c in customers)
    assert [item.conditioning["name"] for item in rec.requests[1].items] == [c.name for c in customers]


def test_call_order_does_not_change_request_counts() -> None:
    """A User/Profile pair linked by RelatedFactory and SubFactory: one request for the batch,
    whichever factory was used first (an answer cached mid-cycle once made it 20)."""
    import importlib

    from forge_factories.core import base

    def build(first_profile: bool) -> int:
        base._TREE_CACHE.clear()

        class UserFactory(factory.DictFactory):
            name = factory.Sequence(lambda n: f"user{n}")
            profile = factory.RelatedFactory("tests.core.test_batching._ProfileFactory", factory_related_name="user")

        class ProfileFactory(factory.DictFactory):
            user = factory.SubFactory(UserFactory, profile=None)
            bio = SemanticAttribute("a one-sentence bio")

        globals()["_ProfileFactory"] = ProfileFactory
        recorder = RecordingProvider()
        factory.configure(provider=recorder)
        try:
            if first_profile:
                ProfileFactory.build()
                recorder.requests.clear()
            UserFactory.build_batch(20)
            return len(recorder.requests)
        finally:
            factory.configure(provider=None)
            importlib.invalidate_caches()

    assert build(first_profile=False) == build(first_profile=True) == 1
