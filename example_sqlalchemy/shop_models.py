"""The example shop in SQLAlchemy 2 declarative style: customers, products, orders, reviews."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "shop_customer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    bio: Mapped[str] = mapped_column(Text)


class Product(Base):
    __tablename__ = "shop_product"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40))
    price_cents: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)


class Order(Base):
    __tablename__ = "shop_order"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("shop_customer.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_product.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()


class Review(Base):
    __tablename__ = "shop_review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id"))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    order: Mapped[Order] = relationship()
