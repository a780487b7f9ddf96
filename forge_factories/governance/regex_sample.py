"""Generate strings that match a regular expression (for ``<field> matches <regex>`` rules offline)."""

from __future__ import annotations

import random
import re
import string
from re import _constants as sre_constants  # Python 3.11+ (requires-python >= 3.11)
from re import _parser as sre_parse
from typing import Any

#: Upper bound used for open-ended repeats (``*``, ``+``, ``{n,}``).
MAX_OPEN_REPEAT = 8

_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre_constants.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_constants.CATEGORY_NOT_WORD: " -.,",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_PRINTABLE = string.ascii_letters + string.digits + " -_.,"


class UnsupportedPattern(ValueError):
    """The pattern uses a construct the sampler cannot generate (lookarounds, backreferences)."""


def _in_class(items: list[tuple[Any, Any]]) -> str:
    chars: list[str] = []
    negate = False
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            chars.append(chr(av))
        elif op is sre_constants.RANGE:
            lo, hi = av
            chars.extend(chr(c) for c in range(lo, min(hi, lo + 255) + 1))
        elif op is sre_constants.CATEGORY:
            chars.extend(_CATEGORIES.get(av, ""))
    if negate:
        excluded = set(chars)
        return "".join(c for c in _PRINTABLE if c not in excluded)
    return "".join(chars)


def _emit(parsed: Any, rng: random.Random, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, av in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(av))
        elif op is sre_constants.NOT_LITERAL:
            out.append(rng.choice([c for c in _PRINTABLE if c != chr(av)]))
        elif op is sre_constants.ANY:
            out.append(rng.choice(string.ascii_letters + string.digits))
        elif op is sre_constants.IN:
            pool = _in_class(av)
            if not pool:
                raise UnsupportedPattern("empty character class")
            out.append(rng.choice(pool))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            hi = lo + MAX_OPEN_REPEAT if hi is sre_constants.MAXREPEAT else hi
            for _ in range(rng.randint(lo, max(lo, hi))):
                out.append(_emit(sub, rng, groups))
        elif op is sre_constants.SUBPATTERN:
            group, _, _, sub = av
            text = _emit(sub, rng, groups)
            if group:
                groups[group] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            out.append(_emit(rng.choice(av[1]), rng, groups))
        elif op is sre_constants.GROUPREF:
            out.append(groups.get(av, ""))
        elif op in (sre_constants.AT, getattr(sre_constants, "ATOMIC_GROUP", None)):
            if op is not sre_constants.AT:
                out.append(_emit(av, rng, groups))
        elif op is sre_constants.CATEGORY:
            out.append(rng.choice(_CATEGORIES.get(av, "x")))
        else:
            raise UnsupportedPattern(f"cannot generate text for regex construct {op}")
    return "".join(out)


def sample_regex(pattern: str, rng: random.Random, attempts: int = 20) -> str:
    """A string that ``re.fullmatch(pattern, ...)`` accepts (raises :class:`UnsupportedPattern`)."""
    parsed = sre_parse.parse(pattern)
    compiled = re.compile(pattern)
    for _ in range(attempts):
        text = _emit(parsed, rng, {})
        if compiled.fullmatch(text) or compiled.search(text):
            return text
    raise UnsupportedPattern(f"could not generate a match for {pattern!r}")
