"""Introspection of plain model kinds: pydantic v2, dataclasses, TypedDict, attrs."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from .fields import Constraints, FieldInfo, ModelInfo
from .generators import AutoFactoryError, model_kind


def _hints(model: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(model, include_extras=True)
    except Exception as exc:  # noqa: BLE001 - forward refs that cannot be resolved
        raise AutoFactoryError(f"{model.__name__}: cannot resolve its type hints ({exc})") from exc


def pydantic_info(model: Any) -> ModelInfo:
    """Fields of a pydantic v2 model (aliases honoured, computed fields listed as computed)."""
    fields: list[FieldInfo] = []
    for name, f in model.model_fields.items():
        cons = Constraints()
        for meta in f.metadata:
            cons = cons.merge(meta)
        key = name
        alias = f.validation_alias if isinstance(f.validation_alias, str) else f.alias
        populate = model.model_config.get("populate_by_name") or model.model_config.get("validate_by_name")
        if alias and not populate:
            key = alias
        fields.append(FieldInfo(
            name=key, annotation=f.annotation, constraints=cons, required=f.is_required(),
            has_default=not f.is_required(),
        ))
    for name, cf in getattr(model, "model_computed_fields", {}).items():
        fields.append(FieldInfo(name=name, annotation=cf.return_type, computed=True, required=False))
    return ModelInfo(model, "pydantic", fields)


def dataclass_info(model: Any) -> ModelInfo:
    """Fields of a dataclass (``init=False`` fields are computed by the class)."""
    hints = _hints(model)
    fields: list[FieldInfo] = []
    for f in dataclasses.fields(model):
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        fields.append(FieldInfo(
            name=f.name, annotation=hints.get(f.name, f.type), required=not has_default,
            has_default=has_default, computed=not f.init,
        ))
    return ModelInfo(model, "dataclass", fields)


def typeddict_info(model: Any) -> ModelInfo:
    """Keys of a TypedDict (``NotRequired`` keys are generated too)."""
    hints = _hints(model)
    required = getattr(model, "__required_keys__", frozenset(hints))
    fields = [FieldInfo(name=n, annotation=tp, required=n in required) for n, tp in hints.items()]
    return ModelInfo(model, "typeddict", fields)


def _attrs_constraints(validator: Any, cons: Constraints) -> tuple[Constraints, tuple[Any, ...] | None]:
    """Constraints expressed by attrs validators (in_, gt/ge/lt/le, min_len/max_len, matches_re)."""
    choices: tuple[Any, ...] | None = None
    if validator is None:
        return cons, None
    name = type(validator).__name__
    if name == "_AndValidator":
        for sub in validator._validators:
            cons, sub_choices = _attrs_constraints(sub, cons)
            choices = sub_choices or choices
    elif name == "_OptionalValidator":
        return _attrs_constraints(validator.validator, cons)
    elif name == "_InValidator":
        choices = tuple(validator.options)
    elif name == "_NumberValidator":
        op = {">": "gt", ">=": "ge", "<": "lt", "<=": "le"}.get(validator.compare_op)
        if op:
            cons = cons.merge({op: validator.bound})
    elif name == "_MaxLengthValidator":
        cons = cons.merge({"max_length": validator.max_length})
    elif name == "_MinLengthValidator":
        cons = cons.merge({"min_length": validator.min_length})
    elif name == "_MatchesReValidator":
        cons = cons.merge({"pattern": validator.pattern.pattern})
    return cons, choices


def attrs_info(model: Any) -> ModelInfo:
    """Fields of an attrs class (validators read for constraints; ``init=False`` is computed)."""
    import attrs

    attrs.resolve_types(model)
    fields: list[FieldInfo] = []
    for a in attrs.fields(model):
        cons, choices = _attrs_constraints(a.validator, Constraints())
        has_default = a.default is not attrs.NOTHING
        fields.append(FieldInfo(
            name=a.alias or a.name.lstrip("_"), annotation=a.type, constraints=cons, required=not has_default,
            has_default=has_default, computed=not a.init, choices=choices,
        ))
    return ModelInfo(model, "attrs", fields)


def model_info(model: Any) -> ModelInfo:
    """Describe ``model``, whatever its kind (raises :class:`AutoFactoryError` for unknown kinds)."""
    kind = model_kind(model)
    if kind == "pydantic":
        return pydantic_info(model)
    if kind == "dataclass":
        return dataclass_info(model)
    if kind == "typeddict":
        return typeddict_info(model)
    if kind == "attrs":
        return attrs_info(model)
    from . import orm

    if orm.is_django_model(model):
        return orm.django_info(model)
    if orm.is_sqlalchemy_model(model):
        return orm.sqlalchemy_info(model)
    raise AutoFactoryError(
        f"{getattr(model, '__name__', model)!r} is not a model kind auto factories know (pydantic v2, dataclass, "
        "TypedDict, attrs, Django model, SQLAlchemy mapped class); write an AIFactory for it."
    )
