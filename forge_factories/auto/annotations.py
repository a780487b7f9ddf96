"""Reading a field's annotation: unwrap ``Annotated``/``Optional``, merge constraints, name the value kind.

One reading for everything that looks at a field: the generators, the auto factory builder and
governance (``forge_factories.governance.fields``) all go through :func:`strip_annotated`,
:func:`split_optional` and :func:`resolve`.
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

from typing_extensions import is_typeddict as _te_is_typeddict

from forge_factories.auto.fields import Constraints, declared_sensitivity


class EmailText(str):
    """Marker type for introspectors: a string that must be an email address."""


class UrlText(str):
    """Marker type for introspectors: a string that must be a URL."""


class IPText(str):
    """Marker type for introspectors: a string that must be an IP address."""


AWARE = "aware"  # Annotated[datetime, AWARE]: a timezone-aware datetime

#: Value kinds a field can hold (what governance reasons about: bounds, formats, secrets).
KINDS = ("int", "float", "decimal", "bool", "str", "email", "url", "phone", "date", "datetime", "time",
         "uuid", "ip", "secret", "card", "enum", "list", "model", "other")


def _metadata_items(meta: Any) -> list[Any]:
    inner = getattr(meta, "metadata", None)
    if isinstance(inner, list):  # a pydantic FieldInfo inside Annotated
        return [meta, *inner]
    return [meta]


_WRAPPERS = {typing.Required, typing.NotRequired, typing.ClassVar, typing.Final}
try:
    import typing_extensions as _te

    _WRAPPERS |= {_te.Required, _te.NotRequired}
except ImportError:  # pragma: no cover
    pass


def strip_annotated(tp: Any, cons: Constraints) -> tuple[Any, Constraints]:
    """Unwrap ``Annotated``/``Required``/``NotRequired``, merging constraint metadata."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            for meta in tp.__metadata__:
                for item in _metadata_items(meta):
                    cons = cons.merge(item)
            tp = tp.__origin__
        elif origin in _WRAPPERS:
            tp = typing.get_args(tp)[0]
        else:
            return tp, cons


def split_optional(tp: Any) -> tuple[Any, bool]:
    """``Optional[X]`` -> ``(X, True)``; other types unchanged."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            if len(rest) == 1:
                return rest[0], True
            return typing.Union[rest], True  # noqa: UP007 - built at runtime
    return tp, False


def model_kind(tp: Any) -> str | None:
    """The kind of a nestable model type, or ``None``."""
    if not isinstance(tp, type):
        return None
    if hasattr(tp, "model_fields") and hasattr(tp, "model_validate"):
        return "pydantic"
    if dataclasses.is_dataclass(tp):
        return "dataclass"
    if hasattr(tp, "__attrs_attrs__"):
        return "attrs"
    if typing.is_typeddict(tp) or _te_is_typeddict(tp):
        return "typeddict"
    return None


_TYPE_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (enum.Enum, "enum"), (bool, "bool"), (int, "int"), (float, "float"), (decimal.Decimal, "decimal"),
    (datetime.datetime, "datetime"), (datetime.date, "date"), (datetime.time, "time"), (uuid.UUID, "uuid"),
    ((ipaddress.IPv4Address, ipaddress.IPv6Address), "ip"),
)
_NAME_KINDS = (("email", "email"), ("secret", "secret"), ("paymentcard", "card"))


def value_kind(tp: Any) -> str:
    """The kind of value (one of :data:`KINDS`) a plain type holds: ``int``, ``email``, ``model``..."""
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "enum"
    if origin in (list, set, frozenset, tuple) or tp in (list, set, frozenset, tuple):
        return "list"
    if isinstance(tp, type):
        for types_, kind in _TYPE_KINDS:
            if issubclass(tp, types_):
                return kind
        if hasattr(tp, "model_fields") or dataclasses.is_dataclass(tp):
            return "model"
    lowered = (getattr(tp, "__name__", "") or "").lower()
    for token, kind in _NAME_KINDS:
        if token in lowered:
            return kind
    if lowered.startswith(("ipv", "iptext")):
        return "ip"
    if "url" in lowered or "dsn" in lowered:
        return "url"
    if "phone" in lowered:
        return "phone"
    if isinstance(tp, type) and issubclass(tp, (str, bytes)):
        return "str"
    return "other"


@dataclass(frozen=True)
class Resolved:
    """An annotation read once: the value type, its constraints, whether ``None`` is allowed, its kind."""

    base: Any
    constraints: Constraints
    optional: bool
    kind: str
    choices: tuple[Any, ...] | None = None
    sensitivity: str | None = None  # a ``{"sensitivity": ...}`` mapping inside ``Annotated``


def resolve(annotation: Any, constraints: Constraints | None = None) -> Resolved:
    """Unwrap ``annotation`` (``Annotated``, ``Optional``, ``Required``...) down to its value type.

    Constraints in ``Annotated`` metadata are merged into ``constraints``; ``Literal`` and enum
    types give their choices; ``Any``/``object`` accept ``None``.
    """
    cons = constraints if constraints is not None else Constraints()
    tp, optional, sensitivity = annotation, False, None
    for _ in range(8):
        if typing.get_origin(tp) is typing.Annotated:
            marks = [m for m in tp.__metadata__ if isinstance(m, Mapping)]
            sensitivity = declared_sensitivity(*reversed(marks)) or sensitivity
        tp, cons = strip_annotated(tp, cons)
        inner, nullable = split_optional(tp)
        optional = optional or nullable
        if inner is tp or typing.get_origin(inner) in (typing.Union, types.UnionType):
            tp = inner
            break
        tp = inner
    if tp is typing.Any or tp is object:
        optional = True  # anything goes, None included
    choices: tuple[Any, ...] | None = None
    if typing.get_origin(tp) is typing.Literal:
        choices = typing.get_args(tp)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        choices = tuple(tp)
    return Resolved(tp, cons, optional, value_kind(tp), choices, sensitivity)
