"""Column forms of Faker's company and job providers."""

from __future__ import annotations

import random
from typing import Any

from forge_factories.samplers.tables import Sampler, Table
from forge_factories.samplers.templates import FormBuilder, Templates, formats_form, table_form, table_or


def _word_lists(attr: str) -> FormBuilder:
    """``" ".join(random_element(words) for words in self.<attr>)`` (``catch_phrase``, ``bs``)."""
    def build(_t: Templates, provider: Any) -> Sampler | None:
        lists = getattr(provider, attr, None)
        if not lists:
            return None
        tables = [Table(words) for words in lists]

        def sample(n: int, rng: random.Random) -> list[Any]:
            columns = [table.pick_str(n, rng) for table in tables]
            return list(map(" ".join, zip(*columns, strict=True)))

        return sample

    return build


FORMS: dict[str, FormBuilder] = {
    "faker.providers.company:Provider.company": formats_form("formats"),
    "faker.providers.company:Provider.company_suffix": table_form("company_suffixes"),
    "faker.providers.company:Provider.catch_phrase": _word_lists("catch_phrase_words"),
    "faker.providers.company:Provider.bs": _word_lists("bsWords"),
    "faker.providers.job:Provider.job": table_form("jobs"),
    "faker.providers.job:Provider.job_female": table_or("jobs_female", "job"),
    "faker.providers.job:Provider.job_male": table_or("jobs_male", "job"),
}
