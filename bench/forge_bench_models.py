"""The models of bench_forge.py, shared verbatim by the forge_factories and reference runs."""

from datetime import datetime

from pydantic import BaseModel, Field


class User(BaseModel):
    """A 10-field user the reference package can generate (it fails on datetime fields)."""

    id: int
    first_name: str
    last_name: str
    email: str
    age: int = Field(ge=18, le=99)
    city: str
    country: str
    phone: str
    is_active: bool
    bio: str


class UserWithDates(User):
    """The same user plus ``created_at: datetime``."""

    created_at: datetime
