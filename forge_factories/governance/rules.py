"""Structured business rules: parse "age between 18 and 120" into constraints offline generation obeys.

Grammar (case-insensitive; ``field`` may be qualified ``Model.field`` or written in backticks):

- ``<field> between <a> and <b>``; ``<field> >= <n>`` (``<=``, ``>``, ``<``, ``at least``,
  ``at most``, ``greater than``, ``less than``, ``min``, ``max``)
- ``<field> in [a, b, c]`` / ``<field> one of a, b, c``
- ``<field> matches <regex>`` (``re.search`` semantics; anchor with ``^...$``)
- ``<field> length between <a> and <b>`` / ``<field> max length <n>`` / ``<field> min length <n>``
- ``<field> is required`` / ``<field> not null``
- ``<field> invalid: a, b`` -- invalid values, used by ``edge_cases(..., invalid=True)``

Any other text is a free-text rule: it goes to the LLM only. Mention fields in it as
`` `field` `` or ``{field}`` to have the reference checked against the live model.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from forge_factories.auto import numbers
from forge_factories.auto.fields import Constraints
from forge_factories.common.patterns import PatternError as UnsupportedPattern
from forge_factories.common.patterns import sample_regex

_FIELD = r"`?(?P<field>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?)`?"
_NUM = r"-?\d+(?:\.\d+)?"
_BE = r"(?:\s+(?:must|should|shall|has to|needs to)(?:\s+be)?|\s+is|\s+are|\s+always)?(?:\s+be)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE)) for kind, rx in (
        ("length_between", rf"^{_FIELD}\s+length{_BE}\s+between\s+(?P<a>\d+)\s+and\s+(?P<b>\d+)(?:\s+characters)?$"),
        ("length_max", rf"^{_FIELD}{_BE}\s+max(?:imum)?\s+length\s+(?P<a>\d+)(?:\s+characters|\s+chars)?$"),
        ("length_max", rf"^{_FIELD}{_BE}\s+at most\s+(?P<a>\d+)\s+(?:characters|chars)$"),
        ("length_max", rf"^{_FIELD}\s+length\s*(?:<=|=<)\s*(?P<a>\d+)$"),
        ("length_min", rf"^{_FIELD}{_BE}\s+(?:min(?:imum)?\s+length|at least)\s+(?P<a>\d+)\s+(?:characters|chars)$"),
        ("length_min", rf"^{_FIELD}\s+length\s*(?:>=|=>)\s*(?P<a>\d+)$"),
        ("between", rf"^{_FIELD}{_BE}\s+between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})(?:\s+inclusive)?$"),
        ("ge", rf"^{_FIELD}{_BE}\s*(?:>=|=>|at least|no less than|min(?:imum)?)\s*(?P<a>{_NUM})$"),
        ("le", rf"^{_FIELD}{_BE}\s*(?:<=|=<|at most|no more than|max(?:imum)?)\s*(?P<a>{_NUM})$"),
        ("gt", rf"^{_FIELD}{_BE}\s*(?:>|greater than|more than|above)\s*(?P<a>{_NUM})$"),
        ("lt", rf"^{_FIELD}{_BE}\s*(?:<|less than|fewer than|below)\s*(?P<a>{_NUM})$"),
        ("invalid", rf"^{_FIELD}\s+invalid(?:\s+values|\s+examples)?\s*:\s*(?P<a>.+)$"),
        ("choices", rf"^{_FIELD}{_BE}\s+in\s*(?P<a>[\[(].*[\])])$"),
        ("choices", rf"^{_FIELD}{_BE}\s+one\s+of\s*:?\s*(?P<a>.+)$"),
        ("pattern", rf"^{_FIELD}{_BE}\s+(?:must\s+)?match(?:es)?\s+(?P<a>.+)$"),
        ("not_null", rf"^{_FIELD}{_BE}\s+(?:required|not null|never null|not none|never none)$"),
    )
)
_OPEN_RANGE = (0, 100)  # the range drawn from when a rule leaves both sides open
_REFERENCE = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)`|\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\}")


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _items(text: str) -> tuple[str, ...]:
    inner = text.strip()
    if inner[:1] in "[(" and inner[-1:] in "])":
        inner = inner[1:-1]
    parts = [p.strip().strip("'\"") for p in re.split(r",|\s+or\s+", inner)]
    return tuple(p for p in parts if p)


@dataclass(frozen=True)
class FieldConstraint:
    """Bounds, choices, patterns and lengths one field must respect (merged from several rules)."""

    field: str
    ge: int | float | None = None
    gt: int | float | None = None
    le: int | float | None = None
    lt: int | float | None = None
    choices: tuple[str, ...] | None = None
    patterns: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    not_null: bool = False
    invalid: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def lower(self) -> int | float | None:
        """The tightest lower bound (inclusive or strict)."""
        values = [v for v in (self.ge, self.gt) if v is not None]
        return max(values) if values else None

    @property
    def upper(self) -> int | float | None:
        """The tightest upper bound (inclusive or strict)."""
        values = [v for v in (self.le, self.lt) if v is not None]
        return min(values) if values else None

    @property
    def has_bounds(self) -> bool:
        """Whether a numeric lower or upper bound is set."""
        return self.lower is not None or self.upper is not None

    def conflicts(self) -> list[str]:
        """Why no value can satisfy this constraint (empty when it is satisfiable)."""
        out = []
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            strict = (self.gt is not None and self.gt == lo) or (self.lt is not None and self.lt == hi)
            if lo > hi or (lo == hi and strict):
                out.append(f"{self.field}: lower bound {lo} is above upper bound {hi}")
        if self.choices is not None and not self.choices:
            out.append(f"{self.field}: the allowed-value rules have no value in common")
        if self.min_length is not None and self.max_length is not None and self.min_length > self.max_length:
            out.append(f"{self.field}: min length {self.min_length} is above max length {self.max_length}")
        return out

    def merge(self, other: FieldConstraint) -> FieldConstraint:
        """Both constraints at once (the tighter bound wins; allowed values intersect)."""
        def pick(a: Any, b: Any, fn: Any) -> Any:
            return b if a is None else a if b is None else fn(a, b)

        if self.choices is None:
            choices = other.choices
        elif other.choices is None:
            choices = self.choices
        else:
            choices = tuple(c for c in self.choices if c in other.choices)
        return FieldConstraint(
            field=self.field,
            ge=pick(self.ge, other.ge, max), gt=pick(self.gt, other.gt, max),
            le=pick(self.le, other.le, min), lt=pick(self.lt, other.lt, min),
            choices=choices,
            patterns=self.patterns + tuple(p for p in other.patterns if p not in self.patterns),
            min_length=pick(self.min_length, other.min_length, max),
            max_length=pick(self.max_length, other.max_length, min),
            not_null=self.not_null or other.not_null,
            invalid=self.invalid + tuple(v for v in other.invalid if v not in self.invalid),
            sources=self.sources + tuple(s for s in other.sources if s not in self.sources),
        )

    def check(self, value: Any) -> str | None:
        """Why ``value`` breaks this constraint (``None`` when it satisfies it)."""
        if value is None:
            return "is None but the field is required" if self.not_null else None
        if self.choices is not None and str(getattr(value, "value", value)) not in self.choices:
            return f"{value!r} is not one of {list(self.choices)}"
        if isinstance(value, (int, float)) and not isinstance(value, bool) or _is_decimal(value):
            if self.ge is not None and value < self.ge:
                return f"{value} < {self.ge}"
            if self.gt is not None and value <= self.gt:
                return f"{value} <= {self.gt}"
            if self.le is not None and value > self.le:
                return f"{value} > {self.le}"
            if self.lt is not None and value >= self.lt:
                return f"{value} >= {self.lt}"
        if isinstance(value, str):
            if self.min_length is not None and len(value) < self.min_length:
                return f"{len(value)} characters, fewer than {self.min_length}"
            if self.max_length is not None and len(value) > self.max_length:
                return f"{len(value)} characters, more than {self.max_length}"
            for p in self.patterns:
                if not re.search(p, value):
                    return f"{value!r} does not match {p!r}"
        return None

    def sample(self, rng: random.Random, current: Any = None) -> Any:
        """A value that satisfies the constraint, shaped like ``current`` (int, float, str)."""
        if self.conflicts():
            raise ValueError("; ".join(self.conflicts()))
        if self.choices is not None:
            return rng.choice(self.choices)
        if self.has_bounds or isinstance(current, (int, float)) and not isinstance(current, bool):
            return self._sample_number(rng, current)
        if self.patterns:
            for _ in range(20):
                text = sample_regex(self.patterns[0], rng)
                text = self._fit_length(text, rng)
                if self.check(text) is None:
                    return text
            raise UnsupportedPattern(f"{self.field}: no generated value satisfies {list(self.patterns)}")
        return self._fit_length(current if isinstance(current, str) else "", rng)

    def _sample_number(self, rng: random.Random, current: Any) -> int | float:
        """A number inside the bounds: an int when ``current`` is one (or every bound is), else a float.

        Drawn by the auto field model's numeric sampler; an open side is filled from 0..100 (shifted to
        start or end at the other bound when that lies outside it).
        """
        as_int = isinstance(current, int) and not isinstance(current, bool) or (
            current is None and all(isinstance(v, int) for v in (self.lower, self.upper) if v is not None))
        bounds = Constraints(ge=self.ge, gt=self.gt, le=self.le, lt=self.lt)
        sampler = numbers.int_sampler if as_int else numbers.float_sampler
        try:
            value: int | float = sampler(bounds, None, _OPEN_RANGE)(rng)
        except numbers.EmptyRange as exc:
            raise ValueError(f"{self.field}: {exc}") from None
        return value

    def _fit_length(self, text: str, rng: random.Random) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            text = text[: self.max_length]
        if self.min_length is not None and len(text) < self.min_length:
            text = text + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(self.min_length - len(text)))
        return text


def _is_decimal(value: Any) -> bool:
    return type(value).__name__ == "Decimal"


@dataclass(frozen=True)
class ParsedRule:
    """One rule: its text, the field it constrains (if structured) and the fields it mentions."""

    text: str
    field: str | None = None
    qualifier: str | None = None
    constraint: FieldConstraint | None = None
    references: tuple[str, ...] = ()

    @property
    def structured(self) -> bool:
        """Whether the rule constrains a field (and so offline generation too)."""
        return self.constraint is not None


@functools.lru_cache(maxsize=4096)
def parse_rule(text: str) -> ParsedRule:
    """Parse one rule; free text comes back with only its `` `field` `` / ``{field}`` references.

    Cached by text (a pure function; the files themselves are still re-read on every call).
    """
    stripped = text.strip().rstrip(".")
    for kind, rx in _PATTERNS:
        m = rx.match(stripped)
        if not m:
            continue
        qualified = m.group("field")
        qualifier, _, name = qualified.rpartition(".")
        arg = m.groupdict().get("a")
        values: dict[str, Any] = {}
        if kind == "between":
            a, b = _number(m.group("a")), _number(m.group("b"))
            values = {"ge": min(a, b), "le": max(a, b)}
        elif kind in ("ge", "le", "gt", "lt"):
            values = {kind: _number(arg or "0")}
        elif kind == "choices":
            items = _items(arg or "")
            if not items:
                continue
            values = {"choices": items}
        elif kind == "pattern":
            pattern = (arg or "").strip()
            if len(pattern) >= 2 and pattern[0] == pattern[-1] and pattern[0] in "/`'\"":
                pattern = pattern[1:-1]
            try:
                re.compile(pattern)
            except re.error:
                continue
            values = {"patterns": (pattern,)}
        elif kind == "length_between":
            values = {"min_length": int(m.group("a")), "max_length": int(m.group("b"))}
        elif kind == "length_max":
            values = {"max_length": int(arg or 0)}
        elif kind == "length_min":
            values = {"min_length": int(arg or 0)}
        elif kind == "not_null":
            values = {"not_null": True}
        elif kind == "invalid":
            values = {"invalid": _items(arg or "")}
        constraint = FieldConstraint(field=name, sources=(text,), **values)
        return ParsedRule(text, name, qualifier or None, constraint, (qualified,))
    refs = []
    for m in _REFERENCE.finditer(text):
        ref = m.group(1) or m.group(2)
        if ref not in refs:
            refs.append(ref)
    return ParsedRule(text, references=tuple(refs))


def merge_constraints(rules: Iterable[ParsedRule]) -> dict[str, FieldConstraint]:
    """Per-field constraints of every structured rule, merged (check ``.conflicts()``)."""
    out: dict[str, FieldConstraint] = {}
    for rule in rules:
        if rule.constraint is None or rule.field is None:
            continue
        current = out.get(rule.field)
        out[rule.field] = rule.constraint if current is None else current.merge(rule.constraint)
    return out


def apply_constraints(
    record: Mapping[str, Any], constraints: Mapping[str, FieldConstraint], rng: random.Random
) -> dict[str, Any]:
    """``record`` with every value that breaks a constraint replaced by one that satisfies it."""
    out = dict(record)
    for name, constraint in constraints.items():
        if name in out and constraint.check(out[name]) is not None:
            value = constraint.sample(rng, out[name])
            current = out[name]
            if hasattr(current, "value") and type(current).__name__ != "Decimal":  # enums: map back by value
                try:
                    value = type(current)(value)
                except ValueError:
                    value = current
            out[name] = value
    return out


def field_constraint_from_desc(desc: Any) -> FieldConstraint:
    """The model's own bounds/lengths/pattern/choices of a :class:`FieldDesc`, as a constraint."""
    choices = None
    if desc.choices is not None:
        choices = tuple(str(getattr(c, "value", c)) for c in desc.choices)
    return FieldConstraint(
        field=desc.name, ge=desc.ge, gt=desc.gt, le=desc.le, lt=desc.lt, choices=choices,
        patterns=(desc.pattern,) if desc.pattern else (),
        min_length=desc.min_length, max_length=desc.max_length, not_null=not desc.optional,
    )


__all__ = [
    "FieldConstraint", "ParsedRule", "apply_constraints", "field_constraint_from_desc",
    "merge_constraints", "parse_rule",
]
