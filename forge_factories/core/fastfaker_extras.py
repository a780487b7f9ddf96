"""Faster, same-output versions of some Faker provider methods (internet, date_time), installed
with the rest of :mod:`forge_factories.core.fastfaker`'s patch: an ASCII user name skips
``unidecode``, a constant date argument is parsed once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

_DATETIME, _DATE = datetime.datetime, datetime.date


def provider_extras(provider: Any) -> dict[str, Any]:
    """Faster, same-output versions of some methods of ``provider`` (internet, date_time)."""
    from faker.providers import date_time, internet

    cls = type(provider)
    extras: dict[str, Any] = {}
    if isinstance(provider, internet.Provider) and cls._to_ascii is internet.Provider._to_ascii and _ascii_identity():
        extras["_to_ascii"] = _fast_to_ascii(provider)
    if isinstance(provider, date_time.Provider):
        for name in ("_parse_date_time", "_parse_start_datetime", "_parse_end_datetime"):
            if getattr(cls, name).__func__ is getattr(date_time.Provider, name).__func__:
                extras[name] = _memo_dates(getattr(provider, name))
    return extras


_ASCII_IDENTITY: list[bool] = []


def _ascii_identity() -> bool:
    """Whether Faker's ``unidecode`` leaves every ASCII character as it is (its table says so)."""
    if not _ASCII_IDENTITY:
        try:
            from faker.decode.codes import codes

            _ASCII_IDENTITY.append(all(codes[i] == chr(i) for i in range(128)))
        except (ImportError, IndexError, TypeError):
            _ASCII_IDENTITY.append(False)
    return _ASCII_IDENTITY[0]


def _fast_to_ascii(provider: Any) -> Callable[[str], str]:
    """The internet provider's ``_to_ascii``: an ASCII string skips ``unidecode`` (which returns it unchanged)."""
    original = provider._to_ascii

    def _to_ascii(string: str) -> str:
        if type(string) is str and string.isascii() and not provider.replacements:
            return string
        return original(string)

    return _to_ascii


def _memo_dates(parse: Callable[..., int]) -> Callable[..., int]:
    """A date_time provider's ``_parse_*`` classmethod, remembering what a date or datetime argument
    gives (a pure function of it: its UTC timestamp); anything relative to now is parsed each time."""
    memo: dict[tuple[type, Any, Any], int] = {}

    def parse_dates(value: Any, *args: Any, **kwargs: Any) -> int:
        kind = type(value)
        if kind is _DATETIME or kind is _DATE:
            key = (kind, value, value.tzinfo) if kind is _DATETIME else (kind, value, None)
            found = memo.get(key)
            if found is None:
                if len(memo) >= 1024:  # constants repeat; anything else is not worth keeping
                    memo.clear()
                found = memo[key] = parse(value, *args, **kwargs)
            return found
        return parse(value, *args, **kwargs)

    return parse_dates
