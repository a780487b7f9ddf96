"""The model-kind-neutral description of a field, produced by the introspectors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

STRUCTURAL = "structural"
STANDARD = "standard"
COMPUTED = "computed"
SEMANTIC = "semantic"
TIERS: tuple[str, ...] = (STRUCTURAL, STANDARD, COMPUTED, SEMANTIC)

CONSTRAINT_NAMES: tuple[str, ...] = (
    "ge", "gt", "le", "lt", "multiple_of", "min_length", "max_length", "pattern",
    "max_digits", "decimal_places", "uuid_version",
)


_MARKER_LEVELS = ("safe", "sensitive", "dangerous")


def marker_level(text: Any) -> str | None:
    """The level of a ``[forge:<level>]`` marker inside ``text`` (Django help_text/db_comment, column comment)."""
    lowered = str(text).lower() if text else ""
    return next((level for level in _MARKER_LEVELS if f"[forge:{level}]" in lowered), None)


def declared_sensitivity(*sources: Any) -> str | None:
    """The first level declared in ``sources``: a mapping's ``"sensitivity"``, a ``[forge:<level>]`` marker."""
    for source in sources:
        if isinstance(source, Mapping):
            if "sensitivity" in source:
                return source["sensitivity"]
        elif source is not None and (level := marker_level(source)):
            return level
    return None


def type_label(tp: Any) -> str:
    """A short readable name of a type hint: ``int``, ``str | None``, ``list[Address]``."""
    import typing

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return type_label(tp.__origin__)
    args = typing.get_args(tp)
    if origin is typing.Union or type(tp).__name__ == "UnionType":
        return " | ".join(type_label(a) for a in args)
    if tp is type(None):
        return "None"
    if origin is not None and args:
        name = getattr(origin, "__name__", None) or repr(origin).replace("typing.", "")
        return f"{name}[{', '.join('...' if a is Ellipsis else type_label(a) for a in args)}]"
    return getattr(tp, "__name__", None) or repr(tp).replace("typing.", "")


@dataclass(frozen=True)
class Constraints:
    """Value constraints gathered from the model (pydantic metadata, ORM column options)."""

    ge: Any = None
    gt: Any = None
    le: Any = None
    lt: Any = None
    multiple_of: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    uuid_version: int | None = None

    def merge(self, other: Any) -> Constraints:
        """These constraints tightened by the known attributes of ``other`` (any metadata object)."""
        if other is None:
            return self
        updates: dict[str, Any] = {}
        for name in CONSTRAINT_NAMES:
            value = other.get(name) if isinstance(other, dict) else getattr(other, name, None)
            if value is not None:
                updates[name] = value
        return replace(self, **updates) if updates else self

    def as_dict(self) -> dict[str, Any]:
        """The constraints that are set."""
        return {n: getattr(self, n) for n in CONSTRAINT_NAMES if getattr(self, n) is not None}


@dataclass
class ForeignKey:
    """A reference to a parent model: ``assign="object"`` sets the instance, ``"value"`` its key,
    ``"many"`` sets a few related objects on create (Django many-to-many)."""

    target: Any
    attribute: str = "id"
    assign: str = "value"


@dataclass
class FieldInfo:
    """One model field as the auto factory sees it."""

    name: str
    annotation: Any
    constraints: Constraints = field(default_factory=Constraints)
    required: bool = True
    nullable: bool = False
    unique: bool = False
    primary_key: bool = False
    has_default: bool = False
    computed: bool = False
    choices: tuple[Any, ...] | None = None
    foreign_key: ForeignKey | None = None
    db_generated: bool = False
    validators: tuple[Any, ...] = ()
    attribute: str = ""  # the instance attribute when it differs from ``name`` (pydantic alias, attrs ``_x``)
    blank: bool = True  # whether validation accepts empty values (Django ``blank``)
    sensitivity: str | None = None  # the model's own declaration: metadata, info or a ``[forge:<level>]`` marker
    type_name: str = ""  # the ORM's field/column type (Django internal type, SQLAlchemy type class)
    tier: str = ""
    generator_name: str = ""

    def describe(self) -> str:
        """One classification line: ``email  str  standard  faker:email``."""
        type_name = type_label(self.annotation)
        extra = []
        cons = self.constraints.as_dict() if self.generator_name != "database" else {}
        if cons:
            extra.append(", ".join(f"{k}={v!r}" for k, v in cons.items()))
        if self.unique:
            extra.append("unique")
        if self.nullable:
            extra.append("nullable")
        if self.foreign_key is not None:
            extra.append(f"-> {getattr(self.foreign_key.target, '__name__', self.foreign_key.target)}")
        tail = f"  ({'; '.join(extra)})" if extra else ""
        return f"{self.name:<20} {type_name:<16} {self.tier:<10} {self.generator_name}{tail}"


@dataclass
class ModelInfo:
    """Every field of one model, with its kind (``pydantic``, ``dataclass``, ``typeddict``, ...)."""

    model: Any
    kind: str
    fields: list[FieldInfo]
    columns: list[FieldInfo] = field(default_factory=list)  # ORM: the stored columns (FK columns, no M2M)

    @property
    def name(self) -> str:
        """The model's class name."""
        return getattr(self.model, "__name__", repr(self.model))

    def field(self, name: str) -> FieldInfo:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def describe(self) -> str:
        """The printable classification: one line per field."""
        head = f"{self.name} ({self.kind})"
        return "\n".join([head] + ["  " + f.describe() for f in self.fields])
