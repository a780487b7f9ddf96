"""Django internals: ``Model._prepare_related_fields_for_save``.

``Model._meta`` (the Options API), ``Model._default_manager``/``_base_manager`` and
``instance._state.adding``/``.db`` are documented Django API and used directly elsewhere.
"""

from __future__ import annotations

import inspect
from typing import Any

from . import Probe

__all__ = ["prepare_related_fields_for_save"]


def _check_prepare() -> bool:
    from django.db import models

    method = models.Model._prepare_related_fields_for_save
    params = list(inspect.signature(method).parameters)
    return params[:2] == ["self", "operation_name"] and "fields" in params


PREPARE_RELATED = Probe("django.Model._prepare_related_fields_for_save", _check_prepare)


def prepare_related_fields_for_save(obj: Any, operation_name: str) -> None:
    """What ``save()``/``bulk_create()`` do to related fields first: refuse an unsaved related
    object (``ValueError``), copy a related object's key saved since it was assigned.

    Fallback (public API): the same for foreign keys and one-to-one fields whose key is not
    set yet (reading such a field runs no query); it skips Django's check of generic foreign
    keys and its clearing of a cached related object whose key changed.
    """
    if PREPARE_RELATED():
        obj._prepare_related_fields_for_save(operation_name=operation_name)
        return
    for field in obj._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or getattr(obj, field.attname) is not None:
            continue
        related = getattr(obj, field.name, None)  # key unset: the cached object or None, no query
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(f"{operation_name}() prohibited to prevent data loss due to unsaved "
                             f"related object '{field.name}'.")
        setattr(obj, field.name, related)
