"""Column samplers of Faker's person and internet providers: names, user names, emails, domains."""

from __future__ import annotations

import operator
import random
import string
from typing import Any

from forge_factories.samplers.placeholders import lexify
from forge_factories.samplers.tables import Sampler, ascii_lower, scaled_ints
from forge_factories.samplers.templates import (
    FormBuilder,
    SamplerBase,
    Templates,
    formats_form,
    table_form,
    table_or,
)

_PERSON = "faker.providers.person"
_INTERNET = "faker.providers.internet"


def _lower(text: str) -> str:
    return text.lower()


def _domain_word(t: Templates, _provider: Any) -> Sampler | None:
    """``domain_word()``: the first word of a company name, in ASCII."""
    def sample(n: int, rng: random.Random) -> list[Any]:
        return [ascii_lower(c.split(" ", 1)[0]) for c in t.column("company", n, rng)]

    return sample


def _domain_name(t: Templates, _provider: Any) -> Sampler | None:
    """``domain_name()``: ``domain_word.tld``."""
    def sample(n: int, rng: random.Random) -> list[Any]:
        words, tlds = t.column("domain_word", n, rng), t.column("tld", n, rng)
        return list(map("{}.{}".format, words, tlds))

    return sample


#: The user part of an email: first.last, firstlast, flast, first42 (fields: first, last, initial, host, number).
_EMAIL_STYLES = ("{0}.{1}@{3}", "{0}{1}@{3}", "{2}{1}@{3}", "{0}{4}@{3}")

FORMS: dict[str, FormBuilder] = {
    f"{_PERSON}:Provider.first_name": table_form("first_names"),
    f"{_PERSON}:Provider.last_name": table_form("last_names"),
    f"{_PERSON}:Provider.first_name_male": table_or("first_names_male", "first_name"),
    f"{_PERSON}:Provider.first_name_female": table_or("first_names_female", "first_name"),
    f"{_PERSON}:Provider.first_name_nonbinary": table_or("first_names_nonbinary", "first_name"),
    f"{_PERSON}:Provider.last_name_male": table_or("last_names_male", "last_name"),
    f"{_PERSON}:Provider.last_name_female": table_or("last_names_female", "last_name"),
    f"{_PERSON}:Provider.last_name_nonbinary": table_or("last_names_nonbinary", "last_name"),
    # _to_ascii(bothify(parse(pattern)).lower()): the names made ASCII and lower case before they
    # are joined (the literals are), letters drawn lower case (as upper or lower, then lowered)
    f"{_INTERNET}:Provider.user_name": formats_form("user_name_formats", digits=True,
                                                    letters=string.ascii_lowercase, tokens=ascii_lower),
    f"{_INTERNET}:Provider.tld": table_form("tlds"),
    f"{_INTERNET}:Provider.free_email_domain": formats_form("free_email_domains", post=_lower),
    f"{_INTERNET}:Provider.safe_domain_name": formats_form("safe_domain_names", post=_lower),
    f"{_INTERNET}:Provider.domain_word": _domain_word,
    f"{_INTERNET}:Provider.domain_name": _domain_name,
}


class PersonSamplers(SamplerBase):
    """``name`` and the email providers (``sampler()`` finds them by name)."""

    def _s_name(self) -> Sampler:
        first, last = self.tables.table("first_names"), self.tables.table("last_names")
        if first is None or last is None:
            raise TypeError("no name tables")

        def sample(n: int, rng: random.Random) -> list[Any]:
            return [f"{a} {b}" for a, b in zip(first.pick(n, rng), last.pick(n, rng), strict=True)]

        return sample

    def _s_email(self, safe: bool = True, domain: str | None = None) -> Sampler:
        # Locales whose names are not Latin (ja_JP, zh_CN) have romanized tables: use them.
        first = self.tables.table("first_romanized_names") or self.tables.table("first_names")
        last = self.tables.table("last_romanized_names") or self.tables.table("last_names")
        if first is None or last is None:
            raise TypeError("no name tables")
        firsts, lasts = first.mapped(ascii_lower), last.mapped(ascii_lower)
        domains = self.tables.table("free_email_domains")

        def sample(n: int, rng: random.Random) -> list[Any]:
            a, b = firsts.pick(n, rng), lasts.pick(n, rng)
            hosts = [domain] * n if domain else (domains.pick(n, rng) if domains else ["example.com"] * n)
            styles = map(_EMAIL_STYLES.__getitem__, scaled_ints(rng, n, len(_EMAIL_STYLES)))
            numbers = scaled_ints(rng, n, 100)
            for names in (a, b):  # a name that transliterates to nothing gets seeded Latin letters
                if "" in names:
                    names[:] = [v or lexify("??????", rng, string.ascii_lowercase) for v in names]
            initials = map(operator.itemgetter(0), a)
            return list(map(str.format, styles, a, b, initials, hosts, numbers))

        return sample

    _s_free_email = _s_email

    def _s_safe_email(self) -> Sampler:
        return self._s_email(domain="example.com")
