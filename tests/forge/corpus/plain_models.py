"""Dataclasses, TypedDicts and attrs classes (validated through pydantic / attrs)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal, NotRequired, Optional

import annotated_types as at
import attrs
from pydantic import Field, TypeAdapter
from typing_extensions import TypedDict


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


# -- dataclasses ---------------------------------------------------------------------------

@dataclasses.dataclass
class DCUser:
    id: int
    first_name: str
    last_name: str
    email: str
    age: Annotated[int, at.Ge(18), at.Le(90)]
    bio: str


@dataclasses.dataclass
class DCPoint:
    x: Annotated[float, at.Interval(ge=-10, le=10)]
    y: Annotated[float, at.Interval(ge=-10, le=10)]
    label: Annotated[str, at.MaxLen(8)]


@dataclasses.dataclass
class DCOrderLine:
    order_id: int
    sku: Annotated[str, Field(pattern=r"^SKU\d{4}$")]
    quantity: Annotated[int, at.Gt(0), at.Le(50)]
    unit_price: Annotated[Decimal, Field(max_digits=7, decimal_places=2, gt=0)]
    color: Color


@dataclasses.dataclass
class DCWithDefaults:
    name: str
    created_at: dt.datetime = dataclasses.field(default_factory=lambda: dt.datetime(2024, 1, 1))
    tags: list[str] = dataclasses.field(default_factory=list)
    total: int = dataclasses.field(init=False, default=0)  # computed by the class


@dataclasses.dataclass
class DCTree:
    value: int
    left: Optional[DCTree] = None  # noqa: UP045
    right: DCTree | None = None


@dataclasses.dataclass(frozen=True)
class DCEvent:
    id: uuid.UUID
    kind: Literal["click", "view", "purchase"]
    at: dt.datetime
    payload: dict[str, str]
    user: DCUser


@dataclasses.dataclass
class DCInventory:
    warehouse: str
    counts: dict[str, Annotated[int, at.Ge(0)]]
    bins: Annotated[list[str], at.Len(1, 3)]


DATACLASSES: list[type] = [DCUser, DCPoint, DCOrderLine, DCWithDefaults, DCTree, DCEvent, DCInventory]


# -- TypedDicts ----------------------------------------------------------------------------

class TDAccount(TypedDict):
    id: int
    username: str
    email: str
    balance: Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=0)]
    active: bool


class TDMessage(TypedDict):
    sender_id: int
    message: str
    sent_at: dt.datetime
    read: NotRequired[bool]


class TDGeo(TypedDict):
    latitude: Annotated[float, at.Ge(-90), at.Le(90)]
    longitude: Annotated[float, at.Ge(-180), at.Le(180)]
    city: str
    country_code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class TDSettings(TypedDict):
    theme: Literal["light", "dark"]
    color: Color
    font_size: Annotated[int, at.Interval(ge=8, le=32)]
    shortcuts: Annotated[list[str], at.MaxLen(3)]


class TDNested(TypedDict):
    account: TDAccount
    geo: TDGeo | None
    uid: uuid.UUID


TYPEDDICTS: list[type] = [TDAccount, TDMessage, TDGeo, TDSettings, TDNested]


# -- attrs ---------------------------------------------------------------------------------

@attrs.define
class ATEmployee:
    id: int
    first_name: str
    last_name: str
    job: str = attrs.field(validator=attrs.validators.max_len(60))
    salary_band: int = attrs.field(validator=[attrs.validators.ge(1), attrs.validators.le(9)])
    department: str = attrs.field(validator=attrs.validators.in_(["eng", "sales", "ops", "hr"]))


@attrs.define
class ATCoupon:
    code: str = attrs.field(validator=attrs.validators.matches_re(r"[A-Z0-9]{6,10}"))
    percent: int = attrs.field(validator=attrs.validators.and_(attrs.validators.gt(0), attrs.validators.lt(90)))
    expires: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))


@attrs.frozen
class ATVector:
    x: float
    y: float
    z: float = attrs.field(validator=attrs.validators.instance_of(float))


@attrs.define
class ATProfile:
    _handle: str = attrs.field(validator=attrs.validators.min_len(3))
    about: str = ""
    links: list[str] = attrs.Factory(list)
    visits: int = attrs.field(init=False, default=0)


@attrs.define
class ATShipment:
    id: uuid.UUID
    weight: float = attrs.field(validator=[attrs.validators.gt(0), attrs.validators.le(150)])
    status: Color
    parcel: ATVector | None = None


ATTRS: list[type] = [ATEmployee, ATCoupon, ATVector, ATProfile, ATShipment]


def validate_dataclass(obj: Any) -> None:
    """Validate a dataclass instance's fields with pydantic (constraints in Annotated honoured)."""
    assert dataclasses.is_dataclass(obj)
    data = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}
    TypeAdapter(type(obj)).validate_python(_plain(data))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def validate_typeddict(model: type, obj: Any) -> None:
    """Validate a TypedDict value with pydantic."""
    assert isinstance(obj, dict)
    TypeAdapter(model).validate_python(obj, strict=False)


def validate_attrs(obj: Any) -> None:
    """Run the attrs validators again, and check declared types of simple fields."""
    attrs.validate(obj)
    for a in attrs.fields(type(obj)):
        value = getattr(obj, a.name)
        if a.type in (int, float, str, bool) and a.init:
            assert isinstance(value, a.type), (a.name, value)
