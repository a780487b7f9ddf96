"""One JSON conversion: Python values to JSON-ready data, on pydantic-core's ``to_jsonable_python``.

The same everywhere (exports, the response cache's keys, the lock file's conditioning):

- ``None``, ``bool``, ``int``, ``str`` and finite floats stay; enums become their value;
- dates, times and naive datetimes are ISO 8601, Decimals and UUIDs their text (pydantic-core
  writes these);
- a timezone-aware datetime or time is written as Python writes it (``+00:00``, where
  pydantic-core writes ``Z``): the form exports and recorded lock files hold;
- mappings get string keys (``str(key)``), lists and tuples become lists, sets and frozensets
  lists sorted by their JSON text (a set's order changes from one process to the next).

Where a use needs its own form, :class:`JsonRules` says it: how timedeltas, bytes, NaN and
infinity, and every other object are written (:data:`KEY_RULES` for cache and lock keys; the
exports give theirs in :mod:`forge_factories.datasets.records`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["KEY_RULES", "JsonRules", "to_jsonable"]

#: Written by pydantic-core: the leaf types whose text every use agrees on.
_PYDANTIC_LEAVES = (dt.date, dt.time, decimal.Decimal, uuid.UUID)


@dataclass(frozen=True)
class JsonRules:
    """The forms one use of :func:`to_jsonable` gives the types where uses differ.

    ``timedelta``: ``"float"`` (seconds, pydantic-core's ``timedelta_mode``) or ``"str"``
    (``str(td)``); ``binary``: how ``bytes``/``bytearray``/``memoryview`` are written;
    ``non_finite``: how NaN and infinities are written (``None`` keeps the float, for the
    writer to refuse); ``unknown``: any other object (models, ORM rows, paths...).
    """

    timedelta: Literal["float", "str"]
    binary: Callable[[Any], Any]
    non_finite: Callable[[float], Any] | None
    unknown: Callable[[Any], Any]


#: Cache keys and lock-file conditioning: anything without a JSON form is its ``str()``.
KEY_RULES = JsonRules(timedelta="str", binary=str, non_finite=str, unknown=str)


def _set_order(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def _prepare(value: Any, rules: JsonRules) -> Any:
    """``value`` with forge's own forms applied; what is left is for pydantic-core."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if rules.non_finite is None or math.isfinite(value):
            return value
        return rules.non_finite(value)
    if isinstance(value, enum.Enum):
        return _prepare(value.value, rules)
    if isinstance(value, (dt.datetime, dt.time)) and value.utcoffset() is not None:
        return value.isoformat()
    if isinstance(value, _PYDANTIC_LEAVES):
        return value
    if isinstance(value, dt.timedelta):
        return value.total_seconds() if rules.timedelta == "float" else str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return rules.binary(value)
    if isinstance(value, Mapping):
        return {str(k): _prepare(v, rules) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_prepare(v, rules) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v, rules) for v in value), key=_set_order)
    converted = rules.unknown(value)
    if converted is value:
        raise TypeError(f"cannot convert a {type(value).__name__} to JSON")
    return _prepare(converted, rules)


_TO_JSONABLE_PYTHON: Callable[..., Any] | None = None


def _load() -> Callable[..., Any]:
    """pydantic-core's converter, imported on first use (not by importing this module)."""
    global _TO_JSONABLE_PYTHON
    from pydantic_core import to_jsonable_python

    _TO_JSONABLE_PYTHON = to_jsonable_python
    return to_jsonable_python


_PLAIN_LEAVES = frozenset({dt.date, decimal.Decimal, uuid.UUID})
_ZONED_LEAVES = frozenset({dt.datetime, dt.time})


def to_jsonable(value: Any, rules: JsonRules = KEY_RULES) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers, ``None``) under ``rules``."""
    to_jsonable_python = _TO_JSONABLE_PYTHON or _load()
    kind = type(value)
    if kind in _PLAIN_LEAVES or (kind in _ZONED_LEAVES and value.tzinfo is None):  # the common case, fast
        return to_jsonable_python(value)
    return to_jsonable_python(_prepare(value, rules), fallback=rules.unknown)
