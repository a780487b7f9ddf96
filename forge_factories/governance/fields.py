"""Model fields as governance sees them: a :class:`FieldDesc` view of each auto :class:`FieldInfo`.

There is one field model, :mod:`forge_factories.auto`: :func:`~forge_factories.auto.model_info`
reads the model (pydantic v2, dataclasses, attrs, TypedDict, Django, SQLAlchemy) and
:func:`~forge_factories.auto.annotations.resolve` reads each annotation (``Annotated``,
``Optional``, ``Literal``, enums, the value kind). This module only picks what governance looks at
(attribute names, stored columns) and reads factory_boy factories (their declared fields plus
their model's fields).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from forge_factories.auto.annotations import KINDS, resolve
from forge_factories.auto.context import AutoFactoryError
from forge_factories.auto.fields import Constraints, FieldInfo, marker_level
from forge_factories.auto.introspect import model_info

__all__ = ["KINDS", "FieldDesc", "describe_annotation", "describe_field", "describe_model", "is_factory",
           "marker_level", "model_name"]


@dataclass(frozen=True)
class FieldDesc:
    """What governance needs to know about one field (never persisted).

    ``kind`` is the value kind (:data:`KINDS`); the bounds, lengths and pattern are the auto
    field model's :class:`~forge_factories.auto.fields.Constraints` (``constraints``), read
    through the properties ``ge`` ... ``max_digits``.
    """

    name: str
    kind: str = "other"
    annotation: Any = None
    optional: bool = False
    choices: tuple[Any, ...] | None = None
    constraints: Constraints = field(default_factory=Constraints)
    sensitivity: str | None = None
    type_name: str = ""
    auto: bool = False
    relation: bool = False

    ge = property(lambda self: self.constraints.ge, doc="Inclusive lower bound.")
    gt = property(lambda self: self.constraints.gt, doc="Strict lower bound.")
    le = property(lambda self: self.constraints.le, doc="Inclusive upper bound.")
    lt = property(lambda self: self.constraints.lt, doc="Strict upper bound.")
    min_length = property(lambda self: self.constraints.min_length, doc="Shortest length.")
    max_length = property(lambda self: self.constraints.max_length, doc="Longest length.")
    pattern = property(lambda self: self.constraints.pattern, doc="Regular expression values match.")
    decimal_places = property(lambda self: self.constraints.decimal_places, doc="Digits after the point.")
    max_digits = property(lambda self: self.constraints.max_digits, doc="Digits in all.")

    @property
    def numeric(self) -> bool:
        """Whether the field holds a number (bools excluded)."""
        return self.kind in ("int", "float", "decimal")

    @property
    def bounded(self) -> bool:
        """Whether the model itself declares a lower or upper bound."""
        return any(v is not None for v in (self.ge, self.gt, self.le, self.lt))


def _is_orm_type(tp: Any) -> bool:
    """Whether ``tp`` is a Django field or SQLAlchemy column type class (no Python type is known)."""
    return isinstance(tp, type) and (hasattr(tp, "get_internal_type") or hasattr(tp, "bind_processor"))


def describe_field(info: FieldInfo) -> FieldDesc:
    """The :class:`FieldDesc` of one field of the auto field model."""
    annotation = None if _is_orm_type(info.annotation) else info.annotation
    read = resolve(annotation, info.constraints)
    relation = info.foreign_key is not None
    kind = "int" if relation else "enum" if info.choices else read.kind
    cons = read.constraints
    if not info.blank and read.kind in ("str", "email", "url"):  # full_clean() refuses empty values
        cons = dataclasses.replace(cons, min_length=max(cons.min_length or 0, 1))
    return FieldDesc(
        name=info.attribute or info.name, kind=kind, annotation=read.base,
        optional=read.optional or (info.nullable and info.blank),  # full_clean() refuses None unless blank=True
        choices=read.choices if read.choices is not None else info.choices, constraints=cons,
        sensitivity=read.sensitivity or info.sensitivity,
        type_name=info.type_name or getattr(read.base, "__name__", None) or str(read.base),
        auto=info.db_generated, relation=relation,
    )


def describe_annotation(name: str, annotation: Any) -> FieldDesc:
    """A :class:`FieldDesc` from a bare type annotation (a list's item type, for instance)."""
    return describe_field(FieldInfo(name=name, annotation=annotation))


def is_factory(obj: Any) -> bool:
    """Whether ``obj`` is a factory_boy factory class."""
    from factory.base import BaseFactory

    return isinstance(obj, type) and issubclass(obj, BaseFactory)


def _factory_fields(factory_cls: Any) -> list[FieldDesc]:
    meta = factory_cls._meta
    model = getattr(meta, "model", None)
    described: dict[str, FieldDesc] = {}
    if model is not None and not isinstance(model, str):
        try:
            described = {d.name: d for d in describe_model(model)}
        except TypeError:
            described = {}
    names = [n for n in meta.declarations if not n.startswith("_")]
    out = [described.get(n, FieldDesc(name=n)) for n in names]
    out.extend(d for n, d in described.items() if n not in names)
    return out


def describe_model(model: Any) -> list[FieldDesc]:
    """Every field of ``model``: pydantic, dataclass, attrs, TypedDict, Django, SQLAlchemy or a factory class."""
    if is_factory(model):
        return _factory_fields(model)
    try:
        info = model_info(model, strict=False)
    except AutoFactoryError as exc:
        raise TypeError(f"cannot describe the fields of {model!r}: {exc}") from None
    computed = getattr(model, "model_computed_fields", None) or {}  # pydantic properties, not stored fields
    return [describe_field(f) for f in info.columns or info.fields if f.name not in computed]


def model_name(model: Any) -> str:
    """A readable name for ``model`` (a factory's model name when it has one)."""
    if is_factory(model):
        inner = getattr(model._meta, "model", None)
        if inner is not None and not isinstance(inner, str) and hasattr(inner, "__name__"):
            return inner.__name__
    return getattr(model, "__name__", str(model))
