"""Secrets by name (at least 100 names, both ways) and by value (whatever the name).

False positives matter as much as misses: a headless ``Forge`` refuses every sensitive
field, so ``tokens_used`` or ``passport_photo_url`` classified sensitive would stop a run.
"""

from __future__ import annotations

import hashlib
import uuid

import pydantic
import pytest

from forge_factories import Forge
from forge_factories.common.secret_values import looks_secret, secret_reason
from forge_factories.governance import ForgePermissionError, check_permissions, classify_name
from forge_factories.governance.sensitivity import SECRET_CATEGORIES


def _names(text: str) -> list[str]:
    return text.split()


SECRET_NAMES = _names("""
database_url db_url DATABASE_URL databaseUrl redis_url broker_url celery_broker_url mongo_uri sqlalchemy_database_uri
jdbc_url postgres_url connection_string connectionString conn_str dsn sentry_dsn credentials credential
aws_credentials creds stripe_key stripe_secret_key stripe_api_key openai_key anthropic_api_key aws_key
aws_secret_access_key aws_access_key encryption_key signing_key master_key license_key licence_key product_key
ssh_key key keys api_key apiKey client_secret webhook_secret webhook_url slack_webhook_url access_token
refresh_token id_token auth_token bearer_token csrf_token xsrf_token jwt session_token session_id sessionId
session_key session_cookie session_data jsessionid cookie cookies auth_cookie set_cookie authorization
auth_header basic_auth password db_password smtp_password passphrase pin otp_secret totp_secret mfa_secret
hmac_secret recovery_codes backup_codes verification_code private_key github_token gh_token slack_token
npm_token proxy_url smtp_url amqp_url elasticsearch_url twilio_auth_token sendgrid_api_key mailgun_key
algolia_admin_key secret_key SECRET_KEY django_secret_key jwt_secret app_secret oauth_token oauth_client_secret
refresh_tokens bearer authToken accessToken x_api_key service_account_key gcp_credentials azure_storage_key
storage_key cookie_value mongodb_url postgresql_uri mysql_url
""")

PERSONAL_NUMBER_NAMES = _names("""
license_number licence_number license_no licenseNumber driver_license_number passport passport_number
passport_no passportNumber passport_id
""")

SAFE_NAMES = _names("""
tokens_used tokenizer token_count max_tokens input_tokens output_tokens prompt_tokens completion_tokens
total_tokens cached_tokens tokens_per_second token_limit token_budget token_type token_expires_at token_bucket
token_balance token_symbol passport_photo_url passport_country passport_expiry passport_issue_date
keyboard_layout keyboard shipping_address opinion primary_key foreign_key sort_key partition_key cache_key
idempotency_key public_key ssh_public_key key_id api_key_id key_name key_points key_features key_findings
key_takeaways key_results key_metrics key_account keyword keywords hotkey translation_key i18n_key message_key
s3_key object_key lookup_key natural_key cookie_consent cookie_banner cookie_policy cookie_domain cookie_flavor
cookie_recipe cookie_jar cookie_count session_count session_length session_duration session_title session_name
session_date session_start session_timeout training_session license license_type license_expiry license_plate
licensed software_license credential_type credentials_expire_at secret_name password_changed_at
password_strength has_password has_api_key is_token_valid database_name db_host db_port database_host url
website_url profile_url image_url callback_url homepage_url avatar_url health_check_url redirect_uri secretary
description bio notes misc config settings title summary authorization_status authorization_type auth_method
mfa_enabled otp_enabled pin_count pinned spinner api_version api_endpoint endpoint host hostname username
user_name email display_name credit_score payload_size payload tokenized_text session_notes
""")


def test_the_tables_are_large_and_disjoint() -> None:
    names = SECRET_NAMES + PERSONAL_NUMBER_NAMES + SAFE_NAMES
    assert len(SECRET_NAMES) + len(PERSONAL_NUMBER_NAMES) >= 100 and len(SAFE_NAMES) >= 100
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names(name: str) -> None:
    got = classify_name(name)
    assert got.level == "sensitive" and got.category in SECRET_CATEGORIES, f"{name}: {got.reason}"


@pytest.mark.parametrize("name", PERSONAL_NUMBER_NAMES)
def test_licence_and_passport_numbers_are_personal_data(name: str) -> None:
    got = classify_name(name)
    assert got.level == "sensitive" and got.category in ("license_number", "passport", "national_id"), got.reason


@pytest.mark.parametrize("name", SAFE_NAMES)
def test_not_secrets(name: str) -> None:
    got = classify_name(name)
    assert got.level == "safe", f"{name}: {got.reason}"


@pytest.mark.parametrize("name", ["tokens", "key", "keys"])
def test_a_number_is_never_a_secret(name: str) -> None:
    assert classify_name(name).level == "sensitive"
    assert classify_name(name, "int").level == "safe"


class Usage(pydantic.BaseModel):
    id: int
    tokens_used: int
    tokenizer: str
    passport_photo_url: str
    keyboard_layout: str
    shipping_address: str
    opinion: str
    primary_key: str
    cookie_consent: bool
    session_count: int
    key_points: str
    credentials_expire_at: str


def test_a_headless_forge_does_not_refuse_false_positives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    assert check_permissions(Usage, interactive=False).sensitive == ()
    rows = Forge(use_ai=False, seed=3, interactive=False).create_batch(Usage, 5)
    assert len(rows) == 5 and all(isinstance(r.tokens_used, int) for r in rows)


class Deploy(pydantic.BaseModel):
    id: int
    database_url: str
    stripe_key: str


def test_a_headless_forge_refuses_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    with pytest.raises(ForgePermissionError) as info:
        Forge(use_ai=False, seed=3, interactive=False).create_batch(Deploy, 2)
    assert set(info.value.fields) == {"database_url", "stripe_key"}


SECRET_VALUES = [
    "postgresql://app:S3cr3tPassw0rd@db.internal:5432/prod",
    "redis://:hunter2xyz@cache:6379/0",
    "amqp://guest:guest@rabbit:5672/",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN CERTIFICATE-----",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "sk_live_51HcQxKJg8aXq2R7tYvB3nM9pL0wE",
    "rk_test_51HcQxKJg8aXq2R7tYvB3n",
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "sk-proj-abcdefghijklmnopqrstuvwx1234",
    "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    "glpat-abcdefghij0123456789",
    "xoxb-123456789012-abcdefghij",
    "xoxp-123456789012-abcdefghij",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
    "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789",
    "hf_abcdefghijklmnopqrstuvwxyzABCDEF12",
    "Zx9Qm2Lp7Rt4Vb8Nc1Kd6Hf3Jg5Ws0Ye",
    "Server=db;Database=x;User Id=sa;Password=Pa55word!;",
    "Authorization: Bearer abcdefghijklmnop123456",
    "api_key=abcd1234",
    "see my notes: sk_live_51HcQxKJg8aXq2R7tYvB3nM9pL0wE in the vault",
    ["plain", {"nested": "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}],
]

PLAIN_VALUES = [
    "Hello world, this is a normal sentence about a bakery.",
    str(uuid.UUID(int=0x1234567890ABCDEF1234567890ABCDEF)),
    hashlib.sha1(b"x").hexdigest(),
    hashlib.sha256(b"x").hexdigest(),
    "https://example.com/path?query=1",
    "https://user@example.com/x",
    "http://localhost:8080/api",
    "mailto:ann@example.com",
    "Supercalifragilisticexpialidocious is a long word",
    "camelCaseIdentifierWithNumbers123AndMore",
    "ProductSKU-ABC-12345",
    "2024-01-01T12:00:00+00:00",
    "The password policy requires 12 characters",
    "Password reset requested by the user",
    "secret: Santa",
    "/usr/local/lib/python3.11/site-packages/forge_factories/__init__.py",
    "FR7630006000011234567890189",
    "tokens_used: 1234",
    "sk-short",
    "Ann Lopez",
    "",
    12345678901234567890,
    None,
]


@pytest.mark.parametrize("value", SECRET_VALUES)
def test_secret_values(value: object) -> None:
    assert looks_secret(value), value


@pytest.mark.parametrize("value", PLAIN_VALUES)
def test_plain_values(value: object) -> None:
    assert secret_reason(value) is None
