"""The 10-field User of issue 17 (name, email, username, bio, address, phone, company, job,
birthdate, signup datetime), as a factory for ``forge seed`` and as a pydantic model for
``Forge.create_stream``; the mimesis peer of ``bench_seed_users.py`` fills the same fields."""

from __future__ import annotations

import dataclasses
import datetime

from pydantic import BaseModel, Field

import forge_factories as factory

#: The table ``forge seed`` and the peers write (``{t}`` is the table name).
DDL = ("CREATE TABLE {t} (id bigint, name text, email text, username text, bio text, address text, phone text, "
       "company text, job text, birthdate date, signup_at timestamp)")
COLUMNS = ["id", "name", "email", "username", "bio", "address", "phone", "company", "job", "birthdate", "signup_at"]
COPY_TYPES = ["int8", "text", "text", "text", "text", "text", "text", "text", "text", "date", "timestamp"]


@dataclasses.dataclass
class User:
    """A user with ten generated fields and a sequence key."""

    id: int
    name: str
    email: str
    username: str
    bio: str
    address: str
    phone: str
    company: str
    job: str
    birthdate: datetime.date
    signup_at: datetime.datetime


class UserFactory(factory.Factory):
    """Stock Faker providers only (the column-wise path samples each of them)."""

    class Meta:
        model = User

    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    email = factory.Faker("email")
    username = factory.Faker("user_name")
    bio = factory.Faker("text", max_nb_chars=200)
    address = factory.Faker("address")
    phone = factory.Faker("phone_number")
    company = factory.Faker("company")
    job = factory.Faker("job")
    birthdate = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    signup_at = factory.Faker("date_time_between", start_date="-3y")


class PydanticUser(BaseModel):
    """The same user for ``Forge(use_ai=False).create_stream``: its auto factory picks each
    generator from the field name and type (``bio`` is semantic: the offline writer)."""

    id: int
    name: str = Field(max_length=80)
    email: str = Field(max_length=120)
    username: str = Field(max_length=40)
    bio: str = Field(max_length=300)
    address: str = Field(max_length=200)
    phone: str = Field(max_length=30)
    company: str = Field(max_length=100)
    job: str = Field(max_length=100)
    birthdate: datetime.date
    signup_at: datetime.datetime
