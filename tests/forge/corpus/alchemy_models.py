"""SQLAlchemy mapped classes (validated by a flush on SQLite plus column checks)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    func,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Tier(enum.Enum):
    FREE = "free"
    PRO = "pro"
    ENTERPRISE = "enterprise"


class SAAccount(Base):
    __tablename__ = "sa_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    tier: Mapped[Tier] = mapped_column(Enum(Tier))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class SAProduct(Base):
    __tablename__ = "sa_product"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    price: Mapped[decimal.Decimal] = mapped_column(Numeric(8, 2))
    weight: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean)
    size: Mapped[str] = mapped_column(Enum("S", "M", "L", "XL", name="size"))
    stock: Mapped[int] = mapped_column(SmallInteger)


class SAOrder(Base):
    __tablename__ = "sa_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("sa_account.id"))
    account: Mapped[SAAccount] = relationship()
    placed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SAOrderLine(Base):
    __tablename__ = "sa_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sa_order.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("sa_product.id"))
    quantity: Mapped[int] = mapped_column(Integer, CheckConstraint("quantity > 0"))
    order: Mapped[SAOrder] = relationship()


class SAToken(Base):
    __tablename__ = "sa_token"
    __table_args__ = (UniqueConstraint("value"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    value: Mapped[str] = mapped_column(String(12))
    opens_at: Mapped[dt.time] = mapped_column(Time)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)


class SAEmployee(Base):
    """Self-referencing: the manager is an existing employee or nobody."""

    __tablename__ = "sa_employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("sa_employee.id"), nullable=True)
    manager: Mapped[SAEmployee | None] = relationship(remote_side=[id])


MODELS: list[type] = [SAAccount, SAProduct, SAOrder, SAOrderLine, SAToken, SAEmployee]


def validate(obj: Any) -> None:
    """Check every column value against its SQL type (SQLite itself enforces few of them)."""
    mapper = inspect(type(obj))
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        value = getattr(obj, prop.key)
        if value is None:
            assert col.nullable or col.server_default is not None or col.primary_key, (prop.key, "NULL")
            continue
        t = col.type
        if isinstance(t, Enum):
            allowed = list(t.enum_class) if t.enum_class is not None else list(t.enums)
            assert value in allowed, (prop.key, value)
        elif isinstance(t, String) and t.length:
            assert isinstance(value, str) and len(value) <= t.length, (prop.key, value)
        elif isinstance(t, Numeric) and not isinstance(t, Float):
            assert isinstance(value, decimal.Decimal)
            sign, digits, exp = value.as_tuple()
            assert isinstance(exp, int) and -exp <= (t.scale or 0), (prop.key, value)
            assert len(digits) <= (t.precision or 99), (prop.key, value)
        elif isinstance(t, SmallInteger):
            assert -32768 <= value <= 32767
        elif isinstance(t, DateTime | Date | Time | Uuid | Boolean | Integer | Float | JSON):
            assert isinstance(value, t.python_type), (prop.key, value)
