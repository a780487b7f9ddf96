"""``edge_cases(Model)``: records that hit every boundary, enum member, ``None`` and length extreme.

Each :class:`EdgeCase` changes one field of a valid baseline record. Valid cases satisfy the
model and the memory's structured rules; with ``invalid=True`` you also get one-step-outside
values (below the minimum, one character too long, a non-member, ``None`` for a required
field, the rules' ``invalid:`` examples) for negative tests.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import random
import typing
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from forge_factories.auto import numbers
from forge_factories.auto.fields import Constraints
from forge_factories.common.patterns import PatternError as UnsupportedPattern
from forge_factories.common.patterns import sample_regex
from forge_factories.governance.fields import FieldDesc, describe_annotation, describe_model, is_factory
from forge_factories.governance.flags import is_enabled
from forge_factories.governance.rules import FieldConstraint, field_constraint_from_desc

_WELL_KNOWN_INVALID = {
    "email": ("not-an-email", "missing-at.example.com", "@example.com"),
    "url": ("not a url", "http//missing-colon"),
    "phone": ("12", "phone-number"),
    "date": ("2024-02-30", "not-a-date"),
    "datetime": ("2024-13-01T00:00:00", "yesterday-ish"),
    "uuid": ("not-a-uuid",),
    "ip": ("999.1.1.1",),
}


@dataclass(frozen=True)
class EdgeCase:
    """One record: ``values`` (field -> value), the field it exercises and the case (``"min"``...).

    ``valid`` says whether the model (and the rules) should accept it; ``source`` is where
    the exercised constraint comes from (``"model"``, ``"rule"`` or ``"type"``).
    """

    model: Any
    field: str | None
    case: str
    values: dict[str, Any]
    valid: bool = True
    source: str = "model"

    def build(self) -> Any:
        """The model instance (pydantic ``model_validate``; a factory's ``build``; else ``Model(**values)``)."""
        return build(self.model, self.values)


def build(model: Any, values: dict[str, Any]) -> Any:
    """Instantiate ``model`` from ``values`` (validating for pydantic models)."""
    if is_factory(model):
        return model.build(**values)
    if hasattr(model, "model_validate"):
        return model.model_validate(values)
    return model(**values)


def _just_inside(kind: str, desc: FieldDesc, bound: Any, upward: bool) -> Any:
    return numbers.step_from(kind, bound, upward, desc.decimal_places)


def _bounds(kind: str, desc: FieldDesc, c: FieldConstraint) -> tuple[Any, Any]:
    """The smallest and largest valid values (``None`` when unbounded)."""
    return numbers.limits(Constraints(ge=c.ge, gt=c.gt, le=c.le, lt=c.lt), kind, desc.decimal_places)


def _text(length: int, c: FieldConstraint, rng: random.Random) -> str | None:
    if c.patterns:
        for _ in range(30):
            try:
                text = sample_regex(c.patterns[0], rng)
            except UnsupportedPattern:
                return None
            if len(text) == length or (length < 0 and c.check(text) is None):
                return text
        return None
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    return "".join(alphabet[i % 26] for i in range(max(length, 0)))


def _item_annotation(desc: FieldDesc) -> Any:
    args = typing.get_args(desc.annotation)
    return args[0] if args else str


def _baseline(desc: FieldDesc, c: FieldConstraint, rng: random.Random) -> Any:
    kind = desc.kind
    if c.choices is not None and desc.choices is not None:
        allowed = [m for m in desc.choices if str(getattr(m, "value", m)) in c.choices]
        return (allowed or list(desc.choices))[0]
    if c.choices is not None:
        return c.choices[0]
    if desc.choices is not None:
        return desc.choices[0]
    if kind in ("int", "float", "decimal"):
        lo, hi = _bounds(kind, desc, c)
        if lo is None and hi is None:
            return numbers.as_kind(kind, 1)
        if lo is None:
            lo = hi - (numbers.as_kind(kind, 10) if kind != "int" else 10)
        if hi is None:
            hi = lo + (numbers.as_kind(kind, 10) if kind != "int" else 10)
        mid = (lo + hi) / 2 if kind != "int" else (lo + hi) // 2
        if kind == "decimal" and desc.decimal_places is not None:
            mid = decimal.Decimal(mid).quantize(decimal.Decimal(1).scaleb(-desc.decimal_places),
                                                 rounding=decimal.ROUND_FLOOR)
            mid = max(mid, lo)
        return numbers.as_kind(kind, mid)
    if kind == "bool":
        return True
    if kind == "email":
        return "user@example.com"
    if kind == "url":
        return "https://example.com/"
    if kind == "phone":
        return "+1-202-555-0100"
    if kind == "date":
        return datetime.date(2024, 1, 15)
    if kind == "datetime":
        return datetime.datetime(2024, 1, 15, 12, 0, 0)
    if kind == "time":
        return datetime.time(12, 0)
    if kind == "uuid":
        return uuid.UUID(int=rng.getrandbits(128), version=4)
    if kind == "ip":
        return "192.0.2.1"
    if kind == "secret":
        return "forge-test-secret"
    if kind == "card":
        return "4111111111111111"
    if kind == "list":
        inner = describe_annotation("item", _item_annotation(desc))
        n = desc.min_length or 0
        return [_baseline(inner, field_constraint_from_desc(inner), rng) for _ in range(n)]
    if kind == "model":
        record = baseline_record(desc.annotation, rng=rng)
        return record if hasattr(desc.annotation, "model_validate") else desc.annotation(**record)
    if kind == "str" or desc.annotation in (None, str):
        lo = c.min_length or 0
        hi = c.max_length if c.max_length is not None else max(lo, 8)
        text = _text(-1, c, rng) if c.patterns else _text(min(max(lo, 8), hi), c, rng)
        return text if text is not None else "x" * max(lo, 1)
    if desc.optional:
        return None
    tp = typing.get_origin(desc.annotation) or desc.annotation
    if isinstance(tp, type):
        try:
            return tp()  # dict(), set(), a default-constructible class
        except Exception:  # noqa: BLE001 - not constructible without arguments
            return None
    return None


def _constraints(model: Any, descs: list[FieldDesc], memory: Any, topics: Iterable[str] | None) -> dict[str, FieldConstraint]:
    own = {d.name: dataclasses.replace(field_constraint_from_desc(d), not_null=False) for d in descs}
    if memory is None:
        return own
    rules = memory.constraints_for(model, topics, include_model=False)
    return {n: c.merge(rules[n]) if n in rules else c for n, c in own.items()}


def _fields(model: Any) -> list[FieldDesc]:
    return [d for d in describe_model(model) if not d.auto and not d.relation]


def baseline_record(model: Any, *, memory: Any = None, topics: Iterable[str] | None = None,
                    rng: random.Random | None = None) -> dict[str, Any]:
    """One valid record of ``model`` with a middle-of-the-range value for every field."""
    rng = rng or random.Random(0)
    descs = _fields(model)
    constraints = _constraints(model, descs, memory, topics)
    return {d.name: _baseline(d, constraints[d.name], rng) for d in descs}


def _field_cases(d: FieldDesc, c: FieldConstraint, rng: random.Random, invalid: bool,
                 rule_fields: set[str]) -> Iterator[tuple[str, Any, bool, str]]:
    src = "rule" if d.name in rule_fields else "model"
    if d.choices is not None:
        for member in d.choices:
            ok = c.choices is None or str(getattr(member, "value", member)) in c.choices
            if ok or invalid:
                yield f"member:{getattr(member, 'name', member)}", member, ok, "rule" if not ok else "model"
        if invalid:
            yield "not_a_member", "__not_a_member__", False, "model"
    elif c.choices is not None:
        for value in c.choices:
            yield f"member:{value}", value, True, "rule"
    elif d.kind == "bool":
        yield "true", True, True, "type"
        yield "false", False, True, "type"
    if d.kind in ("int", "float", "decimal") and d.choices is None:
        lo, hi = _bounds(d.kind, d, c)
        if lo is not None:
            yield "min", lo, True, src
            if invalid:
                yield "below_min", _just_inside(d.kind, d, lo, False), False, src
        if hi is not None:
            yield "max", hi, True, src
            if invalid:
                yield "above_max", _just_inside(d.kind, d, hi, True), False, src
    if d.kind == "str" and d.choices is None and c.choices is None and not c.patterns:
        lo = c.min_length or 0
        yield "min_length", _text(lo, c, rng), True, src
        if c.max_length is not None and c.max_length != lo:
            yield "max_length", _text(c.max_length, c, rng), True, src
        if invalid and c.min_length:
            yield "too_short", _text(c.min_length - 1, c, rng), False, src
        if invalid and c.max_length is not None:
            yield "too_long", _text(c.max_length + 1, FieldConstraint(d.name), rng), False, src
    if invalid and c.patterns:
        for probe in ("!", "", "~~ no match ~~"):
            if c.check(probe) is not None:
                yield "pattern_mismatch", probe, False, src
                break
    if d.kind == "list":
        inner = describe_annotation("item", _item_annotation(d))
        item = _baseline(inner, field_constraint_from_desc(inner), rng)
        lo = d.min_length or 0
        yield "min_items", [item] * lo, True, "model"
        if d.max_length is not None and d.max_length != lo:
            yield "max_items", [item] * d.max_length, True, "model"
    if d.optional:
        yield "none", None, not c.not_null, "rule" if c.not_null else "model"
    elif invalid:
        yield "none", None, False, "model"
    if invalid:
        for value in _WELL_KNOWN_INVALID.get(d.kind, ()):
            yield "invalid_format", value, False, "type"
        for value in c.invalid:
            yield "invalid_example", value, False, "rule"


def edge_cases(
    model: Any,
    *,
    invalid: bool = False,
    memory: Any = None,
    topics: Iterable[str] | None = None,
    seed: int = 0,
) -> Iterator[EdgeCase]:
    """Yield a baseline record, then one record per boundary / member / ``None`` / length extreme.

    Works on pydantic models, dataclasses, attrs classes, factories, and the scalar columns of
    Django / SQLAlchemy models (auto primary keys and relations are left to you). ``memory``
    adds its structured rules' bounds, allowed values and ``invalid:`` examples.
    Gated by ``FORGE_FLAG_EDGE_CASES`` (on by default).
    """
    if not is_enabled("edge_cases"):
        return
    rng = random.Random(seed)
    descs = _fields(model)
    constraints = _constraints(model, descs, memory, topics)
    rule_fields: set[str] = set()
    if memory is not None:
        rule_fields = set(memory.constraints_for(model, topics, include_model=False))
    base = {d.name: _baseline(d, constraints[d.name], rng) for d in descs}
    yield EdgeCase(model, None, "baseline", dict(base))
    for d in descs:
        seen: set[tuple[str, str]] = set()
        for case, value, valid, source in _field_cases(d, constraints[d.name], rng, invalid, rule_fields):
            if value is None and case not in ("none",):
                continue
            key = (case, repr(value))
            if key in seen or (not valid and not invalid):
                continue
            seen.add(key)
            yield EdgeCase(model, d.name, case, {**base, d.name: value}, valid, source)


__all__ = ["EdgeCase", "baseline_record", "build", "edge_cases"]
