"""Issue 12 on Django: reuse after a rollback, existing rows, unique sets, seeding again, generic relations.

Runs on SQLite, PostgreSQL and MariaDB with real commits (each test empties its tables).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import forge_factories as factory
from forge_factories import seed
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core import registry
from forge_factories.django import DjangoModelFactory
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.seed_schema import seed_database

from . import backends
from .conftest import DJANGO_ALIAS, DJANGO_READY, _unblock
from .djapp import seedshop as M


class CustomerFactory(DjangoModelFactory[M.DCustomer]):
    class Meta:
        model = M.DCustomer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class ProductFactory(DjangoModelFactory[M.DProduct]):
    class Meta:
        model = M.DProduct

    name = factory.Faker("catch_phrase")


class OrderFactory(DjangoModelFactory[M.DOrder]):
    class Meta:
        model = M.DOrder

    customer = factory.SubFactory(CustomerFactory)
    note = factory.SemanticAttribute("a delivery note left by {customer.name}", max_length=300)


class ReusingOrderFactory(OrderFactory):
    class Meta:
        forge_reuse_parents = True


class TableOrderFactory(OrderFactory):
    class Meta:
        forge_existing_parents = True


class OrderLineFactory(DjangoModelFactory[M.DOrderLine]):
    class Meta:
        model = M.DOrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = factory.Faker("pyint", min_value=1, max_value=5)


class ProfileFactory(DjangoModelFactory[M.DProfile]):
    class Meta:
        model = M.DProfile

    customer = factory.SubFactory(CustomerFactory)
    bio = factory.Faker("sentence")


class NoteFactory(DjangoModelFactory[M.DNote]):
    class Meta:
        model = M.DNote

    text = factory.Faker("word")


class TagFactory(DjangoModelFactory[M.DTag]):
    class Meta:
        model = M.DTag

    content_object = factory.SubFactory(NoteFactory)
    label = factory.LazyAttribute(lambda o: f"tag of note {o.content_object.pk}")


FACTORIES = [CustomerFactory, ProductFactory, OrderFactory, ReusingOrderFactory, TableOrderFactory,
             OrderLineFactory, ProfileFactory, NoteFactory, TagFactory]
_CREATED: set[str] = set()


def _empty(alias: str) -> None:
    for model in M.TABLES_CHILDREN_FIRST:
        model.objects.using(alias).all().delete()


@pytest.fixture(params=backends.BACKENDS)
def alias(request: pytest.FixtureRequest) -> Iterator[str]:
    if not DJANGO_READY:
        pytest.skip("!!! Django was configured elsewhere without the tests.orm djapp app")
    backends.require(request.param)
    name = DJANGO_ALIAS[request.param]
    blocker = _unblock(request)
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    if name not in _CREATED:
        connection = connections[name]
        with connection.cursor() as cursor:
            present = set(connection.introspection.table_names(cursor))
        with connection.schema_editor() as editor:
            for model in [ContentType, *reversed(M.TABLES_CHILDREN_FIRST)]:
                if model._meta.db_table not in present:
                    editor.create_model(model)
        _CREATED.add(name)
    _empty(name)
    for fac in FACTORIES:
        fac._meta.database = name
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    seed(3)
    try:
        yield name
    finally:
        factory.configure(provider=previous)
        for fac in FACTORIES:
            fac._meta.database = "default"
        registry.clear_registry()
        _empty(name)
        if blocker is not None:
            blocker.restore()


def test_reuse_after_a_rolled_back_batch(alias: str) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic(using=alias):
        CustomerFactory.create_batch(10)
        raise RuntimeError("the caller's transaction fails after the batch was saved")
    assert M.DCustomer.objects.using(alias).count() == 0
    orders = ReusingOrderFactory.create_batch(6)  # no IntegrityError: the rolled-back rows are not reused
    assert M.DCustomer.objects.using(alias).count() == 6
    assert {o.customer_id for o in orders} == set(M.DCustomer.objects.using(alias).values_list("pk", flat=True))


def test_a_failed_bulk_create_leaves_the_registry_at_the_rollback(alias: str) -> None:
    from forge_factories.orm.persist import BulkPersistError

    CustomerFactory.create(email="taken@example.com")
    with pytest.raises(BulkPersistError):
        CustomerFactory.create_batch(10, email=factory.Iterator(["a@x.test", "taken@example.com"]))
    assert registry.counts() == {"DCustomer": 1}
    orders = ReusingOrderFactory.create_batch(5)
    assert {o.customer.email for o in orders} == {"taken@example.com"}


def test_existing_rows_as_parents_option_and_child_only_plan(alias: str) -> None:
    stored = seed_database({CustomerFactory: 25}, using=alias)[CustomerFactory]
    registry.clear_registry()  # as in a new process: only the table knows them
    orders = TableOrderFactory.create_batch(60)
    assert M.DCustomer.objects.using(alias).count() == 25
    assert {o.customer_id for o in orders} <= {c.pk for c in stored}
    more = seed_database({OrderFactory: 100}, using=alias)[OrderFactory]
    assert M.DCustomer.objects.using(alias).count() == 25
    assert len({o.customer_id for o in more}) > 15


def test_unique_sets_get_distinct_parents_or_fail_before_writing(alias: str) -> None:
    created = seed_database({OrderFactory: 6, ProductFactory: 4, OrderLineFactory: 24}, using=alias)
    assert len({(x.order_id, x.product_id) for x in created[OrderLineFactory]}) == 24
    with pytest.raises(ForgeConfigError, match=r"asks 25 rows, but uq_d_line_order_product allows at most 24"):
        seed_database({OrderFactory: 6, ProductFactory: 4, OrderLineFactory: 25}, using=alias)
    assert M.DOrder.objects.using(alias).count() == 6
    with pytest.raises(ForgeConfigError, match=r"UNIQUE\(customer_id\) allows at most 3"):
        seed_database({CustomerFactory: 3, ProfileFactory: 4}, using=alias)
    assert M.DProfile.objects.using(alias).count() == 0


def test_seeding_twice_and_reset(alias: str) -> None:
    plan = {CustomerFactory: 15, OrderFactory: 30}
    seed(42)
    first = seed_database(plan, using=alias)
    seed(42)
    seed_database(plan, using=alias)
    assert M.DCustomer.objects.using(alias).count() == 30
    seed(42)
    again = seed_database(plan, using=alias, reset=True)
    assert M.DCustomer.objects.using(alias).count() == 15 and M.DOrder.objects.using(alias).count() == 30
    assert [c.email for c in again[CustomerFactory]] == [c.email for c in first[CustomerFactory]]
    assert [o.note for o in again[OrderFactory]] == [o.note for o in first[OrderFactory]]


def test_generic_relation_to_a_parent_saved_in_bulk(alias: str) -> None:
    tag = TagFactory.create()
    assert tag.object_id == tag.content_object.pk and tag.label == f"tag of note {tag.content_object.pk}"
    tags = TagFactory.create_batch(5)
    assert all(t.object_id == t.content_object.pk for t in tags)
    assert {t.label for t in tags} == {f"tag of note {t.object_id}" for t in tags}
    assert M.DTag.objects.using(alias).count() == 6
