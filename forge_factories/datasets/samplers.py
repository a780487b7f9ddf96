"""Column samplers: Faker providers re-implemented over Faker's own data tables.

Each sampler returns ``n`` values at once from a seeded ``random.Random``. The values come
from the same tables (names, cities, jobs, words...) with the same weights as Faker, but
they are not the values Faker itself would draw for the same seed. Dates are relative to
:data:`REFERENCE_TIME`, never to today, so a seed gives the same dates on any day.

Hot samplers chain ``map`` over :func:`randoms` so the per-value work runs in C; each one
draws exactly what the plain loop ``[f(rng.random()) for _ in range(n)]`` would draw.
"""

from __future__ import annotations

import datetime as dt
import operator
import random
import re
import string
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import accumulate, compress, repeat, starmap
from typing import Any

from faker import Faker

from forge_factories._compat.faker import generators
from forge_factories.common.seeding import REFERENCE_NOW

#: The "now" of generated dates (pinned so output does not drift with the calendar).
#: The column samplers' "now": the one :func:`~forge_factories.common.seeding.seed` pins for Faker, so
#: both paths read relative dates alike (a mid-year instant: "this year" is not an empty range).
REFERENCE_TIME = REFERENCE_NOW

Sampler = Callable[[int, random.Random], list[Any]]

_TOKEN = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_RELATIVE = re.compile(r"^([+-]?)(\d+)([yMwdhms])$")

#: Template token -> Faker provider attribute holding its table.
_TABLES = {
    "first_name": "first_names",
    "first_name_male": "first_names_male",
    "first_name_female": "first_names_female",
    "last_name": "last_names",
    "city_prefix": "city_prefixes",
    "city_suffix": "city_suffixes",
    "street_suffix": "street_suffixes",
    "company_suffix": "company_suffixes",
    "free_email_domain": "free_email_domains",
    "tld": "tlds",
    "country": "countries",
    "state": "states",
    "job": "jobs",
    "word": "word_list",
}
#: Provider -> (format table attribute, whether '#' in the result become digits).
_FORMATS = {
    "city": ("city_formats", False),
    "street_name": ("street_name_formats", False),
    "street_address": ("street_address_formats", True),
    "building_number": ("building_number_formats", True),
    "postcode": ("postcode_formats", True),
    "user_name": ("user_name_formats", True),
    "company": (None, False),
}


def randoms(rng: random.Random, n: int) -> Iterator[float]:
    """``n`` calls of ``rng.random()``, lazily (the loop runs in C)."""
    return starmap(rng.random, repeat((), n))


def scaled_ints(rng: random.Random, n: int, span: float) -> Iterator[int]:
    """``int(rng.random() * span)``, ``n`` times."""
    return map(int, map(float(span).__mul__, randoms(rng, n)))


class Table:
    """A data table of Faker with its cumulative weights computed once."""

    def __init__(self, data: Any) -> None:
        if isinstance(data, OrderedDict):
            self.keys: list[Any] = list(data.keys())
            self.cum: list[float] | None = list(accumulate(data.values()))
        else:
            self.keys = [getattr(v, "name", v) for v in data]
            self.cum = None
        #: Every key is a ``str`` already (``str(key)`` would change nothing).
        self.all_str = all(type(k) is str for k in self.keys)

    def pick(self, n: int, rng: random.Random) -> list[Any]:
        """``n`` weighted draws."""
        if self.cum is not None:
            return rng.choices(self.keys, cum_weights=self.cum, k=n)
        return list(map(self.keys.__getitem__, scaled_ints(rng, n, len(self.keys))))

    def pick_str(self, n: int, rng: random.Random) -> list[str]:
        """``n`` weighted draws as strings."""
        values = self.pick(n, rng)
        return values if self.all_str else [str(v) for v in values]


class FakerTables:
    """The data tables of one locale, looked up on the providers of a private Faker."""

    def __init__(self, locale: str | None = None) -> None:
        self.locale = locale or "en_US"
        self.fake = Faker(self.locale)
        self._tables: dict[str, Table | None] = {}

    def attr(self, name: str, module: str = "") -> Any:
        """The raw provider attribute ``name`` (``None`` when no provider has it).

        ``module`` restricts the search to providers whose module path contains it.
        """
        for generator in generators(self.fake):
            for provider in generator.providers:
                if module and module not in type(provider).__module__:
                    continue
                value = getattr(provider, name, None)
                if value is not None and not callable(value):
                    return value
        return None

    def table(self, attr: str) -> Table | None:
        """The cached :class:`Table` for a provider attribute."""
        if attr not in self._tables:
            raw = self.attr(attr)
            self._tables[attr] = Table(raw) if raw else None
        return self._tables[attr]


def numerify(text: str, rng: random.Random) -> str:
    """Faker's ``#`` (digit), ``%`` (non-zero digit) and ``$`` (2-9) placeholders."""
    if not any(c in text for c in "#%$!"):
        return text
    out = []
    for c in text:
        if c == "#":
            out.append(string.digits[int(rng.random() * 10)])
        elif c == "%":
            out.append(string.digits[1 + int(rng.random() * 9)])
        elif c == "$":
            out.append(string.digits[2 + int(rng.random() * 8)])
        elif c == "!":
            out.append(string.digits[int(rng.random() * 10)])
        else:
            out.append(c)
    return "".join(out)


def lexify(text: str, rng: random.Random, letters: str = string.ascii_letters) -> str:
    """Faker's ``?`` placeholder (a random letter)."""
    return "".join(letters[int(rng.random() * len(letters))] if c == "?" else c for c in text)


_ASCII_CACHE: dict[str, str] = {}


def _ascii_lower(text: str) -> str:
    found = _ASCII_CACHE.get(text)
    if found is not None:
        return found
    from faker.decode import unidecode  # Faker's own transliteration (Cyrillic, Greek, kana...)

    folded = unidecode(text).lower()
    result = re.sub(r"[^a-z0-9._-]", "", folded)
    if len(_ASCII_CACHE) < 100_000:
        _ASCII_CACHE[text] = result
    return result


class SamplerSet:
    """Samplers for the Faker providers of one locale."""

    def __init__(self, locale: str | None = None) -> None:
        self.tables = FakerTables(locale)

    # -- helpers
    def token(self, name: str, rng: random.Random) -> str:
        """One value of a template token."""
        if name in _TABLES:
            table = self.tables.table(_TABLES[name])
            if table is not None:
                return str(table.pick(1, rng)[0])
        if name == "domain_name":
            return f"{_ascii_lower(self.token('last_name', rng))}.{self.token('tld', rng)}"
        if name == "secondary_address":
            return numerify(("Apt. ###", "Suite ###")[int(rng.random() * 2)], rng)
        if name in _FORMATS:
            return self.formatted(name, rng)
        fake = self.tables.fake
        fake.seed_instance(rng.getrandbits(64))  # from rng: the same value in every process
        return str(fake.format(name))

    def fill(self, template: str, rng: random.Random) -> str:
        """Replace every ``{{token}}`` in ``template``."""
        return _TOKEN.sub(lambda m: self.token(m.group(1), rng), template)

    def formatted(self, provider: str, rng: random.Random) -> str:
        """One value of a format-table provider (city, street_address...)."""
        return self.formatted_many(provider, 1, rng)[0]

    def token_column(self, name: str, n: int, rng: random.Random) -> list[str]:
        """``n`` values of a template token."""
        if name in _TABLES:
            table = self.tables.table(_TABLES[name])
            if table is not None:
                return table.pick_str(n, rng)
        if name == "domain_name":
            lasts = self.token_column("last_name", n, rng)
            tlds = self.token_column("tld", n, rng)
            return [f"{_ascii_lower(a)}.{b}" for a, b in zip(lasts, tlds, strict=True)]
        if name == "secondary_address" or name in _FORMATS:
            return [self.token(name, rng) for _ in range(n)]
        fake = self.tables.fake  # a provider without a table here: Faker, seeded from rng once
        fake.seed_instance(rng.getrandbits(64))
        return [str(fake.format(name)) for _ in range(n)]

    def formatted_many(self, provider: str, n: int, rng: random.Random) -> list[str]:
        """``n`` values of a format-table provider, filled column by column."""
        if provider == "company":
            lasts = self.token_column("last_name", n, rng)
            suffixes = self.token_column("company_suffix", n, rng)
            return [f"{a} {b}" for a, b in zip(lasts, suffixes, strict=True)]
        attr, digits = _FORMATS[provider]
        table = self.tables.table(attr) if attr else None
        if table is None:
            raise LookupError(provider)
        chosen = table.pick_str(n, rng)
        out: list[str] = [""] * n
        single = len(set(chosen)) == 1
        for fmt in dict.fromkeys(chosen):  # formats in order of first appearance, rows in order
            where = range(n) if single else list(compress(range(n), map(fmt.__eq__, chosen)))
            parts = _TOKEN.split(fmt)
            literals, tokens = parts[0::2], parts[1::2]
            cols = [self.token_column(t, len(where), rng) for t in tokens]
            template = "{}".join(lit.replace("{", "{{").replace("}", "}}") for lit in literals)
            texts = list(map(template.format, *cols)) if cols else [template.format()] * len(where)
            if digits:
                texts = [numerify(t, rng) for t in texts]
            if single:
                out = texts
            else:
                deque(map(out.__setitem__, where, texts), maxlen=0)
        if provider == "user_name":
            out = [_ascii_lower(v) for v in out]
        return out

    # -- the sampler registry
    def sampler(self, provider: str, kwargs: dict[str, Any]) -> Sampler | None:
        """A column sampler for ``Faker(provider, **kwargs)``, or ``None`` if not covered."""
        builder = getattr(self, f"_s_{provider}", None)
        if builder is not None:
            try:
                sampler: Sampler = builder(**kwargs)
                return sampler
            except TypeError:
                return None
        if kwargs:
            return None
        if provider in _TABLES and self.tables.table(_TABLES[provider]) is not None:
            table = self.tables.table(_TABLES[provider])
            assert table is not None
            return table.pick_str
        if provider in _FORMATS:
            try:
                self.formatted(provider, random.Random(0))
            except LookupError:
                return None
            return lambda n, rng: self.formatted_many(provider, n, rng)
        return None

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
        domains = self.tables.table("free_email_domains")

        def sample(n: int, rng: random.Random) -> list[Any]:
            firsts, lasts = first.pick(n, rng), last.pick(n, rng)
            hosts = [domain] * n if domain else (domains.pick(n, rng) if domains else ["example.com"] * n)
            out = []
            rand = rng.random
            for a, b, host in zip(firsts, lasts, hosts, strict=True):
                style = int(rand() * 4)
                # a name that transliterates to nothing gets seeded Latin letters
                a = _ascii_lower(a) or lexify("??????", rng, string.ascii_lowercase)
                b = _ascii_lower(b) or lexify("??????", rng, string.ascii_lowercase)
                user = (f"{a}.{b}", f"{a}{b}", f"{a[0]}{b}", f"{a}{int(rand() * 100)}")[style]
                out.append(f"{user}@{host}")
            return out

        return sample

    _s_free_email = _s_email

    def _s_safe_email(self) -> Sampler:
        return self._s_email(domain="example.com")

    def _s_phone_number(self) -> Sampler:
        raw = self.tables.attr("formats", "phone_number") or ()
        fmts = [f for f in raw if isinstance(f, str) and "#" in f]
        if not fmts:
            raise TypeError("no phone formats")
        return lambda n, rng: [numerify(fmts[int(rng.random() * len(fmts))], rng) for _ in range(n)]

    def _s_boolean(self, chance_of_getting_true: int = 50) -> Sampler:
        p = chance_of_getting_true / 100
        return lambda n, rng: list(map(p.__gt__, randoms(rng, n)))  # rng.random() < p

    def _s_pybool(self, truth_probability: int = 50) -> Sampler:
        return self._s_boolean(truth_probability)

    def _s_random_int(self, min: int = 0, max: int = 9999, step: int = 1) -> Sampler:  # noqa: A002
        span = (max - min) // step + 1
        add_min, times_step = partial(operator.add, min), partial(operator.mul, step)
        if step == 1:
            return lambda n, rng: list(map(add_min, scaled_ints(rng, n, span)))
        return lambda n, rng: list(map(add_min, map(times_step, scaled_ints(rng, n, span))))

    def _s_pyint(self, min_value: int = 0, max_value: int = 9999, step: int = 1) -> Sampler:
        return self._s_random_int(min_value, max_value, step)

    def _s_random_element(self, elements: Sequence[Any] = ("a", "b", "c")) -> Sampler:
        table = Table(elements)
        return table.pick

    def _s_uuid4(self, cast_to: Any = str) -> Sampler:
        def sample(n: int, rng: random.Random) -> list[Any]:
            values = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(n)]
            return [cast_to(v) for v in values] if cast_to is not None else values

        return sample

    def _s_numerify(self, text: str = "###") -> Sampler:
        return lambda n, rng: [numerify(text, rng) for _ in range(n)]

    def _s_lexify(self, text: str = "????", letters: str = string.ascii_letters) -> Sampler:
        return lambda n, rng: [lexify(text, rng, letters) for _ in range(n)]

    def _s_bothify(self, text: str = "## ??", letters: str = string.ascii_letters) -> Sampler:
        return lambda n, rng: [numerify(lexify(text, rng, letters), rng) for _ in range(n)]

    def _s_sentence(self, nb_words: int = 6, variable_nb_words: bool = True) -> Sampler:
        words = self.tables.table("word_list")
        if words is None:
            raise TypeError("no word list")

        def sample(n: int, rng: random.Random) -> list[Any]:
            out = []
            for _ in range(n):
                k = nb_words
                if variable_nb_words:
                    k = max(1, nb_words + int(rng.random() * (nb_words * 0.8 + 1)) - int(nb_words * 0.4))
                text = " ".join(words.pick(k, rng))
                out.append(text[:1].upper() + text[1:] + ".")
            return out

        return sample

    def _s_text(self, max_nb_chars: int = 200) -> Sampler:
        sentence = self._s_sentence()

        def sample(n: int, rng: random.Random) -> list[Any]:
            out = []
            for _ in range(n):
                parts: list[str] = []
                size = 0
                while True:
                    s = sentence(1, rng)[0]
                    if size + len(s) + 1 > max_nb_chars and parts:
                        break
                    parts.append(s)
                    size += len(s) + 1
                    if size >= max_nb_chars * 0.7:
                        break
                out.append(" ".join(parts)[:max_nb_chars])
            return out

        return sample

    def _s_paragraph(self, nb_sentences: int = 3) -> Sampler:
        sentence = self._s_sentence()
        return lambda n, rng: [" ".join(sentence(nb_sentences, rng)) for _ in range(n)]

    # -- dates, relative to REFERENCE_TIME
    def _s_date_time_between(self, start_date: Any = "-30y", end_date: Any = "now", tzinfo: Any = None) -> Sampler:
        start, end = _moment(start_date), _moment(end_date)
        span = max((end - start).total_seconds(), 0.0)
        second = dt.timedelta(seconds=1)

        def sample(n: int, rng: random.Random) -> list[Any]:
            # start + timedelta(seconds=int(rng.random() * span))
            values = list(map(start.__add__, map(second.__mul__, scaled_ints(rng, n, span))))
            if tzinfo:
                return [v.replace(tzinfo=dt.UTC).astimezone(tzinfo) for v in values]
            return values

        return sample

    def _s_date_time(self, tzinfo: Any = None, end_datetime: Any = None) -> Sampler:
        return self._s_date_time_between(dt.datetime(1970, 1, 1), end_datetime or "now", tzinfo)

    def _s_past_datetime(self, start_date: Any = "-30d", tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between(start_date, "now", tzinfo)

    def _s_future_datetime(self, end_date: Any = "+30d", tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between("now", end_date, tzinfo)

    def _s_date_time_this_year(self, before_now: bool = True, after_now: bool = False, tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between(dt.datetime(REFERENCE_TIME.year, 1, 1), "now", tzinfo)

    def _s_date_time_this_decade(self, before_now: bool = True, after_now: bool = False,
                                 tzinfo: Any = None) -> Sampler:
        return self._s_date_time_between(dt.datetime(REFERENCE_TIME.year // 10 * 10, 1, 1), "now", tzinfo)

    def _s_date_between(self, start_date: Any = "-30y", end_date: Any = "today") -> Sampler:
        inner = self._s_date_time_between(start_date, "now" if end_date == "today" else end_date)
        return lambda n, rng: [v.date() for v in inner(n, rng)]

    def _s_date(self, pattern: str = "%Y-%m-%d", end_datetime: Any = None) -> Sampler:
        inner = self._s_date_time(end_datetime=end_datetime)
        return lambda n, rng: [v.strftime(pattern) for v in inner(n, rng)]

    def _s_date_object(self, end_datetime: Any = None) -> Sampler:
        inner = self._s_date_time(end_datetime=end_datetime)
        return lambda n, rng: [v.date() for v in inner(n, rng)]

    def _s_date_of_birth(self, tzinfo: Any = None, minimum_age: int = 0, maximum_age: int = 115) -> Sampler:
        today = REFERENCE_TIME.date()
        start = dt.datetime(today.year - maximum_age - 1, today.month, today.day) + dt.timedelta(days=1)
        end = dt.datetime(today.year - minimum_age, today.month, today.day)
        inner = self._s_date_time_between(start, end)
        return lambda n, rng: [v.date() for v in inner(n, rng)]

    def _s_iso8601(self, tzinfo: Any = None, end_datetime: Any = None, sep: str = "T",
                   timespec: str = "auto") -> Sampler:
        inner = self._s_date_time(tzinfo, end_datetime)
        return lambda n, rng: [v.isoformat(sep, timespec) for v in inner(n, rng)]

    def _s_unix_time(self, end_datetime: Any = None, start_datetime: Any = None) -> Sampler:
        inner = self._s_date_time_between(start_datetime or dt.datetime(1970, 1, 1), end_datetime or "now")
        epoch = dt.datetime(1970, 1, 1)
        return lambda n, rng: [float((v - epoch).total_seconds()) for v in inner(n, rng)]


def _moment(value: Any) -> dt.datetime:
    """A point in time from Faker's date arguments, relative to :data:`REFERENCE_TIME`."""
    if value is None or value in ("now", "today"):
        return REFERENCE_TIME
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.timedelta):
        return REFERENCE_TIME + value
    if isinstance(value, (int, float)):
        return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=value)
    match = _RELATIVE.match(str(value).strip())
    if not match:
        raise TypeError(f"unsupported date argument {value!r}")
    sign = -1 if match.group(1) == "-" else 1
    amount = int(match.group(2)) * sign
    unit = match.group(3)
    seconds = {"y": 365.25 * 86400, "M": 30.4375 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
    return REFERENCE_TIME + dt.timedelta(seconds=amount * seconds[unit])
