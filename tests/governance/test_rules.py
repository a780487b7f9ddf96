"""Structured rules: parsing, merging, conflicts, sampling values that satisfy them."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from forge_factories.common.patterns import sample_regex
from forge_factories.governance import FieldConstraint, apply_constraints, parse_rule
from forge_factories.governance.rules import merge_constraints


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("age between 18 and 120", "age", {"ge": 18, "le": 120}),
    ("Age must be between 120 and 18.", "Age", {"ge": 18, "le": 120}),
    ("score >= 0", "score", {"ge": 0}),
    ("price must be greater than 0", "price", {"gt": 0}),
    ("discount < 0.5", "discount", {"lt": 0.5}),
    ("age is at most 99", "age", {"le": 99}),
    ("status in [active, suspended]", "status", {"choices": ("active", "suspended")}),
    ("status is one of 'a', 'b' or 'c'", "status", {"choices": ("a", "b", "c")}),
    ("User.phone matches ^05\\d-\\d{3}-\\d{4}$", "phone", {"patterns": (r"^05\d-\d{3}-\d{4}$",)}),
    ("code matches /^[A-Z]{3}$/", "code", {"patterns": ("^[A-Z]{3}$",)}),
    ("nickname length between 3 and 10", "nickname", {"min_length": 3, "max_length": 10}),
    ("title max length 80", "title", {"max_length": 80}),
    ("`email` is required", "email", {"not_null": True}),
    ("email invalid: not-an-email, @nope", "email", {"invalid": ("not-an-email", "@nope")}),
])
def test_structured_rules(text: str, field: str, expected: dict[str, Any]) -> None:
    rule = parse_rule(text)
    assert rule.structured and rule.field == field
    assert rule.constraint is not None
    for key, value in expected.items():
        assert getattr(rule.constraint, key) == value


@pytest.mark.parametrize(("text", "refs"), [
    ("Max 3 active loans per customer at any time", ()),
    ("Users under 18 get a restricted `account_type`", ("account_type",)),
    ("The {bio} mentions {company.name}", ("bio", "company.name")),
    ("status in the morning is busy", ()),
    ("code matches [unclosed", ()),
])
def test_free_text_rules(text: str, refs: tuple[str, ...]) -> None:
    rule = parse_rule(text)
    assert not rule.structured and rule.references == refs


def test_merge_and_conflicts() -> None:
    merged = merge_constraints(parse_rule(t) for t in
                               ("age between 18 and 120", "age >= 21", "status in [a, b, c]", "status in [b, c, d]"))
    assert (merged["age"].lower, merged["age"].upper) == (21, 120)
    assert merged["status"].choices == ("b", "c") and merged["age"].conflicts() == []
    clash = merge_constraints(parse_rule(t) for t in ("age between 18 and 120", "age < 10", "s in [a]", "s in [b]"))
    assert "lower bound 18 is above upper bound 10" in clash["age"].conflicts()[0]
    assert clash["s"].conflicts() == ["s: the allowed-value rules have no value in common"]
    assert len(clash["age"].sources) == 2
    assert FieldConstraint("x", gt=5, lt=5).conflicts() and not FieldConstraint("x", ge=5, le=5).conflicts()


def test_check_and_sample_satisfy_each_other() -> None:
    rng = random.Random(3)
    cases = [
        (FieldConstraint("n", ge=18, le=120), 7),
        (FieldConstraint("n", gt=0, lt=1), 5.0),
        (FieldConstraint("n", gt=-3, lt=3), 99),
        (FieldConstraint("s", choices=("x", "y")), "z"),
        (FieldConstraint("s", patterns=(r"^05\d-\d{3}-\d{4}$",)), "nope"),
        (FieldConstraint("s", min_length=5, max_length=6), "ab"),
    ]
    for constraint, bad in cases:
        assert constraint.check(bad) is not None
        for _ in range(50):
            value = constraint.sample(rng, bad)
            assert constraint.check(value) is None, (constraint, value)
            assert type(value) is type(bad)


def test_apply_constraints_keeps_valid_values() -> None:
    constraints = {"age": FieldConstraint("age", ge=18, le=120)}
    rng = random.Random(0)
    assert apply_constraints({"age": 40, "x": 1}, constraints, rng) == {"age": 40, "x": 1}
    fixed = apply_constraints({"age": 4}, constraints, rng)
    assert 18 <= fixed["age"] <= 120


@pytest.mark.parametrize("pattern", [r"^[A-Z]{2}\d{4}$", r"(foo|bar)-\d+", r"^[^@\s]+@example\.(com|org)$",
                                     r"\w{3,5}\s\d?", r"^(ab)+\1?$"])
def test_regex_sampler(pattern: str) -> None:
    rng = random.Random(1)
    for _ in range(30):
        assert re.search(pattern, sample_regex(pattern, rng))
