"""Standard-tier choices by field name: which Faker method, which numeric range."""

from __future__ import annotations

import re

# (regex on the snake_case field name, Faker method). First match wins.
STRING_RULES: tuple[tuple[str, str], ...] = (
    (r"^(first_?name|given_?name|forename)$", "first_name"),
    (r"^(last_?name|surname|family_?name)$", "last_name"),
    (r"^(full_?name|name|display_?name|contact_?name|customer_?name|author|owner_?name)$", "name"),
    (r"^(user_?name|login|handle|nick(name)?)$", "user_name"),
    (r"(^|_)e?mail(_address)?$", "email"),
    (r"(^|_)(phone|mobile|telephone|tel|fax)(_number)?$", "phone_number"),
    (r"^(street(_address)?|address(_line)?(_?1)?|address|shipping_address|billing_address)$", "street_address"),
    (r"(^|_)city$", "city"),
    (r"(^|_)country_?code$", "country_code"),
    (r"(^|_)country$", "country"),
    (r"(^|_)(state|province|region)$", "state"),
    (r"(^|_)(zip|zip_?code|postal_?code|postcode)$", "postcode"),
    (r"(^|_)(company|company_?name|employer|organi[sz]ation|vendor|brand)$", "company"),
    (r"^(job|job_?title|occupation|position|role)$", "job"),
    (r"(^|_)(url|website|homepage|link|avatar|image_url)$", "url"),
    (r"(^|_)domain(_name)?$", "domain_name"),
    (r"(^|_)(ip|ip_?address|ipv4)$", "ipv4"),
    (r"(^|_)ipv6$", "ipv6"),
    (r"(^|_)currency(_code)?$", "currency_code"),
    (r"(^|_)(colou?r)(_name)?$", "color_name"),
    (r"(^|_)iban$", "iban"),
    (r"(^|_)(sku|code|reference|ref)$", "bothify:??-#####"),
    (r"(^|_)slug$", "slug"),
    (r"(^|_)(language|lang)(_code)?$", "language_code"),
    (r"(^|_)(locale)$", "locale"),
    (r"(^|_)(timezone|tz)$", "timezone"),
    (r"(^|_)(password|secret|token|api_?key)$", "password"),
    (r"(^|_)(uuid|guid)$", "uuid4"),
    (r"(^|_)(ssn)$", "ssn"),
    (r"(^|_)(license_plate|plate)$", "license_plate"),
    (r"(^|_)(mac_address|mac)$", "mac_address"),
    (r"(^|_)(user_agent)$", "user_agent"),
    (r"(^|_)(file_?name)$", "file_name"),
    (r"(^|_)(mime_?type|content_type)$", "mime_type"),
    (r"(^|_)(hex_colou?r)$", "hex_color"),
    (r"(^|_)(isbn)$", "isbn13"),
    (r"(^|_)(status)$", "word"),
    (r"(^|_)(tag|category|label|keyword|genre)$", "word"),
)

# Names whose free text is worth a writer (the semantic tier).
SEMANTIC_RE = re.compile(
    r"(^|_)(bio|biography|description|desc|summary|review|message|comment|comments|note|notes|"
    r"body|content|text|about|feedback|story|details|abstract|excerpt|caption|headline|title|subject|"
    r"reason|explanation|instructions|motto|tagline|slogan|complaint|answer|question|reply|post|tweet)$"
)

# (regex, low, high) numeric hints; money-like hints also give two decimals to floats/Decimals.
NUMBER_RULES: tuple[tuple[str, float, float], ...] = (
    (r"(^|_)age$", 18, 85),
    (r"(^|_)(year|birth_year)$", 1950, 2025),
    (r"(^|_)(month)$", 1, 12),
    (r"(^|_)(day)$", 1, 28),
    (r"(^|_)(hour)$", 0, 23),
    (r"(^|_)(minute|second)$", 0, 59),
    (r"(^|_)(quantity|qty|count|units|items|stock|seats)$", 1, 20),
    (r"(^|_)(rating|stars)$", 1, 5),
    (r"(^|_)(port)$", 1024, 65535),
    (r"(^|_)(price|amount|total|cost|balance|subtotal|fee|salary|revenue|budget)$", 1, 1000),
    (r"(^|_)(percent|percentage|pct|score|progress)$", 0, 100),
    (r"(^|_)(discount|tax_rate|ratio|probability|weight_factor)$", 0, 1),
    (r"(^|_)(lat|latitude)$", -90, 90),
    (r"(^|_)(lon|lng|longitude)$", -180, 180),
    (r"(^|_)(weight|weight_kg)$", 1, 150),
    (r"(^|_)(height|height_cm)$", 50, 220),
    (r"(^|_)(duration|minutes|seconds|timeout)$", 1, 3600),
    (r"(^|_)(version|level|priority|rank|position|order|page)$", 1, 10),
)
MONEY_RE = re.compile(r"(^|_)(price|amount|total|cost|balance|subtotal|fee|salary|revenue|budget)$")

DATE_RULES: tuple[tuple[str, tuple[int, int]], ...] = (
    (r"(^|_)(birth|born|dob|birthday|date_of_birth|birth_date)", (1950, 2005)),
)

_compiled_strings = tuple((re.compile(p), m) for p, m in STRING_RULES)
_compiled_numbers = tuple((re.compile(p), lo, hi) for p, lo, hi in NUMBER_RULES)
_compiled_dates = tuple((re.compile(p), span) for p, span in DATE_RULES)


def snake(name: str) -> str:
    """``firstName`` -> ``first_name``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def string_method(name: str) -> str | None:
    """The Faker method for a string field called ``name``, if any."""
    key = snake(name)
    for rx, method in _compiled_strings:
        if rx.search(key):
            return method
    return None


def is_semantic_name(name: str) -> bool:
    """Whether ``name`` reads like free text (bio, description, review...)."""
    return bool(SEMANTIC_RE.search(snake(name)))


def number_range(name: str) -> tuple[float, float] | None:
    """A realistic range for a numeric field called ``name``, if known."""
    key = snake(name)
    for rx, lo, hi in _compiled_numbers:
        if rx.search(key):
            return lo, hi
    return None


def is_money(name: str) -> bool:
    """Whether ``name`` is a money amount (two decimals)."""
    return bool(MONEY_RE.search(snake(name)))


def year_span(name: str) -> tuple[int, int] | None:
    """A year range for a date field called ``name`` (e.g. birth dates), if known."""
    key = snake(name)
    for rx, span in _compiled_dates:
        if rx.search(key):
            return span
    return None
