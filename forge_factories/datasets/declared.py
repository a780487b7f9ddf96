"""The value kinds a model declares for its fields: type hints, pydantic fields, ORM columns.

SQL exports start each column from its declared kind (``price: float`` is a floating
point column even when the first rows hold whole numbers) and widen it from the values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import types
import typing
import uuid
from typing import Any

#: Python types -> the kind names of :class:`forge_factories.datasets.sql.ColumnStats`.
_KINDS: dict[type, str] = {
    bool: "bool", int: "int", float: "float", decimal.Decimal: "decimal", dt.datetime: "datetime",
    dt.date: "date", dt.time: "time", str: "text", uuid.UUID: "text", bytes: "text",
    list: "json", dict: "json", tuple: "json", set: "json", frozenset: "json",
}

#: Django ``get_internal_type()`` names -> kinds.
_DJANGO: dict[str, str] = {
    "AutoField": "int", "BigAutoField": "int", "SmallAutoField": "int", "IntegerField": "int",
    "BigIntegerField": "int", "SmallIntegerField": "int", "PositiveIntegerField": "int",
    "PositiveBigIntegerField": "int", "PositiveSmallIntegerField": "int", "ForeignKey": "int",
    "OneToOneField": "int", "BooleanField": "bool", "NullBooleanField": "bool", "FloatField": "float",
    "DecimalField": "decimal", "DateTimeField": "datetime", "DateField": "date", "TimeField": "time",
    "JSONField": "json", "CharField": "text", "TextField": "text", "EmailField": "text",
    "SlugField": "text", "URLField": "text", "UUIDField": "text",
}


def kind_of(annotation: Any) -> str | None:
    """The kind of a type hint (``Optional[X]`` is ``X``; ``list[int]`` is ``json``), if known."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return kind_of(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        kinds = {kind_of(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if origin is not None:
        return _KINDS.get(origin)
    if isinstance(annotation, type):
        for base in annotation.__mro__:
            if base in _KINDS:
                return _KINDS[base]
    return None


def declared_kinds(model: Any) -> dict[str, tuple[str, int | None]]:
    """Column name -> (kind, decimal scale or ``None``) as ``model`` declares them."""
    if not isinstance(model, type) or issubclass(model, dict):
        return {}
    if hasattr(model, "__table__") or hasattr(model, "__mapper__"):
        return _sqlalchemy(model)
    meta = getattr(model, "_meta", None)
    if meta is not None and hasattr(meta, "concrete_fields"):
        return {f.attname: (_DJANGO[f.get_internal_type()], getattr(f, "decimal_places", None))
                for f in meta.concrete_fields if f.get_internal_type() in _DJANGO}
    fields = getattr(model, "model_fields", None)
    if isinstance(fields, dict):  # pydantic v2
        hints = {name: info.annotation for name, info in fields.items()}
    elif dataclasses.is_dataclass(model) or hasattr(model, "__annotations__"):
        try:
            hints = typing.get_type_hints(model, include_extras=True)
        except Exception:  # noqa: BLE001 - unresolvable forward references: no declarations
            return {}
    else:
        return {}
    out: dict[str, tuple[str, int | None]] = {}
    for name, hint in hints.items():
        kind = kind_of(hint)
        if kind is not None and not name.startswith("_"):
            out[name] = (kind, None)
    return out


def _sqlalchemy(model: Any) -> dict[str, tuple[str, int | None]]:
    """Kinds of a mapped class's column attributes (keyed as records are: by attribute)."""
    try:
        from sqlalchemy import inspect

        columns = [(attr.key, attr.columns[0]) for attr in inspect(model).column_attrs]
    except Exception:  # noqa: BLE001 - not mapped: its table's columns
        columns = [(c.key, c) for c in model.__table__.columns]
    out: dict[str, tuple[str, int | None]] = {}
    for key, column in columns:
        try:
            python_type = column.type.python_type
        except (NotImplementedError, AttributeError):
            continue
        kind = kind_of(python_type)
        if kind is not None:
            out[key] = (kind, getattr(column.type, "scale", None) if kind == "decimal" else None)
    return out
