"""Introspection of plain model kinds: pydantic v2, dataclasses, TypedDict, attrs."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from forge_factories._compat.attrs import and_validator_parts
from forge_factories.auto.annotations import model_kind
from forge_factories.auto.context import AutoFactoryError
from forge_factories.auto.fields import Constraints, FieldInfo, ModelInfo, declared_sensitivity


def _hints(model: Any, strict: bool) -> dict[str, Any]:
    try:
        return typing.get_type_hints(model, include_extras=True)
    except Exception as exc:  # noqa: BLE001 - forward refs that cannot be resolved
        if not strict:
            return dict(getattr(model, "__annotations__", {}))
        raise AutoFactoryError(f"{model.__name__}: cannot resolve its type hints ({exc})") from exc


def pydantic_info(model: Any, strict: bool = True) -> ModelInfo:
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
        marks = [m for m in f.metadata if isinstance(m, Mapping)]
        declared = declared_sensitivity(f.json_schema_extra, *reversed(marks))  # the last declaration wins
        fields.append(FieldInfo(
            name=key, annotation=f.annotation, constraints=cons, required=f.is_required(),
            has_default=not f.is_required(), attribute=name if key != name else "", sensitivity=declared,
        ))
    for name, cf in getattr(model, "model_computed_fields", {}).items():
        fields.append(FieldInfo(name=name, annotation=cf.return_type, computed=True, required=False))
    return ModelInfo(model, "pydantic", fields)


def dataclass_info(model: Any, strict: bool = True) -> ModelInfo:
    """Fields of a dataclass (``init=False`` fields are computed by the class)."""
    hints = _hints(model, strict)
    fields: list[FieldInfo] = []
    for f in dataclasses.fields(model):
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        fields.append(FieldInfo(
            name=f.name, annotation=hints.get(f.name, f.type), required=not has_default,
            has_default=has_default, computed=not f.init, sensitivity=declared_sensitivity(f.metadata),
        ))
    return ModelInfo(model, "dataclass", fields)


def typeddict_info(model: Any, strict: bool = True) -> ModelInfo:
    """Keys of a TypedDict (``NotRequired`` keys are generated too)."""
    hints = _hints(model, strict)
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
        for sub in and_validator_parts(validator):
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


def attrs_info(model: Any, strict: bool = True) -> ModelInfo:
    """Fields of an attrs class (validators read for constraints; ``init=False`` is computed)."""
    import attrs

    try:
        attrs.resolve_types(model)
    except NameError:
        if strict:
            raise
    fields: list[FieldInfo] = []
    for a in attrs.fields(model):
        cons, choices = _attrs_constraints(a.validator, Constraints())
        has_default = a.default is not attrs.NOTHING
        key = a.alias or a.name.lstrip("_")
        fields.append(FieldInfo(
            name=key, annotation=a.type, constraints=cons, required=not has_default, has_default=has_default,
            computed=not a.init, choices=choices, attribute=a.name if key != a.name else "",
            sensitivity=declared_sensitivity(a.metadata),
        ))
    return ModelInfo(model, "attrs", fields)


_INTROSPECTORS = {"pydantic": pydantic_info, "dataclass": dataclass_info, "typeddict": typeddict_info,
                  "attrs": attrs_info}


def model_info(model: Any, *, strict: bool = True) -> ModelInfo:
    """Describe ``model``, whatever its kind (raises :class:`AutoFactoryError` for unknown kinds).

    ``strict=False`` keeps the raw annotations of type hints that cannot be resolved instead of raising.
    """
    kind = model_kind(model)
    if kind is not None:
        return _INTROSPECTORS[kind](model, strict)
    from forge_factories.auto import orm

    if orm.is_django_model(model):
        return orm.django_info(model)
    if orm.is_sqlalchemy_model(model):
        return orm.sqlalchemy_info(model)
    raise AutoFactoryError(
        f"{getattr(model, '__name__', model)!r} is not a model kind auto factories know (pydantic v2, dataclass, "
        "TypedDict, attrs, Django model, SQLAlchemy mapped class); write an AIFactory for it."
    )
