"""Column forms of Faker's address providers: the base provider and the en_US, en_GB, de_DE
and fr_FR overrides (other locales' own methods come from their Faker, one seed per column).

``address`` resolves its nested tokens (``street_address`` -> ``building_number``,
``street_name`` -> ``first_name``/``last_name``, ``city``, ``state_abbr``, ``postcode``...)
column by column; no Faker call per row.
"""

from __future__ import annotations

import random
from typing import Any

from forge_factories.samplers.placeholders import Pattern
from forge_factories.samplers.tables import Sampler, Table, scaled_ints, scatter
from forge_factories.samplers.templates import (
    FormBuilder,
    Templates,
    bothify_form,
    formats_form,
    numerify_form,
    table_form,
)

_BASE = "faker.providers.address"


def _upper(text: str) -> str:
    return text.upper()


def _us_state_abbr(_t: Templates, provider: Any) -> Sampler | None:
    """en_US ``state_abbr()`` with its default arguments: states, territories and freely associated states."""
    data = (tuple(provider.states_abbr) + tuple(getattr(provider, "territories_abbr", ()))
            + tuple(getattr(provider, "freely_associated_states_abbr", ())))
    return Table(data).pick_str


def _us_postcode(_t: Templates, provider: Any) -> Sampler | None:
    """en_US ``postcode()``: ``"%05d" % randint(501, 99950)``."""
    def sample(n: int, rng: random.Random) -> list[Any]:
        return list(map("{:05d}".format, map((501).__add__, scaled_ints(rng, n, 99950 - 501 + 1))))

    return sample


def _fixed_numerify(attr: str) -> FormBuilder:
    """``numerify(self.<attr>)`` of one fixed format."""
    def build(_t: Templates, provider: Any) -> Sampler | None:
        text = getattr(provider, attr, None)
        return Pattern(text).fill if isinstance(text, str) else None

    return build


def _pattern_form(text: str) -> FormBuilder:
    """``numerify(text)`` of a fixed text."""
    return lambda _t, _provider: Pattern(text).fill


def _ints_form(template: str, low: int, high: int) -> FormBuilder:
    """``template % randint(low, high)``."""
    def build(_t: Templates, _provider: Any) -> Sampler | None:
        return lambda n, rng: list(map(template.__mod__, map(low.__add__, scaled_ints(rng, n, high - low + 1))))

    return build


def _fr_postcode(_t: Templates, provider: Any) -> Sampler | None:
    """fr_FR ``postcode()``: a department number (``20`` for Corsica), then digits up to five."""
    numbers = Table.of("20" if d[0] in ("2A", "2B") else d[0] for d in provider.departments)

    def sample(n: int, rng: random.Random) -> list[Any]:
        def group(department: str, m: int) -> list[str]:
            width = 5 - len(department)  # random_number(digits=width, fix_len=True)
            low = 10 ** (width - 1)
            return list(map(f"{department}{{}}".format, map(low.__add__, scaled_ints(rng, m, 10**width - low))))

        return scatter(numbers.pick_str(n, rng), group)

    return sample


def _gb_postcode(_t: Templates, provider: Any) -> Sampler | None:
    """en_GB ``postcode()``: a format, then each of its characters from its own set."""
    formats = Table(provider.postcode_formats)
    sets = {key: Table(values) for key, values in provider._postcode_sets.items()}

    def sample(n: int, rng: random.Random) -> list[Any]:
        def group(fmt: str, m: int) -> list[str]:
            columns = [sets[c].pick_str(m, rng) for c in fmt]
            return list(map("".join, zip(*columns, strict=True))) if columns else [""] * m

        return scatter(formats.pick_str(n, rng), group)

    return sample


FORMS: dict[str, FormBuilder] = {
    f"{_BASE}:Provider.city_suffix": table_form("city_suffixes"),
    f"{_BASE}:Provider.street_suffix": table_form("street_suffixes"),
    f"{_BASE}:Provider.building_number": numerify_form("building_number_formats"),
    f"{_BASE}:Provider.city": formats_form("city_formats"),
    f"{_BASE}:Provider.street_name": formats_form("street_name_formats"),
    f"{_BASE}:Provider.street_address": formats_form("street_address_formats"),
    f"{_BASE}:Provider.address": formats_form("address_formats"),
    f"{_BASE}:Provider.postcode": bothify_form("postcode_formats", post=_upper),
    f"{_BASE}:Provider.country": table_form("countries"),
    # en_US
    f"{_BASE}.en_US:Provider.city_prefix": table_form("city_prefixes"),
    f"{_BASE}.en_US:Provider.secondary_address": numerify_form("secondary_address_formats"),
    f"{_BASE}.en_US:Provider.administrative_unit": table_form("states"),
    f"{_BASE}.en_US:Provider.state_abbr": _us_state_abbr,
    f"{_BASE}.en_US:Provider.postcode": _us_postcode,
    f"{_BASE}.en_US:Provider.zipcode": _us_postcode,
    f"{_BASE}.en_US:Provider.postalcode": _us_postcode,
    f"{_BASE}.en_US:Provider.military_ship": table_form("military_ship_prefix"),
    f"{_BASE}.en_US:Provider.military_state": table_form("military_state_abbr"),
    f"{_BASE}.en_US:Provider.military_apo": _fixed_numerify("military_apo_format"),
    f"{_BASE}.en_US:Provider.military_dpo": _fixed_numerify("military_dpo_format"),
    # en_GB
    f"{_BASE}.en_GB:Provider.postcode": _gb_postcode,
    f"{_BASE}.en_GB:Provider.city_prefix": table_form("city_prefixes"),
    f"{_BASE}.en_GB:Provider.secondary_address": bothify_form("secondary_address_formats"),
    f"{_BASE}.en_GB:Provider.administrative_unit": table_form("counties"),
    # de_DE
    f"{_BASE}.de_DE:Provider.city_name": table_form("cities"),
    f"{_BASE}.de_DE:Provider.street_suffix_short": table_form("street_suffixes_short"),
    f"{_BASE}.de_DE:Provider.street_suffix_long": table_form("street_suffixes_long"),
    f"{_BASE}.de_DE:Provider.administrative_unit": table_form("states"),
    f"{_BASE}.de_DE:Provider.city_with_postcode": formats_form("city_with_postcode_formats"),
    # fr_FR
    f"{_BASE}.fr_FR:Provider.street_prefix": table_form("street_prefixes"),
    f"{_BASE}.fr_FR:Provider.city_prefix": table_form("city_prefixes"),
    f"{_BASE}.fr_FR:Provider.administrative_unit": table_form("regions"),
    f"{_BASE}.fr_FR:Provider.postcode": _fr_postcode,
    # ja_JP
    f"{_BASE}.ja_JP:Provider.administrative_unit": table_form("prefectures"),
    f"{_BASE}.ja_JP:Provider.city": table_form("cities"),
    f"{_BASE}.ja_JP:Provider.town": table_form("towns"),
    f"{_BASE}.ja_JP:Provider.building_name": table_form("building_names"),
    f"{_BASE}.ja_JP:Provider.chome": _ints_form("%d丁目", 1, 42),
    f"{_BASE}.ja_JP:Provider.ban": _ints_form("%d番", 1, 27),
    f"{_BASE}.ja_JP:Provider.gou": _ints_form("%d号", 1, 20),
    f"{_BASE}.ja_JP:Provider.postcode": _pattern_form("###-####"),  # "%03d-%04d" of two randints
    f"{_BASE}.ja_JP:Provider.zipcode": _pattern_form("###-####"),
}
