"""Pick usable values (a person's name, a product, a rating) out of an item's conditioning.

Conditioning keys are reference names such as ``name``, ``rating`` or ``product.name``.
Only plain strings and numbers are used; values are whitespace-collapsed, too long ones are
left out (never pasted cut off), and they are only ever inserted into text, never interpreted.
A value that looks like a secret (a URL with a password, a key, a token) is never used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from forge_factories.common.secret_values import looks_secret

_MAX_VALUE = 60
_NUMBER = re.compile(r"\s*(\d+(?:[.,]\d+)?)")
_NOT_PERSON = ("product", "item", "company", "shop", "store", "brand", "event", "listing", "category")
_PRODUCT_PATH = ("product", "item", "listing", "sku", "article", "offer")
_COMPANY_PATH = ("company", "employer", "organisation", "organization")
_PERSON_KEYS = ("full_name", "name", "display_name", "customer_name", "author_name", "user_name")
_PRODUCT_KEYS = ("product_name", "product_title", "item_name", "item_title", "product", "item")
_RATING_KEYS = ("rating", "stars", "star_rating", "score", "rate", "grade", "review_rating")
_YEARS_KEYS = ("years_experience", "years_of_experience", "experience_years", "experience")


def clean(value: Any) -> str | None:
    """A single-line string for ``value`` (``None`` for non-text, empty, secret-looking or too long values).

    A value longer than :data:`_MAX_VALUE` characters is never used, rather than pasted cut off.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _clean_text(str(value))
    if isinstance(value, str):
        return _clean_text(value)
    return None


@lru_cache(maxsize=4096)  # the same names and titles come back for every field of a batch
def _clean_text(value: str) -> str | None:
    text = " ".join(value.split())
    if not text or len(text) > _MAX_VALUE or looks_secret(text):
        return None
    return text


@lru_cache(maxsize=1024)
def _split(key: str) -> tuple[str, str]:
    path, _, last = key.lower().rpartition(".")
    return path, last


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _NUMBER.match(value)
        return float(match.group(1).replace(",", ".")) if match else None
    try:
        return float(value)  # Decimal and friends
    except (TypeError, ValueError):
        return None


class Conditioning:
    """An item's conditioning values, indexed by the last part of each reference name."""

    __slots__ = ("_by_last", "_memo")

    def __init__(self, values: Mapping[str, Any]) -> None:
        by_last: dict[str, list[tuple[str, Any]]] = {}
        for key, value in values.items():
            path, last = _split(str(key))
            by_last.setdefault(last, []).append((path, value))
        self._by_last = by_last
        self._memo: dict[str, Any] = {}

    def lookup(self, lasts: tuple[str, ...], *, skip: tuple[str, ...] = (), within: tuple[str, ...] = ()) -> str | None:
        """The first usable text value whose key ends in one of ``lasts`` (path filters optional)."""
        if not self._by_last:  # no conditioning (the common case of a field with no references)
            return None
        for wanted in lasts:
            for path, value in self._by_last.get(wanted, ()):
                if skip and any(s in path for s in skip):
                    continue
                if within and not any(w in path for w in within):
                    continue
                text = clean(value)
                if text:
                    return text
        return None

    def _cached(self, name: str) -> Any:
        return self._memo.get(name, self)

    def person_name(self) -> str | None:
        """The full name of the person the record is about, if the conditioning holds one."""
        hit = self._cached("person")
        if hit is not self:
            return hit
        full = self.lookup(_PERSON_KEYS, skip=_NOT_PERSON)
        if not full:
            first = self.lookup(("first_name", "given_name", "firstname"), skip=_NOT_PERSON)
            last = self.lookup(("last_name", "surname", "family_name"), skip=_NOT_PERSON)
            full = first + " " + last if first and last else first
        self._memo["person"] = full
        return full

    def first_name(self) -> str | None:
        """The person's first name (from ``first_name`` or the first word of a full name)."""
        first = self.lookup(("first_name", "given_name", "firstname"), skip=_NOT_PERSON)
        if first:
            return first
        full = self.person_name()
        return full.split(" ", 1)[0] if full else None

    def product_name(self) -> str | None:
        """The product a review/description talks about (``product.name``, ``product_name``...)."""
        hit = self._cached("product")
        if hit is not self:
            return hit
        found = self.lookup(_PRODUCT_KEYS) or self.lookup(("name", "title"), within=_PRODUCT_PATH)
        self._memo["product"] = found
        return found

    def own_name(self) -> str | None:
        """The record's own ``name`` / ``title`` (a top-level reference, not ``x.name``)."""
        for wanted in ("name", "title", "product_name", "company_name"):
            for path, value in self._by_last.get(wanted, ()):
                text = clean(value) if not path else None
                if text:
                    return text
        return None

    def company_name(self) -> str | None:
        """A company / brand / employer name, if any."""
        return self.lookup(("company_name", "company", "employer", "organisation", "organization", "brand")) or \
            self.lookup(("name",), within=_COMPANY_PATH)

    def profession(self) -> str | None:
        """A job title / profession (``job``, ``job_title``, ``occupation``...)."""
        return self.lookup(("job_title", "job", "profession", "occupation", "role", "position"))

    def city(self) -> str | None:
        """A city / town / location."""
        return self.lookup(("city", "town", "hometown", "location"))

    def years(self) -> int | None:
        """Years of experience, if given."""
        for wanted in _YEARS_KEYS:
            for _, value in self._by_last.get(wanted, ()):
                if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 70:
                    return value
        return None

    def rating(self) -> float | None:
        """A rating normalised to a 1-5 scale (10- and 100-point scales are scaled down)."""
        hit = self._cached("rating")
        if hit is not self:
            return hit
        found: float | None = None
        for wanted in _RATING_KEYS:
            for _, value in self._by_last.get(wanted, ()):
                number = _number(value)
                if number is None or number != number or number < 0:
                    continue
                found = number / 20.0 if number > 10 else number / 2.0 if number > 5 else number
                break
            if found is not None:
                break
        self._memo["rating"] = found
        return found

    def order_ref(self) -> str | None:
        """An order number / reference, if any."""
        return self.lookup(("order_number", "order_id", "order_ref", "order", "reference"))
