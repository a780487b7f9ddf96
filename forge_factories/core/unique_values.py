"""The memory of unique values that auto factories produced, per (model, field), and its scope."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

# (model, field) -> [values produced in this scope, registry count when last seen, weakref to the scope]
_unique_seen: dict[tuple[Any, str], list[Any]] = {}
_scope: contextvars.ContextVar[Any] = contextvars.ContextVar("forge_auto_unique_scope", default=None)


class _Scope:
    """A batch generated outside the engine (the fast path): one uniqueness memory."""


@contextlib.contextmanager
def unique_scope() -> Iterator[None]:
    """Values generated inside share one uniqueness memory (besides the registry and the database)."""
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)
