"""attrs internals: the validators inside ``attrs.validators.and_`` (``_AndValidator._validators``)."""

from __future__ import annotations

from typing import Any

from . import Probe

__all__ = ["and_validator_parts"]


def _check_and_parts() -> bool:
    import attrs

    first, second = attrs.validators.instance_of(int), attrs.validators.gt(0)
    combined: Any = attrs.validators.and_(first, second)
    return tuple(combined._validators) == (first, second)


AND_PARTS = Probe("attrs._AndValidator._validators", _check_and_parts)


def and_validator_parts(validator: Any) -> tuple[Any, ...]:
    """The validators an ``attrs.validators.and_(...)`` combines, in order.

    Fallback: ``attrs.astuple(validator, recurse=False)`` (the combined validator is an attrs
    class whose one field holds them).
    """
    if AND_PARTS():
        return tuple(validator._validators)
    import attrs

    fields = attrs.astuple(validator, recurse=False)
    return tuple(fields[0]) if len(fields) == 1 else ()
