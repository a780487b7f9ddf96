"""Sensitivity classification: safe / sensitive (PII) / dangerous (attack payloads).

Names are split into tokens (snake_case, camelCase, kebab-case, digits kept on their word)
and matched as whole tokens or token pairs, never as substrings: ``shipping_address``,
``opinion``, ``tokenizer``, ``credit_score``, ``tokens_used`` and ``passport_photo_url`` are
safe. An explicit declaration on the model (or the factory's ``Meta.forge_sensitivity``)
always wins. Secrets (:data:`SECRET_CATEGORIES`) are never sent to a provider, allowed or not.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forge_factories.common.errors import ForgeConfigError
from forge_factories.governance.fields import FieldDesc, describe_model, is_factory, model_name


class Sensitivity(enum.StrEnum):
    """How carefully a field's values must be handled."""

    SAFE = "safe"
    SENSITIVE = "sensitive"
    DANGEROUS = "dangerous"


_RANK = {Sensitivity.SAFE: 0, Sensitivity.SENSITIVE: 1, Sensitivity.DANGEROUS: 2}


@dataclass(frozen=True)
class Classification:
    """The class of one field, the category that matched (``"card"``, ``"ip"``...) and why."""

    field: str
    level: Sensitivity
    category: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class _Rule:
    category: str
    level: Sensitivity
    singles: frozenset[str] = frozenset()
    pairs: tuple[tuple[str, frozenset[str]], ...] = ()
    whole: frozenset[str] = frozenset()
    keep_when_boolean: bool = False
    unless: frozenset[str] = frozenset()  # tokens that make the name something else
    last: frozenset[str] = frozenset()  # tokens that only count as the name's last word
    text_only: bool = False  # a number can never hold it (``tokens: int`` is a count)


def _r(category: str, level: Sensitivity, singles: str = "", pairs: Mapping[str, str] | None = None,
       whole: str = "", keep_when_boolean: bool = False, unless: str = "", last: str = "",
       text_only: bool = False) -> _Rule:
    return _Rule(
        category, level, frozenset(singles.split()),
        tuple((k, frozenset(v.split())) for k, v in (pairs or {}).items()),
        frozenset(whole.split()), keep_when_boolean, frozenset(unless.split()), frozenset(last.split()), text_only,
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


S, D = Sensitivity.SENSITIVE, Sensitivity.DANGEROUS

#: Categories that are secrets, not personal data: masked in every request even when PII is allowed.
SECRET_CATEGORIES = frozenset({"password", "credentials", "secret", "token", "session", "cookie"})

#: ``<holder>_url``: URLs that usually carry a password or a token (``database_url``, ``redis_url``).
_URL_HOLDERS = ("database db postgres postgresql pg psql mysql mariadb redis mongo mongodb amqp broker rabbitmq "
                "celery jdbc sqlalchemy connection conn dsn webhook elasticsearch proxy smtp ftp sftp")
#: ``<qualifier>_key`` naming a lookup/data-structure key, not a secret (``primary_key``, ``sort_key``).
_NOT_SECRET_KEYS = (
    "primary foreign sort partition i18 cache public idempotency idempotent lookup natural composite compound unique "
    "surrogate candidate alternate row object s3 map dict hash range routing dedup dedupe deduplication i18n "
    "translation locale message musical music song group entity record item index shard order sequence "
    "field column attribute property schema enum display react list dom lock queue task job event stream topic "
    "answer config setting settings metric label tag cursor page pagination join match bucket file template "
    "foreignkey primarykey"
)
#: ``tokens_used``, ``input_tokens``, ``token_bucket``: counts, limits and crypto tokens, not credentials.
_NOT_SECRET_TOKENS = (
    "used remaining input output prompt completion completions total spent consumed cached reasoning per "
    "estimate estimated bucket balance amount price supply symbol decimals contract address"
)
#: ``cookie_consent``, ``cookie_domain``, ``cookie_flavor``: cookie settings and biscuits, not session cookies.
_NOT_SECRET_COOKIES = (
    "consent banner notice preferences preference flavor flavour flavors recipe recipes jar domain path samesite "
    "secure httponly jars dough box tin"
)

#: Dangerous rules first: ``sql_injection_token`` is an attack field before it is a token.
_RULES: tuple[_Rule, ...] = (
    _r("attack_payload", D,
       "sqli xss xxe ssti rce lfi rfi shellcode fuzz fuzzing fuzzer exploit exploits malicious",
       {"injection": "sql nosql command shell code script ldap xpath template header os prompt crlf html",
        "traversal": "path directory dir", "payload": "attack shell sql injection xss fuzz evil hostile",
        "attack": "string input vector", "evil": "input string"}),
    _r("national_id", S,
       "ssn ssns nin nino aadhaar aadhar cpf curp nric personnummer nationalid taxid itin "
       "driverlicense driverslicense",
       {"security": "social", "national": "id identifier number insurance", "tax": "id number identifier",
        "taxpayer": "id number", "license": "driver drivers driving", "licence": "driver drivers driving",
        "insurance": "social", "identity": "number card", "id": "number"},
       whole="sin tin"),
    _r("license_number", S, "licensenumber licencenumber licenseno licenceno",
       {"license": "number no num nr", "licence": "number no num nr"}),
    _r("passport", S, "passportnumber passportno",
       {"passport": "number no num nr id"}, whole="passport passports"),
    _r("card", S, "creditcard creditcardnumber ccnumber ccnum cardnumber cvv cvc cvv2 cvc2",
       {"card": "number num no credit", "cc": "number num no", "number": "pan", "security": "card"},
       whole="pan"),
    _r("bank_account", S, "iban ibans",
       {"account": "bank number no", "routing": "number", "sort": "code"}),
    _r("salary", S, "salary salaries wage wages income payroll compensation networth",
       {"worth": "net"}),
    _r("password", S, "password passwords passwd pwd passphrase passcode"),
    _r("credentials", S,
       "credential credentials creds cred dsn dsns connstr connectionstring databaseurl dburl",
       {"string": "connection conn", "str": "connection conn",
        "url": _URL_HOLDERS, "uri": _URL_HOLDERS, "urls": _URL_HOLDERS}),
    _r("secret", S, "secret secrets apikey privatekey accesskey secretkey otp totp pin hmac",
       {"key": "api private access secret signing encryption auth",
        "code": "recovery backup verification", "codes": "recovery backup verification"}),
    _r("secret", S, last="key keys", unless=_NOT_SECRET_KEYS, text_only=True),
    _r("token", S, "token tokens idtoken jwt jwts bearer accesstoken refreshtoken authtoken csrf xsrf authorization",
       {"auth": "basic header", "header": "auth authorization"}, unless=_NOT_SECRET_TOKENS, text_only=True),
    _r("session", S, "sessionid sessionkey sessiontoken jsessionid phpsessid",
       {"session": "id key token secret cookie data string value"}),
    _r("cookie", S, "cookie cookies setcookie", unless=_NOT_SECRET_COOKIES),
    _r("health", S,
       "diagnosis diagnoses prescription prescriptions medication medications allergy allergies "
       "disability disabilities illness disease diseases symptom symptoms medical hiv pregnancy pregnant diabetes "
       "icd icd10",
       {"health": "condition conditions record records data history insurance mental",
        "blood": "type group pressure"},
       keep_when_boolean=True),
    _r("birth_date", S, "dob birthday birthdate birthdays",
       {"birth": "date day year"}),
    _r("location", S,
       "latitude longitude lat lon lng gps geolocation geopoint geohash coordinates coords latlng latlon",
       {"geo": "location point coordinates position"}),
    _r("ip_address", S, "ip ipv4 ipv6 ipaddr ipaddress", {"addr": "remote client"}),
    _r("device_id", S, "imei imsi udid idfa idfv gaid macaddress deviceid",
       {"device": "id identifier fingerprint", "advertising": "id", "hardware": "id", "mac": "address addr"}),
)

#: Tokens that make a name describe metadata about a value rather than the value itself.
NEUTRAL_TOKENS = _words(
    "count counts size length len limit limits max min type types kind format policy strength usage "
    "budget changed updated created expire expires expiry expired expiration ttl required enabled verified "
    "rotated currency version provider label id ids name names prefix status"
)
_BOOLEAN_PREFIXES = _words("is has should can was allow allows needs")

_IPV = re.compile(r"(?i)ipv([46])")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case word tokens of a field name: ``"userIPv4Address"`` -> ``("user", "ipv4", "address")``."""
    text = _IPV.sub(lambda m: f"_ipv{m.group(1)}_", name)
    tokens: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", text):
        tokens.extend(t.lower() for t in _CAMEL.findall(part))
    return tuple(tokens)


def _match(rule: _Rule, tokens: tuple[str, ...]) -> tuple[str, frozenset[str]] | None:
    """Why ``rule`` matches (and the tokens it used), or ``None``."""
    token_set = set(tokens)
    if rule.unless and rule.unless & token_set:
        return None
    joined = "".join(tokens)
    if joined in rule.whole or joined in rule.singles:
        return f"name {joined!r}", frozenset(tokens)
    words = [t for t in tokens if not t.isdigit()]
    if words and words[-1] in rule.last:
        return f"last word {words[-1]!r}", frozenset({words[-1]})
    for t in tokens:
        if t in rule.singles:
            return f"token {t!r}", frozenset({t})
    for head, partners in rule.pairs:
        if head in token_set:
            hit = partners & token_set
            if hit:
                partner = sorted(hit)[0]
                return f"tokens {head!r} + {partner!r}", frozenset({head, partner})
    return None


_TYPE_CATEGORIES = {"secret": "secret", "card": "card", "ip": "ip_address"}


def coerce_level(value: Any) -> Sensitivity:
    """``"sensitive"`` / ``Sensitivity.SENSITIVE`` -> :class:`Sensitivity`; anything else raises."""
    try:
        return Sensitivity(str(value.value if isinstance(value, enum.Enum) else value).lower())
    except ValueError:
        raise ForgeConfigError(
            f"unknown sensitivity {value!r}; use one of {', '.join(s.value for s in Sensitivity)}"
        ) from None


def classify_name(name: str, kind: str | None = None) -> Classification:
    """Classify a field by its name (and value kind, e.g. ``"bool"`` or ``"ip"``), no declarations."""
    tokens = name_tokens(name)
    boolean = kind == "bool" or (bool(tokens) and tokens[0] in _BOOLEAN_PREFIXES)
    numeric = kind in ("int", "float", "decimal")
    for rule in _RULES:
        if numeric and rule.text_only:
            continue
        matched = _match(rule, tokens)
        if matched is None:
            continue
        why, used = matched
        neutral = sorted((set(tokens) - used) & NEUTRAL_TOKENS)
        if neutral:
            return Classification(name, Sensitivity.SAFE, None,
                                  f"{why} ({rule.category}) neutralised by {neutral[0]!r}: describes, not holds, a value")
        if boolean and not rule.keep_when_boolean:
            return Classification(name, Sensitivity.SAFE, None, f"{why} ({rule.category}) on a boolean flag")
        return Classification(name, rule.level, rule.category, f"{why} -> {rule.category}")
    if kind in _TYPE_CATEGORIES:
        category = _TYPE_CATEGORIES[kind]
        return Classification(name, Sensitivity.SENSITIVE, category, f"type {kind!r} -> {category}")
    return Classification(name, Sensitivity.SAFE, None, "no sensitive token")


def classify_field(desc: FieldDesc, override: Any = None) -> Classification:
    """Classify one described field; ``override`` (or the model's own declaration) wins."""
    explicit = override if override is not None else desc.sensitivity
    heuristic = classify_name(desc.name, desc.kind)
    if explicit is not None:
        level = coerce_level(explicit)
        category = heuristic.category if heuristic.level == level else None
        return Classification(desc.name, level, category or ("declared" if level != Sensitivity.SAFE else None),
                              "declared explicitly")
    return heuristic


@dataclass(frozen=True)
class SensitivityReport:
    """Every field of one model with its class."""

    model: str
    fields: Mapping[str, Classification] = field(default_factory=dict)

    def names(self, level: Sensitivity | str) -> tuple[str, ...]:
        """Field names of exactly ``level``, in declaration order."""
        wanted = coerce_level(level)
        return tuple(n for n, c in self.fields.items() if c.level == wanted)

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Fields holding PII or secrets."""
        return self.names(Sensitivity.SENSITIVE)

    @property
    def dangerous(self) -> tuple[str, ...]:
        """Fields meant to hold attack payloads."""
        return self.names(Sensitivity.DANGEROUS)

    @property
    def level(self) -> Sensitivity:
        """The model's overall class (its most sensitive field)."""
        levels = [c.level for c in self.fields.values()] or [Sensitivity.SAFE]
        return max(levels, key=_RANK.__getitem__)

    def level_of(self, name: str) -> Sensitivity:
        """The class of field ``name`` (a dotted path's last part is classified by name if unknown)."""
        if name in self.fields:
            return self.fields[name].level
        return classify_name(name.rsplit(".", 1)[-1]).level


def factory_overrides(factory_cls: Any) -> dict[str, Any]:
    """A factory's ``class Meta: forge_sensitivity = {"field": "sensitive"}`` mapping (``{}`` if none)."""
    meta = getattr(factory_cls, "_meta", None)
    value = getattr(meta, "forge_sensitivity", None)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ForgeConfigError(f"Meta.forge_sensitivity must be a mapping of field -> level, got {value!r}")
    return dict(value)


def classify_model(model: Any, overrides: Mapping[str, Any] | None = None) -> SensitivityReport:
    """Classify every field of a pydantic model, dataclass, Django/SQLAlchemy model or factory.

    Precedence: ``overrides`` > the factory's ``Meta.forge_sensitivity`` > the model's own
    declaration (pydantic ``json_schema_extra``, dataclass ``metadata``, SQLAlchemy ``info``,
    Django ``forge_sensitivity`` attribute or ``[forge:<level>]`` marker) > name tokens and types.
    """
    merged: dict[str, Any] = factory_overrides(model) if is_factory(model) else {}
    merged.update(overrides or {})
    descs = describe_model(model)
    known = {d.name for d in descs}
    unknown = sorted(set(merged) - known)
    if unknown:
        raise ForgeConfigError(f"sensitivity override for unknown field(s) of {model_name(model)}: {', '.join(unknown)}")
    return SensitivityReport(model_name(model), {d.name: classify_field(d, merged.get(d.name)) for d in descs})


def validate_sensitivity_mapping(value: Any, where: str = "Meta.forge_sensitivity") -> dict[str, Sensitivity] | None:
    """Check a ``{field: level}`` mapping (for the ``forge_sensitivity`` Meta option's checker)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ForgeConfigError(f"{where} must be a mapping of field name -> safe/sensitive/dangerous, got {value!r}")
    out: dict[str, Sensitivity] = {}
    for key, level in value.items():
        if not isinstance(key, str):
            raise ForgeConfigError(f"{where}: field names must be strings, got {key!r}")
        out[key] = coerce_level(level)
    return out
