"""The sampler registry of one locale: which column sampler serves ``Faker(provider, **kwargs)``."""

from __future__ import annotations

import random
from typing import Any

from forge_factories._compat.factory_boy import default_faker_locale
from forge_factories.samplers import address, company, person, phone
from forge_factories.samplers.dates import DateSamplers
from forge_factories.samplers.numeric import NumericSamplers
from forge_factories.samplers.person import PersonSamplers
from forge_factories.samplers.tables import FakerTables, Sampler
from forge_factories.samplers.templates import FormBuilder, Templates
from forge_factories.samplers.text import TextSamplers

#: Column forms of Faker's provider methods, by ``"module:Qualname"`` of the method.
FORMS: dict[str, FormBuilder] = {**person.FORMS, **address.FORMS, **company.FORMS, **phone.FORMS}


class SamplerSet(PersonSamplers, TextSamplers, NumericSamplers, DateSamplers):
    """Column samplers for the Faker providers of one locale.

    ``sampler(provider, kwargs)`` looks for, in order: a ``_s_<provider>`` builder of the
    mixins (providers with arguments: dates, numbers, text...), then the column form of the
    locale's own method (:mod:`.templates`: names, addresses, companies, jobs, phones...).
    ``None`` means the provider has no column sampler (the caller uses Faker per value).
    """

    def __init__(self, locale: str | None = None) -> None:
        self.tables = FakerTables(locale)
        self.templates = Templates(self.tables, FORMS)

    def sampler(self, provider: str, kwargs: dict[str, Any]) -> Sampler | None:
        """A column sampler for ``Faker(provider, **kwargs)``, or ``None`` if not covered."""
        builder = getattr(self, f"_s_{provider}", None)
        if builder is not None:
            try:
                sampler: Sampler = builder(**kwargs)
                return sampler
            except TypeError:  # an argument this builder does not take (or a value it leaves to Faker)
                return None
        if kwargs:
            return None
        return self.templates.known(provider)

    def token_column(self, name: str, n: int, rng: random.Random) -> list[str]:
        """``n`` values of template token ``name`` (its column form, else the locale's Faker)."""
        return self.templates.column(name, n, rng)


_SAMPLER_SETS: dict[str, SamplerSet] = {}


def samplers(locale: str | None) -> SamplerSet:
    """The cached :class:`SamplerSet` of ``locale``."""
    key = locale or default_faker_locale()
    found = _SAMPLER_SETS.get(key)
    if found is None:
        found = _SAMPLER_SETS[key] = SamplerSet(key)
    return found
