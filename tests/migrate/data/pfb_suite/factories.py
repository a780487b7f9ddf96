"""Factories of the suite, on factory_boy (``forge migrate`` moves them to forge_factories)."""

import factory
from factory import Faker, SubFactory
from models import Author, Bar, Book, Foo


class AuthorFactory(factory.Factory):
    class Meta:
        model = Author

    name = "Charles Dickens"
    gender = factory.Iterator(["F", "M"])
    age = factory.Sequence(lambda n: 30 + n)


class BookFactory(factory.Factory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"Book {n}")
    author = SubFactory(AuthorFactory)
    summary = Faker("sentence")

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        obj.tags = list(extracted or ["novel"])


class FooFactory(factory.Factory):
    class Meta:
        model = Foo

    value = 0

    @factory.post_generation
    def set1(foo, create, value, **kwargs):  # noqa: N805
        foo.value = 1


class BarFactory(factory.Factory):
    class Meta:
        model = Bar

    foo = factory.SubFactory(FooFactory)

    @classmethod
    def _create(cls, model_class, foo):
        assert foo.value == 1  # set1 ran before this object is made
        return super()._create(model_class, foo=foo)
