"""edge_cases(): valid records hitting every boundary, member, None and length extreme."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import ipaddress
import math
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import pydantic
import pytest
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import Enum as SAEnum
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from forge_factories.governance import Memory, baseline_record, edge_cases


class Plan(enum.Enum):
    FREE = "free"
    PRO = "pro"
    TEAM = "team"


class Address(BaseModel):
    city: str = Field(min_length=1, max_length=40)


class Account(BaseModel):
    age: int = Field(ge=18, le=120)
    balance: decimal.Decimal = Field(ge=0, max_digits=8, decimal_places=2)
    ratio: float = Field(gt=0, lt=1)
    retries: int = Field(gt=-1, lt=6)
    handle: str = Field(min_length=3, max_length=15)
    code: str = Field(pattern=r"^[A-Z]{2}-\d{3}$")
    email: EmailStr
    plan: Plan
    tier: Literal["bronze", "silver", "gold"]
    nickname: str | None = None
    active: bool = True
    tags: list[str] = Field(default_factory=list, max_length=4)
    address: Address


def _values(cases: list[Any], field: str) -> list[Any]:
    return [c.values[field] for c in cases if c.field == field]


def test_every_valid_case_validates_and_changes_one_field() -> None:
    cases = list(edge_cases(Account))
    base = cases[0]
    assert base.case == "baseline" and base.field is None
    for case in cases:
        assert case.valid
        Account.model_validate(case.values)  # raises on any invalid record
        changed = {k for k in case.values if case.values[k] != base.values[k]}
        assert changed <= {case.field}


def test_covers_every_member_both_bounds_none_and_lengths() -> None:
    cases = list(edge_cases(Account))
    assert set(_values(cases, "plan")) == set(Plan)
    assert set(_values(cases, "tier")) == {"bronze", "silver", "gold"}
    assert {18, 120} <= set(_values(cases, "age"))
    assert {0, 5} <= set(_values(cases, "retries"))
    ratios = _values(cases, "ratio")
    assert min(ratios) == math.nextafter(0, 1) and max(ratios) == math.nextafter(1, 0)
    assert decimal.Decimal(0) in _values(cases, "balance")
    assert {3, 15} <= {len(v) for v in _values(cases, "handle")}
    assert None in _values(cases, "nickname")
    assert {True, False} <= set(_values(cases, "active"))
    assert {0, 4} <= {len(v) for v in _values(cases, "tags")}
    by_case = {(c.field, c.case) for c in cases}
    assert {("age", "min"), ("age", "max"), ("handle", "min_length"), ("handle", "max_length")} <= by_case


def test_invalid_cases_are_rejected_by_the_model() -> None:
    invalid = [c for c in edge_cases(Account, invalid=True) if not c.valid]
    kinds = {(c.field, c.case) for c in invalid}
    assert {("age", "below_min"), ("age", "above_max"), ("handle", "too_short"), ("handle", "too_long"),
            ("plan", "not_a_member"), ("email", "invalid_format"), ("code", "pattern_mismatch"),
            ("age", "none")} <= kinds
    for case in invalid:
        with pytest.raises(pydantic.ValidationError):
            Account.model_validate(case.values)


def test_memory_rules_tighten_bounds_and_add_invalid_examples(tmp_path: Path) -> None:
    memory = Memory(root=tmp_path / ".forge")
    memory.add_rule("account", "age between 21 and 65")
    memory.add_rule("account", "tier in [silver, gold]")
    memory.add_rule("account", "email invalid: someone@@example.com")
    cases = list(edge_cases(Account, memory=memory, invalid=True))
    valid = [c for c in cases if c.valid]
    assert {21, 65} <= set(_values(valid, "age")) and not {18, 120} & set(_values(valid, "age"))
    assert set(_values(valid, "tier")) == {"silver", "gold"}
    rule_invalid = [c for c in cases if not c.valid and c.source == "rule"]
    assert ("email", "invalid_example") in {(c.field, c.case) for c in rule_invalid}
    assert ("tier", "member:bronze") in {(c.field, c.case) for c in rule_invalid}
    assert all(Account.model_validate(c.values) for c in valid)


@dataclasses.dataclass
class Reading:
    sensor: Literal["a", "b"]
    celsius: Annotated[float, annotated_types.Ge(-40), annotated_types.Le(85)]
    note: Annotated[str, annotated_types.MaxLen(5)] = ""
    spare: int | None = None


def test_dataclasses_too() -> None:
    cases = list(edge_cases(Reading))
    assert {-40.0, 85.0} <= set(_values(cases, "celsius"))
    assert set(_values(cases, "sensor")) == {"a", "b"}
    assert {0, 5} <= {len(v) for v in _values(cases, "note")}
    assert None in _values(cases, "spare")
    assert all(isinstance(c.build(), Reading) for c in cases)
    assert baseline_record(Reading)["celsius"] == 22.5


def test_flag_can_switch_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_FLAG_EDGE_CASES", "0")
    assert list(edge_cases(Account)) == []


class _Base(DeclarativeBase):
    pass


class Ticket(_Base):
    __tablename__ = "gov_ticket"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    priority: Mapped[Plan] = mapped_column(SAEnum(Plan))
    note: Mapped[str | None] = mapped_column(String(5), nullable=True)


def test_sqlalchemy_scalar_columns() -> None:
    cases = list(edge_cases(Ticket))
    assert all("id" not in c.values for c in cases)  # auto primary key left to the database
    assert {0, 20} <= {len(v) for v in _values(cases, "subject")}
    assert set(_values(cases, "priority")) == set(Plan)
    assert None in _values(cases, "note") and 5 in {len(v) for v in _values(cases, "note") if v}
    assert all(isinstance(c.build(), Ticket) for c in cases)


def test_django_scalar_fields() -> None:
    from tests.django_setup import configure_django

    configure_django()
    from django.core.validators import MaxValueValidator, MinValueValidator
    from django.db import models

    class Seat(models.Model):
        row = models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(40)])
        letter = models.CharField(max_length=1, choices=[("A", "Aisle"), ("W", "Window")])
        note = models.CharField(max_length=10, null=True, blank=True)
        code = models.CharField(max_length=4)

        class Meta:
            app_label = "governance_edge_tests"

    cases = list(edge_cases(Seat))
    assert all("id" not in c.values for c in cases)
    assert {1, 40} <= set(_values(cases, "row"))
    assert set(_values(cases, "letter")) == {"A", "W"}
    assert None in _values(cases, "note") and 10 in {len(v) for v in _values(cases, "note") if v}
    assert {1, 4} <= {len(v) for v in _values(cases, "code")}  # blank=False: no empty string
    for case in cases:
        case.build().full_clean(exclude=["id"])  # Django's own validation accepts every record


class Everything(BaseModel):
    when: datetime.datetime
    day: datetime.date
    uid: uuid.UUID
    ip: ipaddress.IPv4Address
    pw: pydantic.SecretStr
    site: pydantic.HttpUrl
    meta: dict[str, Any] = {}
    anything: Any = None
    inner: Address | None = None
    n: Annotated[int, Field(ge=5, lt=10)]
    tags: set[str] = set()


def test_many_types_valid_and_invalid_agree_with_pydantic() -> None:
    cases = list(edge_cases(Everything, invalid=True))
    assert len(cases) > 20
    for case in cases:
        if case.valid:
            Everything.model_validate(case.values)
        else:
            with pytest.raises(pydantic.ValidationError):
                Everything.model_validate(case.values)
    assert {5, 9} <= set(_values([c for c in cases if c.valid], "n"))
