"""A small shop schema for the seeding tests (SQLAlchemy): composite unique, one-to-one, reads of parent keys."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

import forge_factories as factory
from forge_factories.alchemy import SQLAlchemyModelFactory


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "ss_customer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)


class Product(Base):
    __tablename__ = "ss_product"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class Order(Base):
    __tablename__ = "ss_order"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("ss_customer.id"))
    note: Mapped[str] = mapped_column(String(300))
    customer: Mapped[Customer] = relationship()


class OrderLine(Base):
    __tablename__ = "ss_order_line"
    __table_args__ = (UniqueConstraint("order_id", "product_id", name="uq_ss_line_order_product"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("ss_order.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("ss_product.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    order: Mapped[Order] = relationship()
    product: Mapped[Product] = relationship()


class Profile(Base):
    __tablename__ = "ss_profile"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("ss_customer.id"), unique=True)
    bio: Mapped[str] = mapped_column(String(300))
    customer: Mapped[Customer] = relationship()


class Author(Base):
    __tablename__ = "ss_author"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Book(Base):
    __tablename__ = "ss_book"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("ss_author.id"))
    label: Mapped[str] = mapped_column(String(100))
    author: Mapped[Author] = relationship()


class Coupon(Base):
    __tablename__ = "ss_coupon"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)


TABLES_CHILDREN_FIRST = [Coupon, Book, Author, Profile, OrderLine, Order, Product, Customer]


class ShopFactory(SQLAlchemyModelFactory[object]):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


class CustomerFactory(ShopFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class ProductFactory(ShopFactory):
    class Meta:
        model = Product

    name = factory.Faker("catch_phrase")


class OrderFactory(ShopFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    note = factory.SemanticAttribute("a delivery note left by {customer.name}", max_length=300)


class ReusingOrderFactory(OrderFactory):
    class Meta:
        forge_reuse_parents = True


class OrderLineFactory(ShopFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = factory.Faker("pyint", min_value=1, max_value=5)


class ProfileFactory(ShopFactory):
    class Meta:
        model = Profile

    customer = factory.SubFactory(CustomerFactory)
    bio = factory.Faker("sentence")


class AuthorFactory(ShopFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")


class BookFactory(ShopFactory):
    class Meta:
        model = Book

    author = factory.SubFactory(AuthorFactory)
    label = factory.LazyAttribute(lambda o: f"book of author {o.author.id}")


class CouponFactory(ShopFactory):
    class Meta:
        model = Coupon

    code = factory.Faker("numerify", text="C-###")  # 1,000 codes: collisions are certain in a few hundred


ALL_FACTORIES = [CouponFactory, CustomerFactory, ProductFactory, OrderFactory, ReusingOrderFactory, OrderLineFactory,
                 ProfileFactory, AuthorFactory, BookFactory]


class OtherBase(DeclarativeBase):
    """Tables never created: a plan naming them must fail before anything is written."""


class Ghost(OtherBase):
    __tablename__ = "ss_ghost_never_created"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class GhostFactory(ShopFactory):
    class Meta:
        model = Ghost
