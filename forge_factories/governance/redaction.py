"""Keep sensitive data out of LLM requests: withhold fields, mask conditioning, fill synthetically."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from forge_factories.common.secret_values import looks_secret
from forge_factories.common.seeding import value_rng
from forge_factories.governance.sensitivity import (
    SECRET_CATEGORIES,
    Classification,
    Sensitivity,
    SensitivityReport,
    classify_name,
)
from forge_factories.governance.synthetic import synthetic_value
from forge_factories.llm.request import SemanticRequest
from forge_factories.llm.validate import dedupes

#: What a masked conditioning value is replaced with in the request.
MASK = "[withheld]"


@dataclass(frozen=True)
class Redaction:
    """The request safe to send (``None`` when nothing is left), and what was taken out."""

    request: SemanticRequest | None
    original: SemanticRequest
    withheld: tuple[str, ...] = ()
    masked: tuple[str, ...] = ()
    classes: Mapping[str, Classification] | None = None


def _classify(name: str, sensitivity: SensitivityReport | Mapping[str, Any] | None) -> Classification:
    last = name.rsplit(".", 1)[-1]
    if isinstance(sensitivity, SensitivityReport):
        if name in sensitivity.fields:
            return sensitivity.fields[name]
        return classify_name(last)
    if sensitivity is not None and name in sensitivity:
        value = sensitivity[name]
        if isinstance(value, Classification):
            return value
        heuristic = classify_name(last)
        level = Sensitivity(str(getattr(value, "value", value)).lower())
        return Classification(name, level, heuristic.category if heuristic.level == level else None, "declared")
    return classify_name(last)


def redact_request(
    request: SemanticRequest,
    allowed: Collection[str] = (),
    sensitivity: SensitivityReport | Mapping[str, Any] | None = None,
) -> Redaction:
    """Take every non-safe field not in ``allowed`` out of ``request``, and every secret.

    Semantic fields classified sensitive or dangerous are *withheld* (removed from the specs
    and items); conditioning values whose name (its last dotted part) is sensitive are
    *masked* with :data:`MASK`. Secrets are masked even when ``allowed``: values whose name is
    of a :data:`SECRET_CATEGORIES` class, and values that look like secrets whatever their
    name (a URL with a password, a PEM block, a JWT, a known key prefix, a long high-entropy
    token). A context that looks like a secret is masked too. Items left with no field are
    dropped. ``sensitivity`` is a :class:`SensitivityReport` or a ``{field: level}`` mapping;
    other names are classified by their tokens.
    """
    classes: dict[str, Classification] = {}
    withheld: list[str] = []
    for spec in request.specs:
        c = _classify(spec.name, sensitivity)
        classes[spec.name] = c
        if c.level != Sensitivity.SAFE and spec.name not in allowed:
            withheld.append(spec.name)
    masked: list[str] = []
    hidden: dict[str, bool] = {}  # conditioning key -> masked; items of a group share their keys
    items = []
    for item in request.items:
        to_mask = []
        for key in item.conditioning:
            hide = hidden.get(key)
            if hide is None:
                c = _classify(key, sensitivity)
                classes.setdefault(key, c)
                hide = hidden[key] = c.level != Sensitivity.SAFE and (
                    c.category in SECRET_CATEGORIES
                    or (key not in allowed and key.rsplit(".", 1)[-1] not in allowed))
                if hide:
                    masked.append(key)
            if hide:
                to_mask.append(key)
            elif looks_secret(item.conditioning[key]):  # a secret under a harmless name
                to_mask.append(key)
                if key not in masked:
                    masked.append(key)
        fields = tuple(f for f in item.fields if f not in withheld) if withheld else item.fields
        if not fields:
            continue
        if to_mask or len(fields) != len(item.fields):  # copy only an item that changes
            conditioning = dict(item.conditioning)
            conditioning.update(dict.fromkeys(to_mask, MASK))
            item = replace(item, fields=fields, conditioning=conditioning)
        items.append(item)
    specs = tuple(s for s in request.specs if s.name not in withheld)
    changes: dict[str, Any] = {"specs": specs, "items": tuple(items)}
    if request.context and looks_secret(request.context):
        changes["context"] = MASK
    safe = replace(request, **changes) if items and specs else None
    return Redaction(safe, request, tuple(withheld), tuple(masked), classes)


def synthetic_answers(redaction: Redaction) -> dict[int, dict[str, str]]:
    """Obviously synthetic text for every withheld (item, field), respecting choices and lengths."""
    out: dict[int, dict[str, str]] = {}
    request = redaction.original
    classes = redaction.classes or {}
    seen: dict[str, set[str]] = {}
    for item in request.items:
        for name in item.fields:
            if name not in redaction.withheld:
                continue
            spec = request.spec(name)
            rng = value_rng("governance", request.factory, name)
            if spec.choices:
                value = rng.choice(spec.choices)
            else:
                c = classes.get(name)
                bucket = seen.setdefault(name, set())
                for _ in range(20):  # the engine rejects duplicates of free text: draw until distinct
                    value = str(synthetic_value(c.category if c else None, rng, name, "str"))
                    if value not in bucket or not dedupes(spec):
                        break
                else:
                    value = f"{value} #{item.index + 1}"
                bucket.add(value)
                if spec.max_length is not None:
                    value = value[: spec.max_length]
                if spec.min_length is not None and len(value) < spec.min_length:
                    value = value.ljust(spec.min_length, "0")
            out.setdefault(item.index, {})[name] = value
    return out
