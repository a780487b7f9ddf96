"""The column samplers of ``forge_factories.samplers``: every provider a common model uses
(address, company, job, phone, text, dates, placeholders) as a column: value types and shapes,
length bounds, determinism under a seed, the locale's own tables, and no Faker call per row."""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker
from faker.generator import Generator

from forge_factories.samplers import REFERENCE_TIME, SamplerSet
from forge_factories.samplers.fit import fit_lengths
from forge_factories.samplers.placeholders import Pattern, numerify
from forge_factories.samplers.text import pack

N = 3000


@pytest.fixture(scope="module")
def en() -> SamplerSet:
    return SamplerSet("en_US")


def _provider(locale: str, attribute: str) -> Any:
    for provider in Faker(locale)._factory_map[locale].providers:
        if hasattr(provider, attribute):
            return provider
    raise LookupError(attribute)


@pytest.fixture
def no_faker_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail if anything formats a value through Faker (the samplers read its tables only)."""
    def refuse(self: Generator, formatter: str, *args: Any, **kwargs: Any) -> str:
        raise AssertionError(f"Faker called for {formatter!r}")

    monkeypatch.setattr(Generator, "format", refuse)
    monkeypatch.setattr(Generator, "parse", lambda self, text: refuse(self, text))
    yield


def draw(samplers: SamplerSet, provider: str, n: int = N, seed: object = 1, **kwargs: Any) -> list[Any]:
    sampler = samplers.sampler(provider, kwargs)
    assert sampler is not None, f"no column sampler for {provider}({kwargs})"
    values = sampler(n, random.Random(seed))
    assert len(values) == n
    assert values == sampler(n, random.Random(seed)), "the same seed must give the same values"
    assert n < 50 or values != sampler(n, random.Random(f"{seed}-other")), "another seed, other values"
    return values


COMMON = [
    "name", "first_name", "last_name", "email", "safe_email", "free_email", "user_name", "address",
    "street_address", "street_name", "building_number", "city", "postcode", "zipcode", "state", "state_abbr",
    "country", "secondary_address", "company", "company_suffix", "catch_phrase", "bs", "job", "phone_number",
    "msisdn", "domain_name", "tld", "word", "sentence", "paragraph", "text", "words", "sentences",
    "paragraphs", "date_of_birth", "date_time_between", "date_between", "date_time", "date_object",
    "date_this_year", "date_time_this_year", "past_date", "future_date", "past_datetime", "future_datetime",
    "iso8601", "time", "unix_time", "random_int", "pyint", "boolean", "uuid4", "numerify", "bothify", "lexify",
]


@pytest.mark.parametrize("provider", COMMON)
def test_common_providers_have_a_column_sampler(en: SamplerSet, provider: str, no_faker_calls: None) -> None:
    values = draw(en, provider, n=200)
    assert all(v is not None for v in values)


@pytest.mark.parametrize(("provider", "shape"), [
    ("street_address", r"\d{3,5} [A-Z][\w']* [A-Z]\w*( (Apt\.|Suite) \d{3})?"),
    ("building_number", r"\d{3,5}"),
    ("secondary_address", r"(Apt\.|Suite) \d{3}"),
    ("postcode", r"\d{5}"),
    ("state_abbr", r"[A-Z]{2}"),
    ("phone_number", r"[-+()0-9. x]{10,25}"),
    ("user_name", r"[a-z][a-z0-9._]*"),
    ("company", r"[A-Z][\w' -]+(, [A-Z][\w'-]+ and [A-Z][\w'-]+)?( (Inc|LLC|Ltd|Group|PLC|and Sons))?"),
    ("domain_name", r"[a-z0-9-]+\.[a-z]+"),
])
def test_values_have_fakers_shape(en: SamplerSet, provider: str, shape: str, no_faker_calls: None) -> None:
    pattern = re.compile(shape)
    values = draw(en, provider)
    assert all(isinstance(v, str) and pattern.fullmatch(v) for v in values), [
        v for v in values if not pattern.fullmatch(v)][:5]
    assert len(set(values)) > min(N // 3, 55)  # 59 state abbreviations


def test_address_resolves_its_nested_tokens_column_wise(en: SamplerSet, no_faker_calls: None) -> None:
    """en_US ``address``: street line, then city, state and ZIP; military formats 3 times in 28."""
    values = draw(en, "address", n=20_000)
    civil = re.compile(r"\d{3,5} [A-Z]\w* [A-Z]\w*( (Apt\.|Suite) \d{3})?\n[A-Z][\w ]+, [A-Z]{2} \d{5}")
    military = re.compile(r"(PSC \d{4}, Box \d{4}\nAPO|(USNS|USNV|USS|USCGC) [A-Z]\w*\nFPO|Unit \d{4} Box \d{4}\nDPO) "
                          r"A[AEP] \d{5}")
    assert all(civil.fullmatch(v) or military.fullmatch(v) for v in values), [
        v for v in values if not (civil.fullmatch(v) or military.fullmatch(v))][:3]
    share = sum(1 for v in values if military.fullmatch(v)) / len(values)
    assert abs(share - 3 / 28) < 0.01
    streets = _provider("en_US", "street_suffixes").street_suffixes
    suffixes = Counter(v.split("\n")[0].split()[2] for v in values if civil.fullmatch(v))
    assert set(suffixes) <= set(streets) and len(suffixes) > 100


def test_company_and_job_come_from_the_locales_tables(en: SamplerSet, no_faker_calls: None) -> None:
    jobs = set(_provider("en_US", "jobs").jobs)
    values = draw(en, "job")
    assert set(values) <= jobs and len(set(values)) > 300
    lasts = set(_provider("en_US", "last_names").last_names)
    suffixes = set(_provider("en_US", "company_suffixes").company_suffixes)
    styles = Counter()
    for company in draw(en, "company"):
        if "," in company:
            styles["three"] += 1
            assert company.split(",")[0] in lasts
        elif "-" in company and company.count(" ") == 0:
            styles["two"] += 1
            assert all(part in lasts for part in company.split("-"))
        else:
            styles["suffix"] += 1
            suffix = next(s for s in suffixes if company.endswith(" " + s))
            assert company[: -len(suffix) - 1] in lasts
    assert all(count > N / 6 for count in styles.values()) and len(styles) == 3


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "en_GB", "ja_JP"])
def test_addresses_of_other_locales_use_their_tables(locale: str) -> None:
    samplers = SamplerSet(locale)
    values = draw(samplers, "address", n=500)
    assert all(isinstance(v, str) and v for v in values) and len(set(values)) > 400
    cities = draw(samplers, "city", n=500)
    if locale == "de_DE":
        assert set(cities) <= set(_provider(locale, "cities").cities)
    if locale == "en_GB":
        postcode = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}")
        assert all(postcode.fullmatch(v) for v in draw(samplers, "postcode", n=500))
    if locale == "fr_FR":
        assert all(re.fullmatch(r"\d{5}", v) for v in draw(samplers, "postcode", n=500))
    if locale == "ja_JP":
        assert set(cities) <= set(_provider(locale, "cities").cities)
        assert all(re.fullmatch(r"\d{3}-\d{4}", v) for v in draw(samplers, "postcode", n=500))


def test_phone_numbers_follow_the_locales_formats(en: SamplerSet, no_faker_calls: None) -> None:
    formats = next(p for p in Faker("en_US")._factory_map["en_US"].providers
                   if "phone_number" in type(p).__module__).formats
    shapes = {re.sub(r"[#%$\d]", "0", f) for f in formats}
    values = draw(en, "phone_number")
    assert {re.sub(r"\d", "0", v) for v in values} <= shapes
    assert len({re.sub(r"\d", "0", v) for v in values}) > len(shapes) // 2
    digits = Counter("".join(re.sub(r"\D", "", v) for v in values))
    assert set(digits) == set(string.digits)


@pytest.mark.parametrize("limit", [5, 20, 24, 25, 60, 99, 100, 200, 1000])
def test_text_stays_under_max_nb_chars(en: SamplerSet, limit: int, no_faker_calls: None) -> None:
    values = draw(en, "text", n=1000, max_nb_chars=limit)
    assert all(isinstance(v, str) and 0 < len(v) <= limit for v in values)
    assert all(v == v.strip() and "  " not in v and v[0].isupper() and v.endswith(".") for v in values)
    if limit >= 100:
        assert any("\n" in v for v in values)  # paragraphs, as Faker joins them
        assert all(len(v) < limit for v in values)
    words = set(_provider("en_US", "word_list").word_list)
    assert {w.strip(".").lower() for v in values for w in v.split()} <= {w.lower() for w in words}
    assert len(set(values)) > (300 if limit < 20 else 990)  # texts of a few words repeat, as with Faker


def test_pack_cuts_where_fakers_loop_cuts() -> None:
    rng = random.Random(4)
    lengths = [rng.randint(10, 150) for _ in range(2000)]
    expected, i = [], 0
    while len(expected) < 300:
        start, size = i, 0
        while size < 200:
            size += (1 if size else 0) + lengths[i]
            i += 1
        if i - 1 > start:
            expected.append((start, i - 1))
    assert pack(lengths, 1, 200, 300) == expected


def test_sentences_and_paragraphs_follow_fakers_counts(en: SamplerSet, no_faker_calls: None) -> None:
    sentences = draw(en, "sentence")
    counts = Counter(len(s.split()) for s in sentences)
    assert set(counts) == set(range(3, 9))  # int(6 * randint(60, 140) / 100)
    assert all(s[0].isupper() and s.endswith(".") for s in sentences)
    fixed = draw(en, "sentence", nb_words=4, variable_nb_words=False)
    assert {len(s.split()) for s in fixed} == {4}
    paragraphs = draw(en, "paragraph")
    assert set(Counter(p.count(".") for p in paragraphs)) == {1, 2, 3, 4}
    lists = draw(en, "words", nb=5)
    assert all(isinstance(w, list) and len(w) == 5 for w in lists)


def test_lorem_of_a_locale_keeps_its_punctuation() -> None:
    ja = SamplerSet("ja_JP")
    values = draw(ja, "sentence", n=300)
    assert all(v.endswith("。") and " " not in v for v in values)
    assert all(len(v) <= 100 for v in draw(ja, "text", n=300, max_nb_chars=100))


@pytest.mark.parametrize(("provider", "kwargs", "low", "high", "kind"), [
    ("date_of_birth", {"minimum_age": 18, "maximum_age": 90}, dt.date(1935, 6, 16), dt.date(2008, 6, 15), dt.date),
    ("date_time_between", {"start_date": "-3y"}, REFERENCE_TIME - dt.timedelta(days=1096), REFERENCE_TIME,
     dt.datetime),
    ("date_between", {"start_date": "-1y", "end_date": "today"}, REFERENCE_TIME.date() - dt.timedelta(days=366),
     REFERENCE_TIME.date(), dt.date),
    ("date_this_year", {}, dt.date(REFERENCE_TIME.year, 1, 1), REFERENCE_TIME.date(), dt.date),
    ("date_time_this_decade", {}, dt.datetime(2020, 1, 1), REFERENCE_TIME, dt.datetime),
    ("past_date", {}, REFERENCE_TIME.date() - dt.timedelta(days=30), REFERENCE_TIME.date(), dt.date),
    ("future_datetime", {"end_date": "+10d"}, REFERENCE_TIME, REFERENCE_TIME + dt.timedelta(days=10), dt.datetime),
])
def test_dates_stay_in_their_range(en: SamplerSet, provider: str, kwargs: dict[str, Any], low: Any, high: Any,
                                   kind: type) -> None:
    values = draw(en, provider, **kwargs)
    assert all(type(v) is kind and low <= v <= high for v in values), [v for v in values if not low <= v <= high][:3]
    days = (high - low).days
    assert len(set(values)) > (min(N // 3, days - 2) if kind is dt.date else N - 5)


def test_date_of_birth_ages_are_uniform_by_day(en: SamplerSet) -> None:
    values = draw(en, "date_of_birth", n=40_000, minimum_age=20, maximum_age=21)
    today = REFERENCE_TIME.date()
    ages = Counter(today.year - v.year - ((today.month, today.day) < (v.month, v.day)) for v in values)
    assert set(ages) == {20, 21} and abs(ages[20] - ages[21]) < 1200


@pytest.mark.parametrize(("text", "shape"), [
    ("###-%%-$$", r"\d{3}-[1-9]{2}-[2-9]{2}"),
    ("??-####", r"[A-Za-z]{2}-\d{4}"),
    ("{x} #{y}", r"\{x\} \d\{y\}"),
    ("!!@@", r"\d{0,2}[1-9]{0,2}"),
    ("no placeholders", r"no placeholders"),
])
def test_placeholders_are_filled_per_column(text: str, shape: str) -> None:
    values = Pattern(text, letters=string.ascii_letters).fill(5000, random.Random(2))
    assert all(re.fullmatch(shape, v) for v in values), [v for v in values if not re.fullmatch(shape, v)][:3]
    if "#" in text:
        assert Counter(c for v in values for c in v if c.isdigit()).keys() >= set(string.digits)
    if "!" in text:
        sizes = Counter(len(v) for v in values)
        assert sizes[0] and sizes[4]  # each ! and @ is empty half the time
    assert numerify("##", random.Random(1)) == numerify("##", random.Random(1))


def test_bothify_and_lexify_samplers(en: SamplerSet) -> None:
    values = draw(en, "bothify", text="??-#####")
    assert all(re.fullmatch(r"[A-Za-z]{2}-\d{5}", v) for v in values)
    lowers = draw(en, "lexify", text="????", letters="abc")
    assert set("".join(lowers)) == set("abc")
    numbers = draw(en, "numerify", text="Apt. %##")
    assert all(re.fullmatch(r"Apt\. [1-9]\d\d", v) for v in numbers)


@pytest.mark.parametrize(("low", "high"), [(None, 12), (8, None), (10, 14), (30, 40)])
def test_fit_lengths_keeps_strings_within_bounds(en: SamplerSet, low: int | None, high: int | None) -> None:
    sampler = en.sampler("name", {})
    assert sampler is not None
    fitted = fit_lengths(sampler, low, high)
    values = fitted(2000, random.Random(3))
    assert all((low or 0) <= len(v) <= (high if high is not None else 10**9) for v in values)
    assert values == fitted(2000, random.Random(3))
    assert len(set(values)) > 500


def test_unknown_locale_tokens_fall_back_to_a_seeded_faker() -> None:
    """de_DE's ``street_name`` formats read ``street_suffix_long``... known; a token the forms do
    not list (``city_with_postcode`` is listed; ``street_suffix`` of pl_PL is not) still fills."""
    samplers = SamplerSet("pl_PL")
    values = draw(samplers, "address", n=300)
    assert all(isinstance(v, str) and v for v in values) and len(set(values)) > 250


@pytest.mark.parametrize("texts", [
    ("###-###-####",),  # one template: every position a slice of the column's random run
    ("(###)###-####x###", "+1-###-###-####", "###.###.####", "1-%%%-$$$-####", "??# #??"),  # groups
])
def test_flat_templates_fill_as_str_format_would(texts: tuple[str, ...]) -> None:
    from collections import OrderedDict

    from forge_factories.samplers.placeholders import Flat
    from forge_factories.samplers.tables import Table

    table = Table(OrderedDict((t, 1.0 + i) for i, t in enumerate(texts)))
    fast = Flat.of(table, string.ascii_uppercase)
    slow = Flat.of(table, string.ascii_uppercase)
    assert fast is not None and slow is not None
    slow.places = {}  # no ASCII forms: every row through str.format
    assert fast.fill(3000, random.Random(9)) == slow.fill(3000, random.Random(9))
    values = fast.fill(3000, random.Random(9))
    assert {re.sub(r"[0-9A-Z]", "#", v) for v in values} <= {re.sub(r"[#%$?0-9A-Z]", "#", t) for t in texts}
    assert len(set(values)) > 2900


def test_nested_formats_are_flattened_with_fakers_weights(en: SamplerSet) -> None:
    """en_US ``address``: its formats, with ``street_address``, ``street_name`` and ``city``
    expanded, form one table of flat templates whose probabilities multiply Faker's; the leaves
    only military templates use are drawn for their rows alone."""
    from forge_factories.samplers.templates import FormatSampler, flatten

    sampler = en.templates.known("address")
    assert isinstance(sampler, FormatSampler)
    flat = flatten(sampler)
    assert flat is not None
    keys, cum = flat.table.keys, flat.table.cum
    assert cum is not None and abs(cum[-1] - 1) < 1e-9
    weights = dict(zip(keys, [b - a for a, b in zip([0.0, *cum[:-1]], cum, strict=True)], strict=True))
    military = [k for k in keys if "\n" in k and not k.split("\n")[1].startswith("{")]
    assert len(military) == 3 and abs(sum(weights[k] for k in military) - 3 / 28) < 1e-9
    assert len(keys) == 16 + 3  # 2 street formats x 2 street names x 4 cities, and 3 military
    names = {name for _kind, name in flat.leaves}
    assert {"building_number", "street_suffix", "city_suffix", "state_abbr", "postcode"} <= names
    assert "street_address" not in names and "city" not in names  # expanded, not drawn
    sparse = {flat.leaves[i][1] for i in flat.sparse}
    assert {"military_ship", "military_state"} <= sparse and "building_number" not in sparse


def test_flattened_and_grouped_formats_follow_the_same_distribution(en: SamplerSet) -> None:
    """The flat templates and the format-by-format fill give the same shares of each shape."""
    from forge_factories.samplers.templates import FormatSampler

    def shapes(values: list[str]) -> Counter[str]:
        return Counter(re.sub(r"[A-Za-z']+", "w", re.sub(r"\d+", "0", v)) for v in values)

    for provider in ("address", "company", "user_name", "street_address"):
        flat = en.templates.known(provider)
        assert isinstance(flat, FormatSampler) and flat(10, random.Random(0)) and flat._flat
        grouped = FormatSampler(en.templates, flat.table, digits=flat.digits, letters=flat.letters,
                                post=flat.post, tokens=flat.tokens)
        grouped._flat = False  # the fill of each format's rows as a group
        a, b = shapes(flat(20_000, random.Random(1))), shapes(grouped(20_000, random.Random(1)))
        assert set(a) | set(b) == set(a) & set(b) or provider == "address", (provider, set(a) ^ set(b))
        for shape in set(a) | set(b):
            share_a, share_b = a[shape] / 20_000, b[shape] / 20_000
            assert abs(share_a - share_b) < 0.02 + 0.1 * max(share_a, share_b), (provider, shape, share_a, share_b)


def test_a_format_with_a_token_without_column_form_is_not_flattened() -> None:
    from forge_factories.samplers.templates import FormatSampler, flatten

    samplers = SamplerSet("pl_PL")
    sampler = samplers.templates.known("street_address") or samplers.templates.known("address")
    if not isinstance(sampler, FormatSampler):
        pytest.skip("pl_PL's address has no format table here")
    assert flatten(sampler) is None  # pl_PL's street_suffix has no column form: rows grouped as before
    assert all(isinstance(v, str) and v for v in sampler(200, random.Random(2)))
