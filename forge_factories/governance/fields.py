"""Model introspection for governance: one :class:`FieldDesc` per field, whatever the model kind.

Supports pydantic v2 models, dataclasses, Django models, SQLAlchemy mapped classes and
factory_boy factories (their declared fields, plus their model's fields when describable).
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
    if lowered.startswith("ipv") or lowered in ("ipvanyaddress", "ipvanyinterface"):
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


def _pydantic_fields(model: Any) -> list[FieldDesc]:
    out = []
    for name, fi in model.model_fields.items():
        extra: dict[str, Any] = {}
        _merge_metadata(extra, fi.metadata)
        schema_extra = fi.json_schema_extra
        if isinstance(schema_extra, Mapping) and "sensitivity" in schema_extra:
            extra["sensitivity"] = schema_extra["sensitivity"]
        out.append(describe_annotation(name, fi.annotation, extra))
    return out


def _dataclass_fields(model: Any) -> list[FieldDesc]:
    try:
        hints = typing.get_type_hints(model, include_extras=True)
    except Exception:  # noqa: BLE001 - unresolvable forward references: fall back to raw annotations
        hints = {}
    out = []
    for f in dataclasses.fields(model):
        extra: dict[str, Any] = {}
        if "sensitivity" in f.metadata:
            extra["sensitivity"] = f.metadata["sensitivity"]
        annotation = hints.get(f.name, f.type)
        out.append(describe_annotation(f.name, annotation, extra))
    return out


_DJANGO_KINDS = {
    "IntegerField": "int", "BigIntegerField": "int", "SmallIntegerField": "int", "PositiveIntegerField": "int",
    "PositiveSmallIntegerField": "int", "PositiveBigIntegerField": "int", "AutoField": "int",
    "BigAutoField": "int", "SmallAutoField": "int", "FloatField": "float", "DecimalField": "decimal",
    "BooleanField": "bool", "NullBooleanField": "bool", "CharField": "str", "TextField": "str",
    "SlugField": "str", "EmailField": "email", "URLField": "url", "DateField": "date",
    "DateTimeField": "datetime", "TimeField": "time", "UUIDField": "uuid", "GenericIPAddressField": "ip",
    "IPAddressField": "ip",
}

_MARKER_LEVELS = ("safe", "sensitive", "dangerous")


def marker_level(text: Any) -> str | None:
    """The level of a ``[forge:<level>]`` marker inside ``text`` (Django help_text/db_comment)."""
    if not isinstance(text, str):
        text = str(text) if text else ""
    lowered = text.lower()
    for level in _MARKER_LEVELS:
        if f"[forge:{level}]" in lowered:
            return level
    return None


def _django_fields(model: Any) -> list[FieldDesc]:
    out = []
    for f in model._meta.concrete_fields:
        internal = f.get_internal_type()
        kind = _DJANGO_KINDS.get(internal, "other")
        if internal == "ForeignKey" or getattr(f, "is_relation", False):
            kind = "int"
        # full_clean() refuses empty values (None included) unless blank=True
        info: dict[str, Any] = {"kind": kind, "optional": bool(f.null and f.blank)}
        if getattr(f, "max_length", None) and kind in ("str", "email", "url"):
            info["max_length"] = f.max_length
        if kind in ("str", "email", "url") and not f.blank:
            info["min_length"] = 1
        for v in getattr(f, "validators", ()):
            cls = type(v).__name__
            if cls == "MinValueValidator":
                info["ge"] = v.limit_value
            elif cls == "MaxValueValidator":
                info["le"] = v.limit_value
            elif cls == "MinLengthValidator":
                info["min_length"] = max(v.limit_value, info.get("min_length", 0))
            elif cls == "RegexValidator" and getattr(v.regex, "pattern", None) and kind == "str":
                info["pattern"] = v.regex.pattern
        if kind == "decimal":
            info["max_digits"] = f.max_digits
            info["decimal_places"] = f.decimal_places
        if f.choices:
            info["choices"] = tuple(value for value, _ in f.flatchoices)
        explicit = (getattr(f, "forge_sensitivity", None) or marker_level(getattr(f, "db_comment", None))
                    or marker_level(getattr(f, "help_text", None)))
        if explicit:
            info["sensitivity"] = explicit
        desc = describe_annotation(f.name, None, info)
        if f.choices:
            desc = dataclasses.replace(desc, kind="enum")
        out.append(dataclasses.replace(desc, kind=desc.kind if f.choices else kind, type_name=internal,
                                       auto=internal.endswith("AutoField"),
                                       relation=bool(getattr(f, "is_relation", False))))
    return out


def _alchemy_fields(model: Any) -> list[FieldDesc]:
    import sqlalchemy

    mapper = sqlalchemy.inspect(model)
    out = []
    for key, column in mapper.columns.items():
        col_type = column.type
        info: dict[str, Any] = {"optional": bool(column.nullable)}
        enums = getattr(col_type, "enums", None)
        try:
            py_type: Any = col_type.python_type
        except NotImplementedError:
            py_type = None
        enum_class = getattr(col_type, "enum_class", None)
        if enum_class is not None:
            py_type = enum_class
        elif enums:
            info["choices"] = tuple(enums)
        length = getattr(col_type, "length", None)
        if isinstance(length, int):
            info["max_length"] = length
        if isinstance(column.info, Mapping) and "sensitivity" in column.info:
            info["sensitivity"] = column.info["sensitivity"]
        if "sensitivity" not in info and isinstance(getattr(column, "comment", None), str):
            level = marker_level(column.comment)
            if level:
                info["sensitivity"] = level
        desc = describe_annotation(key, py_type, info)
        if enums and enum_class is None:
            desc = dataclasses.replace(desc, kind="enum")
        auto = bool(column.primary_key and desc.kind == "int" and column.autoincrement in (True, "auto")
                    and column.default is None)
        out.append(dataclasses.replace(desc, type_name=type(col_type).__name__, auto=auto,
                                       relation=bool(column.foreign_keys)))
    return out


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
    """Every field of ``model``: pydantic, dataclass, Django, SQLAlchemy or a factory class."""
    if is_factory(model):
        return _factory_fields(model)
    if hasattr(model, "model_fields") and isinstance(model, type):
        return _pydantic_fields(model)
    if dataclasses.is_dataclass(model) and isinstance(model, type):
        return _dataclass_fields(model)
    meta = getattr(model, "_meta", None)
    if meta is not None and hasattr(meta, "concrete_fields"):
        return _django_fields(model)
    if hasattr(model, "__mapper__") or hasattr(model, "__table__"):
        return _alchemy_fields(model)
    attrs_fields = getattr(model, "__attrs_attrs__", None)
    if attrs_fields is not None:
        return [describe_annotation(a.name, a.type, {"sensitivity": a.metadata.get("sensitivity")}
                                    if "sensitivity" in a.metadata else None) for a in attrs_fields]
    raise TypeError(f"cannot describe the fields of {model!r}: not a pydantic model, dataclass, attrs class, "
                    "Django model, SQLAlchemy mapped class or factory")


def model_name(model: Any) -> str:
    """A readable name for ``model`` (a factory's model name when it has one)."""
    if is_factory(model):
        inner = getattr(model._meta, "model", None)
        if inner is not None and not isinstance(inner, str) and hasattr(inner, "__name__"):
            return inner.__name__
    return getattr(model, "__name__", str(model))
