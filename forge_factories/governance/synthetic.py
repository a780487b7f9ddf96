"""Obviously synthetic values for sensitive fields: reserved ranges, documented test numbers.

Every generator takes a ``random.Random`` so values are reproducible under ``seed()``; none
can collide with a real person's data: SSNs use the never-issued area ``000``, cards are the
networks' published test numbers (they pass Luhn), IBANs use bank code ``TEST`` with valid
check digits, IPs come from the documentation ranges (RFC 5737 / RFC 3849), phones from the
fictional ``555-01xx`` block, MAC addresses are locally administered.
"""

from __future__ import annotations

import datetime
import functools
import random
import string
from collections.abc import Callable, Mapping
from typing import Any

from forge_factories.governance.sensitivity import name_tokens

#: Published test card numbers (Visa, Mastercard, Amex, Discover, JCB, Diners): all pass Luhn.
TEST_CARD_NUMBERS: tuple[str, ...] = (
    "4111111111111111", "4242424242424242", "4012888888881881", "5555555555554444",
    "5105105105105100", "378282246310005", "371449635398431", "6011111111111117",
    "3530111333300000", "30569309025904",
)
TEST_NET_PREFIXES: tuple[str, ...] = ("192.0.2.", "198.51.100.", "203.0.113.")


def luhn_valid(number: str) -> bool:
    """Whether the digits of ``number`` pass the Luhn checksum."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) < 2:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """Whether ``iban`` has valid ISO 13616 mod-97 check digits."""
    compact = iban.replace(" ", "").upper()
    if len(compact) < 5 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def ssn(rng: random.Random) -> str:
    """A US SSN in the never-issued area 000: ``000-42-1234``."""
    return f"000-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def passport(rng: random.Random) -> str:
    """A passport number that says what it is: ``TEST1234567``."""
    return f"TEST{rng.randint(0, 9_999_999):07d}"


def card_number(rng: random.Random) -> str:
    """A published test card number (passes Luhn, never issued)."""
    return rng.choice(TEST_CARD_NUMBERS)


def iban(rng: random.Random) -> str:
    """A GB IBAN with bank code ``TEST``, sort code 00-00-00 and valid check digits."""
    bban = f"TEST000000{rng.randint(0, 99_999_999):08d}"
    numeric = "".join(str(int(c, 36)) for c in bban + "GB00")
    check = 98 - int(numeric) % 97
    return f"GB{check:02d}{bban}"


def phone(rng: random.Random) -> str:
    """A number from the fictional North American ``555-0100..0199`` block."""
    return f"+1-202-555-01{rng.randint(0, 99):02d}"


def ip_address(rng: random.Random, version: int = 4) -> str:
    """An address from the documentation ranges (TEST-NET-1/2/3, ``2001:db8::/32``)."""
    if version == 6:
        return f"2001:db8::{rng.randint(1, 0xFFFF):x}"
    return f"{rng.choice(TEST_NET_PREFIXES)}{rng.randint(1, 254)}"


def mac_address(rng: random.Random) -> str:
    """A locally administered MAC address (``02:00:00:xx:xx:xx``), never a vendor's."""
    return "02:00:00:" + ":".join(f"{rng.randint(0, 255):02x}" for _ in range(3))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def secret(rng: random.Random) -> str:
    """A secret/password that is plainly a test value."""
    return f"forge-test-secret-{_hex(rng, 16)}"


def token(rng: random.Random) -> str:
    """A token that is plainly a test value."""
    return f"forge-test-token-{_hex(rng, 32)}"


def birth_date(rng: random.Random) -> datetime.date:
    """A birth date between 1940 and 2005 (a fixed window: never depends on today's date)."""
    start = datetime.date(1940, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(2005, 12, 31).toordinal()))


def ocean_point(rng: random.Random) -> tuple[float, float]:
    """A (lat, lon) in the empty South Pacific (no address can be near it)."""
    return round(rng.uniform(-55.0, -45.0), 6), round(rng.uniform(-140.0, -120.0), 6)


_HEALTH = ("SYNTHETIC seasonal allergy", "SYNTHETIC routine check-up", "SYNTHETIC sprained ankle",
           "SYNTHETIC mild myopia")


def _location(rng: random.Random, name: str) -> Any:
    lat, lon = ocean_point(rng)
    tokens = set(name_tokens(name))
    if tokens & {"lat", "latitude"} and not tokens & {"lon", "lng", "longitude"}:
        return lat
    if tokens & {"lon", "lng", "longitude"} and not tokens & {"lat", "latitude"}:
        return lon
    return f"{lat},{lon}"


_GENERATORS: dict[str, Callable[[random.Random, str], Any]] = {
    "national_id": lambda rng, name: ssn(rng),
    "passport": lambda rng, name: passport(rng),
    "card": lambda rng, name: ("000" if set(name_tokens(name)) & {"cvv", "cvc", "cvv2", "cvc2"}
                               else card_number(rng)),
    "bank_account": lambda rng, name: iban(rng),
    "salary": lambda rng, name: rng.randrange(30_000, 200_001, 1_000),
    "password": lambda rng, name: secret(rng),
    "secret": lambda rng, name: ("0000" if "pin" in name_tokens(name) else secret(rng)),
    "declared": lambda rng, name: f"forge-test-{_hex(rng, 12)}",
    "token": lambda rng, name: token(rng),
    "health": lambda rng, name: rng.choice(_HEALTH),
    "birth_date": lambda rng, name: birth_date(rng),
    "location": _location,
    "ip_address": lambda rng, name: ip_address(rng, 6 if "ipv6" in name_tokens(name) else 4),
    "device_id": lambda rng, name: (mac_address(rng) if "mac" in name_tokens(name) or "macaddress" in name_tokens(name)
                                    else f"TEST-DEVICE-{_hex(rng, 12).upper()}"),
    "phone": lambda rng, name: phone(rng),
}


def synthetic_value(category: str | None, rng: random.Random, name: str = "", kind: str | None = None) -> Any:
    """An obviously synthetic value for a field of ``category`` (``None``/unknown -> a tagged string).

    ``kind`` converts the value: ``"str"`` gives text, ``"int"``/``"float"`` numbers where the
    category allows, ``"date"`` dates; other kinds keep the generator's natural type.
    """
    gen = _GENERATORS.get(category or "", lambda r, n: f"forge-test-{_hex(r, 12)}")
    value = gen(rng, name)
    if kind in ("str", "email", "url", "phone", "secret", "card", "ip", "other", None) and kind is not None:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if kind == "int" and not isinstance(value, int):
        digits = "".join(c for c in str(value) if c in string.digits)
        return int(digits or 0)
    if kind == "float" and isinstance(value, (int, float)):
        return float(value)
    if kind == "datetime" and isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _draw(category: str | None, model: str, name: str, kind: str | None) -> Any:
    from forge_factories.common.seeding import value_rng

    return synthetic_value(category, value_rng("governance.synthetic", model, name), name, kind)


def synthetic_declarations(model: Any, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """factory_boy declarations giving every sensitive field of ``model`` an obviously synthetic value.

    Deterministic under ``seed()``. Use them as factory attributes, e.g.
    ``factory.make_factory(Model, **synthetic_declarations(Model))``, or let an auto factory
    put them over its Faker guesses (``ssn`` -> ``000-xx-xxxx``, not a plausible real SSN).
    """
    import factory

    from forge_factories.governance.fields import describe_model, model_name
    from forge_factories.governance.sensitivity import classify_model

    report = classify_model(model, overrides)
    kinds = {d.name: d.kind for d in describe_model(model)}
    scope = model_name(model)
    return {
        name: factory.LazyFunction(functools.partial(_draw, report.fields[name].category, scope, name, kinds.get(name)))
        for name in report.sensitive
    }
