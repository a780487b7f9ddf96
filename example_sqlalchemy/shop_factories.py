"""Factories of the example shop; ``seed_session`` gives them their session."""

from __future__ import annotations

from shop_models import Customer, Order, Product, Review

import forge_factories as factory
from forge_factories.alchemy import SQLAlchemyModelFactory


class ShopFactory(SQLAlchemyModelFactory[object]):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


class CustomerFactory(ShopFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    city = factory.Faker("city")
    bio = factory.SemanticAttribute("a two-sentence bio of {name} from {city}", max_length=300)


class ProductFactory(ShopFactory):
    class Meta:
        model = Product

    category = factory.Iterator(["kitchen", "garden", "books", "toys"])
    name = factory.SemanticAttribute("the name of a {category} product", max_length=120)
    price_cents = factory.Faker("pyint", min_value=199, max_value=19999)
    description = factory.SemanticAttribute("a catalogue description of {name}", max_length=500)


class OrderFactory(ShopFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = factory.Faker("pyint", min_value=1, max_value=5)


class ReviewFactory(ShopFactory):
    class Meta:
        model = Review

    order = factory.SubFactory(OrderFactory)
    rating = factory.Faker("pyint", min_value=1, max_value=5)
    title = factory.SemanticAttribute("a short title of a {rating}-star review of {order.product.name}",
                                      max_length=120)
    body = factory.SemanticAttribute("a {rating}-star customer review of {order.product.name}", max_length=600)
