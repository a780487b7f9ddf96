"""Sensitivity classification: safe / sensitive (PII) / dangerous (attack payloads).

Names are split into tokens (snake_case, camelCase, kebab-case, digits kept on their word)
and matched as whole tokens or token pairs, never as substrings: ``shipping_address``,
``opinion``, ``tokenizer``, ``credit_score`` and ``payload_size`` are safe. An explicit
declaration on the model (or the factory's ``Meta.forge_sensitivity``) always wins.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ForgeConfigError
from .fields import FieldDesc, describe_model, is_factory, model_name


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


def _r(category: str, level: Sensitivity, singles: str = "", pairs: Mapping[str, str] | None = None,
       whole: str = "", keep_when_boolean: bool = False) -> _Rule:
    return _Rule(
        category, level, frozenset(singles.split()),
        tuple((k, frozenset(v.split())) for k, v in (pairs or {}).items()),
        frozenset(whole.split()), keep_when_boolean,
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


S, D = Sensitivity.SENSITIVE, Sensitivity.DANGEROUS

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
    _r("passport", S, "passport passports passportnumber"),
    _r("card", S, "creditcard creditcardnumber ccnumber ccnum cardnumber cvv cvc cvv2 cvc2",
       {"card": "number num no credit", "cc": "number num no", "number": "pan", "security": "card"},
       whole="pan"),
    _r("bank_account", S, "iban ibans",
       {"account": "bank number no", "routing": "number", "sort": "code"}),
    _r("salary", S, "salary salaries wage wages income payroll compensation networth",
       {"worth": "net"}),
    _r("password", S, "password passwords passwd pwd passphrase passcode"),
    _r("secret", S, "secret secrets apikey privatekey accesskey secretkey otp totp pin",
       {"key": "api private access secret signing encryption auth"}),
    _r("token", S, "token tokens jwt bearer accesstoken refreshtoken authtoken"),
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
    "budget changed updated created expires expiry expired expiration ttl required enabled verified "
    "rotated currency version provider label"
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
    joined = "".join(tokens)
    if joined in rule.whole or joined in rule.singles:
        return f"name {joined!r}", frozenset(tokens)
    token_set = set(tokens)
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
    for rule in _RULES:
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
