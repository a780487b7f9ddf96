"""Registers the factories as fixtures, as pytest-factoryboy's README shows."""

import pytest
from factories import AuthorFactory, BarFactory, BookFactory, FooFactory
from pytest_factoryboy import LazyFixture, register

register(AuthorFactory)
register(AuthorFactory, "second_author")
register(AuthorFactory, "male_author", gender="M", name="John Doe")
register(AuthorFactory, "female_author", gender="F")
register(BookFactory)
register(BookFactory, "another_book", author=LazyFixture("second_author"))
register(FooFactory)
register(BarFactory)


@pytest.fixture
def female_author__name():
    return "Jane Doe"
