"""Sensitivity classification: name tokens (not substrings), types, explicit declarations."""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Any

import pytest
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from forge_factories.common.errors import ForgeConfigError
from forge_factories.governance import (
    Sensitivity,
    classify_model,
    classify_name,
    factory_overrides,
    name_tokens,
)

SAFE, SENS, DANG = "safe", "sensitive", "dangerous"


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "gov_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handle: Mapped[str] = mapped_column(String(30), info={"sensitivity": "sensitive"})
    iban: Mapped[str] = mapped_column(String(34))
    card_type: Mapped[str] = mapped_column(String(10))

#: (field name, expected class) -- the traps of substring matching are in here on purpose.
TABLE: list[tuple[str, str]] = [
    # safe, including names that contain a sensitive substring
    ("id", SAFE), ("name", SAFE), ("first_name", SAFE), ("email", SAFE), ("bio", SAFE),
    ("shipping_address", SAFE), ("billing_address", SAFE), ("opinion", SAFE), ("tokenizer", SAFE),
    ("credit_score", SAFE), ("credit_limit", SAFE), ("payload_size", SAFE), ("payload", SAFE),
    ("description", SAFE), ("zip", SAFE), ("zip_code", SAFE), ("shipping", SAFE), ("tip_amount", SAFE),
    ("relationship", SAFE), ("passenger_count", SAFE), ("compass_heading", SAFE), ("secretary", SAFE),
    ("token_count", SAFE), ("max_tokens", SAFE), ("password_changed_at", SAFE), ("password_strength", SAFE),
    ("card_type", SAFE), ("card_title", SAFE), ("gift_card_balance", SAFE), ("bank_name", SAFE),
    ("account_type", SAFE), ("location", SAFE), ("flat_number", SAFE), ("platform", SAFE),
    ("translation", SAFE), ("is_ssn_verified", SAFE), ("has_password", SAFE), ("health_check_url", SAFE),
    ("device_name", SAFE), ("primary_key", SAFE), ("salary_currency", SAFE), ("ip_version", SAFE),
    ("skip", SAFE), ("pinned", SAFE), ("spinner", SAFE), ("attacker_level", SAFE), ("condition", SAFE),
    ("birthplace", SAFE), ("longDescription", SAFE), ("keyboard_layout", SAFE),
    # sensitive
    ("ssn", SENS), ("SSN", SENS), ("social_security_number", SENS), ("nationalId", SENS),
    ("national_insurance_number", SENS), ("tax_id", SENS), ("taxpayerId", SENS), ("passport", SENS),
    ("passport_number", SENS), ("driver_license", SENS), ("drivers_licence_number", SENS),
    ("card_number", SENS), ("creditCardNumber", SENS), ("credit_card", SENS), ("cc_number", SENS),
    ("cvv", SENS), ("iban", SENS), ("IBAN", SENS), ("bank_account", SENS), ("account_number", SENS),
    ("routing_number", SENS), ("sort_code", SENS), ("salary", SENS), ("annual_salary", SENS),
    ("income", SENS), ("password", SENS), ("password_hash", SENS), ("passwd", SENS), ("api_key", SENS),
    ("apiKey", SENS), ("client_secret", SENS), ("private_key", SENS), ("access_token", SENS),
    ("refreshToken", SENS), ("auth_token", SENS), ("jwt", SENS), ("pin", SENS), ("pin_code", SENS),
    ("diagnosis", SENS), ("medical_history", SENS), ("health_condition", SENS), ("blood_type", SENS),
    ("allergies", SENS), ("has_diabetes", SENS), ("date_of_birth", SENS), ("dob", SENS),
    ("birth_date", SENS), ("birthday", SENS), ("latitude", SENS), ("lng", SENS), ("lat", SENS),
    ("geo_location", SENS), ("gps_coordinates", SENS), ("ip_address", SENS), ("client_ip", SENS),
    ("userIPv4Address", SENS), ("ipv6", SENS), ("remote_addr", SENS), ("device_id", SENS),
    ("deviceId", SENS), ("mac_address", SENS), ("imei", SENS), ("advertising_id", SENS),
    # dangerous
    ("sql_injection", DANG), ("sqlInjection", DANG), ("sqli_payload", DANG), ("xss", DANG),
    ("xss_payload", DANG), ("command_injection", DANG), ("shell_injection", DANG), ("shellcode", DANG),
    ("path_traversal", DANG), ("directory_traversal_input", DANG), ("fuzz_input", DANG),
    ("fuzzing_payload", DANG), ("attack_payload", DANG), ("malicious_input", DANG),
    ("prompt_injection", DANG), ("ldap_injection", DANG), ("ssti_template", DANG), ("exploit", DANG),
]


def test_table_is_large_and_unique() -> None:
    names = [n for n, _ in TABLE]
    assert len(names) >= 80
    assert len(set(names)) == len(names)
    assert {c for _, c in TABLE} == {SAFE, SENS, DANG}


@pytest.mark.parametrize(("name", "expected"), TABLE)
def test_classify_name(name: str, expected: str) -> None:
    got = classify_name(name)
    assert got.level == expected, f"{name}: {got.reason}"
    if expected != SAFE:
        assert got.category


@pytest.mark.parametrize(("name", "tokens"), [
    ("shipping_address", ("shipping", "address")),
    ("userIPv4Address", ("user", "ipv4", "address")),
    ("HTTPResponseCode", ("http", "response", "code")),
    ("card-number", ("card", "number")),
    ("address2", ("address2",)),
])
def test_name_tokens(name: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(name) == tokens


def test_types_classify_when_the_name_does_not() -> None:
    class Login(BaseModel):
        user: str
        credential: SecretStr
        origin: ipaddress.IPv4Address
        enabled: bool

    report = classify_model(Login)
    assert report.fields["credential"].level == Sensitivity.SENSITIVE
    assert report.fields["origin"].category == "ip_address"
    assert report.sensitive == ("credential", "origin")
    assert report.fields["user"].level == Sensitivity.SAFE


def test_pydantic_explicit_declaration_wins() -> None:
    class Profile(BaseModel):
        nickname: str = Field(json_schema_extra={"sensitivity": "sensitive"})
        ssn: str = Field(json_schema_extra={"sensitivity": "safe"})  # e.g. already a public test id
        notes: str = Field(json_schema_extra={"sensitivity": "dangerous"})

    report = classify_model(Profile)
    assert report.fields["nickname"].level == Sensitivity.SENSITIVE
    assert report.fields["ssn"].level == Sensitivity.SAFE
    assert report.dangerous == ("notes",)
    assert report.level == Sensitivity.DANGEROUS


def test_dataclass_metadata_and_call_overrides() -> None:
    @dataclasses.dataclass
    class Row:
        code: str = dataclasses.field(metadata={"sensitivity": "sensitive"})
        salary: int = 0

    report = classify_model(Row)
    assert report.sensitive == ("code", "salary")
    report = classify_model(Row, overrides={"salary": Sensitivity.SAFE})
    assert report.sensitive == ("code",)
    with pytest.raises(ForgeConfigError, match="unknown field"):
        classify_model(Row, overrides={"nope": "safe"})
    with pytest.raises(ForgeConfigError, match="unknown sensitivity"):
        classify_model(Row, overrides={"code": "secretish"})


def test_sqlalchemy_column_info() -> None:
    report = classify_model(Account)
    assert report.sensitive == ("handle", "iban")
    assert report.fields["card_type"].level == Sensitivity.SAFE


def test_django_marker_and_attribute() -> None:
    from tests.django_setup import configure_django

    configure_django()
    from django.db import models

    class Patient(models.Model):
        name = models.CharField(max_length=50)
        notes = models.TextField(help_text="Free notes [forge:sensitive]")
        last_ip = models.GenericIPAddressField()
        diagnosis = models.CharField(max_length=50, db_comment="[forge:safe] a public code list")

        class Meta:
            app_label = "governance_tests"

    Patient._meta.get_field("name").forge_sensitivity = "dangerous"
    report = classify_model(Patient)
    assert report.fields["notes"].level == Sensitivity.SENSITIVE
    assert report.fields["last_ip"].level == Sensitivity.SENSITIVE
    assert report.fields["diagnosis"].level == Sensitivity.SAFE
    assert report.fields["name"].level == Sensitivity.DANGEROUS
    assert report.fields["id"].level == Sensitivity.SAFE


def test_factory_fields_and_meta_mapping() -> None:
    import factory

    class Customer(BaseModel):
        name: str
        ssn: str
        handle: str

    class CustomerFactory(factory.Factory):
        class Meta:
            model = Customer

        name = "Ada"
        ssn = "000-00-0001"
        handle = "ada"
        card_token = factory.LazyAttribute(lambda o: "x")

    report = classify_model(CustomerFactory)
    assert report.model == "Customer"
    assert set(report.sensitive) == {"ssn", "card_token"}
    # what the lead's ``class Meta: forge_sensitivity = {...}`` option stores on ``_meta``
    CustomerFactory._meta.forge_sensitivity = {"handle": "sensitive", "ssn": "safe"}  # type: ignore[attr-defined]
    try:
        assert factory_overrides(CustomerFactory) == {"handle": "sensitive", "ssn": "safe"}
        report = classify_model(CustomerFactory)
        assert set(report.sensitive) == {"handle", "card_token"}
        report = classify_model(CustomerFactory, overrides={"card_token": "safe"})
        assert report.sensitive == ("handle",)
    finally:
        del CustomerFactory._meta.forge_sensitivity  # type: ignore[attr-defined]


def test_brief_models() -> None:
    class SafeUser(BaseModel):
        id: int
        name: str

    class CustomerProfile(BaseModel):
        id: int
        ssn: str
        salary: float

    class SecurityTest(BaseModel):
        id: int
        sql_injection: str

    levels: dict[Any, Sensitivity] = {m: classify_model(m).level for m in (SafeUser, CustomerProfile, SecurityTest)}
    assert levels == {SafeUser: "safe", CustomerProfile: "sensitive", SecurityTest: "dangerous"}


def test_validate_sensitivity_mapping() -> None:
    from forge_factories.governance.sensitivity import validate_sensitivity_mapping

    assert validate_sensitivity_mapping({"a": "SENSITIVE", "b": Sensitivity.SAFE}) == {"a": "sensitive", "b": "safe"}
    assert validate_sensitivity_mapping(None) is None
    with pytest.raises(ForgeConfigError, match="must be a mapping"):
        validate_sensitivity_mapping(["ssn"])
    with pytest.raises(ForgeConfigError, match="unknown sensitivity"):
        validate_sensitivity_mapping({"ssn": "private"})
