"""Plain models used by the core tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Product:
    name: str
    description: str


@dataclass
class Customer:
    id: int
    name: str
    bio: str


@dataclass
class Review:
    id: int
    author: str
    rating: int
    product: Product
    title: str
    body: str
    slug: str


@dataclass
class Ticket:
    id: int
    customer: Customer
    subject: str
    message: str
    replies: list[Any] = field(default_factory=list)


@dataclass
class Reply:
    ticket: Any
    text: str
