"""Strings that match a regular expression (``pattern=`` constraints, ``<field> matches <regex>`` rules)."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from typing import Any

from forge_factories._compat.stdlib import RE_OPS, RegexSyntaxError, parse_regex

_C = RE_OPS
_UNBOUNDED_EXTRA = 4  # how far past the minimum an open repeat (*, +, {n,}) goes
_PRINTABLE = string.ascii_letters + string.digits + " -_.,"
_CATEGORIES = {
    _C.CATEGORY_DIGIT: string.digits,
    _C.CATEGORY_NOT_DIGIT: string.ascii_letters + "-_ ",
    _C.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    _C.CATEGORY_NOT_WORD: " -.,!",
    _C.CATEGORY_SPACE: " ",
    _C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_UNIVERSE = string.ascii_letters + string.digits + " -_.,:;!@#/"


class PatternError(ValueError):
    """A pattern cannot be generated (unsupported construct, or no match fits the length bounds)."""


def _class_chars(items: list[tuple[Any, Any]]) -> str:
    negate = False
    chars: list[str] = []
    for op, av in items:
        if op is _C.NEGATE:
            negate = True
        elif op is _C.LITERAL:
            chars.append(chr(av))
        elif op is _C.RANGE:
            lo, hi = av
            chars.extend(chr(c) for c in range(lo, min(hi, lo + 400) + 1))
        elif op is _C.CATEGORY:
            chars.extend(_CATEGORIES.get(av, ""))
        else:
            raise PatternError(f"unsupported character class item {op}")
    if negate:
        excluded = set(chars)
        chars = [c for c in _UNIVERSE if c not in excluded]
    # sorted, de-duplicated: the draw must not depend on set order
    return "".join(sorted(set(chars)))


def length_bounds(parsed: Any) -> tuple[int, float]:
    """Minimum and maximum length of the strings a parsed pattern matches."""
    lo, hi = 0, 0.0
    for op, av in parsed:
        if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN):
            lo += 1
            hi += 1
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            mn, mx, sub = av
            slo, shi = length_bounds(sub)
            lo += mn * slo
            hi += float("inf") if mx is _C.MAXREPEAT and shi else mx * shi
        elif op is _C.SUBPATTERN:
            slo, shi = length_bounds(av[-1])
            lo += slo
            hi += shi
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            slo, shi = length_bounds(av)
            lo += slo
            hi += shi
        elif op is _C.BRANCH:
            bounds = [length_bounds(b) for b in av[1]]
            lo += min(b[0] for b in bounds)
            hi += max(b[1] for b in bounds)
    return lo, hi


class PatternGenerator:
    """Draws strings matching ``pattern`` whose length is within ``[min_length, max_length]``."""

    def __init__(self, pattern: str, min_length: int | None = None, max_length: int | None = None) -> None:
        self.pattern = pattern
        self.compiled = re.compile(pattern)
        try:
            self.parsed = parse_regex(pattern)
        except RegexSyntaxError as exc:  # only without CPython's parser: a construct the fallback lacks
            raise PatternError(str(exc)) from None
        self.min_length = min_length or 0
        self.max_length = max_length
        lo, hi = length_bounds(self.parsed)
        if max_length is not None and lo > max_length:
            raise PatternError(f"pattern {pattern!r} matches nothing shorter than {lo} but max_length={max_length}")
        if hi < self.min_length:
            raise PatternError(f"pattern {pattern!r} matches nothing longer than {int(hi)} but min_length={self.min_length}")
        self._groups: dict[int, str] = {}

    def __call__(self, rnd: random.Random) -> str:
        for attempt in range(50):
            extra = _UNBOUNDED_EXTRA if attempt < 25 else 1
            self._groups = {}
            text = self._emit(self.parsed, rnd, extra)
            if self.max_length is not None and len(text) > self.max_length:
                continue
            if len(text) < self.min_length:
                continue
            if self.compiled.fullmatch(text) or self.compiled.search(text):
                return text
        raise PatternError(
            f"could not draw a string matching {self.pattern!r} with length in "
            f"[{self.min_length}, {self.max_length}] after 50 tries"
        )

    def _emit(self, parsed: Any, rnd: random.Random, extra: int) -> str:
        out: list[str] = []
        for op, av in parsed:
            out.append(self._one(op, av, rnd, extra))
        return "".join(out)

    def _one(self, op: Any, av: Any, rnd: random.Random, extra: int) -> str:
        if op is _C.LITERAL:
            return chr(av)
        if op is _C.NOT_LITERAL:
            return rnd.choice([c for c in _PRINTABLE if c != chr(av)])
        if op is _C.ANY:
            return rnd.choice(_PRINTABLE)
        if op is _C.IN:
            chars = _class_chars(av)
            if not chars:
                raise PatternError(f"empty character class in {self.pattern!r}")
            return rnd.choice(chars)
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            mn, mx, sub = av
            top = mn + extra if mx is _C.MAXREPEAT else mx
            if self.min_length and mx is _C.MAXREPEAT:
                top = max(top, mn + self.min_length)
            count = rnd.randint(mn, max(mn, top))
            return "".join(self._emit(sub, rnd, extra) for _ in range(count))
        if op is _C.SUBPATTERN:
            group = av[0]
            text = self._emit(av[-1], rnd, extra)
            if group is not None:
                self._groups[group] = text
            return text
        if op is getattr(_C, "ATOMIC_GROUP", None):
            return self._emit(av, rnd, extra)
        if op is _C.BRANCH:
            return self._emit(rnd.choice(av[1]), rnd, extra)
        if op is _C.GROUPREF:
            return self._groups.get(av, "")
        if op is _C.AT:
            return ""
        raise PatternError(f"unsupported regular expression construct {op} in {self.pattern!r}")


def pattern_generator(
    pattern: str, min_length: int | None = None, max_length: int | None = None
) -> Callable[[random.Random], str]:
    """A callable drawing matching strings from a random generator (raises :class:`PatternError`)."""
    return PatternGenerator(pattern, min_length, max_length)


def sample_regex(pattern: str, rng: random.Random) -> str:
    """One string matching ``pattern`` (raises :class:`PatternError` when none can be drawn)."""
    return pattern_generator(pattern)(rng)
