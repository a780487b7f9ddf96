"""Small models shared by the Forge and auto-factory tests (module level: ``<name>_id`` lookup)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, EmailStr, Field, computed_field


class User(BaseModel):
    id: int
    name: str
    email: str
    bio: str


class Customer(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: EmailStr
    city: str


class Order(BaseModel):
    id: int
    customer_id: int
    total: Decimal = Field(max_digits=8, decimal_places=2, gt=0)
    created_at: dt.datetime


class Product(BaseModel):
    id: int
    name: str = Field(max_length=60)
    description: str
    price: float = Field(gt=0, le=5000)


class Payment(BaseModel):
    id: int
    order_id: int
    amount: Decimal = Field(max_digits=8, decimal_places=2, ge=0)
    paid_at: dt.datetime


class Review(BaseModel):
    id: int
    product_id: int
    customer_id: int
    rating: int = Field(ge=1, le=5)
    review: str


class Account(BaseModel):
    id: int
    username: str
    nickname: str | None
    balance: Decimal = Field(max_digits=9, decimal_places=2)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return f"{self.username} ({self.id})"


class Strange:
    """Not a model kind auto factories know."""


class Holder(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    id: int
    thing: Strange
