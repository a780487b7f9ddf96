"""Introspection of ORM models: Django models and SQLAlchemy mapped classes."""

from __future__ import annotations

import datetime as dt
import decimal
import sys
import typing
import uuid
from typing import Any

from forge_factories.auto.annotations import AWARE, EmailText, IPText, UrlText
from forge_factories.auto.fields import Constraints, FieldInfo, ForeignKey, ModelInfo, declared_sensitivity

_SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+){0,3}$"


def is_django_model(model: Any) -> bool:
    """Whether ``model`` is a Django model class (without importing Django if unused)."""
    if "django.db.models" not in sys.modules or not isinstance(model, type):
        return False
    from django.db import models

    return issubclass(model, models.Model)


def is_sqlalchemy_model(model: Any) -> bool:
    """Whether ``model`` is a SQLAlchemy mapped class."""
    if "sqlalchemy" not in sys.modules or not isinstance(model, type):
        return False
    from sqlalchemy import inspect
    from sqlalchemy.exc import NoInspectionAvailable

    try:
        return inspect(model, raiseerr=False) is not None and hasattr(model, "__mapper__")
    except NoInspectionAvailable:
        return False


# -- Django --------------------------------------------------------------------------------

def _django_validators(field: Any, cons: Constraints) -> Constraints:
    from django.core import validators as dv

    for v in field.validators:
        if isinstance(v, dv.MinValueValidator):
            cons = cons.merge({"ge": v.limit_value})
        elif isinstance(v, dv.MaxValueValidator):
            cons = cons.merge({"le": v.limit_value})
        elif isinstance(v, dv.MinLengthValidator):
            cons = cons.merge({"min_length": v.limit_value})
        elif isinstance(v, dv.MaxLengthValidator):
            cons = cons.merge({"max_length": v.limit_value})
        elif isinstance(v, dv.RegexValidator) and not isinstance(v, (dv.EmailValidator, dv.URLValidator)) \
                and not v.inverse_match and getattr(v.regex, "pattern", None):
            cons = cons.merge({"pattern": v.regex.pattern})
    return cons


def _django_type(field: Any) -> Any:
    from django.conf import settings
    from django.db import models

    checks: list[tuple[type, Any]] = [
        (models.EmailField, EmailText), (models.URLField, UrlText), (models.GenericIPAddressField, IPText),
        (models.SlugField, str), (models.UUIDField, uuid.UUID), (models.BooleanField, bool),
        (models.DecimalField, decimal.Decimal), (models.FloatField, float), (models.DurationField, dt.timedelta),
        (models.DateTimeField, dt.datetime), (models.DateField, dt.date), (models.TimeField, dt.time),
        (models.IntegerField, int), (models.BinaryField, bytes), (models.JSONField, dict[str, str]),
        (models.CharField, str), (models.TextField, str),
    ]
    for cls, tp in checks:
        if isinstance(field, cls):
            if tp is dt.datetime and getattr(settings, "USE_TZ", False):
                return typing.Annotated[dt.datetime, AWARE]
            return tp
    return type(field)


def django_info(model: Any) -> ModelInfo:
    """Fields of a Django model: FKs become structural references to registered parents.

    Many-to-many fields come last (filled on create; ``columns`` leaves them out).
    """
    from django.db import models

    fields: list[FieldInfo] = []
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        common: dict[str, Any] = {
            "name": f.name, "nullable": f.null, "blank": f.blank, "type_name": f.get_internal_type(),
            "sensitivity": getattr(f, "forge_sensitivity", None) or declared_sensitivity(
                getattr(f, "db_comment", None), f.help_text),
        }
        if f.many_to_many:  # a custom through model is left to the user
            fields.append(FieldInfo(
                annotation=f.related_model, required=False, computed=not f.remote_field.through._meta.auto_created,
                foreign_key=ForeignKey(f.related_model, attribute="pk", assign="many"), **common,
            ))
            continue
        if isinstance(f, (models.ForeignKey, models.OneToOneField)):
            fields.append(FieldInfo(
                annotation=f.related_model, unique=f.unique, **common,
                foreign_key=ForeignKey(f.related_model, attribute=f.target_field.attname, assign="object"),
            ))
            continue
        computed = (not f.editable) or bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) \
            or f.__class__.__name__ == "GeneratedField" or getattr(f, "db_default", models.NOT_PROVIDED) \
            is not models.NOT_PROVIDED
        db_generated = f.primary_key and isinstance(f, models.AutoField)
        cons = Constraints()
        if getattr(f, "max_length", None) and not isinstance(f, (models.TextField, models.BinaryField)):
            cons = cons.merge({"max_length": f.max_length})
        if isinstance(f, models.DecimalField):
            cons = cons.merge({"max_digits": f.max_digits, "decimal_places": f.decimal_places})
        if isinstance(f, models.SlugField):
            cons = cons.merge({"pattern": _SLUG_PATTERN})
        if isinstance(f, (models.PositiveIntegerField, models.PositiveSmallIntegerField,
                          models.PositiveBigIntegerField)):
            cons = cons.merge({"ge": 0})
        cons = _django_validators(f, cons)
        choices = tuple(c[0] for c in f.flatchoices) if f.choices else None
        fields.append(FieldInfo(
            annotation=_django_type(f), constraints=cons, required=not f.has_default(),
            unique=f.unique and not f.primary_key, primary_key=f.primary_key, has_default=f.has_default(),
            computed=computed and not db_generated, choices=choices, db_generated=db_generated,
            validators=tuple(f.validators), **common,
        ))
    columns = [f for f in fields if f.foreign_key is None or f.foreign_key.assign != "many"]
    return ModelInfo(model, "django", fields, columns)


# -- SQLAlchemy ----------------------------------------------------------------------------

def _sqlalchemy_type(column: Any) -> tuple[Any, Constraints, tuple[Any, ...] | None]:
    from sqlalchemy import types as sat

    t = column.type
    cons = Constraints()
    if isinstance(t, sat.Enum):
        if t.enum_class is not None:
            return t.enum_class, cons, None
        return str, cons, tuple(t.enums)
    if isinstance(t, sat.Numeric) and not isinstance(t, sat.Float):
        if t.precision is not None:
            cons = cons.merge({"max_digits": t.precision, "decimal_places": t.scale or 0})
        return (decimal.Decimal if t.asdecimal else float), cons, None
    if isinstance(t, sat.String):
        if t.length:
            cons = cons.merge({"max_length": t.length})
        return str, cons, None
    if isinstance(t, sat.Uuid):
        return (uuid.UUID if t.as_uuid else str), cons, None
    if isinstance(t, sat.DateTime):
        return (typing.Annotated[dt.datetime, AWARE] if t.timezone else dt.datetime), cons, None
    if isinstance(t, sat.SmallInteger):
        return int, cons.merge({"ge": -32768, "le": 32767}), None
    if isinstance(t, sat.JSON):
        return dict[str, str], cons, None
    try:
        return t.python_type, cons, None
    except NotImplementedError:
        return type(t), cons, None


def _mapped_class_for(mapper: Any, table: Any) -> Any:
    for m in mapper.registry.mappers:
        if m.local_table is table:
            return m.class_
    return None


def _column_info(mapper: Any, key: str, col: Any, unique_sets: set[str]) -> FieldInfo:
    tp, cons, choices = _sqlalchemy_type(col)
    db_generated = bool(col.primary_key and col.autoincrement in (True, "auto") and tp is int
                        and len(mapper.primary_key) == 1)
    computed = col.server_default is not None or col.computed is not None or col.identity is not None
    fk = None
    if col.foreign_keys:
        target_col = next(iter(col.foreign_keys)).column
        target = _mapped_class_for(mapper, target_col.table)
        if target is not None:
            fk = ForeignKey(target, attribute=target_col.key, assign="value")
    return FieldInfo(
        name=key, annotation=tp, constraints=cons, required=not col.nullable,
        nullable=bool(col.nullable) and not col.primary_key,
        unique=bool(col.unique) or col.key in unique_sets, primary_key=bool(col.primary_key),
        has_default=col.default is not None, computed=computed and not db_generated, choices=choices,
        foreign_key=fk, db_generated=db_generated, sensitivity=declared_sensitivity(col.info, col.comment),
        type_name=type(col.type).__name__,
    )


def sqlalchemy_info(model: Any) -> ModelInfo:
    """Fields of a SQLAlchemy mapped class: FK columns resolve through many-to-one relationships.

    ``columns`` keeps every mapped column as stored, FK columns included.
    """
    from sqlalchemy import inspect
    from sqlalchemy.orm import RelationshipDirection

    mapper = inspect(model)
    fields: list[FieldInfo] = []
    covered: set[Any] = set()
    for rel in mapper.relationships:
        if rel.direction is RelationshipDirection.MANYTOONE and not rel.viewonly:
            local = list(rel.local_columns)
            nullable = all(c.nullable for c in local)
            unique = any(c.unique for c in local)
            covered.update(local)
            fields.append(FieldInfo(
                name=rel.key, annotation=rel.mapper.class_, nullable=nullable, unique=unique,
                foreign_key=ForeignKey(rel.mapper.class_, assign="object"),
            ))
    unique_sets = {
        next(iter(c.columns)).key for c in mapper.local_table.constraints
        if c.__class__.__name__ == "UniqueConstraint" and len(c.columns) == 1
    }
    columns = [_column_info(mapper, prop.key, prop.columns[0], unique_sets) for prop in mapper.column_attrs]
    fields += [info for info, prop in zip(columns, mapper.column_attrs, strict=True)
               if len(prop.columns) == 1 and prop.columns[0] not in covered]
    return ModelInfo(model, "sqlalchemy", fields, columns)


__all__ = ["django_info", "is_django_model", "is_sqlalchemy_model", "sqlalchemy_info"]

