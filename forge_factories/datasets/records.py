"""Objects as records and records as JSON text or CSV cells (used by every writer)."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import json
import math
from collections.abc import Mapping
from typing import Any

from forge_factories._compat.sqlalchemy import is_mapped_instance
from forge_factories._compat.stdlib import c_dict_encoder
from forge_factories.common.atomic_files import ExportError
from forge_factories.common.jsonable import JsonRules, to_jsonable


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


def _record_or_text(value: Any) -> Any:
    try:
        return to_record(value)
    except ExportError:
        return str(value)


def _base64(value: Any) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


#: How exports write what JSON has no form for: timedeltas in seconds, binary data in base64,
#: NaN and infinities kept (the writers refuse them), objects as their records, else their text.
EXPORT_RULES = JsonRules(timedelta="float", binary=_base64, non_finite=None, unknown=_record_or_text)


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: datetimes ISO 8601, decimals and UUIDs as strings, models as dicts.

    The package's one conversion (:func:`forge_factories.common.jsonable.to_jsonable`) under
    :data:`EXPORT_RULES`.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return to_jsonable(value, EXPORT_RULES)


#: Types whose JSON form is ``isoformat()`` (what :func:`plain` gives them), converted directly.
_ISO_TYPES = frozenset((datetime.date, datetime.datetime, datetime.time))


def _json_default(value: Any) -> Any:
    if type(value) in _ISO_TYPES:
        return value.isoformat()
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
