"""Faker internals: ``Faker._factory_map``, ``faker.generator._re_token``, ``BaseProvider.__use_weighting__``."""

from __future__ import annotations

import re
from typing import Any

from faker import Faker

from . import Probe

__all__ = ["generators", "provider_weighting", "template_token"]


def _check_factory_map() -> bool:
    fake = Faker(["en_US", "fr_FR"], providers=["faker.providers.color"])  # one provider: no provider discovery
    return list(fake._factory_map.values()) == list(fake.factories) and list(fake._factory_map) == fake.locales


FACTORY_MAP = Probe("faker.Faker._factory_map", _check_factory_map)


def generators(fake: Faker) -> list[Any]:
    """The per-locale generators of ``fake`` (each holds its locale's providers), in locale order.

    Fast: ``_factory_map``. Fallback: the public ``Faker.factories`` (the same objects).
    """
    if FACTORY_MAP():
        return list(fake._factory_map.values())
    return list(fake.factories)


def _check_re_token() -> bool:
    from faker.generator import _re_token

    plain, with_argument = _re_token.match("{{ first_name }}"), _re_token.match("{{name:short}}")
    return (isinstance(_re_token, re.Pattern) and plain is not None and plain.group(1) == "first_name"
            and not plain.group(2) and with_argument is not None and bool(with_argument.group(2))
            and [m.group(1) for m in _re_token.finditer("{{a}} x {{b}}")] == ["a", "b"])


RE_TOKEN = Probe("faker.generator._re_token", _check_re_token)


def template_token() -> re.Pattern[str] | None:
    """The regex ``Generator.parse`` finds ``{{token}}`` / ``{{token:argument}}`` with.

    Group 1 is the formatter name, group 2 the argument group. ``None`` when the probe
    failed: the caller leaves template parsing to ``Generator.parse`` (same output, slower).
    """
    if not RE_TOKEN():
        return None
    from faker.generator import _re_token

    return _re_token


def _check_weighting() -> bool:
    weighted, flat = Faker("en_US"), Faker("en_US", use_weighting=False)
    return (all(p.__use_weighting__ is True for p in generators(weighted)[0].providers)
            and all(p.__use_weighting__ is False for p in generators(flat)[0].providers))


USE_WEIGHTING = Probe("faker.BaseProvider.__use_weighting__", _check_weighting)


def provider_weighting(provider: Any) -> bool | None:
    """Whether ``provider`` draws its data tables by weight (``Faker(use_weighting=...)``).

    ``None`` when the probe failed (no public accessor): the caller leaves the draw to Faker
    (same values, slower).
    """
    return bool(provider.__use_weighting__) if USE_WEIGHTING.result or USE_WEIGHTING() else None
