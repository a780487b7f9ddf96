"""Model fields for governance: one :class:`FieldDesc` per field, whatever the model kind.

The models are read by the auto factories' introspection (:func:`forge_factories.auto.model_info`:
pydantic v2, dataclasses, attrs, TypedDict, Django, SQLAlchemy); this module adds governance's
value kinds and reads factory_boy factories (their declared fields, plus their model's fields).
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import ipaddress
import types
import typing
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forge_factories.auto.fields import FieldInfo, marker_level
from forge_factories.auto.generators import AutoFactoryError
from forge_factories.auto.introspect import model_info

__all__ = ["KINDS", "FieldDesc", "describe_annotation", "describe_model", "is_factory", "marker_level",
           "model_name"]

#: Value kinds the governance layer reasons about.
KINDS = ("int", "float", "decimal", "bool", "str", "email", "url", "phone", "date", "datetime", "time",
         "uuid", "ip", "secret", "card", "enum", "list", "model", "other")


@dataclass(frozen=True)
class FieldDesc:
    """What governance needs to know about one field (never persisted)."""

    name: str
    kind: str = "other"
    annotation: Any = None
    optional: bool = False
    choices: tuple[Any, ...] | None = None
    ge: Any = None
    gt: Any = None
    le: Any = None
    lt: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    decimal_places: int | None = None
    max_digits: int | None = None
    sensitivity: str | None = None
    type_name: str = ""
    auto: bool = False
    relation: bool = False

    @property
    def numeric(self) -> bool:
        """Whether the field holds a number (bools excluded)."""
        return self.kind in ("int", "float", "decimal")

    @property
    def bounded(self) -> bool:
        """Whether the model itself declares a lower or upper bound."""
        return any(v is not None for v in (self.ge, self.gt, self.le, self.lt))


_CONSTRAINT_ATTRS = ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern", "decimal_places", "max_digits")


def _merge_metadata(target: dict[str, Any], metadata: Any) -> None:
    for item in metadata or ():
        if item is None:
            continue
        for attr in _CONSTRAINT_ATTRS:
            value = getattr(item, attr, None)
            if value is not None:
                target[attr] = value
        if isinstance(item, Mapping) and "sensitivity" in item:
            target["sensitivity"] = item["sensitivity"]


def _kind_of(tp: Any) -> str:
    name = getattr(tp, "__name__", "") or ""
    if tp is bool:
        return "bool"
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return "enum"
        if issubclass(tp, bool):
            return "bool"
        if issubclass(tp, int):
            return "int"
        if issubclass(tp, float):
            return "float"
        if issubclass(tp, decimal.Decimal):
            return "decimal"
        if issubclass(tp, datetime.datetime):
            return "datetime"
        if issubclass(tp, datetime.date):
            return "date"
        if issubclass(tp, datetime.time):
            return "time"
        if issubclass(tp, uuid.UUID):
            return "uuid"
        if issubclass(tp, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return "ip"
        if hasattr(tp, "model_fields") or dataclasses.is_dataclass(tp):
            return "model"
    lowered = name.lower()
    if "email" in lowered:
        return "email"
    if "secret" in lowered:
        return "secret"
    if "paymentcard" in lowered:
        return "card"
    if lowered.startswith(("ipv", "iptext")):
        return "ip"
    if "url" in lowered or "dsn" in lowered:
        return "url"
    if "phone" in lowered:
        return "phone"
    if isinstance(tp, type) and issubclass(tp, (str, bytes)):
        return "str"
    return "other"


def describe_annotation(name: str, annotation: Any, extra: dict[str, Any] | None = None) -> FieldDesc:
    """A :class:`FieldDesc` from a type annotation (``Optional``, ``Annotated``, ``Literal``, enums)."""
    info: dict[str, Any] = dict(extra or {})
    optional = bool(info.pop("optional", False))
    tp = annotation
    for _ in range(8):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            _merge_metadata(info, tp.__metadata__)
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) < len(typing.get_args(tp)):
                optional = True
            if len(args) != 1:
                break
            tp = args[0]
        else:
            break
    if tp is typing.Any or tp is object:
        optional = True  # anything goes, None included
    choices: tuple[Any, ...] | None = info.pop("choices", None)
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        choices = typing.get_args(tp)
        kind = "enum"
    elif origin in (list, set, frozenset, tuple) or tp in (list, set, frozenset, tuple):
        kind = "list"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        kind = "enum"
        choices = tuple(tp)
    else:
        kind = info.pop("kind", None) or _kind_of(tp)
    info.pop("kind", None)
    type_name = getattr(tp, "__name__", None) or str(tp)
    fields = {k: v for k, v in info.items() if k in _CONSTRAINT_ATTRS or k == "sensitivity"}
    return FieldDesc(name=name, kind=kind, annotation=tp, optional=optional, choices=choices,
                     type_name=type_name, **fields)


def _is_orm_type(tp: Any) -> bool:
    """Whether ``tp`` is a Django field or SQLAlchemy column type class (no Python type is known)."""
    return isinstance(tp, type) and (hasattr(tp, "get_internal_type") or hasattr(tp, "bind_processor"))


def _describe_field(info: FieldInfo) -> FieldDesc:
    """A :class:`FieldDesc` from the auto introspection of one field (plus governance's kind)."""
    extra: dict[str, Any] = {k: v for k, v in info.constraints.as_dict().items() if k in _CONSTRAINT_ATTRS}
    # full_clean() refuses empty values (None included) unless blank=True
    extra.update(sensitivity=info.sensitivity, choices=info.choices, optional=info.nullable and info.blank)
    annotation = None if _is_orm_type(info.annotation) else info.annotation
    desc = describe_annotation(info.attribute or info.name, annotation, extra)
    relation = info.foreign_key is not None
    kind = "int" if relation else "enum" if info.choices else desc.kind
    min_length = desc.min_length
    if not info.blank and desc.kind in ("str", "email", "url"):
        min_length = max(min_length or 0, 1)
    return dataclasses.replace(desc, kind=kind, min_length=min_length, type_name=info.type_name or desc.type_name,
                               auto=info.db_generated, relation=relation)


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
    return [_describe_field(f) for f in info.columns or info.fields if f.name not in computed]


def model_name(model: Any) -> str:
    """A readable name for ``model`` (a factory's model name when it has one)."""
    if is_factory(model):
        inner = getattr(model._meta, "model", None)
        if inner is not None and not isinstance(inner, str) and hasattr(inner, "__name__"):
            return inner.__name__
    return getattr(model, "__name__", str(model))
