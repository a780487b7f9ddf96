"""Factories of the example shop; the text fields are ``SemanticAttribute``s."""

from __future__ import annotations

import forge_factories as factory
from forge_factories.django import DjangoModelFactory

from .models import Customer, Order, Product, Review


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    city = factory.Faker("city")
    bio = factory.SemanticAttribute("a two-sentence bio of {name} from {city}", max_length=300)


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    category = factory.Iterator(["kitchen", "garden", "books", "toys"])
    name = factory.SemanticAttribute("the name of a {category} product", max_length=120)
    price_cents = factory.Faker("pyint", min_value=199, max_value=19999)
    description = factory.SemanticAttribute("a catalogue description of {name}", max_length=500)


class OrderFactory(DjangoModelFactory[Order]):
    class Meta:
        model = Order
        forge_reuse_parents = True  # orders go to existing customers and products when there are some

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = factory.Faker("pyint", min_value=1, max_value=5)
    note = ""


class ReviewFactory(DjangoModelFactory[Review]):
    class Meta:
        model = Review

    order = factory.SubFactory(OrderFactory)
    rating = factory.Faker("pyint", min_value=1, max_value=5)
    title = factory.SemanticAttribute("a short title of a {rating}-star review of {order.product.name}",
                                      max_length=120)
    body = factory.SemanticAttribute("a {rating}-star customer review of {order.product.name}", max_length=600)
