"""The example shop's tests: 50 reviews with realistic text, saved in bulk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from store.factories import CustomerFactory, OrderFactory, ProductFactory, ReviewFactory
from store.models import Customer, Order, Product, Review

from forge_factories.orm.seed_schema import seed_database


@pytest.mark.django_db
def test_fifty_reviews_in_one_batch() -> None:
    with CaptureQueriesContext(connection) as queries:
        reviews = ReviewFactory.create_batch(50, context="unhappy customers of a garden shop")
    assert Review.objects.count() == 50
    assert all(r.pk and r.order.pk and r.order.product.pk for r in reviews)
    assert all(r.body and len(r.body) <= 600 and len(r.title) <= 120 for r in reviews)
    assert len({r.body for r in reviews}) == 50  # no copy-pasted text
    # Django logs an executemany (SQLite) as "50 times: INSERT ..."
    review_inserts = [q for q in queries.captured_queries if 'INSERT INTO "store_review"' in q["sql"]]
    assert len(review_inserts) == 1  # bulk, not 50


@pytest.mark.django_db
def test_orders_reuse_existing_customers() -> None:
    customers = CustomerFactory.create_batch(3)
    products = ProductFactory.create_batch(2)
    OrderFactory.create_batch(20)
    assert Customer.objects.count() == 3 and Product.objects.count() == 2
    assert set(Order.objects.values_list("customer_id", flat=True)) <= {c.pk for c in customers}
    assert set(Order.objects.values_list("product_id", flat=True)) <= {p.pk for p in products}


@pytest.mark.django_db(transaction=True)
def test_seed_the_whole_shop() -> None:
    created = seed_database(
        {CustomerFactory: 20, ProductFactory: 10, OrderFactory: 60, ReviewFactory: 40},
        context="a family-run hardware store",
    )
    assert {f.__name__: len(objs) for f, objs in created.items()} == {
        "CustomerFactory": 20, "ProductFactory": 10, "OrderFactory": 60, "ReviewFactory": 40,
    }
    assert Customer.objects.count() == 20 and Order.objects.count() == 60
