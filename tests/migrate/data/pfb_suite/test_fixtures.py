"""pytest-factoryboy's documented behaviours."""

import factory
import pytest
from factories import AuthorFactory, BookFactory
from models import Author, Book
from pytest_factoryboy import LazyFixture, named_model, register


@register
class JSONPayloadFactory(factory.Factory):
    class Meta:
        model = named_model(dict, "JSONPayload")

    name = "foo"


def test_model_fixture(author):
    assert isinstance(author, Author)
    assert author.name == "Charles Dickens"


def test_factory_fixture(author_factory, book_factory):
    assert author_factory is AuthorFactory
    assert book_factory is BookFactory
    assert author_factory(name="Bill").name == "Bill"


@pytest.mark.parametrize("author__name", ["Bill Gates"])
def test_attribute_parametrized(author):
    assert author.name == "Bill Gates"


@pytest.mark.parametrize("book__title", ["PyTest for Dummies"])
@pytest.mark.parametrize("author__name", ["Bill Gates"])
def test_subfactory_parametrized(book):
    assert isinstance(book, Book)
    assert book.title == "PyTest for Dummies"
    assert book.author.name == "Bill Gates"


def test_attribute_fixture(book, author__name):
    assert book.author.name == author__name == "Charles Dickens"


def test_subfactory_shares_author(book, author):
    assert book.author is author


def test_faker_and_post_generation(book):
    assert isinstance(book.summary, str) and book.summary
    assert book.tags == ["novel"]


@pytest.mark.parametrize("male_author__age", [42])
def test_partial_specialization(male_author, female_author):
    assert (male_author.gender, male_author.name, male_author.age) == ("M", "John Doe", 42)
    assert (female_author.gender, female_author.name) == ("F", "Jane Doe")


def test_lazy_fixture_in_registration(another_book, second_author):
    assert another_book.author is second_author


@pytest.mark.parametrize("book__author", [LazyFixture("second_author")])
def test_lazy_fixture_name(book, second_author):
    assert book.author == second_author


@pytest.mark.parametrize("book__author", [LazyFixture(lambda second_author: second_author)])
def test_lazy_fixture_callable(book, second_author):
    assert book.author == second_author


def test_named_model(json_payload):
    assert json_payload == {"name": "foo"}


def test_post_generation_dependency(bar):
    assert bar.foo.value == 1


def test_batch_through_factory(author_factory):
    authors = author_factory.build_batch(3)
    assert len({a.age for a in authors}) == 3
