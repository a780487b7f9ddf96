"""Pydantic v2 models covering every constraint auto factories honour."""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import uuid
from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import (
    AnyUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    FutureDate,
    FutureDatetime,
    HttpUrl,
    IPvAnyAddress,
    PastDatetime,
    PositiveInt,
    SecretStr,
    computed_field,
    conint,
    constr,
)


class Status(enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Priority(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class User(BaseModel):
    id: int
    name: str
    email: EmailStr
    bio: str


class Customer(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: EmailStr
    phone: str
    city: str
    country: str


class Order(BaseModel):
    id: int
    customer_id: int
    total: Decimal = Field(max_digits=8, decimal_places=2, gt=0)
    status: Literal["pending", "paid", "shipped", "cancelled"]
    created_at: dt.datetime


class Product(BaseModel):
    id: int
    sku: str = Field(pattern=r"^[A-Z]{3}-\d{5}$")
    title: str = Field(max_length=80)
    description: str
    price: float = Field(gt=0, le=10_000)
    stock: int = Field(ge=0, le=500)
    tags: list[str] = Field(min_length=1, max_length=4)


class Payment(BaseModel):
    id: uuid.UUID
    order_id: int
    amount: Decimal = Field(max_digits=10, decimal_places=2, ge=Decimal("0.01"))
    currency: Literal["EUR", "USD", "GBP"]
    paid_on: dt.date


class Numbers(BaseModel):
    a: int = Field(gt=-5, lt=5)
    b: int = Field(ge=100, le=200, multiple_of=7)
    c: float = Field(gt=0, lt=1)
    d: float = Field(ge=-1.5, le=1.5, multiple_of=0.25)
    e: PositiveInt
    f: conint(ge=10, le=12)  # type: ignore[valid-type]
    g: Decimal = Field(max_digits=4, decimal_places=3)
    h: Decimal = Field(gt=Decimal("-1"), lt=Decimal("1"), decimal_places=4)


class Strings(BaseModel):
    code: constr(pattern=r"^[a-f0-9]{8}$")  # type: ignore[valid-type]
    short: str = Field(min_length=2, max_length=4)
    long_min: str = Field(min_length=30, max_length=60)
    postal: str = Field(pattern=r"^\d{5}(-\d{4})?$")
    handle: Annotated[str, Field(pattern=r"^@[a-z_]{3,12}$")]
    secret: SecretStr
    upper_word: str = Field(pattern=r"^[A-Z][a-z]+( [A-Z][a-z]+)*$", max_length=30)


class Enums(BaseModel):
    status: Status
    priority: Priority
    level: Literal[1, 2, 3]
    mixed: Literal["x", 7, True]


class Optionals(BaseModel):
    nickname: Optional[str] = None  # noqa: UP045 - both spellings on purpose
    age: int | None = Field(default=None, ge=0, le=120)
    score: Union[int, float]  # noqa: UP007
    either: int | str
    maybe_when: dt.datetime | None


class Address(BaseModel):
    street: str
    city: str
    postcode: str = Field(pattern=r"^\d{5}$")
    country_code: str = Field(min_length=2, max_length=2)


class Person(BaseModel):
    id: int
    name: str
    home: Address
    work: Address | None = None
    previous: list[Address] = Field(default_factory=list, max_length=3)


class Collections(BaseModel):
    ints: list[conint(ge=1, le=9)] = Field(min_length=2, max_length=5)  # type: ignore[valid-type]
    names: set[str] = Field(min_length=1, max_length=3)
    pair: tuple[int, str]
    many: tuple[float, ...]
    lookup: dict[str, int] = Field(min_length=1, max_length=3)
    frozen: frozenset[int]
    matrix: list[list[int]]


class Network(BaseModel):
    ip: IPvAnyAddress
    ipv4: ipaddress.IPv4Address
    ipv6: ipaddress.IPv6Address
    website: HttpUrl
    any_url: AnyUrl
    mac_address: str


class Times(BaseModel):
    created_at: dt.datetime
    birthday: dt.date
    opens_at: dt.time
    duration: dt.timedelta
    window_start: dt.datetime = Field(ge=dt.datetime(2022, 1, 1), le=dt.datetime(2022, 12, 31))
    due: FutureDate
    deadline: FutureDatetime
    happened: PastDatetime
    stamp: AwareDatetime


class Invoice(BaseModel):
    id: int
    net: Decimal = Field(max_digits=9, decimal_places=2, ge=0)
    vat_rate: Decimal = Field(max_digits=3, decimal_places=2, ge=0, le=Decimal("0.25"))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gross(self) -> Decimal:
        return (self.net * (1 + self.vat_rate)).quantize(Decimal("0.01"))


class Node(BaseModel):
    """Recursive: the depth limit cuts ``children`` and ``parent``."""

    name: str = Field(max_length=20)
    parent: Node | None = None
    children: list[Node] = Field(default_factory=list)


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=False)

    user_name: str = Field(alias="userName", max_length=30)
    score: int = Field(alias="Score", ge=0, le=10)


class Review(BaseModel):
    id: int
    product_id: int
    rating: int = Field(ge=1, le=5)
    review: str = Field(max_length=500)
    comment: str | None = None


class Ticket(BaseModel):
    id: uuid.UUID
    subject: str = Field(max_length=120)
    message: str
    priority: Priority
    uuid4: uuid.UUID = Field(default_factory=uuid.uuid4)


MODELS: list[type[BaseModel]] = [
    User, Customer, Order, Product, Payment, Numbers, Strings, Enums, Optionals, Address, Person,
    Collections, Network, Times, Invoice, Node, Aliased, Review, Ticket,
]


def validate(obj: BaseModel) -> None:
    """Round trip through pydantic validation (raises on any invalid value)."""
    type(obj).model_validate(obj.model_dump(by_alias=True))
