"""Run in a subprocess by the determinism tests: prints a JSON dump of seeded factory output."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import forge_factories as factory
from forge_factories import SemanticAttribute, seed
from tests.core.models import Product, Review


class ProductFactory(factory.Factory):
    class Meta:
        model = Product

    name = factory.Faker("catch_phrase")
    description = SemanticAttribute("a product description of {name}", max_length=300)


class ReviewFactory(factory.Factory):
    class Meta:
        model = Review

    id = factory.Sequence(lambda n: n + 1)
    author = factory.Faker("name")
    rating = factory.fuzzy.FuzzyInteger(1, 5)
    product = factory.SubFactory(ProductFactory)
    title = SemanticAttribute("a short review title", max_length=60)
    body = SemanticAttribute("a {rating}-star review of {product.name}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))


seed(int(sys.argv[1]))
rows = [asdict(r) for r in ReviewFactory.build_batch(20, context="holiday shoppers")]
rows += [asdict(ReviewFactory.build())]
print(json.dumps(rows, sort_keys=True))
