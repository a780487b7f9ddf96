"""Objects as records and records as JSON text or CSV cells (used by every writer)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import decimal
import enum
import json
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from forge_factories._compat.sqlalchemy import is_mapped_instance
from forge_factories._compat.stdlib import c_dict_encoder
from forge_factories.common.atomic_files import ExportError


def to_record(obj: Any) -> dict[str, Any]:
    """The field -> value mapping of one object (dict, pydantic, dataclass, attrs, ORM, plain)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return dict(dump())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    attrs_fields = getattr(type(obj), "__attrs_attrs__", None)
    if attrs_fields is not None:
        return {a.name: getattr(obj, a.name) for a in attrs_fields}
    django_meta = getattr(obj, "_meta", None)
    if django_meta is not None and hasattr(django_meta, "concrete_fields"):
        return {f.attname: f.value_from_object(obj) for f in django_meta.concrete_fields}
    if is_mapped_instance(obj):
        from sqlalchemy import inspect

        return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    as_dict = getattr(obj, "_asdict", None)
    if callable(as_dict):
        return dict(as_dict())
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    raise ExportError(f"cannot export a {type(obj).__name__}: not a mapping, model or object with attributes")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: datetimes ISO 8601, decimals and UUIDs as strings, models as dicts."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    try:
        return {k: plain(v) for k, v in to_record(value).items()}
    except ExportError:
        return str(value)


_ISO: dict[type, Callable[[Any], str]] = {dt.datetime: dt.datetime.isoformat, dt.date: dt.date.isoformat,
                                          dt.time: dt.time.isoformat}


def _json_default(value: Any) -> Any:
    iso = _ISO.get(type(value))  # the common case first: one dict lookup, no isinstance chain
    if iso is not None:
        return iso(value)
    converted = plain(value)
    if converted is value:
        raise TypeError(f"cannot serialise {type(value).__name__}")
    return converted


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default, separators=(",", ":"), allow_nan=False)


def dumps(record: Mapping[str, Any]) -> str:
    """One record as compact JSON text (unicode kept)."""
    try:
        fast = c_dict_encoder(_json_default)  # CPython's C encoder, built once
        if fast is not None and type(record) is dict:
            return "".join(fast(record, 0))
        return _ENCODER.encode(record)
    except ValueError:
        where = non_finite(record)
        if where is None:
            raise
        raise ExportError(f"field {where[0]!r} is {where[1]!r}: JSON has no NaN or infinity "
                          "(replace it, e.g. with None)") from None


def non_finite(value: Any, path: str = "") -> tuple[str, float] | None:
    """The first NaN or infinite float inside ``value`` (its dotted path and value), if any."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, decimal.Decimal):
        return None if value.is_finite() else (path, float(value))
    if isinstance(value, Mapping):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for sub, item in items:
        found = non_finite(item, sub)
        if found is not None:
            return found
    return None


def csv_cell(value: Any) -> Any:
    """One CSV cell: ``None`` -> empty, nested values -> JSON, datetimes ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    converted = plain(value)
    if isinstance(converted, (dict, list)):
        return json.dumps(converted, ensure_ascii=False)
    return converted
