"""SQL column kinds come from what a model declares: type hints, pydantic, SQLAlchemy, Django."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import pytest

import forge_factories as factory
from forge_factories.datasets.declared import declared_kinds
from forge_factories.datasets.stream import create_stream


def test_dataclass_hints_optional_and_annotated() -> None:
    @dataclasses.dataclass
    class Row:
        a: int
        b: Optional[float]  # noqa: UP045 - the old spelling is declared too
        c: Decimal | None
        d: Annotated[dt.datetime, "meta"]
        e: list[int]
        f: str
        g: object

    assert declared_kinds(Row) == {"a": ("int", None), "b": ("float", None), "c": ("decimal", None),
                                   "d": ("datetime", None), "e": ("json", None), "f": ("text", None)}


def test_pydantic_fields() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Product(pydantic.BaseModel):
        id: int
        price: float
        seen: dt.date | None = None

    assert declared_kinds(Product) == {"id": ("int", None), "price": ("float", None), "seen": ("date", None)}


def test_sqlalchemy_columns_keyed_by_attribute() -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, mapped_column

    class Base(DeclarativeBase):
        pass

    class Invoice(Base):
        __tablename__ = "invoice"
        id = mapped_column(sa.Integer, primary_key=True)
        total = mapped_column("amount", sa.Numeric(12, 4))
        ratio = mapped_column(sa.Float)
        issued = mapped_column(sa.DateTime)

    assert declared_kinds(Invoice) == {"id": ("int", None), "total": ("decimal", 4), "ratio": ("float", None),
                                       "issued": ("datetime", None)}


def test_django_fields() -> None:
    pytest.importorskip("django")
    from tests.django_setup import configure_django

    configure_django()
    from tests.orm.djapp.models import Account

    kinds = declared_kinds(Account)
    assert kinds["score"] == ("float", None) and kinds["age"] == ("int", None)
    assert kinds["is_active"] == ("bool", None) and kinds["bio"] == ("text", None)


def test_a_float_field_of_whole_numbers_streams_as_double(tmp_path: Path) -> None:
    pydantic = pytest.importorskip("pydantic")

    class Price(pydantic.BaseModel):
        id: int
        price: float

    class PriceFactory(factory.Factory):
        class Meta:
            model = Price

        id = factory.Sequence(lambda n: n)
        price = factory.LazyAttribute(lambda o: 10 if o.id < 3 else 10.99)

    path = tmp_path / "prices.sql"
    create_stream(PriceFactory, 5, path, create_table=True, batch_size=2, dialect="mysql").drain()
    text = path.read_text()
    assert "`price` DOUBLE" in text and "10.99" in text
